// The rhythms besides "every 1–4 weeks": the nth or last weekday of the month, a hand-picked list of dates, and
// the following period of a series ("book the next season"). The monthly dates are checked against a model
// written independently of series.ts: it walks every day of the range with Luxon and picks the nth or last
// weekday by counting the matching days inside each calendar month.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  MAX_PICKED_DATES,
  checkPickedDates,
  checkSeriesShape,
  expandSeries,
  nextPeriod,
  parseDateList,
  rhythmColumns,
  rhythmOf,
  seriesDates,
  type Nth,
  type Rhythm,
} from '../../src/bookings/series.js';
import { localTime } from '../../src/time/index.js';

const ZONE = 'Europe/Berlin';
const NTHS: Nth[] = [1, 2, 3, 4, -1];

const day = (iso: string) => DateTime.fromISO(iso, { zone: 'UTC' });

/** The model: every day from `first` to `last`; a day counts when it has the weekday of `first` and is the nth (or last) such day of its month. */
function monthlyModel(first: string, last: string, nth: Nth): string[] {
  const weekdayOfFirst = day(first).weekday;
  const byMonth = new Map<string, string[]>();
  // Count the matching weekdays of every month touched, over whole months (so "last" sees the month's end).
  for (let d = day(first).startOf('month'); d <= day(last).endOf('month'); d = d.plus({ days: 1 })) {
    if (d.weekday !== weekdayOfFirst) continue;
    const key = d.toFormat('yyyy-MM');
    byMonth.set(key, [...(byMonth.get(key) ?? []), d.toISODate()!]);
  }
  const picked = [...byMonth.values()].map((list) => (nth === -1 ? list[list.length - 1]! : list[nth - 1]!));
  return picked.filter((d) => d >= first && d <= last);
}

/** A first date that is the nth (or last) weekday of its month, found by the model. */
const firstDateArb = fc
  .record({
    year: fc.integer({ min: 2024, max: 2032 }),
    month: fc.integer({ min: 1, max: 12 }),
    weekday: fc.integer({ min: 1, max: 7 }),
    nth: fc.constantFrom(...NTHS),
  })
  .map(({ year, month, weekday, nth }) => {
    const start = DateTime.utc(year, month, 1);
    const matching: string[] = [];
    for (let d = start; d.month === month; d = d.plus({ days: 1 })) if (d.weekday === weekday) matching.push(d.toISODate()!);
    return { first: nth === -1 ? matching[matching.length - 1]! : matching[nth - 1]!, nth };
  });

