// Booking rules 1–4 of PRODUCT.md as pure checks: each rule in one function, each failure a typed value
// (the form field it belongs to, a catalog key and its parameters). Rule 5 (no double booking) is in
// overlap.ts/clashes.ts and the database guard; the series rules (8) are in series.ts.
import { DateTime } from 'luxon';
import type { OpeningHours, Room, Weekday } from '../db/schema.js';
import type { MessageKey } from '../i18n/index.js';
import { MAX_BOOKING_MS } from './occupants.js';
import { addMonths, localToInstant, minutesOf, parseDate, parseTime, weekday } from '../time/index.js';

/** The catalog key of a rule's failure. */
export type RuleKey = MessageKey;
export type RuleField = 'room' | 'date' | 'start' | 'end' | 'endDate' | 'attendees' | 'lastDate' | 'repeat' | 'nth' | 'dates';

/** A rule that failed: shown next to `field` as the message `key` with `params`. */
export interface RuleFailure {
  field: RuleField;
  key: RuleKey;
  params: Record<string, string | number>;
  /** Parameters that are ISO dates (one or a list): the view writes them for people, in the reader's language. */
  dates?: Record<string, string[]>;
}

export const MIN_BOOKING_MINUTES = 30;
export const GRID_MINUTES = 15;

function fail(field: RuleField, key: RuleKey, params: Record<string, string | number> = {}): RuleFailure {
  return { field, key, params };
}

/** A wall-clock end time: 'HH:MM' or '24:00' (until midnight). */
export function parseEndTime(s: unknown): string | null {
  return s === '24:00' ? '24:00' : parseTime(s);
}

/**
 * Rule 1: a local date and wall-clock time in the house zone → UTC instant. Refuses a date that does not
 * exist, a malformed time, a time in the spring DST gap and one in the doubled autumn hour.
 */
export function resolveLocalTime(
  date: string,
  time: string,
  zone: string,
  fields: { date: RuleField; time: RuleField },
): { ok: true; instant: number } | { ok: false; failure: RuleFailure } {
  if (!parseDate(date)) return { ok: false, failure: fail(fields.date, 'requests.error.dateInvalid', { value: date }) };
  const validTime = fields.time === 'end' ? parseEndTime(time) : parseTime(time);
  if (!validTime) return { ok: false, failure: fail(fields.time, 'requests.error.timeInvalid', { value: time }) };
  const r = localToInstant(date, time, zone);
  if (r.ok) return { ok: true, instant: r.instant };
  if (r.reason === 'gap') return { ok: false, failure: fail(fields.time, 'requests.error.dstGap', { date, time }) };
  if (r.reason === 'ambiguous') return { ok: false, failure: fail(fields.time, 'requests.error.dstAmbiguous', { date, time }) };
  return { ok: false, failure: fail(fields.time, 'requests.error.timeInvalid', { value: time }) };
}

/** Rule 2: the end lies after the start. */
export function checkEndAfterStart(start: number, end: number): RuleFailure | null {
  return end > start ? null : fail('end', 'requests.error.endBeforeStart');
}

/** Rule 2: at least 30 minutes (measured in real time, so a DST night counts as it is). */
export function checkMinDuration(start: number, end: number): RuleFailure | null {
  return end - start >= MIN_BOOKING_MINUTES * 60_000 ? null : fail('end', 'requests.error.tooShort', { minutes: MIN_BOOKING_MINUTES });
}

/** No booking longer than 7 days (range queries rely on it: MAX_BOOKING_MS). */
export function checkMaxDuration(start: number, end: number): RuleFailure | null {
  return end - start <= MAX_BOOKING_MS ? null : fail('end', 'requests.error.tooLong', { days: MAX_BOOKING_MS / 86_400_000 });
}

/** Rule 2: start and end on the 15-minute grid of the wall clock (10:00, 10:15 …). */
export function checkGrid(startTime: string, endTime: string): RuleFailure | null {
  if (minutesOf(startTime) % GRID_MINUTES !== 0) return fail('start', 'requests.error.grid', { minutes: GRID_MINUTES });
  if (minutesOf(endTime) % GRID_MINUTES !== 0) return fail('end', 'requests.error.grid', { minutes: GRID_MINUTES });
  return null;
}

/**
 * Rule 3: inside the house's opening hours of the date's weekday (wall-clock times; an end of '24:00' or
 * of 00:00 on the next day means midnight). A booking over several days is outside the opening hours.
 */
export function checkOpeningHours(span: { date: string; startTime: string; endDate: string; endTime: string }, hours: OpeningHours): RuleFailure | null {
  const day = String(weekday(span.date)) as Weekday;
  const open = hours[day];
  const weekdayParam = { weekday: Number(day) };
  if (!open) return fail('date', 'requests.error.closedDay', weekdayParam);
  let endMin = minutesOf(span.endTime);
  if (span.endDate !== span.date) {
    const nextDay = DateTime.fromISO(span.date, { zone: 'UTC' }).plus({ days: 1 }).toISODate();
    if (span.endDate === nextDay && span.endTime === '00:00') endMin = 24 * 60;
    else return fail('end', 'requests.error.openingHours', { open: open.open, close: open.close, ...weekdayParam });
  }
  const openMin = minutesOf(open.open);
  const closeMin = minutesOf(open.close) || (open.close === '00:00' ? 24 * 60 : 0);
  const startMin = minutesOf(span.startTime);
  if (startMin < openMin || startMin >= closeMin) {
    return fail('start', 'requests.error.openingHours', { open: open.open, close: open.close, ...weekdayParam });
  }
  if (endMin > closeMin) return fail('end', 'requests.error.openingHours', { open: open.open, close: open.close, ...weekdayParam });
  return null;
}

