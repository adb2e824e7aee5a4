// The requests area's services: check a request form, store a new request, edit a pending one, cancel
// dates through the manage link. Each change is one write transaction with its audit entry and its mails.
import type { DB, Conn } from '../db/database.js';
import { isClashError } from '../db/database.js';
import type { Booking, NewBooking, BookingRequest, Room } from '../db/schema.js';
import type { Lang } from '../i18n/index.js';
import type { House } from '../settings/repository.js';
import { findRoomBySlug, parseEquipment } from '../rooms/repository.js';
import { audit } from '../audit/log.js';
import type { BookingDeps } from './events.js';
import { newManageToken, nextReference } from './reference.js';
import { parseRequestForm, type FormErrors, type FormField, type RequestFormValues, type RequestInput } from './form.js';
import { planDates } from './plan.js';
import type { RuleField } from './rules.js';
import { lastPicked, parseDateList, type PlannedDate, type Rhythm } from './series.js';
import { isCancellable, isEditable } from './present.js';
import { datesCancelledByGroup, listBookingsOf, listRequestEvents } from './repository.js';
import { newBookingRow, newRequestRow, requestColumns, type AcceptedTexts, type RequestFields } from './rows.js';
import { autoApprove } from './auto-approve.js';

export interface RequestCheck {
  errors: FormErrors;
  data: RequestInput | null;
  room: Room | null;
  /** The planned dates, once the booking fields pass rules 1–4 and 8. */
  dates: PlannedDate[] | null;
  series: boolean;
}

const FIELD_OF_RULE: Record<RuleField, FormField> = {
  room: 'room',
  date: 'date',
  start: 'start',
  end: 'end',
  endDate: 'end',
  attendees: 'attendees',
  lastDate: 'lastDate',
  repeat: 'everyWeeks',
  nth: 'nth',
  dates: 'pickedDates',
};

export interface CheckOptions {
  lang: Lang;
  /** The two confirmations are asked for a new request only. */
  confirmations: boolean;
  /** Editing: the request's own dates are not clashes. */
  excludeRequestId?: number;
}

/**
 * Checks a request form completely: its shape (zod), the room and its equipment, rules 1–4 and 8, and
 * rule 5/6 against the database. Every failure lands on its field; the dates come back for the preview.
 */
export async function checkRequest(db: Conn, house: House, values: RequestFormValues, now: Date, opts: CheckOptions): Promise<RequestCheck> {
  const parsed = parseRequestForm(values, { confirmations: opts.confirmations });
  const errors: FormErrors = parsed.ok ? {} : { ...parsed.errors };
  const setError = (field: FormField, key: FormErrors[FormField] & object) => {
    if (!errors[field]) errors[field] = key;
  };

  const slug = values.room.trim();
  const room = slug && slug.length <= 100 ? ((await findRoomBySlug(db, slug)) ?? null) : null;
  if (!room || room.active !== 1) {
    if (!errors.room) errors.room = { key: 'requests.error.room', params: {} };
    return { errors, data: null, room: null, dates: null, series: false };
  }
  const offered = parseEquipment(room.equipment);
  const unknown = values.equipment.filter((k) => !offered.includes(k));
  if (unknown.length) setError('equipment', { key: 'requests.error.equipment', params: { room: room.name } });

  // Any length of digits: a huge number fails the capacity rule with its message (never skipped, never wrapped).
  const attendees = /^\d+$/.test(values.attendees.trim()) ? Number(values.attendees.trim()) : undefined;
  const { rhythm, bad } = rhythmOfValues(values);
  if (bad.length) setError('pickedDates', { key: 'rhythm.error.bad', params: { count: bad.length, values: bad.join(', ') } });
  const plan = await planDates(
    db,
    house,
    {
      roomId: room.id,
      date: values.date,
      start: values.start,
      end: values.end,
      attendees,
      series: rhythm ? { rhythm, lastDate: values.lastDate } : null,
    },
    now,
    { lang: opts.lang, excludeRequestId: opts.excludeRequestId },
  );
  if (!plan.ok) {
    for (const f of plan.failures) setError(FIELD_OF_RULE[f.field], { key: f.key, params: f.params, ...(f.dates ? { dates: f.dates } : {}) });
    return { errors, data: parsed.ok ? parsed.data : null, room, dates: null, series: rhythm !== null };
  }
  if (!plan.series) {
    // Rule 6: a single date that clashes is refused at once, naming the clash.
    // A plan for a single date holds exactly that date (plan.ts).
    const d = plan.dates[0]!;
    if (d.status !== 'ok') setError('date', { key: 'requests.error.clash', params: {}, clashes: d.clashes });
  } else if (!plan.dates.some((d) => d.status === 'ok')) {
    setError('date', { key: 'requests.error.allSkipped', params: {} });
  }
  return { errors, data: parsed.ok ? parsed.data : null, room, dates: plan.dates, series: plan.series };
}

