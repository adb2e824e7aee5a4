// The one formatter: what a date, a time and a span read like in German and English, in the house zone,
// on the DST days of Europe/Berlin, whatever zone the machine runs in (the suite also runs under TZ=Pacific/Auckland).
import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.js';
import { formatDate, formatInstant, formatMonth, formatTime, formatTimeRange, formatWhen, weekdayNames } from '../../src/time/format.js';

const zone = 'Europe/Berlin';
const de = translator('de');
const en = translator('en');
const at = (iso: string) => Date.parse(iso);

describe('formatDate and friends', () => {
  it('writes a calendar date in each style and language', () => {
    expect(formatDate('2026-12-01', 'de')).toBe('Dienstag, 1. Dezember 2026');
    expect(formatDate('2026-12-01', 'en')).toMatch(/^Tuesday,? 1 December 2026$/);
    expect(formatDate('2026-12-01', 'de', 'date')).toBe('1. Dezember 2026');
    expect(formatDate('2026-12-01', 'en', 'date')).toBe('1 December 2026');
    expect(formatDate('2026-12-01', 'de', 'short')).toBe('01.12.');
    expect(formatDate('2026-12-01', 'en', 'short')).toBe('1 Dec');
    expect(formatDate('2026-12-01', 'de', 'weekday')).toBe('Dienstag');
    expect(formatMonth('2026-12', 'de')).toBe('Dezember 2026');
    expect(formatMonth('2026-12', 'en')).toBe('December 2026');
    expect(weekdayNames('de')[0]).toBe('Montag');
    expect(weekdayNames('en', 'short')[6]).toBe('Sun');
  });

  it('keeps the date of a day whatever zone the machine is in', () => {
    // 2026-03-29 is a Sunday everywhere: a machine in Auckland (UTC+13) must not turn it into Monday.
    expect(formatDate('2026-03-29', 'de')).toBe('Sonntag, 29. März 2026');
    expect(formatDate('2026-10-25', 'de', 'weekday')).toBe('Sonntag');
  });

  it('shows times and instants in the house zone on the 24-hour clock', () => {
    expect(formatTime(at('2026-12-01T17:00:00Z'), zone)).toBe('18:00');
    expect(formatTime(at('2026-07-01T17:00:00Z'), zone)).toBe('19:00');
    expect(formatTimeRange('18:00', '20:00', de)).toBe('18:00–20:00 Uhr');
    expect(formatTimeRange('18:00', '20:00', en)).toBe('18:00–20:00');
    expect(formatInstant(at('2026-12-01T17:00:00Z'), zone, 'de')).toBe('1. Dez. 2026, 18:00');
    expect(formatInstant(at('2026-12-01T17:00:00Z'), zone, 'en')).toBe('1 Dec 2026, 18:00');
  });
});

