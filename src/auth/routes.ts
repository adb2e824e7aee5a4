// Login and logout: server-side sessions, a new session id at login, failed logins rate-limited.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { audit } from '../audit/log.js';
import { SESSION_COOKIE_NAME } from '../web/session-store.js';
import { sessionIfAny, sessionOf } from '../web/sessions.js';
import { fieldErrors, formBody, textOf } from '../web/forms.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { findUserByEmail } from './users.js';
import { reserveLoginAttempt } from './login-limit.js';
import { completeLogin } from './service.js';
import { retryClock, setRetryAfter } from '../web/limits.js';

export const loginSchema = z.object({
  email: z.string().trim().min(1, 'auth.error.emailMissing').max(254, 'auth.error.emailTooLong'),
  password: z.string().min(1, 'auth.error.passwordMissing').max(1024, 'auth.error.passwordTooLong'),
  next: z.string().max(2000).optional(),
});

// A control character in the address (a header-splitting try) is refused: matching them is this regex's purpose.
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL_CHARS = /[\u0000-\u001f]/;

/** Where to go after login: only a local path under /admin (no scheme, no //host, no backslash tricks). */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string') return '/admin';
  if (!/^\/admin(?:[/?#]|$)/.test(next)) return '/admin';
  if (next.includes('\\') || next.includes('//') || CONTROL_CHARS.test(next)) return '/admin';
  return next;
}

// Unknown e-mail addresses are checked against this hash, so they take as long as a wrong password.
let dummyHash: Promise<string> | undefined;
const getDummyHash = () => (dummyHash ??= hashPassword('raumbuch-dummy-password-for-timing'));

/** The session store's callbacks pass whatever failed; a rejection is always an Error (the cause kept). */
const sessionError = (err: unknown): Error => (err instanceof Error ? err : new Error('session store failed', { cause: err }));

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => sessionOf(req).regenerate((err) => (err ? reject(sessionError(err)) : resolve())));
}

function save(req: Request): Promise<void> {
  return new Promise((resolve, reject) => sessionOf(req).save((err) => (err ? reject(sessionError(err)) : resolve())));
}

interface LoginView {
  email: string;
  next: string;
  errors: Record<string, string>;
  formError?: string;
  notice?: string;
}

function renderLogin(req: Request, res: Response, status: number, v: LoginView) {
  res.status(status).render('auth/login', { title: req.t('auth.login.title'), notice: '', formError: '', ...v });
}

export function authRoutes(ctx: AppContext): Router {
  const r = Router();

  r.get('/login', (req, res) => {
    if (req.user) return res.redirect(303, safeNext(req.query.next));
    const next = typeof req.query.next === 'string' ? safeNext(req.query.next) : '';
    const notice = req.query.out === '1' ? req.t('auth.logout.done') : undefined;
    renderLogin(req, res, 200, { email: '', next, errors: {}, notice });
  });

  r.post('/login', async (req, res) => {
    const parsed = loginSchema.safeParse(formBody(req));
    const rawNext = textOf(formBody(req).next);
    const next = rawNext ? safeNext(rawNext) : '';
    const email = textOf(formBody(req).email).trim().slice(0, 254);
    if (!parsed.success) {
      return renderLogin(req, res, 400, { email, next, errors: fieldErrors(parsed.error, req.t) });
    }
    const now = ctx.clock().getTime();
    const keys = { email: parsed.data.email, ip: req.ip ?? 'unknown' };
    // Reserved before the password is checked, so parallel attempts cannot all pass the limit.
    const reservation = await reserveLoginAttempt(ctx.db, keys, now);
    if (!reservation.ok) {
      setRetryAfter(res, reservation.retryAt, now);
      const formError = req.t('auth.error.locked', { time: retryClock(reservation.retryAt, req.house.zone) });
      return renderLogin(req, res, 429, { email, next, errors: {}, formError });
    }

    const user = await findUserByEmail(ctx.db, parsed.data.email);
    const ok =
      user && user.active === 1
        ? await verifyPassword(user.password_hash, parsed.data.password)
        : (await verifyPassword(await getDummyHash(), parsed.data.password), false);

    if (!ok || !user) {
      // The reservation stays: it is the recorded failure.
      // The typed e-mail is not logged for unknown accounts: people sometimes type a password there.
      await audit(ctx.db, { at: now, userId: null, actor: 'system', action: 'auth.login_failed', entity: 'user', entityId: user?.id ?? null });
      return renderLogin(req, res, 401, { email, next, errors: {}, formError: req.t('auth.error.invalid') });
    }

    await regenerate(req);
    sessionOf(req).userId = user.id;
    await save(req);
    // CSRF tokens belong to the staff session from now on: the new one comes with this redirect.
    (res.locals.csrfToken as () => string)();
    await completeLogin(ctx.db, reservation, parsed.data.email, user.id, now);
    if (user.must_change_password === 1) return res.redirect(303, '/admin/password');
    res.redirect(303, next || '/admin');
  });

  r.post('/logout', async (req, res) => {
    const userId = req.user?.id;
    if (userId) {
      await audit(ctx.db, { at: ctx.clock().getTime(), userId, actor: 'user', action: 'auth.logout', entity: 'user', entityId: userId });
    }
    const session = sessionIfAny(req);
    if (session) await new Promise<void>((resolve, reject) => session.destroy((err) => (err ? reject(sessionError(err)) : resolve())));
    res.clearCookie(SESSION_COOKIE_NAME, { httpOnly: true, sameSite: 'lax', secure: ctx.config.secureCookies });
    res.redirect(303, '/login?out=1');
  });

  return r;
}
