// The message catalog (German first, English complete) and the language middleware.
import type { NextFunction, Request, Response } from 'express';
import * as common from './catalog/common.js';
import * as publicPages from './catalog/public.js';
import * as requests from './catalog/requests.js';
import * as admin from './catalog/admin.js';
import * as mail from './catalog/mail.js';
import * as ops from './catalog/ops.js';
import * as adminBookings from './catalog/admin-bookings.js';

export const LANGUAGES = ['de', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];

// Each area file exports `de` and an `en` typed to have every key of `de`: English cannot fall behind.
const de = { ...common.de, ...publicPages.de, ...requests.de, ...admin.de, ...mail.de, ...ops.de, ...adminBookings.de };
const en: Record<keyof typeof de, string> = { ...common.en, ...publicPages.en, ...requests.en, ...admin.en, ...mail.en, ...ops.en, ...adminBookings.en };

export type MessageKey = keyof typeof de;
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

const catalogs: Record<Lang, Record<MessageKey, string>> = { de, en };

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(de, key);
}

export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
}

export function translator(lang: Lang): Translate {
  const catalog = catalogs[lang];
  return (key, params) => {
    const text = catalog[key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  };
}

export const LANG_COOKIE = 'lang';

/** Picks the language: ?lang= (then remembered in a cookie), the cookie, Accept-Language, the house default. */
export function languageMiddleware(getDefault: (req: Request) => Lang) {
  return (req: Request, res: Response, next: NextFunction) => {
    const fromQuery = req.query.lang;
    // The same address answers in the language of the cookie or of Accept-Language: caches must keep them apart.
    res.vary('Accept-Language');
    res.vary('Cookie');
    let lang: Lang | undefined;
    if (isLang(fromQuery)) {
      lang = fromQuery;
      res.cookie(LANG_COOKIE, lang, { maxAge: 365 * 86_400_000, httpOnly: true, sameSite: 'lax', secure: req.secure });
    } else if (isLang(req.cookies?.[LANG_COOKIE])) {
      lang = req.cookies[LANG_COOKIE];
    } else {
      const accepted = req.acceptsLanguages(...LANGUAGES);
      lang = accepted && isLang(accepted) && req.headers['accept-language'] ? accepted : getDefault(req);
    }
    req.lang = lang!;
    req.t = translator(lang!);
    res.locals.lang = lang;
    res.locals.t = req.t;
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
