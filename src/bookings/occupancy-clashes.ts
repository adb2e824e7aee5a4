// What a booking or blocked time would collide with, told to the caretaker: reference, title, time, room.
// Which bookings and blocks clash is decided by the one overlap logic (src/bookings/clashes.ts, overlap.ts),
// the same rule the database guard enforces on the occupancy table; this file only adds the caretaker's details.
import type { Conn } from '../db/database.js';
import { inSlices } from '../db/batches.js';

import type { BlockReason } from '../db/schema.js';
import { findClashIdsFor, type AnyCandidate } from './clashes.js';
import { relatedRooms } from '../rooms/graph.js';
import { listPartLinks } from '../rooms/repository.js';

export interface Clash {
  kind: 'booking' | 'block';
  /** For bookings: the clashing date and its request. */
  bookingId: number | null;
  requestId: number | null;
  reference: string | null;
  title: string | null;
  status: string | null;
  /** For blocked times. */
  blockId: number | null;
  reason: BlockReason | null;
  label: string | null;
  /** null: the whole house. */
  roomName: string | null;
  start: number;
  end: number;
}

export interface ClashCandidate {
  /** null: the whole house (a blocked time only). */
  roomId: number | null;
  start: number;
  end: number;
  /** A booking is widened by its room's buffers and collides with bookings and blocks; a block only with bookings. */
  kind: 'booking' | 'block';
  excludeBookingIds?: number[];
  excludeBlockId?: number;
}

/** A clashing approved booking as the caretaker sees it. */
export function bookingClash(
  b: { id: number; request_id: number; reference: string; title: string; status: string; start_at: number; end_at: number },
  roomName: string | null,
): Clash {
  return {
    kind: 'booking',
    bookingId: b.id,
    requestId: b.request_id,
    reference: b.reference,
    title: b.title,
    status: b.status,
    blockId: null,
    reason: null,
    label: null,
    roomName,
    start: b.start_at,
    end: b.end_at,
  };
}

/** A clashing blocked time as the caretaker sees it (roomName null: the whole house). */
export function blockClash(t: { id: number; reason: BlockReason; label: string | null; start_at: number; end_at: number }, roomName: string | null): Clash {
  return {
    kind: 'block',
    bookingId: null,
    requestId: null,
    reference: null,
    title: null,
    status: null,
    blockId: t.id,
    reason: t.reason,
    label: t.label,
    roomName,
    start: t.start_at,
    end: t.end_at,
  };
}

/** Rooms a booking in `roomId` occupies: the room, its parts and the wholes it is part of. */
export async function relatedRoomIds(db: Conn, roomId: number): Promise<number[]> {
  return [...relatedRooms(roomId, await listPartLinks(db))];
}

/** The approved bookings and blocked times a candidate overlaps (as the occupancy guard sees them). */
export async function findOccupancyClashes(db: Conn, cand: ClashCandidate): Promise<Clash[]> {
  let candidate: AnyCandidate;
  if (cand.kind === 'block') candidate = { kind: 'block', roomId: cand.roomId, start: cand.start, end: cand.end };
  else if (cand.roomId !== null) candidate = { kind: 'booking', roomId: cand.roomId, start: cand.start, end: cand.end };
  else throw new Error('a booking needs a room');
  const [found] = await findClashIdsFor(db, [candidate], { excludeBookingIds: cand.excludeBookingIds, excludeBlockId: cand.excludeBlockId });
  if (!found) throw new Error('findClashIdsFor answers once per candidate');
  if (!found.clashes.length) return [];

  const bookingIds = found.clashes.flatMap((c) => (c.kind === 'booking' ? [c.bookingId] : []));
  const blockIds = found.clashes.flatMap((c) => (c.kind === 'block' ? [c.blockId] : []));
  const [bookings, blocks] = await Promise.all([
    // A long house-wide block can meet tens of thousands of bookings: their details are read in slices.
    inSlices(bookingIds, (slice) =>
      db
        .selectFrom('bookings as b')
        .innerJoin('requests as r', 'r.id', 'b.request_id')
        .leftJoin('rooms as br', 'br.id', 'b.room_id')
        .select(['b.id', 'b.request_id', 'b.status', 'b.start_at', 'b.end_at', 'r.reference', 'r.title', 'br.name as room'])
        .where('b.id', 'in', slice)
        .execute(),
    ),
    inSlices(blockIds, (slice) =>
      db
        .selectFrom('blocked_times as t')
        .leftJoin('rooms as tr', 'tr.id', 't.room_id')
        .select(['t.id', 't.room_id', 't.start_at', 't.end_at', 't.reason', 't.label', 'tr.name as room'])
        .where('t.id', 'in', slice)
        .execute(),
    ),
  ]);
  const bookingById = new Map(bookings.map((b) => [b.id, b]));
  const blockById = new Map(blocks.map((t) => [t.id, t]));

  const out: Clash[] = [];
  for (const c of found.clashes) {
    if (c.kind === 'booking') {
      const b = bookingById.get(c.bookingId);
      if (!b) continue;
      out.push(bookingClash(b, b.room));
    } else {
      const t = blockById.get(c.blockId);
      if (!t) continue;
      out.push(blockClash(t, t.room_id === null ? null : t.room));
    }
  }
  return out;
}
