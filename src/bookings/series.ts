// Series (PRODUCT.md rule 8) as pure functions: the shape of a series and its rhythm (every 1–4 weeks, the
// nth or last weekday of the month, a hand-picked list of dates), its dates at the same wall-clock time across
// DST changes, which dates are skipped (holiday, closure) or clash, and the following period of a series.
import type { BookingRequest, OpeningHours, SkipReason } from '../db/schema.js';
import type { PublicHoliday } from '../time/holidays.js';
import { addDays, addMonths, daysBetween, parseDate, weekday } from '../time/index.js';
import { checkHorizon, checkOpeningHours, resolveLocalTime, type RuleFailure } from './rules.js';
import type { PublicClash } from './clashes.js';

export const MIN_EVERY_WEEKS = 1;
export const MAX_EVERY_WEEKS = 4;
/** A hand-picked list holds at most this many dates (the first date included). */
export const MAX_PICKED_DATES = 60;

/** Which weekday of the month: the 1st–4th, or -1 for the last one (the 4th or the 5th). */
export type Nth = 1 | 2 | 3 | 4 | -1;
export const NTHS: readonly Nth[] = [1, 2, 3, 4, -1];

/** How a series repeats. */
export type Rhythm =
  /** Every 1–4 weeks, on the weekday of the first date. */
  | { kind: 'weekly'; everyWeeks: number }
  /** The nth (or last) weekday of every month, the weekday of the first date. */
  | { kind: 'monthly'; nth: number }
  /** The first date and these further dates (sorted, each once, none before the first date). */
  | { kind: 'dates'; dates: string[] };

/** A series: from `firstDate` to `lastDate` in a rhythm; without `rhythm`, every `everyWeeks` weeks. */
export type SeriesShape = { firstDate: string; lastDate: string } & ({ everyWeeks: number; rhythm?: undefined } | { rhythm: Rhythm; everyWeeks?: number });

export function rhythmOfShape(s: SeriesShape): Rhythm {
  return s.rhythm ?? { kind: 'weekly', everyWeeks: s.everyWeeks ?? NaN };
}

/** The last date of a hand-picked list (or the first date alone). */
export function lastPicked(firstDate: string, dates: readonly string[]): string {
  return dates.reduce((a, b) => (b > a ? b : a), firstDate);
}

/**
 * Rule 8: a rhythm the house offers (every 1–4 weeks; the 1st–4th or last weekday of the month, the first date
 * being one; at most 60 hand-picked dates, each once and not before the first date), a last date that exists,
 * is not before the first date and lies within the horizon (unless the caretaker overrides the horizon).
 * `today` is the house's local date. Dates in failures are ISO dates in `dates`, formatted by the view.
 */
