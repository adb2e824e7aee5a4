// What occupies rooms in a time range: approved and pending bookings and blocked times.
// Public callers must use only the public fields (see PublicOccupant); personal data is never selected here.
import type { Conn } from '../db/database.js';
import type { BlockReason, Category } from '../db/schema.js';
import type { Occupant } from './overlap.js';

/** Longest booking the system allows; lets range queries use the start_at index with a lower bound. */
export const MAX_BOOKING_MS = 7 * 86_400_000;

export interface BookingOccupant extends Occupant {
  kind: 'booking';
  roomId: number;
  status: 'approved' | 'pending';
  requestId: number;
  /** The title the group chose to show publicly, else null. */
  publicTitle: string | null;
  category: Category;
}

export interface BlockOccupant extends Occupant {
  kind: 'block';
  reason: BlockReason;
  /** Shown publicly only when isPublic. */
  label: string;
  isPublic: boolean;
}

export type CalendarOccupant = BookingOccupant | BlockOccupant;

export interface RangeQuery {
  /** Instants [from, to). */
  from: number;
  to: number;
  /** Only these rooms' own bookings and blocks (plus whole-house blocks); all rooms when absent. */
  roomIds?: number[];
  includePending?: boolean;
}

/** Bookings (approved, optionally pending) and blocked times overlapping [from, to), by start. */
export async function listOccupants(db: Conn, q: RangeQuery): Promise<CalendarOccupant[]> {
  const statuses: ('approved' | 'pending')[] = q.includePending === false ? ['approved'] : ['approved', 'pending'];
  let bq = db
    .selectFrom('bookings as b')
    .innerJoin('requests as r', 'r.id', 'b.request_id')
    .select(['b.id', 'b.room_id', 'b.start_at', 'b.end_at', 'b.status', 'b.request_id', 'r.public_title', 'r.show_public_title', 'r.category'])
    .where('b.status', 'in', statuses)
    .where('b.start_at', '<', q.to)
    .where('b.start_at', '>', q.from - MAX_BOOKING_MS)
    .where('b.end_at', '>', q.from);
  if (q.roomIds) bq = bq.where('b.room_id', 'in', q.roomIds.length ? q.roomIds : [-1]);
  let tq = db
    .selectFrom('blocked_times')
    .select(['id', 'room_id', 'start_at', 'end_at', 'reason', 'label', 'is_public'])
    .where('end_at', '>', q.from)
    .where('start_at', '<', q.to);
  if (q.roomIds) tq = tq.where((eb) => eb.or([eb('room_id', 'is', null), eb('room_id', 'in', q.roomIds!.length ? q.roomIds! : [-1])]));
  const [bookings, blocks] = await Promise.all([bq.execute(), tq.execute()]);
  const out: CalendarOccupant[] = [
    ...bookings.map((b): BookingOccupant => ({
      kind: 'booking',
      id: b.id,
      roomId: b.room_id,
      start: b.start_at,
      end: b.end_at,
      status: b.status as 'approved' | 'pending',
      requestId: b.request_id,
      publicTitle: b.show_public_title && b.public_title ? b.public_title : null,
      category: b.category,
    })),
    ...blocks.map((t): BlockOccupant => ({
      kind: 'block',
      id: t.id,
      roomId: t.room_id,
      start: t.start_at,
      end: t.end_at,
      reason: t.reason,
      label: t.label,
      isPublic: t.is_public === 1,
    })),
  ];
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

/**
 * The approved and pending bookings that reach into [from, to), with what staff see of their request (reference,
 * title, group, contact, attendees): the staff week. Never for public pages (personal data).
 */
export async function listStaffBookingsOfWindow(db: Conn, from: number, to: number) {
  return db
    .selectFrom('bookings as b')
    .innerJoin('requests as r', 'r.id', 'b.request_id')
    .select([
      'b.id',
      'b.room_id',
      'b.start_at',
      'b.end_at',
      'b.status',
      'b.request_id',
      'r.reference',
      'r.title',
      'r.organisation',
      'r.contact_name',
      'r.attendees',
    ])
    .where('b.status', 'in', ['approved', 'pending'])
    .where('b.start_at', '<', to)
    .where('b.start_at', '>', from - MAX_BOOKING_MS)
    .where('b.end_at', '>', from)
    .orderBy('b.start_at')
    .execute();
}
