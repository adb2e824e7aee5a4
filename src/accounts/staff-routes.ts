// Accounts under /admin/users (admin only): create with a one-time password, change role, deactivate,
// reactivate, reset password. Never yourself, never the last active admin (accounts/service.ts).
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import type { MessageKey } from '../i18n/index.js';
import { requireRole } from '../auth/guard.js';
import { listUsers } from '../auth/users.js';
import { formatInstant } from '../time/format.js';
import { fieldErrors, formBody, idParam, setNotice, takeNotice, textOf } from '../web/forms.js';
import { newAccountSchema, roleSchema, ROLES } from './schema.js';
import { changeRole, createAccount, resetAccountPassword, setAccountActive, type AccountResult } from './service.js';

type Actor = { userId: number; now: number };

interface PageView {
  status: number;
  errors?: Record<string, string>;
  values?: Record<string, string>;
  oneTime?: { name: string; email: string; password: string };
  refusal?: string;
}

async function renderPage(ctx: AppContext, req: Request, res: Response, v: PageView) {
  const users = await listUsers(ctx.db);
  res.status(v.status).render('admin/users', {
    title: req.t('users.title'),
    flash: takeNotice(req),
    refusal: v.refusal ?? '',
    errors: v.errors ?? {},
    values: v.values ?? { name: '', email: '', role: 'caretaker' },
    oneTime: v.oneTime ?? null,
    roles: ROLES,
    users: users.map((u) => ({
      id: u.id,
      name: u.name,
      email: u.email,
      role: u.role,
      active: u.active === 1,
      self: u.id === req.user!.id,
      mustChange: u.must_change_password === 1,
      lastLogin: u.last_login_at ? formatInstant(u.last_login_at, req.house.zone, req.lang) : req.t('users.never'),
    })),
  });
}

export function accountRoutes(ctx: AppContext): Router {
  const r = Router();
  r.use('/users', requireRole('admin'));
  const actor = (req: Request): Actor => ({ userId: req.user!.id, now: ctx.clock().getTime() });

  r.get('/users', (req, res) => renderPage(ctx, req, res, { status: 200 }));

  r.post('/users', async (req, res) => {
    const body = formBody(req);
    const values = { name: textOf(body.name), email: textOf(body.email), role: textOf(body.role) };
    const parsed = newAccountSchema.safeParse(values);
    if (!parsed.success) return renderPage(ctx, req, res, { status: 400, values, errors: fieldErrors(parsed.error, req.t) });
    const result = await createAccount(ctx.db, parsed.data, actor(req));
    if (!result.ok) return renderPage(ctx, req, res, { status: result.status, values, errors: { email: req.t(result.key) } });
    // Shown once, on this response only: the password is stored nowhere but as a hash.
    res.set('Cache-Control', 'no-store');
    await renderPage(ctx, req, res, { status: 201, oneTime: { name: result.user.name, email: result.user.email, password: result.password! } });
  });

  async function act(req: Request, res: Response, result: AccountResult, flash: MessageKey) {
    if (!result.ok) return renderPage(ctx, req, res, { status: result.status, refusal: req.t(result.key) });
    if (result.password) {
      res.set('Cache-Control', 'no-store');
      return renderPage(ctx, req, res, { status: 200, oneTime: { name: result.user.name, email: result.user.email, password: result.password } });
    }
    setNotice(req, flash);
    res.redirect(303, '/admin/users');
  }

  r.post('/users/:id/deactivate', async (req, res) =>
    act(req, res, await setAccountActive(ctx.db, idParam(req.params.id), false, actor(req)), 'users.deactivated'),
  );
  r.post('/users/:id/reactivate', async (req, res) =>
    act(req, res, await setAccountActive(ctx.db, idParam(req.params.id), true, actor(req)), 'users.reactivated'),
  );
  r.post('/users/:id/reset-password', async (req, res) => act(req, res, await resetAccountPassword(ctx.db, idParam(req.params.id), actor(req)), 'users.saved'));
  r.post('/users/:id/role', async (req, res) => {
    const id = idParam(req.params.id);
    const parsed = roleSchema.safeParse(req.body ?? {});
    if (!parsed.success) return renderPage(ctx, req, res, { status: 400, refusal: req.t('users.error.role') });
    await act(req, res, await changeRole(ctx.db, id, parsed.data.role, actor(req)), 'users.roleChanged');
  });

  return r;
}
