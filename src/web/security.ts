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

/** Synchronizer-token check on every POST; views get `csrfToken()` for their hidden field. */
export function csrfProtection(): RequestHandler {
  return (req, res, next) => {
    res.locals.csrfToken = () => csrf.generateToken(req);
    if (SAFE.has(req.method)) return next();
    if (!csrf.isRequestValid(req)) return next(new CsrfError());
    next();
  };
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
