// The language registry: which languages Raumbuch speaks, and everything that follows from a language code.
// Pure data and tiny helpers (no Express, no catalogs): the switch, <html lang dir>, Accept-Language negotiation,
// date and number formatting, mail language and the validation of stored languages all read this list.
// Adding a language: a catalog file src/i18n/messages/<code>.json and one line here (see docs/architecture.md, "i18n").

export type TextDirection = 'ltr' | 'rtl';

export interface LanguageInfo {
  /** BCP 47 language code, as stored in the database and used in ?lang= and the cookie. */
  readonly code: string;
  /** The language's own name for itself, shown in the language switch. */
  readonly nativeName: string;
  readonly dir: TextDirection;
  /** Locale for dates and numbers: English in a German house is British English (day before month, 24-hour clock). */
  readonly locale: string;
  /** A complete catalog has every key it needs (every German key; a public-only language every public key, see
   *  src/i18n/scope.ts), checked in test/unit/i18n-catalog.test.ts; an incomplete one falls back to German per
   *  missing text, and a page showing such a fallback says so once (`languages.fallbackNote`). */
  readonly complete: boolean;
  /** Spoken on the public side and in the mails to groups only: the staff pages (and a staff account's own
   *  language) stay German or English; a staff page asked for in such a language answers in German. */
  readonly publicOnly: boolean;
  /** Chosen by Accept-Language on a first visit; false for a variant only a person picks (Leichte Sprache). */
  readonly negotiable: boolean;
}

// Persian names the Gregorian calendar (Intl's default for fa is Solar Hijri): a date is the one on the door plan.
// Arabic and Persian format with Latin digits (…-u-nu-latn), in dates, times and numbers alike: the values a
// group types into the form (times, dates, people), the references (HdB-2026-0023), phone numbers and the
// staff's pages all use them, and one page mixing ٢٠٢٦ and 2026 is harder to read than one digit system.
// Engines disagree on the default digits of plain 'ar' (arab in ICU's full data, latn in some), so the choice
// is written here rather than left to the engine.
export const LANGUAGE_REGISTRY = [
  { code: 'de', nativeName: 'Deutsch', dir: 'ltr', locale: 'de-DE', complete: true, publicOnly: false, negotiable: true },
  { code: 'en', nativeName: 'English', dir: 'ltr', locale: 'en-GB', complete: true, publicOnly: false, negotiable: true },
  { code: 'tr', nativeName: 'Türkçe', dir: 'ltr', locale: 'tr-TR', complete: true, publicOnly: true, negotiable: true },
  { code: 'ar', nativeName: 'العربية', dir: 'rtl', locale: 'ar-u-nu-latn', complete: true, publicOnly: true, negotiable: true },
  { code: 'fa', nativeName: 'فارسی', dir: 'rtl', locale: 'fa-u-ca-gregory-nu-latn', complete: true, publicOnly: true, negotiable: true },
  { code: 'uk', nativeName: 'Українська', dir: 'ltr', locale: 'uk-UA', complete: true, publicOnly: true, negotiable: true },
  { code: 'ru', nativeName: 'Русский', dir: 'ltr', locale: 'ru-RU', complete: true, publicOnly: true, negotiable: true },
  { code: 'pl', nativeName: 'Polski', dir: 'ltr', locale: 'pl-PL', complete: true, publicOnly: true, negotiable: true },
  // Leichte Sprache (German easy-read): German dates and numbers; texts it lacks are standard German.
  { code: 'de-x-ls', nativeName: 'Leichte Sprache', dir: 'ltr', locale: 'de-DE', complete: false, publicOnly: true, negotiable: false },
] as const satisfies readonly LanguageInfo[];

export type Lang = (typeof LANGUAGE_REGISTRY)[number]['code'];

/** German is the reference language: the catalog every key starts in, and the fallback for a missing text. */
export const REFERENCE_LANGUAGE = 'de' satisfies Lang;

export const LANGUAGES = LANGUAGE_REGISTRY.map((l) => l.code) as [Lang, ...Lang[]];

/** The languages a staff account and the staff pages use (and the house's default language may be). */
export const STAFF_LANGUAGES = LANGUAGE_REGISTRY.filter((l) => !l.publicOnly).map((l) => l.code) as [Lang, ...Lang[]];

export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
}

export function languageInfo(lang: string): LanguageInfo {
  return LANGUAGE_REGISTRY.find((l) => l.code === lang) ?? LANGUAGE_REGISTRY[0];
}

/** The formatting locale of a page language (an unknown code formats as itself). */
export function localeOf(lang: string): string {
  return LANGUAGE_REGISTRY.find((l) => l.code === lang)?.locale ?? lang;
}

/** Whether a language formats as German (German and Leichte Sprache: "01.12.", "18:00 Uhr"). */
export function isGermanLocale(lang: string): boolean {
  return localeOf(lang).startsWith('de');
}

/** The language a staff page answers in when the visitor's language is spoken on the public side only. */
export function staffLanguageOf(lang: Lang): Lang {
  return languageInfo(lang).publicOnly ? REFERENCE_LANGUAGE : lang;
}

export function dirOf(lang: string): TextDirection {
  return languageInfo(lang).dir;
}

/** A stored language (a request's, a user's, the house default) read back: a known one, or the reference language. */
export function langOrDefault(v: unknown, fallback: Lang = REFERENCE_LANGUAGE): Lang {
  return isLang(v) ? v : fallback;
}
