// Public holidays of the house's federal state, from the maintained date-holidays library.
import { createRequire } from 'node:module';
import type HolidaysClass from 'date-holidays';
import type { Lang } from '../i18n/index.js';

const requireCjs = createRequire(import.meta.url);
let HolidaysLib: typeof HolidaysClass | undefined;

/**
 * date-holidays with its data of every country costs about 12 MB of resident memory; most processes never
 * ask for a holiday (the import and series plans do), so it is loaded on first use, synchronously (its
 * CommonJS build, the same library), and kept.
 */
function holidaysLib(): typeof HolidaysClass {
  return (HolidaysLib ??= requireCjs('date-holidays') as typeof HolidaysClass);
}

export interface PublicHoliday {
  date: string;
  name: string;
}

export const FEDERAL_STATES = ['BB', 'BE', 'BW', 'BY', 'HB', 'HE', 'HH', 'MV', 'NI', 'NW', 'RP', 'SH', 'SL', 'SN', 'ST', 'TH'] as const;

const cache = new Map<string, PublicHoliday[]>();

/** Public holidays (not observances) in the state for a year, with names in the given language. */
export function holidaysOfYear(state: string, year: number, lang: Lang = 'de'): PublicHoliday[] {
  const key = `${state}:${year}:${lang}`;
  let list = cache.get(key);
  if (!list) {
    const Holidays = holidaysLib();
    const hd = new Holidays('DE', state, { languages: [lang], types: ['public'] });
    list = (hd.getHolidays(year, lang) || []).filter((h) => h.type === 'public').map((h) => ({ date: h.date.slice(0, 10), name: h.name }));
    cache.set(key, list);
  }
  return list;
}

/** Public holidays between two local dates (inclusive). */
export function holidaysBetween(state: string, from: string, to: string, lang: Lang = 'de'): PublicHoliday[] {
  const out: PublicHoliday[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) {
    for (const h of holidaysOfYear(state, y, lang)) if (h.date >= from && h.date <= to) out.push(h);
  }
  return out;
}
