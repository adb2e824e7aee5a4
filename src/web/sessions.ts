// Sessions made only when a request has one or code asks for one (express-session does the rest).
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import cookieParser from 'cookie-parser';
import type session from 'express-session';

type Session = session.Session & Partial<session.SessionData>;

/** Set on a request whose session has not been made: what making it takes (see sessionOf). */
const PENDING = Symbol('session not made');
interface Pending {
  handler: RequestHandler;
  res: Response;
  next: NextFunction;
}
type Lazy = Request & { [PENDING]?: Pending | undefined };

/**
 * express-session for requests that carry a session cookie with a valid signature; for every other request
 * (residents, groups, a stale or foreign cookie: only staff have sessions) no session is read or made, and
 * `req.session` stays unset, unless code asks for one with `sessionOf` (the login, a notice for the next page).
 * Then express-session makes it, as it would have: with no valid cookie it generates a new session
 * synchronously, and it is saved and its cookie set only when something was stored in it (saveUninitialized
 * is off). Making an empty session for each such request, hashing it twice and checking a foreign cookie's
 * signature twice cost about a sixth of a rendered page's CPU. Code that only wants to know whether there is a
 * session (and what is in it) uses `sessionIfAny`, which makes none. Needs `cookies()` (src/web/security.ts)
 * before it.
 *
 * What making a session needs is kept in a field of the request, not in a getter defined on each request: a
 * property defined with a function of its own gives each request object a shape of its own, and every later
 * property set on the request then missed V8's caches (a sixth of a rendered page's instructions, BENCHMARKS.md).
 */
export function sessionOnDemand(handler: RequestHandler, cookieName: string, secret: string): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const raw = (req.cookies as Record<string, unknown> | undefined)?.[cookieName];
    if (typeof raw === 'string' && raw.startsWith('s:') && cookieParser.signedCookie(raw, secret) !== false) {
      return void handler(req, res, next);
    }
    (req as Lazy)[PENDING] = { handler, res, next };
    next();
  };
}

/** The request's session, made now if it has none (for code that stores something in it). */
export function sessionOf(req: Request): Session {
  const lazy = req as Lazy;
  const pending = lazy[PENDING];
  if (!pending) return req.session;
  lazy[PENDING] = undefined;
  let failed: unknown;
  let called = false;
  let returned = false;
  // Without a valid cookie express-session calls back before it returns (no store is read). What it reports
  // later (a failed save when the answer ends) goes on to the app's error handling, as for any session.
  void pending.handler(req, pending.res, (err?: unknown) => {
    if (returned) {
      if (err) pending.next(err);
      return;
    }
    called = true;
    failed = err;
  });
  returned = true;
  if (failed) throw failed instanceof Error ? failed : new Error('session could not be made', { cause: failed });
  if (!called) throw new Error('express-session did not make a session at once (is cookies() mounted before it?)');
  return req.session;
}

/** The request's session if it has one (its cookie was valid, or code made one); never makes one. */
export function sessionIfAny(req: Request): Session | undefined {
  return (req as Lazy)[PENDING] ? undefined : req.session;
}