/**
 * The rhythm the form asks for (null: once): every 1–4 weeks, the nth or last weekday of the month, or the
 * hand-picked further dates (`bad`: the entries that are no date; the rhythm then holds the others).
 */
export function rhythmOfValues(v: Pick<RequestFormValues, 'repeat' | 'everyWeeks' | 'nth' | 'pickedDates'>): { rhythm: Rhythm | null; bad: string[] } {
  if (v.repeat === 'weekly') return { rhythm: { kind: 'weekly', everyWeeks: /^\d{1,2}$/.test(v.everyWeeks) ? Number(v.everyWeeks) : NaN }, bad: [] };
  if (v.repeat === 'monthly') return { rhythm: { kind: 'monthly', nth: v.nth === 'last' ? -1 : /^[1-4]$/.test(v.nth) ? Number(v.nth) : NaN }, bad: [] };
  if (v.repeat === 'dates') {
    const parsed = parseDateList(v.pickedDates);
    return parsed.ok ? { rhythm: { kind: 'dates', dates: parsed.dates }, bad: [] } : { rhythm: { kind: 'dates', dates: [] }, bad: parsed.bad };
  }
  return { rhythm: null, bad: [] };
}

function hasErrors(c: RequestCheck): boolean {
  return Object.keys(c.errors).length > 0 || !c.data || !c.room || !c.dates;
}

/** A planned date as a bookings row: requested, or skipped with its reason. */
function plannedRow(requestId: number, roomId: number, d: PlannedDate, now: number): NewBooking {
  return newBookingRow(requestId, roomId, d, d.status === 'ok' ? { status: 'pending' } : { status: 'skipped', reason: d.skipReason ?? 'clash' }, now);
}

/** The request's fields from a checked form; equipment only as far as the room offers it. */
function requestFields(data: RequestInput, room: Room): RequestFields {
  const offered = parseEquipment(room.equipment);
  return {
    roomId: room.id,
    title: data.title,
    publicTitle: data.publicTitle,
    showPublicTitle: data.showPublicTitle,
    publicEvent: data.publicEvent,
    publicDescription: data.publicDescription,
    organisation: data.organisation,
    contactName: data.contactName,
    email: data.email,
    phone: data.phone,
    category: data.category,
    attendees: data.attendees,
    equipment: offered.filter((k) => data.equipment.includes(k)),
    notes: data.notes,
    date: data.date,
    start: data.start,
    end: data.end,
    series: seriesOf(data),
  };
}

/** The series a checked form asks for (a hand-picked list ends on its last date), or null for a single date. */
function seriesOf(data: RequestInput): RequestFields['series'] {
  const { rhythm } = rhythmOfValues(data);
  if (!rhythm) return null;
  if (rhythm.kind === 'dates') return { rhythm: { kind: 'dates', dates: [...new Set(rhythm.dates)].sort() }, lastDate: lastPicked(data.date, rhythm.dates) };
  return { rhythm, lastDate: data.lastDate };
}

/** The database guard refused: someone approved or blocked the slot in the meantime. */
function clashRefusal(check: RequestCheck | null): RequestCheck {
  const base = check ?? { errors: {}, data: null, room: null, dates: null, series: false };
  return { ...base, errors: { ...base.errors, date: { key: 'requests.error.clashNow', params: {} } } };
}

export type CreateResult =
  | { ok: true; requestId: number; reference: string; token: string }
  | { ok: false; check: RequestCheck }
  /** The send limit (opts.admit) said no: nothing was stored; it works again from `retryAt`. */
  | { ok: false; limitedUntil: number };

/**
 * Stores a new request (PRODUCT.md rules 1–6, 8) in one write transaction: the check runs again under the
 * write lock, then reference, hashed manage token, request, its dates (pending, or skipped with reason), the
 * accepted rules/privacy versions, the audit entry and the mails. The token is returned once, never stored.
 */
