// Queries of the reminders: which dates may need one, the record of what was sent (UNIQUE, so a second insert
// for the same date or day does nothing), the further manage links, and what the staff's daily summary lists.
import type { Conn } from '../db/database.js';
import type { ReminderCandidate } from './rules.js';

const KIND = 'group' as const;

/** Approved dates starting in (now, before) on a local day up to `lastDate` that have no group reminder yet. */
export async function reminderCandidates(db: Conn, now: number, before: number, lastDate: string): Promise<ReminderCandidate[]> {
  const rows = await db
    .selectFrom('bookings as b')
    .innerJoin('requests as r', 'r.id', 'b.request_id')
    .select(['b.id', 'b.local_date', 'b.start_at', 'b.status', 'b.decided_at', 'r.anonymized_at', 'r.email'])
    .where('b.status', '=', 'approved')
    .where('b.start_at', '>', now)
    .where('b.start_at', '<', before)
    .where('b.local_date', '<=', lastDate)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('reminders as m').select('m.id').whereRef('m.booking_id', '=', 'b.id').where('m.kind', '=', KIND))))
    .orderBy('b.start_at')
    .orderBy('b.id')
    .execute();
  return rows.map(toCandidate);
}

function toCandidate(r: {
  id: number;
  local_date: string;
  start_at: number;
  status: string;
  decided_at: number | null;
  anonymized_at: number | null;
  email: string;
}): ReminderCandidate {
  return {
    bookingId: r.id,
    localDate: r.local_date,
    startAt: r.start_at,
    status: r.status,
    decidedAt: r.decided_at,
    anonymized: r.anonymized_at !== null,
    hasEmail: r.email.trim() !== '',
  };
}

/** One date as it is now (inside the sending transaction), or undefined when it is gone. */
export async function reminderCandidate(db: Conn, bookingId: number): Promise<ReminderCandidate | undefined> {
  const row = await db
    .selectFrom('bookings as b')
    .innerJoin('requests as r', 'r.id', 'b.request_id')
    .select(['b.id', 'b.local_date', 'b.start_at', 'b.status', 'b.decided_at', 'r.anonymized_at', 'r.email'])
    .where('b.id', '=', bookingId)
    .executeTakeFirst();
  return row ? toCandidate(row) : undefined;
}

/** Records the reminder of a date; false when it was already recorded (by this or another process). */
export async function recordReminder(db: Conn, bookingId: number, now: number): Promise<number | undefined> {
  const row = await db
    .insertInto('reminders')
    .values({ booking_id: bookingId, kind: KIND, sent_at: now, outbox_id: null })
    .onConflict((oc) => oc.columns(['booking_id', 'kind']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function setReminderMail(db: Conn, id: number, outboxId: number): Promise<void> {
  await db.updateTable('reminders').set({ outbox_id: outboxId }).where('id', '=', id).execute();
}

/** A further manage link of a request: only its hash is stored. */
export async function addManageToken(db: Conn, requestId: number, tokenHash: string, now: number): Promise<void> {
  await db.insertInto('manage_tokens').values({ token_hash: tokenHash, request_id: requestId, created_at: now }).execute();
}

/** Active accounts that want the daily summary and have not had the one of `day`. */
export async function summaryRecipients(db: Conn, day: string) {
  return db
    .selectFrom('users as u')
    .select(['u.id', 'u.email', 'u.name', 'u.language'])
    .where('u.active', '=', 1)
    .where('u.daily_summary', '=', 1)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('daily_summaries as d').select('d.id').whereRef('d.user_id', '=', 'u.id').where('d.local_date', '=', day))))
    .orderBy('u.id')
    .execute();
}

/** Whether the account still wants the summary (read again inside the sending transaction). */
export async function wantsSummary(db: Conn, userId: number): Promise<boolean> {
  const row = await db.selectFrom('users').select(['active', 'daily_summary']).where('id', '=', userId).executeTakeFirst();
  return row?.active === 1 && row.daily_summary === 1;
}

/** Records the summary of `day` for an account; undefined when it was already recorded. */
export async function recordSummary(db: Conn, userId: number, day: string, now: number): Promise<number | undefined> {
  const row = await db
    .insertInto('daily_summaries')
    .values({ user_id: userId, local_date: day, sent_at: now, outbox_id: null })
    .onConflict((oc) => oc.columns(['user_id', 'local_date']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function setSummaryMail(db: Conn, id: number, outboxId: number): Promise<void> {
  await db.updateTable('daily_summaries').set({ outbox_id: outboxId }).where('id', '=', id).execute();
}

export interface SummaryBooking {
  start: number;
  end: number;
  roomName: string;
  title: string;
  group: string;
  reference: string;
}

/** Approved dates starting in [from, to), by time. */
export async function approvedBetween(db: Conn, from: number, to: number): Promise<SummaryBooking[]> {
  const rows = await db
    .selectFrom('bookings as b')
    .innerJoin('requests as r', 'r.id', 'b.request_id')
    .innerJoin('rooms as m', 'm.id', 'b.room_id')
    .select(['b.start_at', 'b.end_at', 'm.name as room', 'r.title', 'r.organisation', 'r.contact_name', 'r.reference'])
    .where('b.status', '=', 'approved')
    .where('b.start_at', '>=', from)
    .where('b.start_at', '<', to)
    .orderBy('b.start_at')
    .orderBy('m.sort_order')
    .orderBy('b.id')
    .execute();
  return rows.map((r) => ({
    start: r.start_at,
    end: r.end_at,
    roomName: r.room,
    title: r.title,
    group: r.organisation?.trim() || r.contact_name,
    reference: r.reference,
  }));
}

/** Requests with a date still waiting for a decision (and not begun yet): how many, and the oldest. */
export async function openRequests(db: Conn, now: number): Promise<{ count: number; oldest: { reference: string; createdAt: number } | null }> {
  const rows = await db
    .selectFrom('requests as r')
    .select(['r.reference', 'r.created_at'])
    // Through the (status, start_at) index of bookings: only the waiting dates are read, not every request.
    .where('r.id', 'in', (eb) => eb.selectFrom('bookings as b').select('b.request_id').where('b.status', '=', 'pending').where('b.start_at', '>', now))
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
  const first = rows[0];
  return { count: rows.length, oldest: first ? { reference: first.reference, createdAt: first.created_at } : null };
}

/** Switches an account's daily summary on or off; false when nothing changed. */
export async function setDailySummaryFlag(db: Conn, userId: number, on: boolean, now: number): Promise<boolean> {
  const res = await db
    .updateTable('users')
    .set({ daily_summary: on ? 1 : 0, updated_at: now })
    .where('id', '=', userId)
    .where('daily_summary', '=', on ? 0 : 1)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function dailySummaryFlag(db: Conn, userId: number): Promise<boolean> {
  const row = await db.selectFrom('users').select('daily_summary').where('id', '=', userId).executeTakeFirst();
  return row?.daily_summary === 1;
}
