// Security headers, the cross-site check on state-changing requests, CSRF tokens and rate limits.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { csrfSync } from 'csrf-sync';
import { rateLimit, type Options } from 'express-rate-limit';
import { CsrfError, TooManyRequestsError } from './errors.js';

export function securityHeaders(): RequestHandler {
  return helmet({
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
    referrerPolicy: { policy: 'no-referrer' },
  });
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

const csrf = csrfSync({
  size: 32,
  getTokenFromRequest: (req) => (typeof req.body?._csrf === 'string' ? req.body._csrf : req.get('x-csrf-token')),
});

/**
 * Long forms that answer a failed token themselves (the request form and the manage page's edit form):
 * after the idle session expiry or a lost cookie the user gets the form back, filled in, with a fresh
 * token, instead of the bare 403 page and an empty form.
 */
const RECOVERABLE_FORMS: RegExp[] = [/^\/requests\/?$/, /^\/requests\/[^/]+\/edit\/?$/];

/**
 * Synchronizer-token check on every POST; views get `csrfToken()` for their hidden field.
 * A post to one of RECOVERABLE_FORMS that carries our hidden `_csrf` field (a form of ours whose session
 * ran out) is not refused here: its values move to `req.csrfExpired` and `req.body` is emptied, so the
 * route can only show them again, never store them. Everything else gets the 403 page.
 */
export function csrfProtection(): RequestHandler {
  return (req, res, next) => {
    res.locals.csrfToken = () => csrf.generateToken(req);
    if (SAFE.has(req.method)) return next();
    if (!csrf.isRequestValid(req)) {
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

/** A rate limit whose refusal is the localized 429 page. */
export function limiter(opts: Partial<Options>): RequestHandler {
  return rateLimit({
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    ...opts,
    handler: (_req, _res, next) => next(new TooManyRequestsError()),
  });
}
