// Moving one date of a request to another day, time or room, the one way the house's changes and a group's
// accepted offer both do it: the write runs as an attempt, so the database guard's refusal of an overlap comes
// back as the dates it would clash with (for the caretaker's message) and the transaction goes on to roll back.
import type { Updateable } from 'kysely';
import type { Trx } from '../db/database.js';
import type { BookingStatus, BookingsTable } from '../db/schema.js';
import { attempt } from '../db/attempt.js';
import { findOccupancyClashes, type Clash } from './occupancy-clashes.js';

export interface MoveDate {
  bookingId: number;
  /** The status the date must still have (a date decided meanwhile is not moved: `moved` is false). */
  status: BookingStatus;
  /** The new day (YYYY-MM-DD), its instants (already resolved in the house zone) and room. */
  date: string;
  start: number;
  end: number;
  roomId: number;
  now: number;
  /** What else changes with the move (an accepted offer approves the date; a single change detaches it). */
  also?: Omit<Updateable<BookingsTable>, 'local_date' | 'start_at' | 'end_at' | 'room_id' | 'sequence' | 'updated_at'>;
}

export type MoveDateResult =
  /** `moved` false: the date no longer had the expected status, nothing was written. */
  | { ok: true; moved: boolean }
  /** The guard refused the new time: what it clashes with (the date itself left out). */
  | { ok: false; clashes: Clash[] };

/** Moves one date inside the transaction `trx`; a clash writes nothing and names what is in the way. */
export async function moveDate(trx: Trx, m: MoveDate): Promise<MoveDateResult> {
  const tried = await attempt(trx, (t) =>
    t
      .updateTable('bookings')
      .set((eb) => ({
        ...m.also,
        local_date: m.date,
        start_at: m.start,
        end_at: m.end,
        room_id: m.roomId,
        sequence: eb('sequence', '+', 1),
        updated_at: m.now,
      }))
      .where('id', '=', m.bookingId)
      .where('status', '=', m.status)
      .executeTakeFirst(),
  );
  if (tried.ok) return { ok: true, moved: Number(tried.value.numUpdatedRows) === 1 };
  const clashes = await findOccupancyClashes(trx, {
    roomId: m.roomId,
    start: m.start,
    end: m.end,
    kind: 'booking',
    excludeBookingIds: [m.bookingId],
  });
  return { ok: false, clashes };
}
