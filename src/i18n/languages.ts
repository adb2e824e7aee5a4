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
  /** A complete catalog has every key of the German one (checked in test/unit/i18n-catalog.test.ts);
   *  an incomplete one falls back to German per missing text. */
  readonly complete: boolean;
}

export const LANGUAGE_REGISTRY = [
  { code: 'de', nativeName: 'Deutsch', dir: 'ltr', locale: 'de-DE', complete: true },
  { code: 'en', nativeName: 'English', dir: 'ltr', locale: 'en-GB', complete: true },
] as const satisfies readonly LanguageInfo[];

export type Lang = (typeof LANGUAGE_REGISTRY)[number]['code'];

/** German is the reference language: the catalog every key starts in, and the fallback for a missing text. */
export const REFERENCE_LANGUAGE = 'de' satisfies Lang;

export const LANGUAGES = LANGUAGE_REGISTRY.map((l) => l.code) as [Lang, ...Lang[]];

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

export function dirOf(lang: string): TextDirection {
  return languageInfo(lang).dir;
}

/** A stored language (a request's, a user's, the house default) read back: a known one, or the reference language. */
export function langOrDefault(v: unknown, fallback: Lang = REFERENCE_LANGUAGE): Lang {
  return isLang(v) ? v : fallback;
}
