// When reminders are due: pure functions of the house's settings and an instant (no database, no clock).
//
// A group's reminder for an approved date is due from REMINDER_TIME (local) on the day `days` local days before
// the date, and until the date begins: days are counted in the house's calendar, so a date on the Sunday the
// clocks change gets its reminder on the Friday before at 08:00 like any other. After a downtime a reminder
// still goes out while its date lies ahead; once the date has begun it is never sent late. A date approved at
// or after its reminder time gets none (the approval mail just said everything).
import { addDays, localDate, localToInstantLenient } from '../time/index.js';

/** The local time of day from which a reminder is due. */
export const REMINDER_TIME = '08:00';

export interface ReminderCandidate {
  bookingId: number;
  /** The date in the house zone, 'YYYY-MM-DD'. */
  localDate: string;
  startAt: number;
  status: string;
  /** When the house approved the date (null when unknown: counts as long ago). */
  decidedAt: number | null;
  /** The request's personal data were removed (retention or erasure). */
  anonymized: boolean;
  /** The request has an address to write to. */
  hasEmail: boolean;
}

/** The instant from which the reminder of a date on `date` is due: REMINDER_TIME, `days` local days earlier. */
export function reminderDueAt(date: string, days: number, zone: string): number {
  return localToInstantLenient(addDays(date, -days), REMINDER_TIME, zone);
}

/** Whether the reminder of this date is due at `now` (not whether it was already sent: the database knows). */
export function isReminderDue(c: ReminderCandidate, now: number, days: number, zone: string): boolean {
  if (days <= 0 || c.status !== 'approved' || c.anonymized || !c.hasEmail) return false;
  const due = reminderDueAt(c.localDate, days, zone);
  if (now < due || now >= c.startAt) return false;
  return c.decidedAt === null || c.decidedAt < due;
}

/**
 * The latest start a date can have and still be due at `now`: its local day is at most `days` days after
 * today (a bound for the query; isReminderDue decides).
 */
export function lastDueDate(now: number, days: number, zone: string): string {
  return addDays(localDate(now, zone), days);
}

/** The local day whose daily summary is due at `now` (from `hour`:00 local on), or null before that hour. */
export function summaryDay(now: number, hour: number, zone: string): string | null {
  const today = localDate(now, zone);
  const from = localToInstantLenient(today, `${String(hour).padStart(2, '0')}:00`, zone);
  return now >= from ? today : null;
}
