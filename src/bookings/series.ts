// Weekly series (PRODUCT.md rule 8) as pure functions: the shape of a series, its dates at the same
// wall-clock time across DST changes, and which dates are skipped (holiday, closure) or clash.
import type { SkipReason } from '../db/schema.js';
import type { PublicHoliday } from '../time/holidays.js';
import { addDays, parseDate, weekday } from '../time/index.js';
import { checkHorizon, resolveLocalTime, type RuleFailure } from './rules.js';
import type { PublicClash } from './clashes.js';

export const MIN_EVERY_WEEKS = 1;
export const MAX_EVERY_WEEKS = 4;

export interface SeriesShape {
  firstDate: string;
  lastDate: string;
  /** Every 1–4 weeks, on the weekday of the first date. */
  everyWeeks: number;
}

/**
 * Rule 8: every 1–4 weeks, a last date that exists, is not before the first date and lies within the
 * horizon (unless the caretaker overrides the horizon). `today` is the house's local date.
 */
export function checkSeriesShape(s: SeriesShape, today: string, horizonMonths: number, opts: { overrideHorizon?: boolean } = {}): RuleFailure[] {
  const failures: RuleFailure[] = [];
  if (!Number.isInteger(s.everyWeeks) || s.everyWeeks < MIN_EVERY_WEEKS || s.everyWeeks > MAX_EVERY_WEEKS) {
    failures.push({ field: 'repeat', key: 'requests.error.repeat', params: { min: MIN_EVERY_WEEKS, max: MAX_EVERY_WEEKS } });
  }
  if (!parseDate(s.lastDate)) {
    failures.push({ field: 'lastDate', key: s.lastDate ? 'requests.error.dateInvalid' : 'requests.error.lastDateMissing', params: { value: s.lastDate } });
  } else if (parseDate(s.firstDate) && s.lastDate < s.firstDate) {
    failures.push({ field: 'lastDate', key: 'requests.error.lastBeforeFirst', params: {} });
  } else if (!opts.overrideHorizon) {
    const f = checkHorizon(s.lastDate, today, horizonMonths, 'lastDate');
    if (f) failures.push(f);
  }
  return failures;
}

/** The local dates of a series: the first date, then every `everyWeeks` weeks up to the last date. */
export function seriesDates(s: SeriesShape): string[] {
  const out: string[] = [];
  if (!parseDate(s.firstDate) || !parseDate(s.lastDate) || s.everyWeeks < 1) return out;
  for (let d = s.firstDate; d <= s.lastDate; d = addDays(d, 7 * s.everyWeeks)) out.push(d);
  return out;
}

export interface SeriesDate {
  date: string;
  /** UTC instants of the same wall-clock start and end on this date. */
  start: number;
  end: number;
}

/**
 * Expands a series into instants, keeping the wall-clock time on every date (19:00 stays 19:00 across DST
 * changes). A date on which the time does not exist or exists twice is a rule-1 failure naming the date.
 */
export function expandSeries(
  s: SeriesShape & { startTime: string; endTime: string },
  zone: string,
): { ok: true; dates: SeriesDate[] } | { ok: false; failures: RuleFailure[] } {
  const dates: SeriesDate[] = [];
  for (const date of seriesDates(s)) {
    const start = resolveLocalTime(date, s.startTime, zone, { date: 'date', time: 'start' });
    if (!start.ok) return { ok: false, failures: [start.failure] };
    const end = resolveLocalTime(date, s.endTime, zone, { date: 'date', time: 'end' });
    if (!end.ok) return { ok: false, failures: [end.failure] };
    dates.push({ date, start: start.instant, end: end.instant });
  }
  return { ok: true, dates };
}

/** The weekday (1 = Monday) every date of a series falls on. */
export function seriesWeekday(s: Pick<SeriesShape, 'firstDate'>): number {
  return weekday(s.firstDate);
}

export type DateStatus = 'ok' | 'skipped' | 'clash';

export interface PlannedDate extends SeriesDate {
  status: DateStatus;
  /** Stored with a skipped date (status 'skipped' or 'clash'). */
  skipReason: SkipReason | null;
  /** The public holiday's name, for skipReason 'holiday'. */
  holiday: string | null;
  /** The blocked times (closure) or approved bookings (clash) in the way, described for the public. */
  clashes: PublicClash[];
}

/**
 * Rule 8: a date on a public holiday of the house's state is skipped (reason 'holiday'), one overlapping a
 * blocked time is skipped (reason 'closure'), one overlapping an approved booking clashes (reason 'clash').
 * `clashesPerDate[i]` are the clashes of `dates[i]` (see findClashesFor).
 */
export function classifyDates(dates: SeriesDate[], holidays: PublicHoliday[], clashesPerDate: PublicClash[][]): PlannedDate[] {
  const holidayOn = new Map(holidays.map((h) => [h.date, h.name]));
  return dates.map((d, i) => {
    const clashes = clashesPerDate[i] ?? [];
    const holiday = holidayOn.get(d.date) ?? null;
    if (holiday) return { ...d, status: 'skipped', skipReason: 'holiday', holiday, clashes };
    if (clashes.some((c) => c.kind === 'block')) {
      return { ...d, status: 'skipped', skipReason: 'closure', holiday: null, clashes: clashes.filter((c) => c.kind === 'block') };
    }
    if (clashes.length) return { ...d, status: 'clash', skipReason: 'clash', holiday: null, clashes };
    return { ...d, status: 'ok', skipReason: null, holiday: null, clashes };
  });
}
