import { describe, expect, it } from 'vitest';
import {
  addDays,
  dayStart,
  daysRange,
  isoWeekNumber,
  isoWithOffset,
  localDate,
  localTime,
  localToInstant,
  monthDays,
  parseDate,
  parseMonth,
  todayIn,
  weekStart,
} from '../../src/time/index.js';

const BERLIN = 'Europe/Berlin';
const HOUR = 3_600_000;

describe('localToInstant on the DST days of the house zone', () => {
  it('refuses a time in the spring gap (29 March 2026, 28 March 2027)', () => {
    expect(localToInstant('2026-03-29', '02:30', BERLIN)).toEqual({ ok: false, reason: 'gap' });
    expect(localToInstant('2026-03-29', '02:00', BERLIN)).toEqual({ ok: false, reason: 'gap' });
    expect(localToInstant('2027-03-28', '02:15', BERLIN)).toEqual({ ok: false, reason: 'gap' });
  });

  it('refuses a time in the doubled autumn hour (25 October 2026)', () => {
    expect(localToInstant('2026-10-25', '02:30', BERLIN)).toEqual({ ok: false, reason: 'ambiguous' });
    expect(localToInstant('2026-10-25', '02:00', BERLIN)).toEqual({ ok: false, reason: 'ambiguous' });
  });

  it('refuses dates and times that do not exist', () => {
    expect(localToInstant('2026-02-30', '10:00', BERLIN)).toEqual({ ok: false, reason: 'invalid' });
    expect(localToInstant('2026-03-01', '25:00', BERLIN)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('converts the times around the changes with the right offset', () => {
    const before = localToInstant('2026-03-29', '01:59', BERLIN);
    const after = localToInstant('2026-03-29', '03:00', BERLIN);
    expect(before).toEqual({ ok: true, instant: Date.parse('2026-03-29T00:59:00Z') });
    expect(after).toEqual({ ok: true, instant: Date.parse('2026-03-29T01:00:00Z') });
    expect(localToInstant('2026-10-25', '01:59', BERLIN)).toEqual({ ok: true, instant: Date.parse('2026-10-24T23:59:00Z') });
    expect(localToInstant('2026-10-25', '03:00', BERLIN)).toEqual({ ok: true, instant: Date.parse('2026-10-25T02:00:00Z') });
    expect(localToInstant('2027-03-28', '03:00', BERLIN)).toEqual({ ok: true, instant: Date.parse('2027-03-28T01:00:00Z') });
  });

  it('keeps 19:00 at 19:00 on both sides of a change', () => {
    for (const date of ['2026-03-28', '2026-03-29', '2026-10-24', '2026-10-25', '2027-03-27', '2027-03-28']) {
      const r = localToInstant(date, '19:00', BERLIN);
      if (!r.ok) throw new Error(`refused ${date}`);
      expect(localTime(r.instant, BERLIN)).toBe('19:00');
      expect(localDate(r.instant, BERLIN)).toBe(date);
    }
    const summer = localToInstant('2026-03-29', '19:00', BERLIN);
    const winter = localToInstant('2026-03-28', '19:00', BERLIN);
    if (!summer.ok || !winter.ok) throw new Error('refused');
    expect(isoWithOffset(winter.instant, BERLIN)).toBe('2026-03-28T19:00:00+01:00');
    expect(isoWithOffset(summer.instant, BERLIN)).toBe('2026-03-29T19:00:00+02:00');
  });
});

describe('days and weeks', () => {
  it('has a 23-hour day in spring and a 25-hour day in autumn', () => {
    const spring = daysRange('2026-03-29', '2026-03-29', BERLIN);
    const autumn = daysRange('2026-10-25', '2026-10-25', BERLIN);
    const plain = daysRange('2026-11-23', '2026-11-23', BERLIN);
    expect(spring.end - spring.start).toBe(23 * HOUR);
    expect(autumn.end - autumn.start).toBe(25 * HOUR);
    expect(plain.end - plain.start).toBe(24 * HOUR);
    const spring27 = daysRange('2027-03-28', '2027-03-28', BERLIN);
    expect(spring27.end - spring27.start).toBe(23 * HOUR);
  });

  it('makes a DST week 167 or 169 hours long', () => {
    const w = daysRange('2026-10-19', '2026-10-25', BERLIN);
    expect(w.end - w.start).toBe(169 * HOUR);
    const s = daysRange('2026-03-23', '2026-03-29', BERLIN);
    expect(s.end - s.start).toBe(167 * HOUR);
  });

  it('starts the day at local midnight', () => {
    expect(dayStart('2026-03-29', BERLIN)).toBe(Date.parse('2026-03-28T23:00:00Z'));
    expect(dayStart('2026-03-30', BERLIN)).toBe(Date.parse('2026-03-29T22:00:00Z'));
  });

  it('finds the Monday of the ISO week', () => {
    expect(weekStart('2026-03-29')).toBe('2026-03-23');
    expect(weekStart('2026-03-23')).toBe('2026-03-23');
    expect(weekStart('2026-10-25')).toBe('2026-10-19');
    expect(weekStart('2027-01-01')).toBe('2026-12-28');
    expect(isoWeekNumber('2026-12-28')).toBe(53);
    expect(isoWeekNumber('2026-03-23')).toBe(13);
  });

  it('counts months and adds days across month and year ends', () => {
    expect(monthDays('2026-02')).toHaveLength(28);
    expect(monthDays('2028-02')).toHaveLength(29);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
  });

  it('tells today in the house zone, not the machine zone', () => {
    // 23:30 UTC on 23 November is already 24 November in Berlin.
    expect(todayIn(() => new Date('2026-11-23T23:30:00Z'), BERLIN)).toBe('2026-11-24');
    expect(todayIn(() => new Date('2026-11-23T22:30:00Z'), BERLIN)).toBe('2026-11-23');
  });

  it('accepts only dates and months that exist', () => {
    expect(parseDate('2026-02-30')).toBeNull();
    expect(parseDate('2026-2-3')).toBeNull();
    expect(parseDate('x')).toBeNull();
    expect(parseDate('2028-02-29')).toBe('2028-02-29');
    expect(parseMonth('2026-13')).toBeNull();
    expect(parseMonth('2026-12')).toBe('2026-12');
  });
});
