import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import {
  ZoneClock,
  addDays,
  addMonths,
  dayStart,
  daysBetween,
  isoWithOffset,
  localDate,
  localTime,
  localToInstant,
  plusLocalDays,
  todayIn,
  weekday,
} from '../../src/time/index.js';

const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Auckland', 'Asia/Kolkata', 'UTC', 'Europe/London'];
// 1990 … 2060, so every DST rule of these zones in that span is crossed.
const instants = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }).map((ms) => Math.floor(ms / 60_000) * 60_000);

describe('the cached zone clock agrees with src/time', () => {
  for (const zone of ZONES) {
    it(`converts instants to local time, date and ISO like Luxon (${zone})`, () => {
      const clock = new ZoneClock(zone);
      fc.assert(
        fc.property(instants, (ms) => {
          expect(clock.time(ms)).toBe(localTime(ms, zone));
          expect(clock.date(ms)).toBe(localDate(ms, zone));
          expect(clock.iso(ms)).toBe(isoWithOffset(ms, zone));
        }),
        { numRuns: 100 },
      );
    });

    it(`finds the instant of a wall time, refusing gap and doubled hour like localToInstant (${zone})`, () => {
      const clock = new ZoneClock(zone);
      fc.assert(
        fc.property(instants, fc.integer({ min: -180, max: 180 }), (ms, shift) => {
          // Probe wall times near the instant, so DST transitions are hit often enough.
          const probe = ms + shift * 60_000;
          const date = localDate(probe, zone);
          const time = localTime(probe, zone);
          const r = localToInstant(date, time, zone);
          expect(clock.instant(date, time)).toBe(r.ok ? r.instant : null);
          expect(clock.isUnambiguous(probe)).toBe(r.ok);
        }),
        { numRuns: 100 },
      );
    });
  }

  it('agrees on every quarter hour around every offset change of several years', () => {
    let checked = 0;
    for (const zone of ZONES) {
      const z = IANAZone.create(zone);
      const clock = new ZoneClock(zone);
      for (const year of [1996, 2026, 2027]) {
        for (let day = Date.UTC(year, 0, 1); day < Date.UTC(year + 1, 0, 1); day += 86_400_000) {
          if (z.offset(day) === z.offset(day + 86_400_000)) continue;
          let change = day;
          while (z.offset(change) === z.offset(day)) change += 15 * 60_000;
          for (let ms = change - 4 * 3_600_000; ms < change + 4 * 3_600_000; ms += 15 * 60_000) {
            const date = localDate(ms, zone);
            const time = localTime(ms, zone);
            const r = localToInstant(date, time, zone);
            expect(clock.time(ms)).toBe(time);
            expect(clock.iso(ms)).toBe(isoWithOffset(ms, zone));
            expect(clock.instant(date, time), `${zone} ${date} ${time}`).toBe(r.ok ? r.instant : null);
            expect(clock.isUnambiguous(ms), `${zone} ${date} ${time}`).toBe(r.ok);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('finds the doubled autumn hour and the spring gap of Berlin', () => {
    const clock = new ZoneClock('Europe/Berlin');
    expect(clock.instant('2026-10-25', '02:30')).toBeNull();
    expect(clock.instant('2026-03-29', '02:30')).toBeNull();
    expect(clock.instant('2026-03-29', '03:00')).toBe(Date.parse('2026-03-29T01:00:00Z'));
    expect(clock.instant('2026-03-29', '24:00')).toBe(Date.parse('2026-03-29T22:00:00Z'));
    expect(clock.isUnambiguous(Date.parse('2026-10-25T00:30:00Z'))).toBe(false);
    expect(clock.isUnambiguous(Date.parse('2026-10-25T01:30:00Z'))).toBe(false);
    expect(clock.isUnambiguous(Date.parse('2026-10-25T02:00:00Z'))).toBe(true);
  });

  it('adds days and names weekdays like Luxon, across month, year and leap-day ends', () => {
    const luxonDay = (date: string) => DateTime.fromISO(date, { zone: 'UTC' });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: -400, max: 400 }), (n, days) => {
        const date = luxonDay('1990-01-01').plus({ days: n }).toISODate()!;
        expect(addDays(date, days)).toBe(luxonDay(date).plus({ days }).toISODate());
        expect(weekday(date)).toBe(luxonDay(date).weekday);
      }),
      { numRuns: 300 },
    );
    expect(addDays('0099-12-31', 1)).toBe('0100-01-01');
    expect(addDays('0050-03-01', -1)).toBe('0050-02-28');
    expect(weekday('0099-12-31')).toBe(luxonDay('0099-12-31').weekday);
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(weekday('2026-11-23')).toBe(1);
    expect(weekday('2026-11-29')).toBe(7);
    expect(daysBetween('2026-12-28', '2027-01-03')).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03']);
  });
});

describe('day starts and today take the cached clock and still agree with Luxon', () => {
  // America/Santiago and America/Havana move the clock at midnight (the day starts at 01:00 or midnight comes twice).
  for (const zone of [...ZONES, 'America/Santiago', 'America/Havana', 'Asia/Gaza']) {
    it(`dayStart and todayIn (${zone})`, () => {
      fc.assert(
        fc.property(instants, (ms) => {
          const date = localDate(ms, zone);
          expect(dayStart(date, zone)).toBe(DateTime.fromISO(date, { zone }).startOf('day').toMillis());
          expect(todayIn(() => new Date(ms), zone)).toBe(date);
        }),
        { numRuns: 300 },
      );
    });

    it(`plusLocalDays keeps the wall time like Luxon's plus({ days }) (${zone})`, () => {
      fc.assert(
        fc.property(instants, fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 59_999 }), (ms, days, extra) => {
          const at = ms + extra;
          expect(plusLocalDays(at, days, zone)).toBe(DateTime.fromMillis(at, { zone }).plus({ days }).toMillis());
        }),
        { numRuns: 300 },
      );
    });
  }

  it("addMonths clamps to the month's last day like Luxon", () => {
    const dates = fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2199, 11, 31) }).map((ms) => new Date(ms).toISOString().slice(0, 10));
    fc.assert(
      fc.property(dates, fc.integer({ min: -60, max: 60 }), (date, months) => {
        expect(addMonths(date, months)).toBe(DateTime.fromISO(date, { zone: 'UTC' }).plus({ months }).toISODate());
      }),
      { numRuns: 1000 },
    );
    for (const [date, months, want] of [
      ['2026-01-31', 1, '2026-02-28'],
      ['2028-01-31', 1, '2028-02-29'],
      ['2026-03-31', -1, '2026-02-28'],
      ['2026-12-15', 1, '2027-01-15'],
      ['2026-01-15', -1, '2025-12-15'],
    ] as const) {
      expect(addMonths(date, months), `${date} ${months}`).toBe(want);
    }
  });

  it('keeps Luxon for impossible dates, unknown zones and years outside the calendar', () => {
    expect(addMonths('2026-02-30', 1)).toBe(DateTime.fromISO('2026-02-30', { zone: 'UTC' }).plus({ months: 1 }).toISODate());
    expect(dayStart('2026-02-30', 'Europe/Berlin')).toBeNaN();
    expect(dayStart('2026-11-30', 'Mars/Olympus')).toBeNaN();
    expect(dayStart('2250-06-01', 'Europe/Berlin')).toBe(DateTime.fromISO('2250-06-01', { zone: 'Europe/Berlin' }).toMillis());
    // A wall time in the spring gap or the doubled autumn hour a day later is Luxon's answer.
    for (const local of ['2026-03-28T02:30', '2026-10-24T02:30', '2026-10-24T01:59', '2026-03-27T02:00']) {
      const at = DateTime.fromISO(local, { zone: 'Europe/Berlin' });
      expect(plusLocalDays(at.toMillis(), 1, 'Europe/Berlin'), local).toBe(at.plus({ days: 1 }).toMillis());
    }
    // A midnight that does not exist (Santiago, 2026-09-06: 00:00 → 01:00) starts the day at 01:00, as before.
    expect(dayStart('2026-09-06', 'America/Santiago')).toBe(DateTime.fromISO('2026-09-06T01:00', { zone: 'America/Santiago' }).toMillis());
  });
});