/**
 * Rule 3: the start lies in the future and at least `leadDays` calendar days (in the house zone) after
 * `now`, so "2 days" means 48 hours except over a DST change, where it follows the wall clock.
 */
export function checkLeadTime(start: number, now: number, leadDays: number, zone: string): RuleFailure | null {
  if (start < now) return fail('date', 'requests.error.past');
  const earliest = DateTime.fromMillis(now, { zone }).plus({ days: leadDays }).toMillis();
  if (start < earliest) return fail('date', 'requests.error.leadTime', { days: leadDays });
  return null;
}

/** Rule 3 (and rule 8 for a series' last date): a date no later than `horizonMonths` after today. */
export function checkHorizon(date: string, today: string, horizonMonths: number, field: RuleField = 'date'): RuleFailure | null {
  const latest = addMonths(today, horizonMonths);
  return date <= latest ? null : fail(field, 'requests.error.horizon', { months: horizonMonths, latest });
}

/** Rule 4: expected attendees between 1 and the room's capacity. */
export function checkCapacity(attendees: number, room: Pick<Room, 'capacity' | 'name'>): RuleFailure | null {
  if (!Number.isInteger(attendees) || attendees < 1) return fail('attendees', 'requests.error.attendees');
  return attendees <= room.capacity ? null : fail('attendees', 'requests.error.capacity', { capacity: room.capacity, room: room.name });
}

/** The room can be requested: active, and bookable by the public unless the caretaker books it. */
export function checkBookable(room: Pick<Room, 'active' | 'public_bookable'>, opts: { caretaker?: boolean } = {}): RuleFailure | null {
  if (room.active !== 1) return fail('room', 'requests.error.room');
  if (room.public_bookable !== 1 && !opts.caretaker) return fail('room', 'requests.error.notBookable');
  return null;
}

/** The parts of the house settings the rules read. */
export interface RuleHouse {
  zone: string;
  openingHours: OpeningHours;
  leadTimeDays: number;
  horizonMonths: number;
}

export interface BookingInput {
  date: string;
  start: string;
  end: string;
  /** For bookings over midnight or several days (caretaker only); defaults to `date`. */
  endDate?: string;
  /** Checked against the room's capacity when given. */
  attendees?: number;
}

export interface RuleOptions {
  /** The caretaker's direct booking may override rule 3 (never rule 5). */
  override?: { openingHours?: boolean; leadTime?: boolean; horizon?: boolean };
  /** The caretaker may book rooms that are not bookable by the public. */
  caretaker?: boolean;
  /** For a series: the horizon is checked on its last date instead (see series.ts). */
  skipHorizon?: boolean;
}

export type BookingCheck = { ok: true; start: number; end: number } | { ok: false; failures: RuleFailure[] };

/**
 * Rules 1–4 for one booking in `room`, `now` handed in. Returns every failure (at most one per field), or
 * the booking's UTC interval.
 */
export function checkBooking(
  input: BookingInput,
  house: RuleHouse,
  room: Pick<Room, 'capacity' | 'name' | 'active' | 'public_bookable'>,
  now: number,
  opts: RuleOptions = {},
): BookingCheck {
  const failures: RuleFailure[] = [];
  const add = (f: RuleFailure | null) => {
    if (f && !failures.some((x) => x.field === f.field)) failures.push(f);
  };
  add(checkBookable(room, opts));
  if (input.attendees !== undefined) add(checkCapacity(input.attendees, room));

  const endDate = input.endDate ?? input.date;
  const start = resolveLocalTime(input.date, input.start, house.zone, { date: 'date', time: 'start' });
  const end = resolveLocalTime(endDate, input.end, house.zone, { date: input.endDate ? 'endDate' : 'date', time: 'end' });
  if (!start.ok) add(start.failure);
  if (!end.ok) add(end.failure);
  if (!start.ok || !end.ok) return { ok: false, failures };

  const order = checkEndAfterStart(start.instant, end.instant);
  add(order);
  if (!order) {
    add(checkMinDuration(start.instant, end.instant));
    add(checkMaxDuration(start.instant, end.instant));
  }
  add(checkGrid(input.start, input.end === '24:00' ? '00:00' : input.end));
  if (!order && !opts.override?.openingHours) {
    const endSpan =
      input.end === '24:00'
        ? { endDate: DateTime.fromISO(endDate, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!, endTime: '00:00' }
        : { endDate, endTime: input.end };
    add(checkOpeningHours({ date: input.date, startTime: input.start, ...endSpan }, house.openingHours));
  }
  if (!opts.override?.leadTime) add(checkLeadTime(start.instant, now, house.leadTimeDays, house.zone));
  if (!opts.override?.horizon && !opts.skipHorizon) {
    add(checkHorizon(input.date, DateTime.fromMillis(now, { zone: house.zone }).toISODate()!, house.horizonMonths));
  }
  if (failures.length) return { ok: false, failures };
  return { ok: true, start: start.instant, end: end.instant };
}