describe('every nth or last weekday of the month', () => {
  it('gives exactly the dates the day-by-day model picks, for any start, weekday, nth and length', () => {
    fc.assert(
      fc.property(firstDateArb, fc.integer({ min: 0, max: 800 }), ({ first, nth }, length) => {
        const last = day(first).plus({ days: length }).toISODate()!;
        expect(seriesDates({ firstDate: first, lastDate: last, rhythm: { kind: 'monthly', nth } })).toEqual(monthlyModel(first, last, nth));
      }),
      { numRuns: 120 },
    );
  });

  it('tells "last" from "fourth" in a month with five of the weekday, and not in one with four', () => {
    // December 2026 has five Tuesdays (1, 8, 15, 22, 29); February 2027 has four (2, 9, 16, 23).
    const fourth = seriesDates({ firstDate: '2026-12-22', lastDate: '2027-02-28', rhythm: { kind: 'monthly', nth: 4 } });
    const last = seriesDates({ firstDate: '2026-12-29', lastDate: '2027-02-28', rhythm: { kind: 'monthly', nth: -1 } });
    expect(fourth).toEqual(['2026-12-22', '2027-01-26', '2027-02-23']);
    expect(last).toEqual(['2026-12-29', '2027-01-26', '2027-02-23']);
  });

  it('finds the last weekday on 29 February in a leap year', () => {
    // 29 February 2028 is a Tuesday; 2027 has no 29 February.
    expect(seriesDates({ firstDate: '2028-01-25', lastDate: '2028-03-31', rhythm: { kind: 'monthly', nth: -1 } })).toEqual([
      '2028-01-25',
      '2028-02-29',
      '2028-03-28',
    ]);
    expect(seriesDates({ firstDate: '2027-01-26', lastDate: '2027-03-31', rhythm: { kind: 'monthly', nth: -1 } })).toEqual([
      '2027-01-26',
      '2027-02-23',
      '2027-03-30',
    ]);
  });

  it('keeps 19:00 on the DST change days (the last Sundays of March and October)', () => {
    const r = expandSeries(
      { firstDate: '2027-01-31', lastDate: '2027-12-31', rhythm: { kind: 'monthly', nth: -1 }, startTime: '19:00', endTime: '21:00' },
      ZONE,
    );
    if (!r.ok) throw new Error(JSON.stringify(r.failures));
    expect(r.dates.map((d) => d.date)).toContain('2027-03-28');
    expect(r.dates.map((d) => d.date)).toContain('2027-10-31');
    expect(new Set(r.dates.map((d) => `${localTime(d.start, ZONE)}-${localTime(d.end, ZONE)}`))).toEqual(new Set(['19:00-21:00']));
    // 19:00 on 28 March is 17:00 UTC (summer time), on 31 October 18:00 UTC (winter time again).
    expect(new Date(r.dates.find((d) => d.date === '2027-03-28')!.start).toISOString()).toBe('2027-03-28T17:00:00.000Z');
    expect(new Date(r.dates.find((d) => d.date === '2027-10-31')!.start).toISOString()).toBe('2027-10-31T18:00:00.000Z');
  });

  it('names the DST day when the time does not exist on it', () => {
    const r = expandSeries(
      { firstDate: '2027-01-31', lastDate: '2027-04-30', rhythm: { kind: 'monthly', nth: -1 }, startTime: '02:30', endTime: '04:00' },
      ZONE,
    );
    expect(r).toEqual({ ok: false, failures: [{ field: 'start', key: 'requests.error.dstGap', params: { date: '2027-03-28', time: '02:30' } }] });
  });

  it('refuses a first date that is not the chosen weekday of its month, suggesting the next one that is', () => {
    const f = checkSeriesShape({ firstDate: '2026-12-01', lastDate: '2027-03-01', rhythm: { kind: 'monthly', nth: -1 } }, '2026-11-23', 12);
    expect(f).toEqual([
      { field: 'nth', key: 'rhythm.error.notNth', params: { nth: 'last', weekday: 2 }, dates: { date: ['2026-12-01'], suggestion: ['2026-12-29'] } },
    ]);
    expect(checkSeriesShape({ firstDate: '2026-12-01', lastDate: '2027-03-01', rhythm: { kind: 'monthly', nth: 1 } }, '2026-11-23', 12)).toEqual([]);
    expect(checkSeriesShape({ firstDate: '2026-12-01', lastDate: '2027-03-01', rhythm: { kind: 'monthly', nth: 5 } }, '2026-11-23', 12)[0]).toMatchObject({
      field: 'nth',
      key: 'rhythm.error.nth',
    });
  });

  it('cuts at the horizon: a last date beyond it is refused on the last date', () => {
    const s = { firstDate: '2026-12-01', rhythm: { kind: 'monthly' as const, nth: 1 } };
    expect(checkSeriesShape({ ...s, lastDate: '2027-11-24' }, '2026-11-23', 12)).toEqual([
      { field: 'lastDate', key: 'requests.error.horizon', params: { months: 12, latest: '2027-11-23' } },
    ]);
    expect(checkSeriesShape({ ...s, lastDate: '2027-11-23' }, '2026-11-23', 12)).toEqual([]);
  });
});

describe('a hand-picked list of dates', () => {
  it('reads dates as people write them, in any order and with any separator, and names what is no date', () => {
    expect(parseDateList('24.03.2027\n2027-01-05, 3.2.2027;  \n\n 17.12.2026 ')).toEqual({
      ok: true,
      dates: ['2027-03-24', '2027-01-05', '2027-02-03', '2026-12-17'],
    });
    expect(parseDateList('24.03.2027\n31.02.2027\nmorgen\n2027-13-01')).toEqual({ ok: false, bad: ['31.02.2027', 'morgen', '2027-13-01'] });
    expect(parseDateList('   ')).toEqual({ ok: true, dates: [] });
  });

  it('sorts the dates and counts the first date once', () => {
    expect(seriesDates({ firstDate: '2026-12-01', lastDate: '2027-01-05', rhythm: { kind: 'dates', dates: ['2027-01-05', '2026-12-08'] } })).toEqual([
      '2026-12-01',
      '2026-12-08',
      '2027-01-05',
    ]);
  });

  it('refuses duplicates, past dates, dates before the first one, too many and dates beyond the horizon, naming them', () => {
    const today = '2026-11-23';
    expect(checkPickedDates('2026-12-01', [], today, 12)).toMatchObject({ field: 'dates', key: 'rhythm.error.datesMissing' });
    expect(checkPickedDates('2026-12-01', ['2026-12-08', '2026-12-01', '2026-12-08'], today, 12)).toMatchObject({
      key: 'rhythm.error.duplicate',
      dates: { dates: ['2026-12-01', '2026-12-08'] },
    });
    expect(checkPickedDates('2026-12-01', ['2026-11-20', '2026-12-08'], today, 12)).toMatchObject({
      key: 'rhythm.error.past',
      dates: { dates: ['2026-11-20'] },
    });
    expect(checkPickedDates('2026-12-01', ['2026-11-30'], today, 12)).toMatchObject({ key: 'rhythm.error.beforeFirst', dates: { dates: ['2026-11-30'] } });
    expect(checkPickedDates('2026-12-01', ['2027-11-23', '2027-11-24'], today, 12)).toMatchObject({
      key: 'rhythm.error.horizon',
      dates: { dates: ['2027-11-24'], latest: ['2027-11-23'] },
    });
    expect(checkPickedDates('2026-12-01', ['2027-11-24'], today, 12, { overrideHorizon: true })).toBeNull();
    const many = (n: number) => Array.from({ length: n }, (_, i) => day('2026-12-02').plus({ days: i }).toISODate()!);
    expect(checkPickedDates('2026-12-01', many(MAX_PICKED_DATES - 1), today, 12)).toBeNull();
    expect(checkPickedDates('2026-12-01', many(MAX_PICKED_DATES), today, 12)).toMatchObject({
      key: 'rhythm.error.overLimit',
      params: { max: MAX_PICKED_DATES, given: MAX_PICKED_DATES + 1 },
    });
  });
});