export async function createRequest(
  db: DB,
  deps: BookingDeps,
  house: House,
  values: RequestFormValues,
  opts: { lang: Lang; accepted?: AcceptedTexts; admit?: (trx: Conn) => Promise<{ ok: true } | { ok: false; retryAt: number }> },
): Promise<CreateResult> {
  let check: RequestCheck | null = null;
  try {
    return await db.transaction().execute(async (trx): Promise<CreateResult> => {
      const now = deps.clock();
      check = await checkRequest(trx, house, values, now, { ...opts, confirmations: true });
      if (hasErrors(check)) return { ok: false, check };
      // Counted in the same transaction as the insert: only a request that is stored uses up a send.
      const admitted = opts.admit ? await opts.admit(trx) : { ok: true as const };
      if (!admitted.ok) return { ok: false, limitedUntil: admitted.retryAt };
      const { data, room, dates } = check as Required<{ [K in keyof RequestCheck]: NonNullable<RequestCheck[K]> }>;
      const at = now.getTime();
      const reference = await nextReference(trx, house.referencePrefix, Number(data.date.slice(0, 4)));
      const { token, hash } = newManageToken();
      const req = await trx
        .insertInto('requests')
        .values(
          newRequestRow(requestFields(data, room), {
            reference,
            tokenHash: hash,
            language: opts.lang,
            rulesVersion: house.rulesVersion,
            privacyVersion: house.privacyVersion,
            accepted: opts.accepted,
            source: 'public',
            createdBy: null,
            now: at,
          }),
        )
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('bookings')
        .values(dates.map((d) => plannedRow(req.id, room.id, d, at)))
        .execute();
      await audit(trx, {
        at,
        actor: 'group',
        action: 'request.create',
        entity: 'request',
        entityId: req.id,
        details: { reference, dates: dates.length, skipped: dates.filter((d) => d.status !== 'ok').length },
      });
      // A regular group's request that fits its allowance and clashes with nothing is approved right here.
      const auto = await autoApprove(trx, req.id, house.zone, at);
      await deps.notify(trx, { type: 'request.received', requestId: req.id, manageToken: token });
      if (auto) await deps.notify(trx, { type: 'bookings.approved', requestId: req.id, bookingIds: auto.bookingIds, message: auto.message });
      return { ok: true, requestId: req.id, reference, token };
    });
  } catch (err) {
    if (isClashError(err)) return { ok: false, check: clashRefusal(check) };
    throw err;
  }
}

export type EditResult = { ok: true } | { ok: false; check: RequestCheck } | { ok: false; notEditable: true };

/**
 * Edits a pending request through its manage link: same checks (without the confirmations), it stays
 * pending. The series is planned again, exactly as the preview shows it, and matched to the stored dates by
 * local date:
 * - a date of the new plan takes its new time, room and status (requested, or skipped with the new reason)
 *   if it was requested, skipped, or dropped by an earlier edit; a new date is added;
 * - dates the group cancelled itself, dates the house rejected, cancelled or changed on their own stay as
 *   they are;
 * - a requested date that no longer belongs to the series is cancelled, not deleted, so the request's
 *   calendar feed tells calendar apps to remove it; a skipped date outside the new plan stays listed as it was.
 */
export async function updateRequest(
  db: DB,
  deps: BookingDeps,
  house: House,
  request: BookingRequest,
  values: RequestFormValues,
  opts: { lang: Lang },
): Promise<EditResult> {
  let check: RequestCheck | null = null;
  try {
    return await db.transaction().execute(async (trx): Promise<EditResult> => {
      const now = deps.clock();
      const at = now.getTime();
      const existing = await listBookingsOf(trx, request.id);
      if (!isEditable(existing, at)) return { ok: false, notEditable: true };
      check = await checkRequest(trx, house, values, now, { ...opts, confirmations: false, excludeRequestId: request.id });
      if (hasErrors(check)) return { ok: false, check };
      const { data, room, dates } = check as Required<{ [K in keyof RequestCheck]: NonNullable<RequestCheck[K]> }>;

      await trx
        .updateTable('requests')
        .set((eb) => ({ ...requestColumns(requestFields(data, room)), sequence: eb('sequence', '+', 1), updated_at: at }))
        .where('id', '=', request.id)
        .execute();
      const keptCancelled = datesCancelledByGroup(await listRequestEvents(trx, request.id));
      const follows = (b: Booking) =>
        b.detached === 0 &&
        (b.status === 'pending' || b.status === 'skipped' || (b.status === 'cancelled' && b.cancelled_by === 'group' && !keptCancelled.has(b.id)));
      const followers = new Map<string, Booking>(existing.filter(follows).map((b) => [b.local_date, b]));
      const hasRow = new Set(existing.map((b) => b.local_date));
      const planned = new Set(dates.map((d) => d.date));

      const dropped = existing.filter((b) => !planned.has(b.local_date) && b.status === 'pending' && b.detached === 0);
      if (dropped.length) {
        await trx
          .updateTable('bookings')
          .set((eb) => ({ status: 'cancelled', cancelled_by: 'group', cancelled_at: at, updated_at: at, sequence: eb('sequence', '+', 1) }))
          .where(
            'id',
            'in',
            dropped.map((b) => b.id),
          )
          .execute();
      }
      const added: NewBooking[] = [];
      let changed = 0;
      for (const d of dates) {
        const b = followers.get(d.date);
        const row = plannedRow(request.id, room.id, d, at);
        if (b) {
          changed++;
          await trx
            .updateTable('bookings')
            .set({
              room_id: row.room_id,
              start_at: row.start_at,
              end_at: row.end_at,
              status: row.status,
              skip_reason: row.skip_reason,
              cancelled_by: null,
              cancelled_at: null,
              sequence: b.sequence + 1,
              updated_at: at,
            })
            .where('id', '=', b.id)
            .execute();
        } else if (!hasRow.has(d.date)) {
          added.push(row);
        }
      }
      if (added.length) await trx.insertInto('bookings').values(added).execute();
      await audit(trx, {
        at,
        actor: 'group',
        action: 'request.update',
        entity: 'request',
        entityId: request.id,
        details: { dates: dates.length, changed, added: added.length, cancelledIds: dropped.map((b) => b.id) },
      });
      await deps.notify(trx, { type: 'request.updated', requestId: request.id });
      return { ok: true };
    });
  } catch (err) {
    if (isClashError(err)) return { ok: false, check: clashRefusal(check) };
    throw err;
  }
}

