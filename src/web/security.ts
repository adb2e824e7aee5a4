// Security headers, the cross-site check on state-changing requests, CSRF tokens and rate limits.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import cookieParser from 'cookie-parser';
import { doubleCsrf } from 'csrf-csrf';
import { CsrfError } from './errors.js';
import { sessionIfAny } from './sessions.js';

/**
 * Browser features no Raumbuch page uses, switched off for the page and anything it could embed: a page
 * that is ever made to run someone else's script still cannot reach camera, microphone or location.
 * Only names Chromium knows (it warns in the console about an unknown one; checked with Chromium 156).
 */
export const PERMISSIONS_POLICY = [
  'accelerometer',
  'autoplay',
  'camera',
  'display-capture',
  'encrypted-media',
  'geolocation',
  'gyroscope',
  'hid',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'publickey-credentials-get',
  'screen-wake-lock',
  'serial',
  'usb',
  'xr-spatial-tracking',
]
  .map((f) => `${f}=()`)
  .join(', ');

/**
 * HSTS only where it means something: browsers ignore it over HTTP, and a plain-HTTP install must not send it.
 * Without includeSubDomains: Raumbuch on a parent domain (verein.example) must not force HTTPS for a year on
 * every other host below it.
 */
const HSTS = 'max-age=31536000';

