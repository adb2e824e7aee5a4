// Plans the dates of a request (single, or a series in any rhythm) before anything is stored: rules 1–4 (rules.ts),
// the series rules (series.ts) and rule 5 against the database (clashes.ts). Used by the request form, its
// series preview, the manage page's edit and the caretaker's direct booking.
import type { Conn } from '../db/database.js';
import type { Room } from '../db/schema.js';
import type { Lang } from '../i18n/index.js';
import { holidaysBetween } from '../time/holidays.js';
import { findRoomById } from '../rooms/repository.js';
import { todayIn } from '../time/index.js';
import { checkBooking, type RuleFailure, type RuleHouse, type RuleOptions } from './rules.js';
import {
  checkPickedOpeningHours,
  checkSeriesShape,
  classifyDates,
  expandSeries,
  lastPicked,
  type PlannedDate,
  type Rhythm,
  type SeriesShape,
} from './series.js';
import { findClashesFor } from './clashes.js';

export interface PlanInput {
  roomId: number;
  date: string;
  start: string;
  end: string;
  /** Caretaker only: a booking over midnight or several days ends on this date (not for a series). */
  endDate?: string;
  attendees?: number;
  /**
   * A series from `date` to `lastDate`: every `everyWeeks` weeks, or in `rhythm` (monthly; hand-picked, whose
   * last date is its latest listed date); absent for a single date.
   */
  series?: ({ lastDate: string } & ({ everyWeeks: number; rhythm?: undefined } | { rhythm: Rhythm; everyWeeks?: number })) | null;
}

export type Plan = { ok: false; failures: RuleFailure[] } | { ok: true; room: Room; dates: PlannedDate[]; series: boolean };

export interface PlanOptions extends RuleOptions {
  /** Language of holiday names. */
  lang: Lang;
  /** When editing a request: its own dates do not count as clashes. */
  excludeRequestId?: number;
}

/**
 * Checks rules 1–4 and 8 and finds each date's holiday, closure or clash. Returns the failures people can
 * fix, or every date with its status ('ok', 'skipped', 'clash'). `now` is handed in.
 */
export async function planDates(db: Conn, house: RuleHouse & { federalState: string }, input: PlanInput, now: Date, opts: PlanOptions): Promise<Plan> {
  const room = await findRoomById(db, input.roomId);
  if (!room) return { ok: false, failures: [{ field: 'room', key: 'requests.error.room', params: {} }] };
  const series = input.series ?? null;
  const nowMs = now.getTime();
  const check = checkBooking(
    { date: input.date, start: input.start, end: input.end, endDate: series ? undefined : input.endDate, attendees: input.attendees },
    house,
    room,
    nowMs,
    { ...opts, skipHorizon: opts.skipHorizon || series !== null },
  );
  const failures = check.ok ? [] : [...check.failures];
  const picked = series?.rhythm?.kind === 'dates' ? series.rhythm.dates : null;
  const shape: SeriesShape | null = series ? { ...series, firstDate: input.date, lastDate: picked ? lastPicked(input.date, picked) : series.lastDate } : null;
  if (shape) {
    const today = todayIn(() => now, house.zone);
    const found = checkSeriesShape(shape, today, house.horizonMonths, { overrideHorizon: opts.override?.horizon });
    // Hand-picked dates may fall on other weekdays than the first date: each one meets the opening hours.
    if (picked && !opts.override?.openingHours)
      found.push(...[checkPickedOpeningHours(picked, input.start, input.end, house.openingHours)].filter((f) => f !== null));
    for (const f of found) {
      if (!failures.some((x) => x.field === f.field)) failures.push(f);
    }
  }
  if (!check.ok || failures.length) return { ok: false, failures };

  if (!shape) {
    const [found] = await findClashesFor(db, [{ roomId: room.id, start: check.start, end: check.end }], {
      zone: house.zone,
      excludeRequestId: opts.excludeRequestId,
    });
    if (!found) throw new Error('findClashesFor answers once per candidate');
    // A single date is never skipped for a holiday (only a series is); a closure or clash marks it.
    const dates = classifyDates([{ date: input.date, start: check.start, end: check.end }], [], [found.clashes]);
    return { ok: true, room, dates, series: false };
  }

  const expanded = expandSeries({ ...shape, startTime: input.start, endTime: input.end }, house.zone);
  if (!expanded.ok) return { ok: false, failures: expanded.failures };
  const found = await findClashesFor(
    db,
    expanded.dates.map((d) => ({ roomId: room.id, start: d.start, end: d.end })),
    {
      zone: house.zone,
      excludeRequestId: opts.excludeRequestId,
    },
  );
  const holidays = holidaysBetween(house.federalState, input.date, shape.lastDate, opts.lang);
  const dates = classifyDates(
    expanded.dates,
    holidays,
    found.map((f) => f.clashes),
  );
  return { ok: true, room, dates, series: true };
}