describe('the following period of a series ("book the next season")', () => {
  it('continues a weekly series after its last date, as long again', () => {
    // Every 2 weeks from Tue 1 Dec 2026 to 12 Jan 2027 (the last date in the rhythm is 12 Jan).
    expect(nextPeriod({ firstDate: '2026-12-01', lastDate: '2027-01-20', everyWeeks: 2 }, '2027-11-23')).toEqual({
      firstDate: '2027-01-26',
      lastDate: '2027-03-09',
      rhythm: { kind: 'weekly', everyWeeks: 2 },
    });
  });

  it('continues a monthly series with the next month that the model picks, cut at the horizon', () => {
    fc.assert(
      fc.property(firstDateArb, fc.integer({ min: 0, max: 400 }), ({ first, nth }, length) => {
        const last = day(first).plus({ days: length }).toISODate()!;
        const own = monthlyModel(first, last, nth);
        const next = nextPeriod({ firstDate: first, lastDate: last, rhythm: { kind: 'monthly', nth } }, '2099-12-31')!;
        // The model's next date after the series' last one.
        const following = monthlyModel(first, day(last).plus({ days: 70 }).toISODate()!, nth).find((d) => d > own[own.length - 1]!);
        expect(next.firstDate).toBe(following);
        expect(day(next.lastDate).diff(day(next.firstDate), 'days').days).toBe(day(own[own.length - 1]!).diff(day(own[0]!), 'days').days);
      }),
      { numRuns: 60 },
    );
    const cut = nextPeriod({ firstDate: '2026-12-29', lastDate: '2027-06-29', rhythm: { kind: 'monthly', nth: -1 } }, '2027-11-23');
    expect(cut).toEqual({ firstDate: '2027-07-27', lastDate: '2027-11-23', rhythm: { kind: 'monthly', nth: -1 } });
    expect(nextPeriod({ firstDate: '2026-12-29', lastDate: '2027-06-29', rhythm: { kind: 'monthly', nth: -1 } }, '2027-07-26')).toBeNull();
  });

  it('moves a hand-picked list by whole weeks past its end, each date keeping its weekday', () => {
    // Tue 1 Dec, Tue 8 Dec, Thu 17 Dec: 17 days long, so three weeks on.
    const next = nextPeriod({ firstDate: '2026-12-01', lastDate: '2026-12-17', rhythm: { kind: 'dates', dates: ['2026-12-08', '2026-12-17'] } }, '2027-11-23');
    expect(next).toEqual({ firstDate: '2026-12-22', lastDate: '2027-01-07', rhythm: { kind: 'dates', dates: ['2026-12-29', '2027-01-07'] } });
    // Beyond the horizon the list is cut.
    expect(
      nextPeriod({ firstDate: '2026-12-01', lastDate: '2026-12-17', rhythm: { kind: 'dates', dates: ['2026-12-08', '2026-12-17'] } }, '2026-12-30'),
    ).toEqual({
      firstDate: '2026-12-22',
      lastDate: '2026-12-29',
      rhythm: { kind: 'dates', dates: ['2026-12-29'] },
    });
  });
});

describe('a rhythm stored and read back', () => {
  it('keeps every rhythm, and reads a weekly row from before the rhythm columns as weekly', () => {
    const base = { first_date: '2026-12-01' };
    for (const r of [
      { kind: 'weekly', everyWeeks: 3 },
      { kind: 'monthly', nth: -1 },
      { kind: 'dates', dates: ['2026-12-08', '2027-01-05'] },
    ] satisfies Rhythm[]) {
      expect(rhythmOf({ ...base, ...rhythmColumns(r) })).toEqual(r);
    }
    expect(rhythmOf({ ...base, repeat_kind: null, repeat_weeks: 2, repeat_nth: null, repeat_dates: null })).toEqual({ kind: 'weekly', everyWeeks: 2 });
    expect(rhythmOf({ ...base, ...rhythmColumns(null) })).toBeNull();
  });
});
