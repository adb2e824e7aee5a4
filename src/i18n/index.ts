// The message catalogs (ICU MessageFormat, one JSON file per language, German first) and the language middleware.
import { readFileSync } from 'node:fs';
import type { NextFunction, Request, Response } from 'express';
import { IntlMessageFormat } from 'intl-messageformat';
import type deCatalog from './messages/de.json';
import { LANGUAGE_REGISTRY, LANGUAGES, REFERENCE_LANGUAGE, isLang, languageInfo, localeOf, type Lang } from './languages.js';

export { LANGUAGES, LANGUAGE_REGISTRY, REFERENCE_LANGUAGE, isLang, type Lang } from './languages.js';

/** Every key of the German catalog, the reference: a key used in code must be one of these. */
export type MessageKey = keyof typeof deCatalog;
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;
export type Catalog = Record<string, string>;

/** Reads a language's catalog file (flat key → ICU message). The build copies them next to the compiled module. */
export function loadCatalog(lang: string): Catalog {
  const url = new URL(`./messages/${lang}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Catalog;
}

const LANGUAGE_NAMES: Record<string, string> = Object.fromEntries(LANGUAGE_REGISTRY.map((l) => [l.code, l.nativeName]));

const catalogs = new Map<string, Catalog>(LANGUAGE_REGISTRY.map((l) => [l.code, loadCatalog(l.code)]));
const reference = catalogs.get(REFERENCE_LANGUAGE)!;

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(reference, key);
}

// Who hears about a message that is missing everywhere or cannot be formatted: the app hands in its logger.
type Reporter = (info: { key: string; lang: string; problem: string }) => void;
let report: Reporter = (info) => console.warn(`i18n: ${info.problem} for ${info.key} (${info.lang})`);
const reported = new Set<string>();
export function onMessageProblem(reporter: Reporter): void {
  report = reporter;
}
function warnOnce(key: string, lang: string, problem: string): void {
  const id = `${problem}\u0000${key}`;
  if (reported.has(id)) return;
  reported.add(id);
  report({ key, lang, problem });
}

/** The text of a key in a language: its own catalog, else German (an incomplete catalog), else undefined. */
export function messageText(lang: string, key: string): { text: string; lang: string } | undefined {
  const own = catalogs.get(lang);
  if (own && Object.prototype.hasOwnProperty.call(own, key)) return { text: own[key]!, lang };
  if (Object.prototype.hasOwnProperty.call(reference, key)) return { text: reference[key]!, lang: REFERENCE_LANGUAGE };
  return undefined;
}

// Compiled messages, per language and key: parsing ICU once per message, not per call.
const compiled = new Map<string, IntlMessageFormat>();

/** Parses one ICU message as the app does (tags off: a text may say "/rooms/<Raum>/calendar.ics"). */
export function compileMessage(text: string, lang: string): IntlMessageFormat {
  return new IntlMessageFormat(text, localeOf(lang), undefined, { ignoreTag: true });
}

function format(lang: string, key: string, params?: Params): string {
  const found = messageText(lang, key);
  if (!found) {
    warnOnce(key, lang, 'missing message');
    return key;
  }
  const cacheKey = `${found.lang}\u0000${key}`;
  try {
    let f = compiled.get(cacheKey);
    if (!f) {
      f = compileMessage(found.text, found.lang);
      compiled.set(cacheKey, f);
    }
    return String(f.format(params));
  } catch {
    // A message that does not parse or lacks an argument shows its raw text rather than breaking the page.
    warnOnce(key, found.lang, 'message cannot be formatted');
    return found.text;
  }
}

export function translator(lang: Lang): Translate {
  return (key, params) => format(lang, key, params);
}

export const LANG_COOKIE = 'lang';

/** Remembers a chosen language for a year (the switch's cookie). */
export function rememberLanguage(req: Request, res: Response, lang: Lang): void {
  res.cookie(LANG_COOKIE, lang, { maxAge: 365 * 86_400_000, httpOnly: true, sameSite: 'lax', secure: req.secure });
}

/**
 * Answers this request in `lang`: its translator and the view locals. The middleware calls it; a form that
 * carries the language switch (the request form) calls it again with the language its switch posted.
 */
export function useLanguage(req: Request, res: Response, lang: Lang): void {
  const info = languageInfo(lang);
  req.lang = lang;
  req.t = translator(lang);
  res.locals.lang = lang;
  res.locals.dir = info.dir;
  res.locals.languageRegistry = LANGUAGE_REGISTRY;
  res.locals.languageNames = LANGUAGE_NAMES;
  res.locals.t = req.t;
}

/** Picks the language: ?lang= (then remembered in a cookie), the cookie, Accept-Language, the house default. */
export function languageMiddleware(getDefault: (req: Request) => Lang) {
  return (req: Request, res: Response, next: NextFunction) => {
    const fromQuery = req.query.lang;
    // The same address answers in the language of the cookie or of Accept-Language: caches must keep them apart.
    res.vary('Accept-Language');
    res.vary('Cookie');
    let lang: Lang;
    if (isLang(fromQuery)) {
      lang = fromQuery;
      rememberLanguage(req, res, lang);
    } else if (isLang(req.cookies?.[LANG_COOKIE])) {
      lang = req.cookies[LANG_COOKIE];
    } else {
      const accepted = req.headers['accept-language'] ? req.acceptsLanguages(...LANGUAGES) : false;
      lang = isLang(accepted) ? accepted : getDefault(req);
    }
    useLanguage(req, res, lang);
    next();
  };
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      lang: Lang;
      t: Translate;
    }
  }
}
