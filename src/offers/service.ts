// Offering another time or room, and the group accepting one option by its link. Accepting moves the request's
// open dates to the option and approves them in one write transaction: the database guard re-checks every date
// (a clash refuses the whole acceptance, the offer stays open for its other options). An offer expires after
// OFFER_DAYS days or when the first open date begins, whichever comes first, and a newer offer replaces it.
import type { Conn, DB } from '../db/database.js';
import type { BookingRequest } from '../db/schema.js';
import { audit } from '../audit/log.js';
import { DomainError } from '../errors.js';
import type { BookingDeps } from '../bookings/events.js';
import { newManageToken } from '../bookings/reference.js';
import { rhythmOf } from '../bookings/series.js';
import { resolveLocalTime } from '../bookings/rules.js';
import type { Clash } from '../bookings/occupancy-clashes.js';
import { moveDate } from '../bookings/move.js';
import type { OfferOption, OpenDate } from './alternatives.js';
import { findOfferByToken, listOfferOptions, type Offer, type OfferOptionRow } from './repository.js';

/** How long the group has to answer an offer (days), at most. */
export const OFFER_DAYS = 7;
const DAY_MS = 86_400_000;

/** A request and the dates an offer can be about: pending and not yet begun. */
export async function openDatesOf(db: Conn, requestId: number, now: number): Promise<{ request: BookingRequest; dates: OpenDate[] } | undefined> {
  const request = await db.selectFrom('requests').selectAll().where('id', '=', requestId).executeTakeFirst();
  if (!request) return undefined;
  const rows = await db
    .selectFrom('bookings')
    .select(['id', 'room_id', 'local_date', 'start_at', 'end_at'])
    .where('request_id', '=', requestId)
    .where('status', '=', 'pending')
    .where('start_at', '>', now)
    .orderBy('start_at')
    .execute();
  return { request, dates: rows.map((b) => ({ id: b.id, roomId: b.room_id, localDate: b.local_date, start: b.start_at, end: b.end_at })) };
}

export type CreateOfferResult = { ok: true; offerId: number } | { ok: false; reason: 'notOpen' | 'noEmail' };

/**
 * Stores an offer with the chosen options (already checked against the alternatives found again), replaces an
 * open offer of the same request, audits it and queues the group's mail with the link.
 */
export async function createOffer(
  db: DB,
  deps: BookingDeps,
  input: { requestId: number; options: OfferOption[]; message: string; userId: number },
): Promise<CreateOfferResult> {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock().getTime();
    const open = await openDatesOf(trx, input.requestId, now);
    if (!open) throw new DomainError('not_found');
    if (!open.dates.length) return { ok: false as const, reason: 'notOpen' as const };
    if (open.request.anonymized_at !== null || !open.request.email.trim()) return { ok: false as const, reason: 'noEmail' as const };
    const replaced = await trx
      .updateTable('offers')
      .set({ status: 'withdrawn', answered_at: now })
      .where('request_id', '=', input.requestId)
      .where('status', '=', 'open')
      .returning('id')
      .execute();
    const token = newManageToken();
    const expires = Math.min(now + OFFER_DAYS * DAY_MS, open.dates[0]!.start);
    const offer = await trx
      .insertInto('offers')
      .values({
        request_id: input.requestId,
        token_hash: token.hash,
        message: input.message,
        status: 'open',
        created_by: input.userId,
        created_at: now,
        expires_at: expires,
        answered_at: null,
        accepted_option_id: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    let position = 0;
    for (const o of input.options) {
      await trx
        .insertInto('offer_options')
        .values({ offer_id: offer.id, position: ++position, room_id: o.roomId, local_date: o.date, start_time: o.start, end_time: o.end })
        .execute();
    }
    await audit(trx, {
      at: now,
      userId: input.userId,
      actor: 'user',
      action: 'offer.sent',
      entity: 'request',
      entityId: input.requestId,
      details: {
        offerId: offer.id,
        dates: open.dates.map((d) => d.localDate),
        options: input.options.map((o) => ({ roomId: o.roomId, date: o.date, start: o.start, end: o.end })),
        replaced: replaced.map((r) => r.id),
        expiresAt: expires,
        message: input.message,
      },
    });
    await deps.notify(trx, { type: 'offer.sent', requestId: input.requestId, offerId: offer.id, token: token.token });
    return { ok: true as const, offerId: offer.id };
  });
}

/** What the group's link shows: the offer, its options, the request, and whether it can still be accepted. */
export type OfferState = 'open' | 'accepted' | 'withdrawn' | 'expired' | 'decided';

export interface OfferView {
  offer: Offer;
  options: OfferOptionRow[];
  request: BookingRequest;
  state: OfferState;
  /** The open dates the offer is about (pending, not begun). */
  dates: OpenDate[];
}

