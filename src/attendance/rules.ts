// When a date's attendance mail is due and how long its link works: pure functions (no database, no clock).
//
// A date's mail is due once the date has ended, and only for dates that ended in the last MAIL_WINDOW_MS: after
// an upgrade (or a downtime) the house does not mail the whole past, and a date that ended two days ago is
// still fresh enough to count. The link works until the end of the LINK_DAYS-th local day after the date, so
// the length does not depend on the hour the date ended or on a clock change in between.
import { addDays, dayStart, localDate } from '../time/index.js';

/** How long after its end a date may still get its attendance mail. */
export const MAIL_WINDOW_MS = 2 * 86_400_000;

/** The link works through this many local days after the date's day. */
export const LINK_DAYS = 14;

/** The longest a date can last (bounds the query by start, for the (status, start_at) index). */
export const LONGEST_DATE_MS = 7 * 86_400_000;

export interface AttendanceCandidate {
  bookingId: number;
  status: string;
  endAt: number;
  /** The request's personal data were removed (retention or erasure). */
  anonymized: boolean;
  /** The request has an address to write to. */
  hasEmail: boolean;
  /** A number (or "did not take place") is already recorded for the date. */
  reported: boolean;
}

/** Whether the attendance mail of this date is due at `now` (not whether it was already sent: the database knows). */
export function isAttendanceMailDue(c: AttendanceCandidate, now: number): boolean {
  if (c.status !== 'approved' || c.anonymized || !c.hasEmail || c.reported) return false;
  return c.endAt <= now && c.endAt > now - MAIL_WINDOW_MS;
}

/** The last local day on which the link of a date ending at `endAt` works. */
export function linkLastDay(endAt: number, zone: string): string {
  return addDays(localDate(endAt, zone), LINK_DAYS);
}

/** The instant from which the link of a date ending at `endAt` no longer works (midnight after its last day). */
export function linkExpiresAt(endAt: number, zone: string): number {
  return dayStart(addDays(linkLastDay(endAt, zone), 1), zone);
}

/** The highest number a group may report for a room (twice its capacity, at least 20: a sane bound, not a rule). */
export function attendanceBound(capacity: number): number {
  return Math.max(20, capacity * 2);
}

/**
 * What the form says it showed ("start-end" in epoch ms, a hidden field): saving refuses an answer given for a date
 * whose time staff changed after the form was read, so a number never lands on a date the group did not see.
 */
export function dateStamp(start: number, end: number): string {
  return `${start}-${end}`;
}
