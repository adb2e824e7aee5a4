// formatInstant writes through one kept Intl formatter per locale and zone; Luxon's DATETIME_MED (what it wrote
// before, a DateTime per value) is the model: the same text in every language, zone and around both DST changes.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, localeOf } from '../../src/i18n/languages.js';
import { formatInstant } from '../../src/time/format.js';

const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'UTC', 'Etc/UTC', 'europe/berlin', 'UTC+1'];
const INSTANTS = [
  '2026-03-29T00:30:00Z', // Berlin: 01:30 CET, before the spring gap
  '2026-03-29T01:00:00Z', // 03:00 CEST, just after it
  '2026-10-25T00:30:00Z', // 02:30 CEST, the first of the doubled hour
  '2026-10-25T01:30:00Z', // 02:30 CET, the second
  '2026-12-31T23:59:00Z',
  '2027-01-01T00:00:00Z',
  '2026-07-04T12:05:00Z',
  '1999-12-31T23:00:00Z',
].map((iso) => Date.parse(iso));

describe('formatInstant', () => {
  it('writes what Luxon writes for DATETIME_MED, in every language and zone (also one only Luxon knows)', () => {
    for (const lang of LANGUAGES) {
      for (const zone of ZONES) {
        for (const at of INSTANTS) {
          const luxon = DateTime.fromMillis(at, { zone }).setLocale(localeOf(lang)).toLocaleString(DateTime.DATETIME_MED);
          expect(formatInstant(at, zone, lang), `${lang} ${zone} ${new Date(at).toISOString()}`).toBe(luxon);
        }
      }
    }
  });

  it('shows the house time on both sides of the October change', () => {
    expect(formatInstant(Date.parse('2026-10-25T00:30:00Z'), 'Europe/Berlin', 'de')).toBe('25. Okt. 2026, 02:30');
    expect(formatInstant(Date.parse('2026-10-25T01:30:00Z'), 'Europe/Berlin', 'de')).toBe('25. Okt. 2026, 02:30');
    expect(formatInstant(Date.parse('2026-03-29T01:00:00Z'), 'Europe/Berlin', 'en')).toBe('29 Mar 2026, 03:00');
  });
});
