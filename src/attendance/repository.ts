// Queries of the attendance links: which ended dates may need a mail, the record of each mail (UNIQUE per date,
// so a second insert does nothing), the date a link opens, and the group's report.
import type { Conn } from '../db/database.js';
import type { AttendanceCandidate } from './rules.js';

function candidateQuery(db: Conn) {
  return db
    .selectFrom('bookings as b')
    .innerJoin('requests as r', 'r.id', 'b.request_id')
    .select((eb) => [
      'b.id',
      'b.status',
      'b.end_at',
      'r.anonymized_at',
      'r.email',
      eb.exists(eb.selectFrom('attendance as a').select('a.booking_id').whereRef('a.booking_id', '=', 'b.id')).as('reported'),
    ]);
}

function toCandidate(r: { id: number; status: string; end_at: number; anonymized_at: number | null; email: string; reported: unknown }): AttendanceCandidate {
  return {
    bookingId: r.id,
    status: r.status,
    endAt: r.end_at,
    anonymized: r.anonymized_at !== null,
    hasEmail: r.email.trim() !== '',
    reported: Boolean(Number(r.reported)),
  };
}

/** Approved dates that ended in (from, now], began after `startFrom`, and have no attendance mail yet. */
export async function attendanceCandidates(db: Conn, o: { from: number; now: number; startFrom: number }): Promise<AttendanceCandidate[]> {
  const rows = await candidateQuery(db)
    .where('b.status', '=', 'approved')
    .where('b.start_at', '>', o.startFrom)
    .where('b.start_at', '<', o.now)
    .where('b.end_at', '>', o.from)
    .where('b.end_at', '<=', o.now)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('attendance_links as l').select('l.id').whereRef('l.booking_id', '=', 'b.id'))))
    .orderBy('b.end_at')
    .orderBy('b.id')
    .execute();
  return rows.map(toCandidate);
}

/** One date as it is now (inside the sending transaction), or undefined when it is gone. */
export async function attendanceCandidate(db: Conn, bookingId: number): Promise<AttendanceCandidate | undefined> {
  const row = await candidateQuery(db).where('b.id', '=', bookingId).executeTakeFirst();
  return row ? toCandidate(row) : undefined;
}

/** Records the attendance mail of a date; undefined when it was already recorded (by this or another process). */
export async function recordAttendanceLink(
  db: Conn,
  link: { bookingId: number; requestId: number; tokenHash: string; now: number; expiresAt: number },
): Promise<number | undefined> {
  const row = await db
    .insertInto('attendance_links')
    .values({
      booking_id: link.bookingId,
      request_id: link.requestId,
      token_hash: link.tokenHash,
      sent_at: link.now,
      expires_at: link.expiresAt,
      outbox_id: null,
    })
    .onConflict((oc) => oc.column('booking_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function setAttendanceLinkMail(db: Conn, id: number, outboxId: number): Promise<void> {
  await db.updateTable('attendance_links').set({ outbox_id: outboxId }).where('id', '=', id).execute();
}

/** The date an attendance link opens (by the token's hash), with its room and the recorded attendance. */
export async function findByTokenHash(db: Conn, tokenHash: string) {
  return db
    .selectFrom('attendance_links as l')
    .innerJoin('bookings as b', 'b.id', 'l.booking_id')
    .innerJoin('requests as r', 'r.id', 'b.request_id')
    .innerJoin('rooms as m', 'm.id', 'b.room_id')
    .leftJoin('attendance as a', 'a.booking_id', 'b.id')
    .select([
      'l.booking_id',
      'l.expires_at',
      'b.status',
      'b.start_at',
      'b.end_at',
      'r.title',
      'r.reference',
      'r.language',
      'r.anonymized_at',
      'm.name as room_name',
      'm.capacity',
      'a.attended',
      'a.took_place',
      'a.reported_by',
    ])
    .where('l.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Writes (or corrects) the attendance of a date as the group reported it. */
export async function saveGroupAttendance(db: Conn, row: { bookingId: number; tookPlace: boolean; attended: number | null; at: number }): Promise<void> {
  const values = { took_place: row.tookPlace ? 1 : 0, attended: row.tookPlace ? row.attended : null, reported_by: 'group' as const, reported_at: row.at };
  await db
    .insertInto('attendance')
    .values({ booking_id: row.bookingId, ...values })
    .onConflict((oc) => oc.column('booking_id').doUpdateSet(values))
    .execute();
}
