// Public holidays of the house's federal state, from the maintained date-holidays library.
import Holidays from 'date-holidays';
import type { Lang } from '../i18n/index.js';

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
