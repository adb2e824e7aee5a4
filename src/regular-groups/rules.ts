// The regular-group rules, pure: who a request's sender is to the list (normalised e-mail or organisation) and
// whether every date of a request lies inside a group's allowance (rooms, weekdays, time window, valid until).
import type { RegularGroup } from '../db/schema.js';

/** Trimmed, Unicode-normalised, lower case, inner white space collapsed: "  Lernwerkstatt  e.V. " → "lernwerkstatt e.v.". */
export function normaliseMatch(s: string): string {
  return s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('de');
}

/** The group's allowance as data (parsed from its row). */
export interface Allowance {
  roomIds: number[];
  /** ISO weekdays, 1 = Monday. */
  weekdays: number[];
  startTime: string;
  /** 'HH:MM', '24:00' for midnight. */
  endTime: string;
  validUntil: string | null;
}

export function allowanceOf(g: Pick<RegularGroup, 'room_ids' | 'weekdays' | 'start_time' | 'end_time' | 'valid_until'>): Allowance {
  const rooms = JSON.parse(g.room_ids) as unknown;
  return {
    roomIds: Array.isArray(rooms) ? rooms.filter((x): x is number => typeof x === 'number') : [],
    weekdays: g.weekdays
      .split(',')
      .map(Number)
      .filter((d) => d >= 1 && d <= 7),
    startTime: g.start_time,
    endTime: g.end_time,
    validUntil: g.valid_until,
  };
}

/** One date of a request as the allowance sees it, in the house zone. */
export interface DateToFit {
  roomId: number;
  localDate: string;
  /** ISO weekday of localDate. */
  weekday: number;
  startTime: string;
  /** The local end time; '24:00' when the date ends at midnight; null when it ends on a later day. */
  endTime: string | null;
}

/** Why a date does not fit (for the tests and the docs; never shown to the group). */
export type Misfit = 'room' | 'weekday' | 'time' | 'validUntil';

/** The first reason a date lies outside the allowance, or null when it fits. Times compare as 'HH:MM' text. */
export function misfitOf(a: Allowance, d: DateToFit): Misfit | null {
  if (!a.roomIds.includes(d.roomId)) return 'room';
  if (!a.weekdays.includes(d.weekday)) return 'weekday';
  if (d.endTime === null || d.startTime < a.startTime || d.endTime > a.endTime) return 'time';
  if (a.validUntil !== null && d.localDate > a.validUntil) return 'validUntil';
  return null;
}

/** Every date fits (and there is at least one): a series with one date outside stays with the staff as a whole. */
export function fitsAllowance(a: Allowance, dates: readonly DateToFit[]): boolean {
  return dates.length > 0 && dates.every((d) => misfitOf(a, d) === null);
}