export type CancelResult = { ok: true; count: number; wasApproved: boolean } | { ok: false; reason: 'started' | 'nothing' };

/** What a cancel through the manage link would cancel: one date (`bookingId`) or every date not yet begun. */
export function cancelTargets(bookings: Booking[], bookingId: number | null, now: number): Booking[] {
  return bookingId === null ? bookings.filter((b) => isCancellable(b, now)) : bookings.filter((b) => b.id === bookingId && isCancellable(b, now));
}

/**
 * The group cancels one date (`bookingId`) or every date not yet begun (rule 9). An approved date frees its
 * slot at once (the occupancy trigger removes it); the group, and for approved dates the caretakers, are told.
 */
export async function cancelDates(db: DB, deps: BookingDeps, request: BookingRequest, bookingId: number | null): Promise<CancelResult> {
  return db.transaction().execute(async (trx): Promise<CancelResult> => {
    const at = deps.clock().getTime();
    const targets = cancelTargets(await listBookingsOf(trx, request.id), bookingId, at);
    if (!targets.length) return { ok: false, reason: bookingId === null ? 'nothing' : 'started' };
    const ids = targets.map((b) => b.id);
    const wasApproved = targets.some((b) => b.status === 'approved');
    await trx
      .updateTable('bookings')
      .set((eb) => ({ status: 'cancelled', cancelled_by: 'group', cancelled_at: at, updated_at: at, sequence: eb('sequence', '+', 1) }))
      .where('id', 'in', ids)
      .execute();
    await trx
      .updateTable('requests')
      .set((eb) => ({ sequence: eb('sequence', '+', 1), updated_at: at }))
      .where('id', '=', request.id)
      .execute();
    await audit(trx, {
      at,
      actor: 'group',
      action: 'booking.cancel',
      entity: 'request',
      entityId: request.id,
      details: { bookingIds: ids, wasApproved, whole: bookingId === null },
    });
    await deps.notify(trx, { type: 'bookings.cancelled', requestId: request.id, bookingIds: ids, by: 'group', wasApproved });
    return { ok: true, count: ids.length, wasApproved };
  });
}

/**
 * The group changes the language of its request on the manage page: every mail from now on (answers, changes,
 * reminders) goes in it, and the manage page opens in it. Audited with the old and new language.
 */
export async function setRequestLanguage(db: DB, deps: Pick<BookingDeps, 'clock'>, request: BookingRequest, lang: Lang): Promise<{ changed: boolean }> {
  if (request.language === lang) return { changed: false };
  return db.transaction().execute(async (trx) => {
    const at = deps.clock().getTime();
    await trx.updateTable('requests').set({ language: lang, updated_at: at }).where('id', '=', request.id).execute();
    await audit(trx, {
      at,
      actor: 'group',
      action: 'request.language',
      entity: 'request',
      entityId: request.id,
      details: { from: request.language, to: lang },
    });
    return { changed: true };
  });
}
