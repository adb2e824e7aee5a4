// The house changes or cancels dates: one date, this and all following dates, or the whole series.
// Dates that were skipped, cancelled, rejected or changed on their own (detached) keep what they are when the
// series is edited: an exception never comes back and is never overwritten.
import type { DB, Trx } from '../db/database.js';
import type { Booking } from '../db/schema.js';
import { audit } from '../audit/log.js';
import type { BookingDeps } from './events.js';
import { DomainError } from '../errors.js';
import { checkCapacity, checkEndAfterStart, checkGrid, checkMinDuration, resolveLocalTime, type RuleFailure } from './rules.js';
import type { Clash } from './occupancy-clashes.js';
import { moveDate } from './move.js';
import { rhythmOf } from './series.js';
import { localTime } from '../time/index.js';

export type Scope = 'one' | 'following' | 'all';

/** Dates that still take place (or may): only those are edited or cancelled. */
const LIVE = ['pending', 'approved'] as const;

export interface EditInput {
  requestId: number;
  /** The date the caretaker started from. */
  bookingId: number;
  scope: Scope;
  /** Only for scope 'one': the date may move to another day. */
  date?: string;
  start: string;
  end: string;
  roomId: number;
  /** The request's title (applies to every date). */
  title: string;
  message: string;
  userId: number;
  zone: string;
}

export type EditResult =
  | { ok: true; changed: number[] }
  /** Rules 1–2 (the time exists once on the wall clock, end after start, 30 minutes, 15-minute grid). */
  | { ok: false; kind: 'rule'; date: string; failure: RuleFailure }
  | { ok: false; kind: 'clash'; date: string; clashes: Clash[] };

class Refused extends Error {
  constructor(readonly result: Exclude<EditResult, { ok: true }>) {
    super('refused');
  }
}

async function loadTargets(trx: Trx, requestId: number, bookingId: number, scope: Scope, includeDetached: boolean) {
  const request = await trx.selectFrom('requests').selectAll().where('id', '=', requestId).executeTakeFirst();
  if (!request) throw new DomainError('not_found');
  const anchor = await trx.selectFrom('bookings').selectAll().where('id', '=', bookingId).where('request_id', '=', requestId).executeTakeFirst();
  if (!anchor) throw new DomainError('foreign_date');
  let dates: Booking[];
  if (scope === 'one') {
    dates = (LIVE as readonly string[]).includes(anchor.status) ? [anchor] : [];
  } else {
    let q = trx
      .selectFrom('bookings')
      .selectAll()
      .where('request_id', '=', requestId)
      .where('status', 'in', [...LIVE]);
    if (scope === 'following') q = q.where('local_date', '>=', anchor.local_date);
    const rows = await q.orderBy('local_date').execute();
    // The anchor itself is what the caretaker chose, even when it was changed on its own before.
    dates = rows.filter((b) => includeDetached || b.detached === 0 || b.id === anchor.id);
  }
  return { request, anchor, dates };
}

/** Changes time, room (and for one date: the day) of the chosen dates; all or nothing. */
/** A date's time and room before a change, as the audit log shows it ('HH:MM', 24:00 for midnight at the end). */
function wasOf(b: { start: number; end: number; roomId: number }, zone: string) {
  const end = localTime(b.end, zone);
  return { start: localTime(b.start, zone), end: end === '00:00' && b.end > b.start ? '24:00' : end, roomId: b.roomId };
}

