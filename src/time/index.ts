// Every conversion between the house's local wall-clock time and UTC instants lives here (Luxon).
import { DateTime, IANAZone } from 'luxon';
import { ZoneClock } from './zone-clock.js';

export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
export const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

/** "Now" is handed in, never read inside the domain: tests set it. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** A calendar date 'YYYY-MM-DD' that exists (2026-02-30 does not). */
/**
 * The years the calendar works in, for public and staff dates alike: nobody books outside them, and week,
 * range and series maths never reach year 10000 (where ISO date strings stop sorting).
 */
export const CALENDAR_FIRST_DATE = '1970-01-01';
export const CALENDAR_LAST_DATE = '2199-12-31';

export function inCalendarRange(date: string): boolean {
  return date >= CALENDAR_FIRST_DATE && date <= CALENDAR_LAST_DATE;
}

export function parseDate(s: unknown): string | null {
  if (typeof s !== 'string' || !DATE_RE.test(s)) return null;
  const d = DateTime.fromISO(s, { zone: 'UTC' });
  return d.isValid && d.toISODate() === s ? s : null;
}

export function parseTime(s: unknown): string | null {
  return typeof s === 'string' && TIME_RE.test(s) ? s : null;
}

export function parseMonth(s: unknown): string | null {
  return typeof s === 'string' && MONTH_RE.test(s) ? s : null;
}

export type LocalResult = { ok: true; instant: number } | { ok: false; reason: 'invalid' | 'gap' | 'ambiguous' };

/**
 * Local date + wall-clock time in `zone` → UTC epoch ms. A time in the spring-forward gap does not
 * exist and one in the autumn fall-back hour exists twice: both are refused instead of guessed.
 */
