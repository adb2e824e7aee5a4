// Direct booking by the caretaker (a phone request, the house's own use): the same fields as the public form
// plus a series, approved at once. Opening hours, lead time and horizon may be overridden with explicit
// checkboxes; the clash rule never (the database guard refuses a clash in the same transaction).
import type { DB } from '../db/database.js';
import { attempt } from '../db/attempt.js';
import type { Language, SkipReason } from '../db/schema.js';
import { audit } from '../audit/log.js';
import type { BookingDeps } from './events.js';
import type { House } from '../settings/repository.js';
import { addDays, addMonths } from '../time/index.js';
import { planDates, type Plan } from './plan.js';
import type { Rhythm } from './series.js';
import type { RuleFailure } from './rules.js';
import { newManageToken, nextReference } from './reference.js';
import { newBookingRow, newRequestRow, type RequestFields } from './rows.js';
import { findOccupancyClashes, type Clash } from './occupancy-clashes.js';

/** The longest series the house may enter, even with the horizon overridden: two years and at most 110 dates. */
export const SERIES_MAX_MONTHS = 24;
export const SERIES_MAX_DATES = 110;

/**
 * The latest last date a series from `firstDate` may have in its rhythm (whichever limit comes first). A monthly
 * series reaches 24 months long before 110 dates; a hand-picked list holds at most 60 dates (series.ts).
 */
export function latestSeriesEnd(firstDate: string, rhythm: Rhythm): string {
  const byMonths = addMonths(firstDate, SERIES_MAX_MONTHS);
  if (rhythm.kind !== 'weekly') return byMonths;
  const byCount = addDays(firstDate, (SERIES_MAX_DATES - 1) * 7 * rhythm.everyWeeks);
  return byMonths < byCount ? byMonths : byCount;
}

/** A booking the house enters: the request's fields (rows.ts) and what only the caretaker may say. */
export interface DirectBookingInput extends RequestFields {
  language: Language;
  override: { openingHours: boolean; leadTime: boolean; horizon: boolean };
  message: string;
  userId: number;
}

export type DirectBookingResult =
  | { ok: true; requestId: number; reference: string; approved: string[]; skipped: { date: string; reason: SkipReason }[] }
  /** Rules 1–4 and 8 (fields to fix). */
  | { ok: false; kind: 'rules'; failures: RuleFailure[] }
  /** Rule 5: nothing could be booked; the clashes are named. */
  | { ok: false; kind: 'clash'; clashes: Clash[] };

class NothingFree extends Error {
  constructor(readonly clashes: Clash[]) {
    super('clash');
  }
}

/** The dates a direct booking would get, planned as it would be stored (rules 1–4, 8, clashes): the form's preview. */
export function planDirectBooking(db: DB, now: Date, house: House, input: Omit<DirectBookingInput, 'message' | 'userId'>): Promise<Plan> {
  return planDates(
    db,
    {
      zone: house.zone,
      openingHours: house.openingHours,
      leadTimeDays: house.leadTimeDays,
      horizonMonths: house.horizonMonths,
      federalState: house.federalState,
    },
    { roomId: input.roomId, date: input.date, start: input.start, end: input.end, attendees: input.attendees, series: input.series },
    now,
    { lang: input.language, caretaker: true, override: input.override },
  );
}

/** Plans (rules 1–4, 8), then stores the request with every free date approved, in one transaction. */
export async function createDirectBooking(db: DB, deps: BookingDeps, house: House, input: DirectBookingInput): Promise<DirectBookingResult> {
  const now = deps.clock();
  const plan = await planDirectBooking(db, now, house, input);
  if (!plan.ok) return { ok: false, kind: 'rules', failures: plan.failures };
  // The lead-time override allows short notice, never the past (rule 3 checks the past only without it).
  const past = plan.dates.find((d) => d.start < now.getTime());
  if (past) return { ok: false, kind: 'rules', failures: [{ field: 'date', key: 'requests.error.past', params: {} }] };
  if (!plan.dates.some((d) => d.status === 'ok')) {
    const clashes = (
      await Promise.all(plan.dates.map((d) => findOccupancyClashes(db, { roomId: input.roomId, start: d.start, end: d.end, kind: 'booking' })))
    ).flat();
    return { ok: false, kind: 'clash', clashes };
  }
  try {
    return await db.transaction().execute(async (trx) => {
      const nowMs = now.getTime();
      const reference = await nextReference(trx, house.referencePrefix, Number(input.date.slice(0, 4)));
      const { hash } = newManageToken();
      const request = await trx
        .insertInto('requests')
        .values(
          newRequestRow(input, {
            reference,
            tokenHash: hash,
            language: input.language,
            rulesVersion: house.rulesVersion,
            privacyVersion: house.privacyVersion,
            source: 'house',
            createdBy: input.userId,
            now: nowMs,
          }),
        )
        .returning('id')
        .executeTakeFirstOrThrow();
      const approved: { id: number; date: string }[] = [];
      const skipped: { date: string; reason: SkipReason }[] = [];
      const skippedIds: number[] = [];
      const lastClashes: Clash[] = [];
      for (const d of plan.dates) {
        if (d.status === 'ok') {
          const tried = await attempt(trx, (t) =>
            t
              .insertInto('bookings')
              .values(newBookingRow(request.id, input.roomId, d, { status: 'approved', decidedBy: input.userId, message: input.message }, nowMs))
              .returning('id')
              .executeTakeFirstOrThrow(),
          );
          if (tried.ok) {
            approved.push({ id: tried.value.id, date: d.date });
            continue;
          }
          // Booked by someone else since the plan was made: this date is skipped as a clash.
          lastClashes.push(...(await findOccupancyClashes(trx, { roomId: input.roomId, start: d.start, end: d.end, kind: 'booking' })));
        }
        const reason: SkipReason = d.skipReason ?? 'clash';
        const skippedRow = await trx
          .insertInto('bookings')
          .values(newBookingRow(request.id, input.roomId, d, { status: 'skipped', reason }, nowMs))
          .returning('id')
          .executeTakeFirstOrThrow();
        skippedIds.push(skippedRow.id);
        skipped.push({ date: d.date, reason });
      }
      if (approved.length === 0) throw new NothingFree(lastClashes);
      await audit(trx, {
        at: nowMs,
        userId: input.userId,
        actor: 'user',
        action: 'request.created',
        entity: 'request',
        entityId: request.id,
        details: {
          source: 'house',
          bookingIds: approved.map((a) => a.id),
          dates: approved.map((a) => a.date),
          skipped,
          overrides: Object.entries(input.override)
            .filter(([, v]) => v)
            .map(([k]) => k),
          message: input.message,
        },
      });
      if (input.email) {
        await deps.notify(trx, {
          type: 'bookings.approved',
          requestId: request.id,
          bookingIds: approved.map((a) => a.id),
          message: input.message,
          skippedBookingIds: skippedIds,
        });
      }
      return { ok: true as const, requestId: request.id, reference, approved: approved.map((a) => a.date), skipped };
    });
  } catch (err) {
    if (err instanceof NothingFree) return { ok: false, kind: 'clash', clashes: err.clashes };
    throw err;
  }
}
