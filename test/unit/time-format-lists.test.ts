// formatWhen and formatAge as lists call them (the inbox's 25 rows): they convert instants with the zone's cached
// offset instead of a Luxon DateTime per value. Checked against a model written with Luxon alone (the wall clock
// of the house zone, calendar days), on random spans and ages around the DST changes of several zones, including
// half-hour offsets and Lord Howe's half-hour DST.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { translator } from '../../src/i18n/index.js';
import { formatAge, formatDate, formatTimeRange, formatWhen } from '../../src/time/format.js';

const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC'];
const de = translator('de');
const en = translator('en');

/** Instants on the quarter hour, often within a day of a DST change of the zone (last Sundays of March and October). */
const instants = fc
  .oneof(
    fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2032, 0, 1) }),
    fc
      .record({
        year: fc.integer({ min: 2020, max: 2031 }),
        month: fc.constantFrom(2, 3, 9, 10, 11),
        day: fc.integer({ min: 1, max: 31 }),
        minutes: fc.integer({ min: -1440, max: 2880 }),
      })
      .map(({ year, month, day, minutes }) => Date.UTC(year, month, Math.min(day, 28)) + minutes * 60_000),
  )
  .map((ms) => Math.floor(ms / 900_000) * 900_000);

/** The span as a reader should see it, by Luxon's wall clock (the rules in src/time/format.ts's header). */
function modelWhen(start: number, end: number, zone: string, lang: 'de' | 'en'): string {
  const t = lang === 'de' ? de : en;
  const s = DateTime.fromMillis(start, { zone });
  const e = DateTime.fromMillis(end, { zone });
  const [sd, ed, st, et] = [s.toISODate()!, e.toISODate()!, s.toFormat('HH:mm'), e.toFormat('HH:mm')];
  if (st === '00:00' && et === '00:00' && ed > sd) {
    const last = e.minus({ days: 1 }).toISODate()!;
    return last === sd ? formatDate(sd, lang) : `${formatDate(sd, lang)} – ${formatDate(last, lang)}`;
  }
  if (sd === ed) return `${formatDate(sd, lang)}, ${formatTimeRange(st, et, t)}`;
  if (et === '00:00' && s.plus({ days: 1 }).toISODate() === ed) return `${formatDate(sd, lang)}, ${formatTimeRange(st, '24:00', t)}`;
  return `${formatDate(sd, lang)} ${st} – ${formatDate(ed, lang)} ${et}`;
}

/** Whole calendar days between the two local dates, as Luxon counts them. */
function modelDays(instant: number, now: number, zone: string): number {
  return Math.round(DateTime.fromMillis(now, { zone }).startOf('day').diff(DateTime.fromMillis(instant, { zone }).startOf('day'), 'days').days);
}

describe('formatWhen and formatAge in lists', () => {
  it('write every span as the wall clock of the zone shows it', () => {
    fc.assert(
      fc.property(
        instants,
        fc.integer({ min: 1, max: 4 * 96 }),
        fc.constantFrom(...ZONES),
        fc.constantFrom('de' as const, 'en' as const),
        (start, quarters, zone, lang) => {
          const end = start + quarters * 900_000;
          expect(formatWhen(start, end, zone, lang, lang === 'de' ? de : en)).toBe(modelWhen(start, end, zone, lang));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('count an age in calendar days of the zone (a request from yesterday 23:00 is a day old at 08:00)', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: 0, max: 60 * 96 }), fc.constantFrom(...ZONES), (instant, quarters, zone) => {
        const now = instant + quarters * 900_000;
        const days = modelDays(instant, now, zone);
        const age = formatAge(instant, now, zone, 'en');
        if (days >= 1) expect(age).toBe(days === 1 ? '1 day ago' : `${days} days ago`);
        else expect(age).toMatch(/ago$/);
        expect(age.includes('day')).toBe(days >= 1);
      }),
      { numRuns: 3000 },
    );
  });

  it('count the night of the October change (25 hours) and of March (23 hours) as one day each', () => {
    const zone = 'Europe/Berlin';
    expect(formatAge(Date.parse('2026-10-24T23:00:00+02:00'), Date.parse('2026-10-26T00:30:00+01:00'), zone, 'de')).toBe('vor 2 Tagen');
    expect(formatAge(Date.parse('2026-10-25T00:30:00+02:00'), Date.parse('2026-10-26T00:10:00+01:00'), zone, 'de')).toBe('vor 1 Tag');
    expect(formatAge(Date.parse('2026-03-28T23:30:00+01:00'), Date.parse('2026-03-29T23:30:00+02:00'), zone, 'de')).toBe('vor 1 Tag');
    expect(formatAge(Date.parse('2026-03-29T00:10:00+01:00'), Date.parse('2026-03-29T23:50:00+02:00'), zone, 'de')).toBe('vor 22 Stunden');
  });
});