function stateOf(offer: Offer, openDates: number, now: number): OfferState {
  if (offer.status === 'accepted') return 'accepted';
  if (offer.status === 'withdrawn') return 'withdrawn';
  if (now >= offer.expires_at) return 'expired';
  if (openDates === 0) return 'decided';
  return 'open';
}

/** The offer a link opens; undefined for a malformed or unknown token, or an anonymised request. */
export async function loadOffer(db: Conn, token: string, now: number): Promise<OfferView | undefined> {
  const offer = await findOfferByToken(db, token);
  if (!offer) return undefined;
  const open = await openDatesOf(db, offer.request_id, now);
  if (!open || open.request.anonymized_at !== null) return undefined;
  const options = await listOfferOptions(db, offer.id);
  return { offer, options, request: open.request, dates: open.dates, state: stateOf(offer, open.dates.length, now) };
}

export type AcceptResult =
  | { ok: true; bookingIds: number[] }
  | { ok: false; reason: 'unknown' }
  | { ok: false; reason: Exclude<OfferState, 'open'> }
  /** The option's time has begun or its date is past: the other options may still be accepted. */
  | { ok: false; reason: 'optionPast' }
  /** Taken meanwhile: the date that clashes (what with stays with the house: the group never sees other groups). */
  | { ok: false; reason: 'clash'; date: string; clashes: Clash[] };

class Refused extends Error {
  constructor(readonly result: Exclude<AcceptResult, { ok: true }>) {
    super('refused');
  }
}

/**
 * The group accepts option `position` of the offer its link opens: every open date moves to the option (a
 * single date to its day, a series keeps its days) and is approved, the request takes the option's room and
 * times, the offer is answered; all or nothing. The group gets the approval mail, the staff a mail.
 */
export async function acceptOffer(db: DB, deps: BookingDeps, input: { token: string; position: number; zone: string }): Promise<AcceptResult> {
  try {
    return await db.transaction().execute(async (trx) => {
      const now = deps.clock().getTime();
      const view = await loadOffer(trx, input.token, now);
      if (!view) return { ok: false as const, reason: 'unknown' as const };
      if (view.state !== 'open') return { ok: false as const, reason: view.state };
      const option = view.options.find((o) => o.position === input.position);
      if (!option) return { ok: false as const, reason: 'unknown' as const };
      const single = rhythmOf(view.request) === null;
      const moved: number[] = [];
      const dates: string[] = [];
      for (const b of view.dates) {
        const day = single && option.local_date ? option.local_date : b.localDate;
        const s = resolveLocalTime(day, option.start_time, input.zone, { date: 'date', time: 'start' });
        const e = resolveLocalTime(day, option.end_time, input.zone, { date: 'date', time: 'end' });
        if (!s.ok || !e.ok || s.instant <= now) throw new Refused({ ok: false, reason: 'optionPast' });
        const tried = await moveDate(trx, {
          bookingId: b.id,
          status: 'pending',
          date: day,
          start: s.instant,
          end: e.instant,
          roomId: option.room_id,
          now,
          also: { status: 'approved', decided_by: null, decided_at: now, decision_message: view.offer.message },
        });
        if (!tried.ok) throw new Refused({ ok: false, reason: 'clash', date: day, clashes: tried.clashes });
        if (!tried.moved) throw new Refused({ ok: false, reason: 'decided' });
        moved.push(b.id);
        dates.push(day);
      }
      await trx
        .updateTable('requests')
        .set((eb) => ({
          room_id: option.room_id,
          start_time: option.start_time,
          end_time: option.end_time,
          ...(single && option.local_date ? { first_date: option.local_date } : {}),
          sequence: eb('sequence', '+', 1),
          updated_at: now,
        }))
        .where('id', '=', view.request.id)
        .execute();
      await trx.updateTable('offers').set({ status: 'accepted', answered_at: now, accepted_option_id: option.id }).where('id', '=', view.offer.id).execute();
      await audit(trx, {
        at: now,
        userId: null,
        actor: 'group',
        action: 'offer.accepted',
        entity: 'request',
        entityId: view.request.id,
        details: {
          offerId: view.offer.id,
          option: option.position,
          bookingIds: moved,
          dates,
          before: view.dates.map((d) => d.localDate),
          roomId: option.room_id,
          start: option.start_time,
          end: option.end_time,
        },
      });
      await deps.notify(trx, { type: 'bookings.approved', requestId: view.request.id, bookingIds: moved, message: '' });
      await deps.notify(trx, { type: 'offer.accepted', requestId: view.request.id, offerId: view.offer.id });
      return { ok: true as const, bookingIds: moved };
    });
  } catch (err) {
    if (err instanceof Refused) return err.result;
    throw err;
  }
}
