// The statistics' queries: a period's dates with what the statistics need of their requests (no names: the
// group is reduced to a key), its blocked times, and the reported attendance.
import { sql } from 'kysely';
import type { Conn } from '../db/database.js';
import type { Category } from '../constants.js';
import type { StatBooking } from './compute.js';

export interface BookingFilter {
  start: number;
  end: number;
  /** Dates of these rooms only (null: every room). */
  roomIds: readonly number[] | null;
  category: Category | null;
  /** Organisation or e-mail as stored, compared without case. */
  group: string | null;
}

/** Every date that starts in [start, end), filtered, in one query. */
export async function periodBookings(db: Conn, f: BookingFilter): Promise<StatBooking[]> {
  let q = db
    .selectFrom('bookings as b')
    .innerJoin('requests as r', 'r.id', 'b.request_id')
    .leftJoin('attendance as a', 'a.booking_id', 'b.id')
    .select([
      'b.id',
      'b.request_id',
      'b.room_id',
      'b.local_date',
      'b.start_at',
      'b.end_at',
      'b.status',
      'b.skip_reason',
      'b.cancelled_by',
      'b.decided_at',
      'b.decision_message',
      'r.category',
      'r.attendees',
      'r.repeat_weeks',
      'r.source',
      'r.created_at',
      'r.anonymized_at',
      'a.took_place',
      'a.attended',
      sql<string>`lower(trim(coalesce(nullif(trim(r.organisation), ''), r.email)))`.as('group_key'),
    ])
    .where('b.start_at', '>=', f.start)
    .where('b.start_at', '<', f.end);
  if (f.roomIds) q = q.where('b.room_id', 'in', f.roomIds.length ? [...f.roomIds] : [-1]);
  if (f.category) q = q.where('r.category', '=', f.category);
  if (f.group) {
    const g = f.group.trim().toLowerCase();
    q = q.where((eb) => eb.or([eb(sql`lower(trim(r.organisation))`, '=', g), eb(sql`lower(trim(r.email))`, '=', g)]));
  }
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    requestId: r.request_id,
    roomId: r.room_id,
    localDate: r.local_date,
    startAt: r.start_at,
    endAt: r.end_at,
    status: r.status,
    skipReason: r.skip_reason,
    cancelledBy: r.cancelled_by,
    decidedAt: r.decided_at,
    decisionMessage: r.decision_message,
    category: r.category,
    attendees: r.attendees,
    series: r.repeat_weeks !== null,
    group: r.anonymized_at !== null ? `anon:${r.request_id}` : r.group_key,
    source: r.source,
    requestCreatedAt: r.created_at,
    report: r.took_place === null ? null : { tookPlace: r.took_place === 1, attended: r.attended },
  }));
}

export async function blocksBetween(db: Conn, start: number, end: number) {
  const rows = await db.selectFrom('blocked_times').select(['room_id', 'start_at', 'end_at']).where('end_at', '>', start).where('start_at', '<', end).execute();
  return rows.map((r) => ({ roomId: r.room_id, startAt: r.start_at, endAt: r.end_at }));
}

export async function rejectTemplates(db: Conn) {
  return db.selectFrom('message_templates').select(['label', 'body']).where('kind', '=', 'reject').orderBy('sort_order').execute();
}

export interface AttendanceRow {
  bookingId: number;
  reference: string;
  roomId: number;
  startAt: number;
  endAt: number;
  category: Category;
  expected: number;
  tookPlace: boolean | null;
  attended: number | null;
  /** Who reported it: the group through its attendance link, or staff here; null when nobody has. */
  reportedBy: 'staff' | 'group' | null;
}

/** Approved dates that have ended, in [start, end), for entering attendance; the first `limit`. */
export async function attendanceDates(db: Conn, f: BookingFilter & { before: number; limit: number }): Promise<{ rows: AttendanceRow[]; total: number }> {
  let q = db
    .selectFrom('bookings as b')
    .innerJoin('requests as r', 'r.id', 'b.request_id')
    .leftJoin('attendance as a', 'a.booking_id', 'b.id')
    .where('b.status', '=', 'approved')
    .where('b.start_at', '>=', f.start)
    .where('b.start_at', '<', f.end)
    .where('b.end_at', '<=', f.before);
  if (f.roomIds) q = q.where('b.room_id', 'in', f.roomIds.length ? [...f.roomIds] : [-1]);
  if (f.category) q = q.where('r.category', '=', f.category);
  if (f.group) {
    const g = f.group.trim().toLowerCase();
    q = q.where((eb) => eb.or([eb(sql`lower(trim(r.organisation))`, '=', g), eb(sql`lower(trim(r.email))`, '=', g)]));
  }
  const [count, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    q
      .select(['b.id', 'r.reference', 'b.room_id', 'b.start_at', 'b.end_at', 'r.category', 'r.attendees', 'a.took_place', 'a.attended', 'a.reported_by'])
      .orderBy('b.start_at')
      .orderBy('b.id')
      .limit(f.limit)
      .execute(),
  ]);
  return {
    total: Number(count.n),
    rows: rows.map((r) => ({
      bookingId: r.id,
      reference: r.reference,
      roomId: r.room_id,
      startAt: r.start_at,
      endAt: r.end_at,
      category: r.category,
      expected: r.attendees,
      tookPlace: r.took_place === null ? null : r.took_place === 1,
      attended: r.attended,
      reportedBy: r.reported_by,
    })),
  };
}

export async function findDateForAttendance(db: Conn, bookingId: number) {
  return db.selectFrom('bookings').select(['id', 'status', 'end_at']).where('id', '=', bookingId).executeTakeFirst();
}

export async function saveAttendance(db: Conn, row: { bookingId: number; tookPlace: boolean; attended: number | null; at: number }): Promise<void> {
  const values = { took_place: row.tookPlace ? 1 : 0, attended: row.tookPlace ? row.attended : null, reported_by: 'staff' as const, reported_at: row.at };
  await db
    .insertInto('attendance')
    .values({ booking_id: row.bookingId, ...values })
    .onConflict((oc) => oc.column('booking_id').doUpdateSet(values))
    .execute();
}

export async function clearAttendance(db: Conn, bookingId: number): Promise<void> {
  await db.deleteFrom('attendance').where('booking_id', '=', bookingId).execute();
}
