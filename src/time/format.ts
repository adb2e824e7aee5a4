// Dates, times and time spans as people read them: the one formatter for pages, mails, feeds, exports and the
// privacy export. Instants are shown in the house zone (never the machine's), in the locale of the reader's
// language (formatLocale). The output, decided once (German / English, house zone Europe/Berlin):
//
//   formatDate('2026-12-01', lang)              Dienstag, 1. Dezember 2026   / Tuesday, 1 December 2026
//   formatDate('2026-12-01', lang, 'date')      1. Dezember 2026             / 1 December 2026
//   formatDate('2026-12-01', lang, 'short')     01.12.                       / 1 Dec
//   formatDate('2026-12-01', lang, 'weekday')   Dienstag                     / Tuesday
//   formatMonth('2026-12', lang)                Dezember 2026                / December 2026
//   formatTime(instant, zone)                   18:00   (24-hour clock in every language)
//   formatTimeRange('18:00', '20:00', t)        18:00–20:00 Uhr              / 18:00–20:00   (catalog 'time.range')
//   formatInstant(instant, zone, lang)          1. Dez. 2026, 18:00          / 1 Dec 2026, 18:00
//   formatWhen(start, end, zone, lang, t), a span of time:
//     within one day                            Dienstag, 1. Dezember 2026, 18:00–20:00 Uhr   (catalog 'time.when')
//     until midnight                            Dienstag, 1. Dezember 2026, 20:00–24:00 Uhr
//     whole days (00:00 to 00:00)               Dienstag, 1. Dezember 2026   (never "00:00–24:00")
//                                               Dienstag, 1. Dezember 2026 – Donnerstag, 3. Dezember 2026
//     over days otherwise                       Dienstag, 1. Dezember 2026 22:00 – Mittwoch, 2. Dezember 2026 02:00
//
// Other languages format through Intl with the registry's locale (tr-TR, uk-UA, ar-u-nu-latn …): weekday and
// month names, word order and digits come from the locale data, never from a format written here. Times are
// "HH:mm" everywhere (the house's 24-hour clock, Latin digits, as typed into the form).
//
// A whole day is whole by the wall clock: the DST days of March (23 hours) and October (25 hours) are one
// day each. Views get these strings ready-made; templates never format dates.
import { isGermanLocale, localeOf } from '../i18n/languages.js';
import { DateTime, Info } from 'luxon';
import { addDays } from './index.js';
import { ZoneClock } from './zone-clock.js';

/**
 * One ZoneClock per zone: lists (the inbox's 25 rows, each with its date and age) convert instants to wall-clock
 * dates and times with a cached offset instead of a Luxon DateTime per value (~0.1 ms each with Intl behind it).
 */
const zoneClocks = new Map<string, ZoneClock>();
function zoneClock(zone: string): ZoneClock {
  let z = zoneClocks.get(zone);
  if (!z) zoneClocks.set(zone, (z = new ZoneClock(zone)));
  return z;
}

/**
 * The catalog texts for a range of wall-clock times and for a date with its times (a Translate function fits):
 * 'time.when' joins them as the language does ("{date}, {time}"; Arabic and Persian with the Arabic comma "،",
 * which sits after the year as a right-to-left reader expects, where a Latin comma showed as "19:00–21:00 ,2026").
 */
export type RangeText = {
  (key: 'time.range', params: { start: string; end: string }): string;
  (key: 'time.when', params: { date: string; time: string }): string;
};

/**
 * The formatting locale of a page language, from the language registry (src/i18n/languages.ts): English in a
 * German house is British English (day before month, 24-hour clock), so "12/10" can never be read as 12 October
 * when it means 10 December.
 */
export function formatLocale(lang: string): string {
  return localeOf(lang);
}

function calendarDay(date: string, lang: string): DateTime {
  return DateTime.fromISO(date, { zone: 'UTC' }).setLocale(formatLocale(lang));
}

/** A calendar date 'YYYY-MM-DD' (no zone involved); see the header for the styles. */
export function formatDate(date: string, lang: string, style: 'long' | 'date' | 'short' | 'weekday' = 'long'): string {
  // A list names the same few dates again and again: each written once per language and style.
  const key = `${lang}|${style}|${date}`;
  let text = formattedDates.get(key);
  if (text === undefined) {
    if (formattedDates.size >= FORMATTED_DATES_LIMIT) formattedDates.clear();
    formattedDates.set(key, (text = writeDate(date, lang, style)));
  }
  return text;
}

const formattedDates = new Map<string, string>();
const FORMATTED_DATES_LIMIT = 5_000;