describe('formatWhen', () => {
  it('names the day once for a span within it', () => {
    expect(formatWhen(at('2026-12-01T18:00:00+01:00'), at('2026-12-01T20:00:00+01:00'), zone, 'de', de)).toBe('Dienstag, 1. Dezember 2026, 18:00–20:00 Uhr');
    expect(formatWhen(at('2026-12-01T18:00:00+01:00'), at('2026-12-01T20:00:00+01:00'), zone, 'en', en)).toMatch(/^Tuesday,? 1 December 2026, 18:00–20:00$/);
  });

  it('ends a span at midnight with 24:00 on its own day', () => {
    expect(formatWhen(at('2026-12-01T20:00:00+01:00'), at('2026-12-02T00:00:00+01:00'), zone, 'de', de)).toBe('Dienstag, 1. Dezember 2026, 20:00–24:00 Uhr');
  });

  it('shows a whole-day closure as its date, never as 00:00–24:00', () => {
    expect(formatWhen(at('2026-12-24T00:00:00+01:00'), at('2026-12-25T00:00:00+01:00'), zone, 'de', de)).toBe('Donnerstag, 24. Dezember 2026');
    expect(formatWhen(at('2026-12-24T00:00:00+01:00'), at('2026-12-27T00:00:00+01:00'), zone, 'de', de)).toBe(
      'Donnerstag, 24. Dezember 2026 – Samstag, 26. Dezember 2026',
    );
  });

  it('treats the 23-hour day of March and the 25-hour day of October as one whole day each', () => {
    // Sunday 29 March 2026: clocks jump from 02:00 to 03:00. Sunday 25 October 2026: from 03:00 back to 02:00.
    expect(formatWhen(at('2026-03-29T00:00:00+01:00'), at('2026-03-30T00:00:00+02:00'), zone, 'de', de)).toBe('Sonntag, 29. März 2026');
    expect(formatWhen(at('2026-10-25T00:00:00+02:00'), at('2026-10-26T00:00:00+01:00'), zone, 'de', de)).toBe('Sonntag, 25. Oktober 2026');
    expect(formatWhen(at('2026-03-28T00:00:00+01:00'), at('2026-03-30T00:00:00+02:00'), zone, 'de', de)).toBe(
      'Samstag, 28. März 2026 – Sonntag, 29. März 2026',
    );
  });

  it('shows wall-clock times across a DST change, not elapsed hours', () => {
    // 01:00 to 04:00 on 29 March is two hours long but reads as the clock on the wall shows it.
    expect(formatWhen(at('2026-03-29T01:00:00+01:00'), at('2026-03-29T04:00:00+02:00'), zone, 'de', de)).toBe('Sonntag, 29. März 2026, 01:00–04:00 Uhr');
    expect(formatWhen(at('2026-10-25T01:00:00+02:00'), at('2026-10-25T04:00:00+01:00'), zone, 'de', de)).toBe('Sonntag, 25. Oktober 2026, 01:00–04:00 Uhr');
    expect(formatWhen(at('2026-10-24T20:00:00+02:00'), at('2026-10-25T00:00:00+02:00'), zone, 'de', de)).toBe('Samstag, 24. Oktober 2026, 20:00–24:00 Uhr');
  });

  it('names both ends of a span over days', () => {
    expect(formatWhen(at('2026-12-01T22:00:00+01:00'), at('2026-12-02T02:00:00+01:00'), zone, 'de', de)).toBe(
      'Dienstag, 1. Dezember 2026 22:00 – Mittwoch, 2. Dezember 2026 02:00',
    );
    expect(formatWhen(at('2026-12-01T10:00:00+01:00'), at('2026-12-03T00:00:00+01:00'), zone, 'de', de)).toBe(
      'Dienstag, 1. Dezember 2026 10:00 – Donnerstag, 3. Dezember 2026 00:00',
    );
  });
});

describe('formatWhen in right-to-left languages', () => {
  // First strong isolate … pop directional isolate around each part, so the times stay one left-to-right unit.
  const FSI = '\u2068';
  const PDI = '\u2069';

  it('joins an Arabic date and its times with the Arabic comma after the year, the times isolated left to right', () => {
    const ar = translator('ar');
    // Read right to left: "Tuesday, 10 March 2026، 19:00–21:00" (a Latin comma showed as "19:00–21:00 ,2026").
    expect(formatWhen(at('2026-03-10T19:00:00+01:00'), at('2026-03-10T21:00:00+01:00'), zone, 'ar', ar)).toBe(
      `${FSI}الثلاثاء، 10 مارس 2026${PDI}، ${FSI}${FSI}19:00${PDI}–${FSI}21:00${PDI}${PDI}`,
    );
    expect(formatWhen(at('2026-10-24T20:00:00+02:00'), at('2026-10-25T00:00:00+02:00'), zone, 'ar', ar)).toBe(
      `${FSI}السبت، 24 أكتوبر 2026${PDI}، ${FSI}${FSI}20:00${PDI}–${FSI}24:00${PDI}${PDI}`,
    );
  });

  it('does the same in Persian, and leaves the left-to-right languages with their own comma and no isolates', () => {
    const start = at('2026-03-10T19:00:00+01:00');
    const end = at('2026-03-10T21:00:00+01:00');
    expect(formatWhen(start, end, zone, 'fa', translator('fa'))).toBe(`${FSI}سه‌شنبه 10 مارس 2026${PDI}، ${FSI}${FSI}19:00${PDI}–${FSI}21:00${PDI}${PDI}`);
    expect(formatWhen(start, end, zone, 'tr', translator('tr'))).toBe('10 Mart 2026 Salı, 19:00–21:00');
    expect(formatWhen(start, end, zone, 'de-x-ls', translator('de-x-ls'))).toBe('Dienstag, 10. März 2026, 19:00 bis 21:00 Uhr');
  });
});
