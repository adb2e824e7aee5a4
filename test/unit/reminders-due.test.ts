// When a reminder is due, checked against a model written without Luxon: the wall clock of an instant in the
// house zone read with Intl, and calendar days counted with Date.UTC. "2 days before" means local days, also
// across the last Sunday of March and of October, when a local day is 23 or 25 hours long.
import { describe, expect, it } from 'vitest';
import { isReminderDue, reminderDueAt, summaryDay, type ReminderCandidate } from '../../src/reminders/rules.js';

const ZONE = 'Europe/Berlin';

/** The model: 'YYYY-MM-DD HH:MM' wall clock of an instant in Berlin, read by Intl. */
function wall(instant: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** The model: a calendar date `days` days earlier, by UTC date arithmetic. */
function daysBefore(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! - days)).toISOString().slice(0, 10);
}

const candidate = (o: Partial<ReminderCandidate> = {}): ReminderCandidate => ({
  bookingId: 1,
  localDate: '2026-12-10',
  startAt: Date.parse('2026-12-10T18:00:00+01:00'),
  status: 'approved',
  decidedAt: Date.parse('2026-11-01T10:00:00+01:00'),
  anonymized: false,
  hasEmail: true,
  ...o,
});

describe('reminder due time', () => {
  it('is 08:00 local, N local days before, around both DST changes (hand-computed instants)', () => {
    // Spring: Sunday 2026-03-29 has 23 hours; autumn: Sunday 2026-10-25 has 25 hours.
    expect(reminderDueAt('2026-03-29', 2, ZONE)).toBe(Date.parse('2026-03-27T07:00:00Z')); // Friday 08:00 CET
    expect(reminderDueAt('2026-03-31', 2, ZONE)).toBe(Date.parse('2026-03-29T06:00:00Z')); // the DST Sunday, 08:00 CEST
    expect(reminderDueAt('2026-03-30', 2, ZONE)).toBe(Date.parse('2026-03-28T07:00:00Z')); // not 48 hours before 08:00 CEST
    expect(reminderDueAt('2026-10-25', 2, ZONE)).toBe(Date.parse('2026-10-23T06:00:00Z')); // Friday 08:00 CEST
    expect(reminderDueAt('2026-10-27', 2, ZONE)).toBe(Date.parse('2026-10-25T07:00:00Z')); // the DST Sunday, 08:00 CET
    expect(reminderDueAt('2026-10-26', 1, ZONE)).toBe(Date.parse('2026-10-25T07:00:00Z'));
  });

  it('falls on 08:00 of the right local day for every date of 2026 and 1–7 days (Intl model)', () => {
    for (let day = 0; day < 365; day++) {
      const date = new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10);
      for (const days of [1, 2, 3, 7]) {
        expect(wall(reminderDueAt(date, days, ZONE)), `${date} −${days}`).toBe(`${daysBefore(date, days)} 08:00`);
      }
    }
  });
});

describe('isReminderDue', () => {
  const due = Date.parse('2026-12-08T08:00:00+01:00');

  it('is due from the due time until the date begins, not before and not after', () => {
    const c = candidate();
    expect(isReminderDue(c, due - 1, 2, ZONE)).toBe(false);
    expect(isReminderDue(c, due, 2, ZONE)).toBe(true);
    // Catching up after a downtime: still sent the evening before.
    expect(isReminderDue(c, Date.parse('2026-12-09T21:00:00+01:00'), 2, ZONE)).toBe(true);
    expect(isReminderDue(c, c.startAt - 1, 2, ZONE)).toBe(true);
    // The date has begun: never sent late.
    expect(isReminderDue(c, c.startAt, 2, ZONE)).toBe(false);
    expect(isReminderDue(c, c.startAt + 3600_000, 2, ZONE)).toBe(false);
  });

  it('is never due when reminders are off, or for a date that is not approved, anonymised or without address', () => {
    expect(isReminderDue(candidate(), due, 0, ZONE)).toBe(false);
    for (const status of ['pending', 'rejected', 'cancelled', 'skipped']) expect(isReminderDue(candidate({ status }), due, 2, ZONE), status).toBe(false);
    expect(isReminderDue(candidate({ anonymized: true }), due, 2, ZONE)).toBe(false);
    expect(isReminderDue(candidate({ hasEmail: false }), due, 2, ZONE)).toBe(false);
  });

  it('skips a date approved at or after its reminder time (the approval mail just said it), not one approved before', () => {
    expect(isReminderDue(candidate({ decidedAt: due }), due + 60_000, 2, ZONE)).toBe(false);
    expect(isReminderDue(candidate({ decidedAt: due - 60_000 }), due + 60_000, 2, ZONE)).toBe(true);
    expect(isReminderDue(candidate({ decidedAt: null }), due, 2, ZONE)).toBe(true);
  });

  it('counts local days for a date on the DST Sunday in March: due Friday 08:00 CET', () => {
    const c = candidate({ localDate: '2026-03-29', startAt: Date.parse('2026-03-29T10:00:00+02:00'), decidedAt: 0 });
    expect(isReminderDue(c, Date.parse('2026-03-27T07:59:00+01:00'), 2, ZONE)).toBe(false);
    expect(isReminderDue(c, Date.parse('2026-03-27T08:00:00+01:00'), 2, ZONE)).toBe(true);
  });
});

describe('summaryDay', () => {
  it('is today from the hour on, and null before it', () => {
    expect(summaryDay(Date.parse('2026-12-01T06:59:00+01:00'), 7, ZONE)).toBeNull();
    expect(summaryDay(Date.parse('2026-12-01T07:00:00+01:00'), 7, ZONE)).toBe('2026-12-01');
    expect(summaryDay(Date.parse('2026-12-01T23:59:00+01:00'), 7, ZONE)).toBe('2026-12-01');
    // Midnight in UTC is already the next local day.
    expect(summaryDay(Date.parse('2026-12-01T23:30:00Z'), 0, ZONE)).toBe('2026-12-02');
  });

  it('takes the hour after the gap on the spring DST Sunday (02:00 does not exist)', () => {
    expect(summaryDay(Date.parse('2026-03-29T01:59:00+01:00'), 2, ZONE)).toBeNull();
    expect(summaryDay(Date.parse('2026-03-29T03:00:00+02:00'), 2, ZONE)).toBe('2026-03-29');
  });
});
