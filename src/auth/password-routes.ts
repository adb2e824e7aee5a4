// /admin/password: every account changes its own password here (and must, after a one-time password).
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { fieldErrors } from '../web/forms.js';
import { hashPassword, PASSWORD_MAX, PASSWORD_MIN, verifyPassword } from './passwords.js';
import { findUserById } from './users.js';
import { reserveLoginAttempt } from './login-limit.js';
import { changeOwnPassword } from './service.js';
import { retryClock, setRetryAfter } from '../web/limits.js';

/** Length is the only rule (10–128 characters); no composition rules. */
export const newPasswordField = z.string().min(PASSWORD_MIN, 'password.error.tooShort').max(PASSWORD_MAX, 'password.error.tooLong');

export const passwordChangeSchema = z
  .object({
    current_password: z.string().min(1, 'password.error.currentMissing').max(1024, 'password.error.currentWrong'),
    new_password: newPasswordField,
    new_password_confirm: z.string().max(1024),
  })
  .superRefine((v, c) => {
    if (v.new_password !== v.new_password_confirm) {
      c.addIssue({ code: 'custom', path: ['new_password_confirm'], message: 'password.error.mismatch' });
    } else if (v.new_password === v.current_password) {
      c.addIssue({ code: 'custom', path: ['new_password'], message: 'password.error.same' });
    }
  });

function render(req: Request, res: Response, status: number, errors: Record<string, string>, done = false) {
  res.status(status).render('admin/password', {
    title: req.t('password.title'),
    errors,
    done,
    mustChange: req.user?.must_change_password === 1,
  });
}

export function passwordRoutes(ctx: AppContext): Router {
  const r = Router();

  r.get('/password', (req, res) => render(req, res, 200, {}, req.query.done === '1'));

  r.post('/password', async (req, res) => {
    const user = req.user!;
    const parsed = passwordChangeSchema.safeParse(req.body ?? {});
    if (!parsed.success) return render(req, res, 400, fieldErrors(parsed.error, req.t));
    const now = ctx.clock().getTime();
    // Checking the current password is a login attempt: same limit, same counters as /login.
    const reservation = await reserveLoginAttempt(ctx.db, { email: user.email, ip: req.ip ?? 'unknown' }, now);
    if (!reservation.ok) {
      setRetryAfter(res, reservation.retryAt, now);
      return render(req, res, 429, { current_password: req.t('password.error.locked', { time: retryClock(reservation.retryAt, req.house.zone) }) });
    }
    const fresh = await findUserById(ctx.db, user.id);
    if (!fresh || !(await verifyPassword(fresh.password_hash, parsed.data.current_password))) {
      return render(req, res, 400, { current_password: req.t('password.error.currentWrong') });
    }
    const hash = await hashPassword(parsed.data.new_password);
    // Other browsers logged in with the old password are logged out.
    await changeOwnPassword(ctx.db, reservation, user, hash, req.sessionID, now);
    res.redirect(303, '/admin/password?done=1');
  });

  return r;
}