export function checkSeriesShape(s: SeriesShape, today: string, horizonMonths: number, opts: { overrideHorizon?: boolean } = {}): RuleFailure[] {
  const failures: RuleFailure[] = [];
  const rhythm = rhythmOfShape(s);
  if (rhythm.kind === 'weekly' && (!Number.isInteger(rhythm.everyWeeks) || rhythm.everyWeeks < MIN_EVERY_WEEKS || rhythm.everyWeeks > MAX_EVERY_WEEKS)) {
    failures.push({ field: 'repeat', key: 'requests.error.repeat', params: { min: MIN_EVERY_WEEKS, max: MAX_EVERY_WEEKS } });
  }
  if (rhythm.kind === 'monthly') {
    if (!NTHS.includes(rhythm.nth as Nth)) {
      failures.push({ field: 'nth', key: 'rhythm.error.nth', params: {} });
    } else if (parseDate(s.firstDate) && !monthlyDates(s.firstDate, s.firstDate, rhythm.nth as Nth).length) {
      const suggestion = monthlyDates(s.firstDate, addMonths(s.firstDate, 2), rhythm.nth as Nth)[0] ?? s.firstDate;
      failures.push({
        field: 'nth',
        key: 'rhythm.error.notNth',
        params: { nth: nthWord(rhythm.nth as Nth), weekday: weekday(s.firstDate) },
        dates: { date: [s.firstDate], suggestion: [suggestion] },
      });
    }
  }
  if (rhythm.kind === 'dates') {
    const f = checkPickedDates(s.firstDate, rhythm.dates, today, horizonMonths, opts);
    if (f) failures.push(f);
    return failures;
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

/** The word of an nth for select messages ('first' … 'fourth', 'last'). */
export function nthWord(nth: Nth): string {
  return nth === -1 ? 'last' : (['first', 'second', 'third', 'fourth'] as const)[nth - 1]!;
}

/**
 * Hand-picked dates (already parsed, see parseDateList): at most MAX_PICKED_DATES with the first date, each
 * once, none in the past or before the first date, none beyond the horizon. The first failure, on 'dates'.
 */
export function checkPickedDates(
  firstDate: string,
  dates: readonly string[],
  today: string,
  horizonMonths: number,
  opts: { overrideHorizon?: boolean } = {},
): RuleFailure | null {
  const fail = (key: RuleFailure['key'], params: RuleFailure['params'], named: string[] = []): RuleFailure => ({
    field: 'dates',
    key,
    params: { count: named.length, ...params },
    dates: { dates: named },
  });
  if (!dates.length) return fail('rhythm.error.datesMissing', {});
  if (dates.length + 1 > MAX_PICKED_DATES) return fail('rhythm.error.overLimit', { max: MAX_PICKED_DATES, given: dates.length + 1 });
  const seen = new Set<string>(parseDate(firstDate) ? [firstDate] : []);
  const twice = new Set<string>();
  for (const d of dates) {
    if (seen.has(d)) twice.add(d);
    seen.add(d);
  }
  if (twice.size) return fail('rhythm.error.duplicate', {}, [...twice].sort());
  const past = dates.filter((d) => d < today);
  if (past.length) return fail('rhythm.error.past', {}, past);
  const before = parseDate(firstDate) ? dates.filter((d) => d < firstDate) : [];
  if (before.length) return fail('rhythm.error.beforeFirst', {}, before);
  if (!opts.overrideHorizon) {
    const latest = addMonths(today, horizonMonths);
    const beyond = dates.filter((d) => d > latest);
    if (beyond.length)
      return {
        field: 'dates',
        key: 'rhythm.error.horizon',
        params: { count: beyond.length, months: horizonMonths },
        dates: { dates: beyond, latest: [latest] },
      };
  }
  return null;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PEOPLE_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;

/**
 * The hand-picked dates as typed: separated by lines, commas, semicolons or spaces, each 'TT.MM.JJJJ' (also
 * without leading zeros) or 'JJJJ-MM-TT'. Answers the dates in the order typed, or the entries that are no date.
 */
export function parseDateList(text: string): { ok: true; dates: string[] } | { ok: false; bad: string[] } {
  const tokens = text
    .split(/[\s,;]+/)
    .map((x) => x.trim())
    .filter((x) => x !== '');
  const dates: string[] = [];
  const bad: string[] = [];
  for (const token of tokens) {
    const people = PEOPLE_DATE.exec(token);
    const iso = people ? `${people[3]}-${people[2]!.padStart(2, '0')}-${people[1]!.padStart(2, '0')}` : ISO_DATE.test(token) ? token : null;
    if (iso && parseDate(iso)) dates.push(iso);
    else bad.push(token.length > 20 ? `${token.slice(0, 20)}…` : token);
  }
  return bad.length ? { ok: false, bad } : { ok: true, dates };
}

/** The 'YYYY-MM' months from the month of `from` to that of `to`. */
function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from.slice(0, 7); m <= to.slice(0, 7); m = addMonths(`${m}-01`, 1).slice(0, 7)) out.push(m);
  return out;
}

/** The nth (or last) weekday `wd` (1 = Monday) of the month 'YYYY-MM' (every month has a 1st–4th of each weekday). */
export function nthWeekdayOfMonth(month: string, wd: number, nth: Nth): string {
  if (nth === -1) {
    const last = addDays(addMonths(`${month}-01`, 1), -1);
    return addDays(last, -((weekday(last) - wd + 7) % 7));
  }
  const first = `${month}-01`;
  return addDays(first, ((wd - weekday(first) + 7) % 7) + 7 * (nth - 1));
}

/** Every nth (or last) weekday of `firstDate`'s weekday, in each month, from `firstDate` to `lastDate`. */
function monthlyDates(firstDate: string, lastDate: string, nth: Nth): string[] {
  const wd = weekday(firstDate);
  return monthsBetween(firstDate, lastDate)
    .map((m) => nthWeekdayOfMonth(m, wd, nth))
    .filter((d) => d >= firstDate && d <= lastDate);
}

/**
 * The local dates of a series: weekly, the first date, then every `everyWeeks` weeks up to the last date;
 * monthly, the nth (or last) weekday of the first date's weekday in every month from the first to the last
 * date; hand-picked, the first date and the listed dates, sorted, each once.
 */
export function seriesDates(s: SeriesShape): string[] {
  const rhythm = rhythmOfShape(s);
  if (!parseDate(s.firstDate)) return [];
  if (rhythm.kind === 'dates') return [...new Set([s.firstDate, ...rhythm.dates.filter((d) => parseDate(d))])].sort();
  if (!parseDate(s.lastDate)) return [];
  if (rhythm.kind === 'monthly') return NTHS.includes(rhythm.nth as Nth) ? monthlyDates(s.firstDate, s.lastDate, rhythm.nth as Nth) : [];
  const out: string[] = [];
  if (!(rhythm.everyWeeks >= 1)) return out;
  for (let d = s.firstDate; d <= s.lastDate; d = addDays(d, 7 * rhythm.everyWeeks)) out.push(d);
  return out;
}

/**
 * Rule 3 for hand-picked dates on other weekdays than the first date: the dates (besides the first, which
 * checkBooking checks) on which the times lie outside the opening hours, as one failure on 'dates'.
 */
export function checkPickedOpeningHours(dates: readonly string[], startTime: string, endTime: string, hours: OpeningHours): RuleFailure | null {
  const closed = dates.filter((date) => {
    const end = endTime === '24:00' ? { endDate: addDays(date, 1), endTime: '00:00' } : { endDate: date, endTime };
    return checkOpeningHours({ date, startTime, ...end }, hours) !== null;
  });
  return closed.length ? { field: 'dates', key: 'rhythm.error.closed', params: { count: closed.length }, dates: { dates: closed } } : null;
}

/**
 * "Book the next season": the same rhythm for the following period. Its first date is the rhythm's next date
 * after the last one, its last date as far after that as the series is long, cut at `latest` (the horizon);
 * a hand-picked list moves by whole weeks (so each date keeps its weekday) past its last date. Null when the
 * next date lies beyond `latest`.
 */
export function nextPeriod(s: SeriesShape, latest: string): { firstDate: string; lastDate: string; rhythm: Rhythm } | null {
  const rhythm = rhythmOfShape(s);
  const dates = seriesDates(s);
  const first = dates[0];
  const last = dates[dates.length - 1];
  if (!first || !last) return null;
  const length = daysBetween(first, last).length - 1;
  if (rhythm.kind === 'dates') {
    const shift = 7 * Math.ceil((length + 1) / 7);
    const moved = dates.map((d) => addDays(d, shift)).filter((d) => d <= latest);
    const [nextFirst, ...rest] = moved;
    if (!nextFirst) return null;
    return { firstDate: nextFirst, lastDate: lastPicked(nextFirst, rest), rhythm: { kind: 'dates', dates: rest } };
  }
  let nextFirst: string;
  if (rhythm.kind === 'weekly') nextFirst = addDays(last, 7 * rhythm.everyWeeks);
  else nextFirst = nthWeekdayOfMonth(addMonths(`${last.slice(0, 7)}-01`, 1).slice(0, 7), weekday(first), rhythm.nth as Nth);
  if (nextFirst > latest) return null;
  const end = addDays(nextFirst, length);
  return { firstDate: nextFirst, lastDate: end < latest ? end : latest, rhythm };
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

/** The rhythm a stored request repeats in, or null for a single date (rows from before 2026-12 are weekly). */
export function rhythmOf(r: Pick<BookingRequest, 'repeat_kind' | 'repeat_weeks' | 'repeat_nth' | 'repeat_dates' | 'first_date'>): Rhythm | null {
  const kind = r.repeat_kind ?? (r.repeat_weeks !== null ? 'weekly' : null);
  if (kind === 'weekly') return { kind, everyWeeks: r.repeat_weeks ?? 1 };
  if (kind === 'monthly') return { kind, nth: r.repeat_nth ?? 1 };
  if (kind === 'dates') {
    let listed: unknown = [];
    try {
      listed = JSON.parse(r.repeat_dates ?? '[]');
    } catch {
      listed = [];
    }
    const dates = Array.isArray(listed) ? listed.filter((d): d is string => typeof d === 'string' && d !== r.first_date) : [];
    return { kind, dates };
  }
  return null;
}

/** The rhythm's columns of a request row. */
export function rhythmColumns(r: Rhythm | null) {
  return {
    repeat_kind: r?.kind ?? null,
    repeat_weeks: r?.kind === 'weekly' ? r.everyWeeks : null,
    repeat_nth: r?.kind === 'monthly' ? r.nth : null,
    repeat_dates: r?.kind === 'dates' ? JSON.stringify([...r.dates].sort()) : null,
  };
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
