// The statistics' queries: a period's dates grouped with what the statistics need of their requests (no names:
// the group is reduced to a key), the approved dates' times, its blocked times, and the reported attendance.
import { sql } from 'kysely';
import type { Conn } from '../db/database.js';
import type { Category } from '../constants.js';
import type { SkipReason } from '../db/schema.js';
import type { ApprovedTime, DateGroup } from './compute.js';

export interface BookingFilter {
  start: number;
  end: number;
  /** Dates of these rooms only (null: every room). */
  roomIds: readonly number[] | null;
  category: Category | null;
  /** Organisation or e-mail as stored, compared without case. */
  group: string | null;
}

/**
 * The period's dates (those starting in [start, end), filtered) grouped in SQL by request, room, status and what
 * the statistics tell apart (who cancelled, why skipped, the refusal text): a few hundred rows for a busy year
 * instead of every date. Sums are of whole milliseconds and counts, so nothing is rounded before compute.ts.
 */
export async function periodFigures(db: Conn, f: BookingFilter, now: number): Promise<DateGroup[]> {
  let q = db
    .selectFrom('bookings as b')
    .innerJoin('requests as r', 'r.id', 'b.request_id')
    .leftJoin('attendance as a', 'a.booking_id', 'b.id')
    .select([
      'b.request_id',
      'b.room_id',
      'b.status',
      sql<'group' | 'house' | null>`case when b.status = 'cancelled' then b.cancelled_by end`.as('cancel_by'),
      sql<SkipReason | null>`case when b.status = 'skipped' then b.skip_reason end`.as('skip'),
      sql<string | null>`case when b.status = 'rejected' then b.decision_message end`.as('refusal'),
      // Constant per request (grouped by it): SQLite takes them from any row of the group.
      'r.category',
      'r.attendees',
      'r.repeat_weeks',
      'r.source',
      'r.created_at',
      'r.anonymized_at',
      sql<string>`lower(trim(coalesce(nullif(trim(r.organisation), ''), r.email)))`.as('group_key'),
      sql<number>`count(*)`.as('dates'),
      sql<number>`sum(b.end_at - b.start_at)`.as('ms'),
      sql<number>`sum(b.end_at <= ${now})`.as('past'),
      sql<number>`sum(b.end_at <= ${now} and a.booking_id is not null)`.as('reported'),
      sql<number>`sum(b.end_at <= ${now} and a.took_place = 0)`.as('no_shows'),
      sql<number>`sum(case when b.end_at <= ${now} and a.took_place = 1 then coalesce(a.attended, 0) else 0 end)`.as('actual'),
      sql<number | null>`min(case when b.status in ('approved', 'rejected', 'cancelled') then b.decided_at end)`.as('first_decided'),
    ])
    .where('b.start_at', '>=', f.start)
    .where('b.start_at', '<', f.end);
  if (f.roomIds) q = q.where('b.room_id', 'in', f.roomIds.length ? [...f.roomIds] : [-1]);
  if (f.category) q = q.where('r.category', '=', f.category);
  if (f.group) {
    const g = f.group.trim().toLowerCase();
    q = q.where((eb) => eb.or([eb(sql`lower(trim(r.organisation))`, '=', g), eb(sql`lower(trim(r.email))`, '=', g)]));
  }
  const rows = await q.groupBy(['b.request_id', 'b.room_id', 'b.status', sql`cancel_by`, sql`skip`, sql`refusal`]).execute();
  return rows.map((r) => ({
    requestId: r.request_id,
    roomId: r.room_id,
    status: r.status,
    cancelledBy: r.cancel_by,
    skipReason: r.skip,
    decisionMessage: r.refusal,
    category: r.category,
    attendees: r.attendees,
    series: r.repeat_weeks !== null,
    group: r.anonymized_at !== null ? `anon:${r.request_id}` : r.group_key,
    source: r.source,
    requestCreatedAt: r.created_at,
    firstDecidedAt: r.first_decided,
    dates: Number(r.dates),
    ms: Number(r.ms),
    pastDates: Number(r.past),
    reported: Number(r.reported),
    noShows: Number(r.no_shows),
    actual: Number(r.actual),
  }));
}

/** The approved dates' rooms and times only (what the occupancy splits by day and local hour in compute.ts). */
export async function approvedTimes(db: Conn, f: BookingFilter): Promise<ApprovedTime[]> {
  let q = db
    .selectFrom('bookings as b')
    .select(['b.room_id', 'b.local_date', 'b.start_at', 'b.end_at'])
    .where('b.status', '=', 'approved')
    .where('b.start_at', '>=', f.start)
    .where('b.start_at', '<', f.end);
  if (f.roomIds) q = q.where('b.room_id', 'in', f.roomIds.length ? [...f.roomIds] : [-1]);
  // The requests are read only when a filter asks about them.
  if (f.category || f.group) {
    const { category } = f;
    const g = f.group?.trim().toLowerCase() ?? null;
    q = q.where('b.request_id', 'in', (eb) => {
      let r = eb.selectFrom('requests as r').select('r.id');
      if (category) r = r.where('r.category', '=', category);
      if (g !== null) r = r.where((w) => w.or([w(sql`lower(trim(r.organisation))`, '=', g), w(sql`lower(trim(r.email))`, '=', g)]));
      return r;
    });
  }
  const rows = await q.execute();
  return rows.map((r) => ({ roomId: r.room_id, localDate: r.local_date, startAt: r.start_at, endAt: r.end_at }));
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