export function localToInstant(date: string, time: string, zone: string): LocalResult {
  if (!parseDate(date) || !(parseTime(time) || time === '24:00')) return { ok: false, reason: 'invalid' };
  if (time === '24:00') {
    const next = DateTime.fromISO(date, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!;
    return localToInstant(next, '00:00', zone);
  }
  const z = IANAZone.create(zone);
  // A malformed date or time stays NaN (as before): no offset matches it, so it is refused like a gap.
  const [y = NaN, mo = NaN, d = NaN] = date.split('-').map(Number);
  const [h = NaN, mi = NaN] = time.split(':').map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  // Offsets in force a day either side cover every real DST transition.
  const offsets = new Set([z.offset(wall - 86_400_000), z.offset(wall + 86_400_000), z.offset(wall)]);
  const matches = [...offsets].map((o) => wall - o * 60_000).filter((instant) => z.offset(instant) * 60_000 === wall - instant);
  const unique = [...new Set(matches)];
  if (unique.length === 0) return { ok: false, reason: 'gap' };
  if (unique.length > 1) return { ok: false, reason: 'ambiguous' };
  return { ok: true, instant: unique[0]! };
}

/** Like localToInstant, for times known to exist (e.g. opening hours); a gap time moves forward. */
export function localToInstantLenient(date: string, time: string, zone: string): number {
  const r = localToInstant(date, time, zone);
  if (r.ok) return r.instant;
  return DateTime.fromISO(`${date}T${time}`, { zone }).toMillis();
}

export function toLocal(instant: number, zone: string): DateTime {
  return DateTime.fromMillis(instant, { zone });
}

export function localDate(instant: number, zone: string): string {
  return toLocal(instant, zone).toISODate()!;
}

export function localTime(instant: number, zone: string): string {
  return toLocal(instant, zone).toFormat('HH:mm');
}

/** ISO 8601 with the house's offset, e.g. 2026-10-25T19:00:00+01:00. */
export function isoWithOffset(instant: number, zone: string): string {
  return toLocal(instant, zone).toISO({ suppressMilliseconds: true })!;
}

const zoneClocks = new Map<string, ZoneClock | null>();

/** The cached ZoneClock of a valid zone (every page asks for today and day starts); null for an invalid zone. */
function zoneClock(zone: string): ZoneClock | null {
  let c = zoneClocks.get(zone);
  if (c === undefined) {
    if (zoneClocks.size > 100) zoneClocks.clear();
    c = IANAZone.isValidZone(zone) ? new ZoneClock(zone) : null;
    zoneClocks.set(zone, c);
  }
  return c;
}

/**
 * The instant `days` local days after `instant` at the same wall-clock time (Luxon's plus({ days })): by
 * arithmetic when that wall time exists exactly once, else through Luxon (a DST gap or doubled hour).
 */
export function plusLocalDays(instant: number, days: number, zone: string): number {
  const c = zoneClock(zone);
  if (c && instant >= 0 && instant < 7_258_118_400_000) {
    const wall = instant + c.offset(instant) * 60_000 + days * 86_400_000;
    const found = new Set<number>();
    for (const o of [c.offset(wall - 86_400_000), c.offset(wall + 86_400_000)]) {
      const candidate = wall - o * 60_000;
      if (c.offset(candidate) === o) found.add(candidate);
    }
    if (found.size === 1) return [...found][0]!;
  }
  return DateTime.fromMillis(instant, { zone }).plus({ days }).toMillis();
}

export function todayIn(clock: Clock, zone: string): string {
  const now = clock();
  const c = zoneClock(zone);
  const t = now.getTime();
  // The fast path within the calendar's years (ISO strings of other years differ from Luxon's).
  if (c && t >= 0 && t < 7_258_118_400_000) return c.date(t);
  return DateTime.fromJSDate(now, { zone }).toISODate()!;
}

/**
 * Calendar-date arithmetic needs no zone, and calendar pages call these thousands of times: plain UTC
 * date arithmetic instead of a Luxon DateTime per call (test/unit/time-zone-clock.test.ts checks them
 * against Luxon). `date` must be a valid 'YYYY-MM-DD' (see parseDate).
 */
function utcDay(date: string): Date {
  const d = new Date(0);
  // setUTCFullYear, not Date.UTC: that one reads the years 0–99 as 1900–1999.
  d.setUTCFullYear(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return d;
}

export function addDays(date: string, days: number): string {
  const d = utcDay(date);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function addMonths(date: string, months: number): string {
  // Plain arithmetic for a valid date in the calendar's years (every page asks for the horizon): the day is
  // clamped to the target month's last day, as Luxon's plus({ months }) does; anything else goes to Luxon.
  if (DATE_RE.test(date) && inCalendarRange(date) && Number.isInteger(months) && Math.abs(months) < 1200) {
    const y = Number(date.slice(0, 4));
    const m = Number(date.slice(5, 7)) - 1;
    const d = Number(date.slice(8, 10));
    const last = utcDay(date);
    if (last.toISOString().slice(0, 10) === date) {
      const target = y * 12 + m + months;
      // Day 0 of the month after the target month: the target month's last day.
      last.setUTCFullYear(Math.floor(target / 12), (target % 12) + 1, 0);
      const out = new Date(last.getTime());
      out.setUTCDate(Math.min(d, last.getUTCDate()));
      const iso = out.toISOString();
      if (iso.length === 24) return iso.slice(0, 10);
    }
  }
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ months }).toISODate()!;
}

/** 1 = Monday … 7 = Sunday. */
export function weekday(date: string): number {
  return utcDay(date).getUTCDay() || 7;
}

/** The Monday of the ISO week containing `date`. */
export function weekStart(date: string): string {
  return addDays(date, 1 - weekday(date));
}

export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Start of the local day as an instant (midnight exists in every German DST change). */
export function dayStart(date: string, zone: string): number {
  // Fast path (a page asks for several day starts): midnight as a wall time that exists once, checked by
  // converting back (an impossible date such as 2026-02-30 would roll over and fails the check); else Luxon.
  const c = date >= CALENDAR_FIRST_DATE && date <= CALENDAR_LAST_DATE ? zoneClock(zone) : null;
  const fast = c?.instant(date, '00:00');
  if (c && fast != null && c.date(fast) === date && c.time(fast) === '00:00') return fast;
  return DateTime.fromISO(date, { zone }).startOf('day').toMillis();
}

/** [start, end) of local days from..to inclusive, as instants; a DST day is 23 or 25 hours long. */
export function daysRange(from: string, to: string, zone: string): { start: number; end: number } {
  return { start: dayStart(from, zone), end: dayStart(addDays(to, 1), zone) };
}

export function isoWeekNumber(date: string): number {
  return DateTime.fromISO(date, { zone: 'UTC' }).weekNumber;
}

export function monthDays(month: string): string[] {
  const first = DateTime.fromISO(`${month}-01`, { zone: 'UTC' });
  return daysBetween(first.toISODate()!, first.endOf('month').toISODate()!);
}

export function addMonthsToMonth(month: string, n: number): string {
  return DateTime.fromISO(`${month}-01`, { zone: 'UTC' }).plus({ months: n }).toFormat('yyyy-MM');
}

/** Minutes since local midnight for 'HH:MM'. */
export function minutesOf(time: string): number {
  const [h = NaN, m = NaN] = time.split(':').map(Number);
  return h * 60 + m;
}

export function timeOfMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

// Formatting for people lives in ./format.ts.

export { ZoneClock } from './zone-clock.js';
