// The message catalogs (ICU MessageFormat, one JSON file per language, German first) and the language middleware.
import { readFileSync } from 'node:fs';
import type { NextFunction, Request, Response } from 'express';
import { IntlMessageFormat } from 'intl-messageformat';
import type deCatalog from './messages/de.json';
import { LANGUAGE_REGISTRY, REFERENCE_LANGUAGE, dirOf, isLang, languageInfo, localeOf, staffLanguageOf, type Lang } from './languages.js';

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

/** The loaded catalog of a language, as the translators read it (the catalog check and its tests look at it). */
export function loadedCatalog(lang: string): Catalog | undefined {
  return catalogs.get(lang);
}

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

// Compiled messages, per language and key: parsing ICU once per message, not per call. A message without arguments
// (a label, a heading: most texts on a page) is kept as its formatted text, formatted once.
const compiled = new Map<string, Map<string, IntlMessageFormat | string>>();

function compiledMessage(text: string, lang: string, key: string): IntlMessageFormat | string {
  let ofLang = compiled.get(lang);
  if (!ofLang) compiled.set(lang, (ofLang = new Map<string, IntlMessageFormat | string>()));
  let f = ofLang.get(key);
  if (f === undefined) {
    const message = compileMessage(text, lang);
    f = message;
    try {
      // Formatting without values succeeds only for a message without arguments (each one needs its value).
      f = String(message.format());
    } catch {
      // It has arguments: formatted per call.
    }
    ofLang.set(key, f);
  }
  return f;
}

/** Parses one ICU message as the app does (tags off: a text may say "/rooms/<Raum>/calendar.ics"). */
export function compileMessage(text: string, lang: string): IntlMessageFormat {
  return new IntlMessageFormat(text, localeOf(lang), undefined, { ignoreTag: true });
}

/** First strong isolate … pop directional isolate: an argument keeps its own direction inside the sentence. */
const FSI = '\u2068';
const PDI = '\u2069';
const RANGES = new Set(['time.range']);

/**
 * In a right-to-left language every text argument (a reference, an e-mail address, a phone number, a time, a
 * room name) is isolated, so "HdB-2026-0023", "030 123456" or "18:00–20:00" read left to right inside Arabic or
 * Persian text, in pages and in plain-text mails alike. Numbers stay numbers (plural rules need them).
 */
function isolated(lang: string, params?: Params): Params | undefined {
  if (!params || dirOf(lang) !== 'rtl') return params;
  const out: Params = {};
  for (const [k, v] of Object.entries(params)) out[k] = typeof v === 'string' && v !== '' && !isIsolate(v) ? `${FSI}${v}${PDI}` : v;
  return out;
}

/** Whether a text is one isolate already (a formatted 'time.range' handed on as an argument): not wrapped again. */
function isIsolate(v: string): boolean {
  if (!v.startsWith(FSI) || !v.endsWith(PDI)) return false;
  let depth = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === FSI) depth++;
    else if (c === PDI && --depth === 0) return i === v.length - 1;
  }
  return false;
}

function format(lang: string, key: string, rawParams?: Params): string {
  const params = isolated(lang, rawParams);
  const found = messageText(lang, key);
  if (!found) {
    warnOnce(key, lang, 'missing message');
    return key;
  }
  try {
    const f = compiledMessage(found.text, found.lang, key);
    if (typeof f === 'string') return f;
    const out = String(f.format(params));
    // A range of times ("18:00–20:00") is one left-to-right unit inside right-to-left text: isolated as a whole
    // (first strong isolate: a translation that writes words around the times keeps its own direction).
    return RANGES.has(key) && dirOf(lang) === 'rtl' ? `${FSI}${out}${PDI}` : out;
  } catch {
    // A message that does not parse or lacks an argument shows its raw text rather than breaking the page.
    warnOnce(key, found.lang, 'message cannot be formatted');
    return found.text;
  }
}

/** A translator; `onFallback` hears of each text shown in German because the language lacks it. */
export function translator(lang: Lang, onFallback?: () => void): Translate {
  if (!onFallback) return (key, params) => format(lang, key, params);
  const own = catalogs.get(lang);
  return (key, params) => {
    if (lang !== REFERENCE_LANGUAGE && own && !Object.prototype.hasOwnProperty.call(own, key)) onFallback();
    return format(lang, key, params);
  };
}

/** Where a page shows "this page is partly in standard German" when it does (see useLanguage). */
export const FALLBACK_NOTE_MARK = '<!--i18n-fallback-note-->';

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
  // Staff pages speak German or English only: a visitor reading the public side in Turkish sees them in German.
  if (req.staffSide && info.publicOnly) return useLanguage(req, res, staffLanguageOf(lang));
  req.lang = lang;
  // An incomplete language (Leichte Sprache) shows a missing text in standard German, and the page says so once.
  const fallback = { used: false };
  req.t = info.complete ? translator(lang) : translator(lang, () => (fallback.used = true));
  res.locals.lang = lang;
  res.locals.dir = info.dir;
  res.locals.languageRegistry = LANGUAGE_REGISTRY;
  res.locals.languageNames = LANGUAGE_NAMES;
  // The header's switch: the languages this house offers (on a staff page, the staff languages among them).
  const offered = req.offeredLanguages ?? LANGUAGE_REGISTRY.map((l) => l.code);
  res.locals.languageSwitch = LANGUAGE_REGISTRY.filter((l) => (offered.includes(l.code) || l.code === lang) && !(req.staffSide && l.publicOnly));
  res.locals.t = req.t;
  res.locals.fallbackNote = info.complete ? null : fallback;
  noteFallbacks(res);
}