export function securityHeaders(): RequestHandler {
  const h = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    // The same rule as frame-ancestors 'none', for browsers that only know the older header.
    xFrameOptions: { action: 'deny' },
    // Set below, per request: only when the request came over HTTPS (req.secure; TRUST_PROXY behind a proxy).
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  return (req, res, next) => {
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    if (req.secure) res.setHeader('Strict-Transport-Security', HSTS);
    h(req, res, next);
  };
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses state-changing requests that a browser says come from another site (Sec-Fetch-Site) or
 * whose Origin is not ours. Non-browser clients send neither header and still need a CSRF token.
 */
export function sameOriginCheck(baseUrl: string): RequestHandler {
  const configured = new URL(baseUrl).origin;
  return (req: Request, _res: Response, next: NextFunction) => {
    if (SAFE.has(req.method)) return next();
    const site = req.get('sec-fetch-site');
    if (site && site !== 'same-origin' && site !== 'none') return next(new CsrfError());
    const origin = req.get('origin');
    // Under Referrer-Policy: no-referrer, Chromium sends "Origin: null" on its own same-origin form posts.
    if (origin !== undefined && !(origin === 'null' && site === 'same-origin')) {
      const own = `${req.protocol}://${req.get('host')}`;
      if (origin !== own && origin !== configured) return next(new CsrfError());
    }
    next();
  };
}

/** The CSRF cookie's name; `__Host-` (HTTPS only) keeps other hosts of the domain from planting one. */
export function csrfCookieName(secure: boolean): string {
  return secure ? '__Host-rb.csrf' : 'rb.csrf';
}

/** Signed time at which this browser was last shown a form (see csrfProtection). */
export const CSRF_SEEN_COOKIE = 'rb.seen';

/**
 * Cookies as cookie-parser reads them (`req.cookies`, and `req.secret` for `res.cookie(…, { signed: true })`).
 * Signed cookies are checked by `signedCookie` when code asks for one, not for every request: checking a
 * signature is an HMAC (about 30 µs), and most pages read no signed cookie. The session cookie is express-session's
 * to check (src/web/sessions.ts).
 */
export function cookies(secret: string): RequestHandler[] {
  return [
    cookieParser(),
    (req: Request, _res: Response, next: NextFunction) => {
      req.secret = secret;
      next();
    },
  ];
}

/** The value of the signed cookie `name` (set with `signed: true`); false for a wrong signature, undefined when absent. */
export function signedCookie(req: Request, name: string): string | false | undefined {
  const value = (req.cookies as Record<string, unknown> | undefined)?.[name];
  if (typeof value !== 'string' || !value.startsWith('s:') || !req.secret) return undefined;
  return cookieParser.signedCookie(value, req.secret);
}

/**
 * Long forms that answer a failed token themselves (the request form and the manage page's edit form):
 * after the idle time, a lost cookie (a closed browser, cleared cookies) or a staff session that ran out the user gets the
 * form back, filled in, with a fresh token, instead of the bare 403 page and an empty form.
 */
const RECOVERABLE_FORMS: RegExp[] = [/^\/requests\/?$/, /^\/requests\/[^/]+\/edit\/?$/];

/**
 * Signed double-submit CSRF tokens (csrf-csrf) on every POST; views get `csrfToken()` for their hidden field.
 * The token is an HMAC (keyed with the session secret, shared by all processes) over a random value and who
 * it belongs to: the session of a logged-in staff member (so it ends with the session, as before), or
 * "a visitor" for everyone else. It lives in a cookie and the form, not in the database, so a visitor who
 * only reads pages creates no server-side rows. A token also stops counting after the idle time (as the
 * session-held token did), see CSRF_SEEN_COOKIE.
 * A post to one of RECOVERABLE_FORMS that carries our hidden `_csrf` field (a form of ours whose token no
 * longer counts) is not refused here: its values move to `req.csrfExpired` and `req.body` is emptied, so the
 * route can only show them again, never store them. Everything else gets the 403 page.
 */
export function csrfProtection(opts: { secret: string; secure: boolean; idleMs: number; clock: () => Date }): RequestHandler {
  const csrf = doubleCsrf({
    getSecret: () => opts.secret,
    getSessionIdentifier: (req) => (sessionIfAny(req)?.userId !== undefined ? `staff:${req.sessionID}` : 'visitor'),
    cookieName: csrfCookieName(opts.secure),
    cookieOptions: { sameSite: 'lax', path: '/', secure: opts.secure, httpOnly: true },
    size: 32,
    getCsrfTokenFromRequest: (req) => {
      const token = (req.body as Record<string, unknown> | undefined)?._csrf;
      return typeof token === 'string' ? token : req.get('x-csrf-token');
    },
  });
  const seenCookie = { signed: true, httpOnly: true, sameSite: 'lax' as const, secure: opts.secure, path: '/' };
  return (req, res, next) => {
    // The idle timeout without a session row: a signed "form last shown at" cookie on the app's clock. A token
    // whose browser showed no form for longer than the idle time no longer counts, and the next form gets a new one.
    const now = opts.clock().getTime();
    // Read when a form is shown or sent (checking its signature is an HMAC: most pages show no form).
    const isFresh = () => {
      const seenValue = signedCookie(req, CSRF_SEEN_COOKIE);
      return typeof seenValue === 'string' && /^\d{1,15}$/.test(seenValue) && now - Number(seenValue) <= opts.idleMs;
    };
    // One token (and one Set-Cookie) per response, however many forms the page has; it stays the same across
    // pages and tabs while the browser is active.
    let token: string | undefined;
    res.locals.csrfToken = () => {
      if (token === undefined) {
        token = csrf.generateCsrfToken(req, res, { overwrite: !isFresh() });
        res.cookie(CSRF_SEEN_COOKIE, String(now), seenCookie);
      }
      return token;
    };
    if (SAFE.has(req.method)) return next();
    if (!isFresh() || !csrf.validateRequest(req)) {
      const body = req.body as Record<string, unknown> | undefined;
      if (req.method === 'POST' && typeof body?._csrf === 'string' && RECOVERABLE_FORMS.some((r) => r.test(req.path))) {
        req.csrfExpired = { body };
        req.body = {};
        return next();
      }
      return next(new CsrfError());
    }
    next();
  };
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set when a recoverable form's token failed: the posted values, to show again (never to store). */
      csrfExpired?: { body: Record<string, unknown> };
    }
  }
}
