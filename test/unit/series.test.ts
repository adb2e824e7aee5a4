import { describe, expect, it } from 'vitest';
import { checkSeriesShape, classifyDates, expandSeries, seriesDates } from '../../src/bookings/series.js';
import type { PublicClash } from '../../src/bookings/clashes.js';
import { holidaysBetween } from '../../src/time/holidays.js';
import { localTime, toLocal } from '../../src/time/index.js';

const ZONE = 'Europe/Berlin';

function expandOk(firstDate: string, lastDate: string, everyWeeks: number, startTime: string, endTime: string) {
  const r = expandSeries({ firstDate, lastDate, everyWeeks, startTime, endTime }, ZONE);
  if (!r.ok) throw new Error(`expected dates, got ${JSON.stringify(r.failures)}`);
  return r.dates;
}

describe('the shape of a series (rule 8)', () => {
  it('refuses an interval outside 1–4 weeks', () => {
    expect(checkSeriesShape({ firstDate: '2026-12-01', lastDate: '2027-01-01', everyWeeks: 5 }, '2026-11-23', 12)).toEqual([
      { field: 'repeat', key: 'requests.error.repeat', params: { min: 1, max: 4 } },
    ]);
    expect(checkSeriesShape({ firstDate: '2026-12-01', lastDate: '2027-01-01', everyWeeks: 0 }, '2026-11-23', 12)[0]!.field).toBe('repeat');
  });

  it('refuses a missing, non-existent or earlier last date', () => {
    expect(checkSeriesShape({ firstDate: '2026-12-01', lastDate: '', everyWeeks: 1 }, '2026-11-23', 12)[0]!.key).toBe('requests.error.lastDateMissing');
    expect(checkSeriesShape({ firstDate: '2026-12-01', lastDate: '2027-02-30', everyWeeks: 1 }, '2026-11-23', 12)[0]!.key).toBe('requests.error.dateInvalid');
    expect(checkSeriesShape({ firstDate: '2026-12-01', lastDate: '2026-11-30', everyWeeks: 1 }, '2026-11-23', 12)[0]!.key).toBe(
      'requests.error.lastBeforeFirst',
    );
  });

  it('refuses a last date beyond the horizon unless overridden', () => {
    const s = { firstDate: '2026-12-01', lastDate: '2027-11-30', everyWeeks: 1 };
    expect(checkSeriesShape(s, '2026-11-23', 12)).toEqual([{ field: 'lastDate', key: 'requests.error.horizon', params: { months: 12, latest: '2027-11-23' } }]);
    expect(checkSeriesShape(s, '2026-11-23', 12, { overrideHorizon: true })).toEqual([]);
    expect(checkSeriesShape({ ...s, lastDate: '2027-11-23' }, '2026-11-23', 12)).toEqual([]);
  });
});