/** Fills the layout's FALLBACK_NOTE_MARK after rendering: the note when a text fell back to German, else nothing. */
function noteFallbacks(res: Response): void {
  const locals = res.locals as { fallbackWrapped?: boolean; fallbackNote?: { used: boolean } | null };
  if (locals.fallbackWrapped) return;
  locals.fallbackWrapped = true;
  const render = res.render.bind(res) as (view: string, options?: object, cb?: (err: Error | null, html: string) => void) => void;
  res.render = ((view: string, options?: object | ((err: Error | null, html: string) => void), cb?: (err: Error | null, html: string) => void) => {
    if (typeof options === 'function' || cb) return render(view, options, (cb ?? options) as (err: Error | null, html: string) => void);
    render(view, options, (err, html) => {
      if (err) return res.req.next?.(err);
      sendPage(res, finishPage(res, html));
    });
  }) as Response['render'];
}

/**
 * A rendered page with the layout's FALLBACK_NOTE_MARK filled (for a route that renders with a callback and sends
 * the page itself). The layout has the mark only in a language that can fall back (fallbackNote set): a complete
 * one gets the page as rendered.
 */
export function finishPage(res: Response, html: string): string {
  const flag = (res.locals as { fallbackNote?: { used: boolean } | null }).fallbackNote;
  if (!flag) return html;
  const note = flag.used ? `<p class="fallback-note">${escapeHtml(format(res.req.lang, 'languages.fallbackNote'))}</p>` : '';
  return html.replace(FALLBACK_NOTE_MARK, note);
}

/**
 * Sends a rendered page as UTF-8 bytes: a page with one non-Latin-1 character ("–") is a two-byte string, which
 * Express would otherwise convert for its length, again for the ETag and once more for the socket.
 */
function sendPage(res: Response, html: string): void {
  if (!res.get('Content-Type')) res.type('html');
  res.send(Buffer.from(html));
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export type LanguageSource = 'query' | 'cookie' | 'accept' | 'default';

/** The best offered language for an Accept-Language header (tr-TR → tr, ar-SY → ar); variants such as
 *  Leichte Sprache only by an explicit choice. */
export function negotiate(req: Request, offered: readonly Lang[]): Lang | undefined {
  if (!req.headers['accept-language']) return undefined;
  const candidates = LANGUAGE_REGISTRY.filter((l) => l.negotiable && offered.includes(l.code)).map((l) => l.code);
  if (!candidates.length) return undefined;
  const accepted = req.acceptsLanguages(...candidates);
  return isLang(accepted) ? accepted : undefined;
}

/**
 * Picks the language: ?lang= (then remembered in a cookie), the cookie, Accept-Language, the house default;
 * only among the languages the house offers (`getOffered`; German always).
 */
export function languageMiddleware(
  getDefault: (req: Request) => Lang,
  getOffered: (req: Request) => readonly Lang[] = () => LANGUAGE_REGISTRY.map((l) => l.code),
) {
  return (req: Request, res: Response, next: NextFunction) => {
    const offered = getOffered(req);
    req.offeredLanguages = offered;
    const isOffered = (v: unknown): v is Lang => isLang(v) && offered.includes(v);
    const fromQuery = req.query.lang;
    // The same address answers in the language of the cookie or of Accept-Language: caches must keep them apart.
    res.vary('Accept-Language');
    res.vary('Cookie');
    let lang: Lang;
    if (isOffered(fromQuery)) {
      lang = fromQuery;
      req.langSource = 'query';
      rememberLanguage(req, res, lang);
    } else if (isOffered(req.cookies?.[LANG_COOKIE])) {
      lang = req.cookies[LANG_COOKIE];
      req.langSource = 'cookie';
    } else {
      const accepted = negotiate(req, offered);
      lang = accepted ?? getDefault(req);
      req.langSource = accepted ? 'accept' : 'default';
    }
    useLanguage(req, res, lang);
    next();
  };
}

/** Marks the staff side (/admin, the login): it answers in German or English only (see useLanguage). */
export function staffSideLanguage(req: Request, res: Response, next: NextFunction): void {
  req.staffSide = true;
  if (languageInfo(req.lang).publicOnly) useLanguage(req, res, req.lang);
  next();
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      lang: Lang;
      t: Translate;
      /** How the page's language was found: chosen (?lang=, the cookie) or guessed (Accept-Language, the house default). */
      langSource?: LanguageSource;
      /** The languages the house offers (settings), German always among them. */
      offeredLanguages?: readonly Lang[];
      /** A staff page: answers in German or English only. */
      staffSide?: boolean;
    }
  }
}