function writeDate(date: string, lang: string, style: 'long' | 'date' | 'short' | 'weekday'): string {
  const d = calendarDay(date, lang);
  // German (and Leichte Sprache) writes the short date as digits; the other languages as Intl writes day and month.
  if (style === 'short') return isGermanLocale(lang) ? d.toFormat('dd.MM.') : d.toLocaleString({ day: 'numeric', month: 'short' });
  if (style === 'weekday') return d.toFormat('cccc');
  if (style === 'date') return d.toLocaleString(DateTime.DATE_FULL);
  return d.toLocaleString({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
}

/** 'YYYY-MM' → "Dezember 2026". */
export function formatMonth(month: string, lang: string): string {
  return calendarDay(`${month}-01`, lang).toFormat('LLLL yyyy');
}

/** Monday first. */
export function weekdayNames(lang: string, style: 'long' | 'short' = 'long'): string[] {
  return Info.weekdays(style, { locale: formatLocale(lang) });
}

/** The wall-clock time of an instant in the house zone, "18:00". */
export function formatTime(instant: number, zone: string): string {
  return DateTime.fromMillis(instant, { zone }).toFormat('HH:mm');
}

/** Two wall-clock times 'HH:MM' (opening hours, a day's slot; '24:00' for midnight at the end). */
export function formatTimeRange(start: string, end: string, t: RangeText): string {
  return t('time.range', { start, end });
}

/**
 * An instant with its date and time, for "when did this happen" (mails sent, log entries, exports): Luxon's
 * DATETIME_MED, which Luxon hands to Intl with the zone. Written by one Intl formatter per locale and zone, kept:
 * a DateTime per value (its zone offset asked of Intl each time) was 15 % of the audit log's 50 rows.
 * test/unit/format-instant.test.ts checks it against Luxon in every language.
 */
export function formatInstant(instant: number, zone: string, lang: string): string {
  const locale = formatLocale(lang);
  const key = `${locale}|${zone}`;
  let f = instantFormats.get(key);
  if (f === undefined) {
    // Luxon takes "UTC" for a fixed zone and writes it from Intl's parts (in Ukrainian with a narrow space); a
    // zone Intl does not know ("UTC+1") Luxon still writes: both stay with Luxon (null).
    f = FIXED_UTC.has(zone.toLowerCase()) ? null : intlFormat(locale, zone);
    if (instantFormats.size >= 1000) instantFormats.clear();
    instantFormats.set(key, f);
  }
  if (f === null || !Number.isFinite(instant)) return DateTime.fromMillis(instant, { zone }).setLocale(locale).toLocaleString(DateTime.DATETIME_MED);
  return f.format(instant);
}

const instantFormats = new Map<string, Intl.DateTimeFormat | null>();

function intlFormat(locale: string, zone: string): Intl.DateTimeFormat | null {
  try {
    return new Intl.DateTimeFormat(locale, { ...DateTime.DATETIME_MED, timeZone: zone });
  } catch {
    return null;
  }
}
const FIXED_UTC = new Set(['utc', 'gmt']);

/** The span [start, end) of a booking, a blocked time or a clash; see the header for its forms. */
export function formatWhen(start: number, end: number, zone: string, lang: string, t: RangeText): string {
  const zc = zoneClock(zone);
  const sd = zc.date(start);
  const ed = zc.date(end);
  const st = zc.time(start);
  const et = zc.time(end);
  if (st === '00:00' && et === '00:00' && ed > sd) {
    const last = addDays(ed, -1);
    return last === sd ? formatDate(sd, lang) : `${formatDate(sd, lang)} – ${formatDate(last, lang)}`;
  }
  if (sd === ed) return t('time.when', { date: formatDate(sd, lang), time: formatTimeRange(st, et, t) });
  if (et === '00:00' && addDays(sd, 1) === ed) return t('time.when', { date: formatDate(sd, lang), time: formatTimeRange(st, '24:00', t) });
  return `${formatDate(sd, lang)} ${st} – ${formatDate(ed, lang)} ${et}`;
}

/** One Intl.RelativeTimeFormat per locale: building one costs milliseconds, a list shows 25 ages. */
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

/**
 * How long ago an instant was, as people say it ("vor 3 Tagen", "vor 5 Stunden", "3 days ago"): the largest
 * whole unit: calendar days in the house zone, else hours, minutes or seconds.
 */
export function formatAge(instant: number, now: number, zone: string, lang: string): string {
  const locale = formatLocale(lang);
  let rtf = relativeFormats.get(locale);
  if (!rtf) relativeFormats.set(locale, (rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'always' })));
  const zc = zoneClock(zone);
  // Calendar days: a request from yesterday 23:00 is "vor 1 Tag" at 08:00, as people count days (the dates'
  // difference, so the 23- and 25-hour days of March and October count as one day each).
  const days = Math.round((Date.parse(zc.date(now)) - Date.parse(zc.date(instant))) / 86_400_000);
  if (days >= 1) return rtf.format(-days, 'day');
  const seconds = Math.max(0, Math.floor((now - instant) / 1000));
  if (seconds >= 3600) return rtf.format(-Math.floor(seconds / 3600), 'hour');
  if (seconds >= 60) return rtf.format(-Math.floor(seconds / 60), 'minute');
  return rtf.format(-seconds, 'second');
}