export async function editDates(db: DB, deps: BookingDeps, input: EditInput): Promise<EditResult> {
  try {
    return await db.transaction().execute(async (trx) => {
      const now = deps.clock().getTime();
      const { request, anchor, dates } = await loadTargets(trx, input.requestId, input.bookingId, input.scope, false);
      if (dates.length === 0) throw new DomainError('not_live');
      const changed: number[] = [];
      const before: Record<number, { date: string; start: number; end: number; roomId: number }> = {};
      // Rule 4 holds for the house too when dates move to another room (a room that got smaller since the
      // request was made does not hold up a change of time in the same room).
      const moving = dates.find((b) => b.room_id !== input.roomId);
      if (moving) {
        const room = await trx.selectFrom('rooms').select(['capacity', 'name']).where('id', '=', input.roomId).executeTakeFirst();
        if (!room) throw new DomainError('unknown_room');
        const full = checkCapacity(request.attendees, room);
        if (full) throw new Refused({ ok: false, kind: 'rule', date: input.scope === 'one' && input.date ? input.date : moving.local_date, failure: full });
      }
      for (const b of dates) {
        const day = input.scope === 'one' && input.date ? input.date : b.local_date;
        // Rules 1 and 2 hold for the house too; rule 3 (opening hours, lead time, horizon) is the caretaker's call.
        const s = resolveLocalTime(day, input.start, input.zone, { date: 'date', time: 'start' });
        if (!s.ok) throw new Refused({ ok: false, kind: 'rule', date: day, failure: s.failure });
        const e = resolveLocalTime(day, input.end, input.zone, { date: 'date', time: 'end' });
        if (!e.ok) throw new Refused({ ok: false, kind: 'rule', date: day, failure: e.failure });
        const rule =
          checkEndAfterStart(s.instant, e.instant) ??
          checkMinDuration(s.instant, e.instant) ??
          checkGrid(input.start, input.end === '24:00' ? '00:00' : input.end);
        if (rule) throw new Refused({ ok: false, kind: 'rule', date: day, failure: rule });
        if (day === b.local_date && s.instant === b.start_at && e.instant === b.end_at && input.roomId === b.room_id) continue;
        before[b.id] = { date: b.local_date, start: b.start_at, end: b.end_at, roomId: b.room_id };
        const tried = await moveDate(trx, {
          bookingId: b.id,
          status: b.status,
          date: day,
          start: s.instant,
          end: e.instant,
          roomId: input.roomId,
          now,
          also: { detached: input.scope === 'one' ? 1 : b.detached },
        });
        if (!tried.ok) throw new Refused({ ok: false, kind: 'clash', date: day, clashes: tried.clashes });
        changed.push(b.id);
      }
      const titleChanged = input.title !== request.title;
      const definition =
        input.scope === 'all' || (input.scope === 'following' && anchor.local_date <= request.first_date)
          ? { start_time: input.start, end_time: input.end, room_id: input.roomId }
          : input.scope === 'one' && rhythmOf(request) === null
            ? { start_time: input.start, end_time: input.end, room_id: input.roomId, first_date: input.date ?? request.first_date }
            : {};
      if (changed.length === 0 && !titleChanged) return { ok: true as const, changed };
      await trx
        .updateTable('requests')
        .set((eb) => ({ ...definition, title: input.title, sequence: eb('sequence', '+', 1), updated_at: now }))
        .where('id', '=', request.id)
        .execute();
      if (titleChanged) {
        // Every date's calendar entry carries the title: raise their sequence too.
        await trx
          .updateTable('bookings')
          .set((eb) => ({ sequence: eb('sequence', '+', 1), updated_at: now }))
          .where('request_id', '=', request.id)
          .where('id', 'not in', changed.length ? changed : [-1])
          .execute();
      }
      await audit(trx, {
        at: now,
        userId: input.userId,
        actor: 'user',
        action: 'request.changed',
        entity: 'request',
        entityId: request.id,
        details: {
          scope: input.scope,
          bookingIds: changed,
          dates: changed.map((id) => before[id]!.date),
          start: input.start,
          end: input.end,
          roomId: input.roomId,
          // What the (first) changed date was, so the log reads "Zeit: 14:00–16:00 → 15:00–17:00" (since 2026-12).
          ...(changed.length ? { was: wasOf(before[changed[0]!]!, input.zone) } : {}),
          ...(titleChanged ? { title: input.title } : {}),
          message: input.message,
        },
      });
      // The group hears of every change the house makes, pending dates included (they plan with the asked time).
      if (request.email) {
        await deps.notify(trx, {
          type: 'bookings.changed',
          requestId: request.id,
          bookingIds: changed.length ? changed : dates.map((b) => b.id),
          message: input.message || undefined,
        });
      }
      return { ok: true as const, changed };
    });
  } catch (err) {
    if (err instanceof Refused) return err.result;
    throw err;
  }
}

export interface CancelInput {
  requestId: number;
  bookingId: number;
  scope: Scope;
  message: string;
  userId: number;
}

/** Cancels the chosen dates by the house (frees the slots at once) with a message to the group. */
export async function cancelDates(db: DB, deps: BookingDeps, input: CancelInput): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock().getTime();
    // Cancelling a series cancels every date that still takes place, also those changed on their own.
    const { request, dates } = await loadTargets(trx, input.requestId, input.bookingId, input.scope, true);
    if (dates.length === 0) throw new DomainError('not_live');
    return cancelBookingsOfRequest(trx, deps, {
      requestId: request.id,
      email: request.email,
      bookings: dates,
      message: input.message,
      userId: input.userId,
      now,
    });
  });
}

/** Inside a transaction: cancels the given live dates of one request, audits and notifies the group. */
export async function cancelBookingsOfRequest(
  trx: Trx,
  deps: BookingDeps,
  c: {
    requestId: number;
    email: string;
    bookings: Pick<Booking, 'id' | 'status' | 'local_date'>[];
    message: string;
    userId: number;
    now: number;
    reason?: string;
  },
): Promise<number[]> {
  const cancelled: number[] = [];
  let wasApproved = false;
  for (const b of c.bookings) {
    const res = await trx
      .updateTable('bookings')
      .set((eb) => ({
        status: 'cancelled',
        cancelled_by: 'house',
        cancelled_at: c.now,
        decided_by: c.userId,
        decided_at: c.now,
        decision_message: c.message,
        sequence: eb('sequence', '+', 1),
        updated_at: c.now,
      }))
      .where('id', '=', b.id)
      .where('status', 'in', [...LIVE])
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 1) {
      cancelled.push(b.id);
      if (b.status === 'approved') wasApproved = true;
    }
  }
  if (cancelled.length === 0) return cancelled;
  await trx
    .updateTable('requests')
    .set((eb) => ({ sequence: eb('sequence', '+', 1), updated_at: c.now }))
    .where('id', '=', c.requestId)
    .execute();
  const dates = c.bookings.filter((b) => cancelled.includes(b.id)).map((b) => b.local_date);
  await audit(trx, {
    at: c.now,
    userId: c.userId,
    actor: 'user',
    action: 'request.cancelled',
    entity: 'request',
    entityId: c.requestId,
    details: { bookingIds: cancelled, dates, message: c.message, ...(c.reason ? { reason: c.reason } : {}) },
  });
  if (c.email) {
    await deps.notify(trx, { type: 'bookings.cancelled', requestId: c.requestId, bookingIds: cancelled, by: 'house', message: c.message, wasApproved });
  }
  return cancelled;
}