describe('the dates of a series', () => {
  it('repeats on the weekday of the first date every N weeks, including the last date when it falls on one', () => {
    expect(seriesDates({ firstDate: '2026-12-01', lastDate: '2026-12-29', everyWeeks: 1 })).toEqual([
      '2026-12-01',
      '2026-12-08',
      '2026-12-15',
      '2026-12-22',
      '2026-12-29',
    ]);
    expect(seriesDates({ firstDate: '2026-12-01', lastDate: '2026-12-28', everyWeeks: 2 })).toEqual(['2026-12-01', '2026-12-15']);
    expect(seriesDates({ firstDate: '2026-12-01', lastDate: '2027-01-26', everyWeeks: 4 })).toEqual(['2026-12-01', '2026-12-29', '2027-01-26']);
    expect(seriesDates({ firstDate: '2026-12-01', lastDate: '2026-12-01', everyWeeks: 3 })).toEqual(['2026-12-01']);
  });

  it('keeps 19:00 at 19:00 across the spring change of 29 March 2026', () => {
    const dates = expandOk('2026-03-22', '2026-04-05', 1, '19:00', '21:00');
    expect(dates.map((d) => d.date)).toEqual(['2026-03-22', '2026-03-29', '2026-04-05']);
    expect(dates.map((d) => localTime(d.start, ZONE))).toEqual(['19:00', '19:00', '19:00']);
    expect(dates.map((d) => localTime(d.end, ZONE))).toEqual(['21:00', '21:00', '21:00']);
    // In UTC the time moves by an hour: 18:00Z in winter, 17:00Z in summer.
    expect(new Date(dates[0]!.start).toISOString()).toBe('2026-03-22T18:00:00.000Z');
    expect(new Date(dates[1]!.start).toISOString()).toBe('2026-03-29T17:00:00.000Z');
  });

  it('keeps 19:00 at 19:00 across the autumn change of 25 October 2026', () => {
    const dates = expandOk('2026-10-18', '2026-11-01', 1, '19:00', '20:30');
    expect(dates.map((d) => toLocal(d.start, ZONE).toFormat('yyyy-MM-dd HH:mm'))).toEqual(['2026-10-18 19:00', '2026-10-25 19:00', '2026-11-01 19:00']);
    expect(dates[0]!.start - Date.parse('2026-10-18T17:00:00Z')).toBe(0);
    expect(dates[1]!.start - Date.parse('2026-10-25T18:00:00Z')).toBe(0);
    expect(dates.every((d) => d.end - d.start === 90 * 60_000)).toBe(true);
  });

  it('keeps 19:00 at 19:00 across 28 March 2027', () => {
    const dates = expandOk('2027-03-14', '2027-04-11', 2, '19:00', '21:00');
    expect(dates.map((d) => d.date)).toEqual(['2027-03-14', '2027-03-28', '2027-04-11']);
    expect(dates.map((d) => localTime(d.start, ZONE))).toEqual(['19:00', '19:00', '19:00']);
    expect(new Date(dates[1]!.start).toISOString()).toBe('2027-03-28T17:00:00.000Z');
  });

  it('refuses a series whose time does not exist on one of its dates, naming the date', () => {
    const r = expandSeries({ firstDate: '2026-03-22', lastDate: '2026-04-05', everyWeeks: 1, startTime: '02:30', endTime: '04:00' }, ZONE);
    expect(r).toEqual({ ok: false, failures: [{ field: 'start', key: 'requests.error.dstGap', params: { date: '2026-03-29', time: '02:30' } }] });
    const twice = expandSeries({ firstDate: '2026-10-18', lastDate: '2026-10-25', everyWeeks: 1, startTime: '01:00', endTime: '02:15' }, ZONE);
    expect(twice.ok).toBe(false);
    if (!twice.ok) expect(twice.failures[0]).toMatchObject({ field: 'end', key: 'requests.error.dstAmbiguous', params: { date: '2026-10-25' } });
  });
});

describe('skipped and clashing dates', () => {
  const clash = (kind: 'booking' | 'block'): PublicClash => ({
    kind,
    roomId: 1,
    roomName: 'Saal A',
    start: 0,
    end: 1,
    startDate: '2026-12-22',
    startTime: '18:00',
    endDate: '2026-12-22',
    endTime: '20:00',
    reason: kind === 'block' ? 'closure' : null,
    label: null,
    buffersOnly: false,
  });

  it('skips Christmas in Berlin, skips closures and marks clashes with approved bookings', () => {
    const dates = expandOk('2026-12-11', '2027-01-01', 1, '19:00', '21:00');
    expect(dates.map((d) => d.date)).toEqual(['2026-12-11', '2026-12-18', '2026-12-25', '2027-01-01']);
    const holidays = holidaysBetween('BE', '2026-12-11', '2027-01-01');
    const planned = classifyDates(dates, holidays, [[], [clash('booking')], [], [clash('block')]]);
    expect(planned.map((d) => [d.date, d.status, d.skipReason])).toEqual([
      ['2026-12-11', 'ok', null],
      ['2026-12-18', 'clash', 'clash'],
      ['2026-12-25', 'skipped', 'holiday'],
      // New Year is a holiday too: the holiday wins over the closure.
      ['2027-01-01', 'skipped', 'holiday'],
    ]);
    expect(planned[2]!.holiday).toBe('1. Weihnachtstag');
  });

  it('prefers a closure over a clash on the same date and keeps only the blocks as reason', () => {
    const dates = expandOk('2026-12-01', '2026-12-01', 1, '19:00', '21:00');
    const [d] = classifyDates(dates, [], [[clash('booking'), clash('block')]]);
    expect(d!.status).toBe('skipped');
    expect(d!.skipReason).toBe('closure');
    expect(d!.clashes.map((c) => c.kind)).toEqual(['block']);
  });
});
