// Accounts under /admin/users (admin only): create with a one-time password, change role, deactivate,
// reactivate, reset password. Never yourself, never the last active admin.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { Conn } from '../db/database.js';
import type { Role, User } from '../db/schema.js';
import type { MessageKey } from '../i18n/index.js';
import { audit } from '../audit/log.js';
import { requireRole } from '../auth/guard.js';
import { generatePassword, hashPassword } from '../auth/passwords.js';
import { endSessionsOf, insertUser, setPasswordHash, findUserByEmail, findUserById, listUsers } from '../auth/users.js';
import { formatInstant } from '../time/index.js';
import { NotFoundError } from '../web/errors.js';
import { fieldErrors, setFlash, takeFlash } from '../admin/form.js';

export const ROLES: Role[] = ['caretaker', 'admin'];

export const newAccountSchema = z.object({
  name: z.string().trim().min(1, 'users.error.name').max(120, 'users.error.nameLong'),
  email: z.string().trim().max(254, 'users.error.email').pipe(z.email('users.error.email')),
  role: z.enum(ROLES, 'users.error.role'),
});

export const roleSchema = z.object({ role: z.enum(ROLES, 'users.error.role') });

type Actor = { userId: number; now: number };
export type AccountResult = { ok: true; password?: string; user: User } | { ok: false; key: MessageKey; status: number };

async function activeAdmins(db: Conn): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin').where('active', '=', 1).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Creates an account with a generated one-time password that must be changed at first login. */
export async function createAccount(db: Conn, input: z.infer<typeof newAccountSchema>, actor: Actor): Promise<AccountResult> {
  const password = generatePassword();
  const hash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    if (await findUserByEmail(trx, input.email)) return { ok: false, status: 409, key: 'users.error.emailTaken' } as const;
    const id = await insertUser(trx, { ...input, mustChangePassword: true }, hash, actor.now);
    await audit(trx, { at: actor.now, userId: actor.userId, actor: 'user', action: 'user.created', entity: 'user', entityId: id, details: { email: input.email, role: input.role } });
    return { ok: true, password, user: (await findUserById(trx, id))! };
  });
}

/**
 * The checks of every change to another account, inside the write transaction so two admins acting at once
 * cannot both remove an admin: not yourself, and the last active admin stays an active admin.
 */
async function guarded(db: Conn, targetId: number, actor: Actor, removesAdmin: (u: User) => boolean,
  change: (trx: Conn, u: User) => Promise<AccountResult>): Promise<AccountResult> {
  return db.transaction().execute(async (trx) => {
    const user = await findUserById(trx, targetId);
    if (!user) throw new NotFoundError();
    if (user.id === actor.userId) return { ok: false, status: 409, key: 'users.error.self' } as const;
    if (removesAdmin(user) && (await activeAdmins(trx)) <= 1) return { ok: false, status: 409, key: 'users.error.lastAdmin' } as const;
    return change(trx, user);
  });
}

export function setAccountActive(db: Conn, targetId: number, active: boolean, actor: Actor): Promise<AccountResult> {
  return guarded(db, targetId, actor, (u) => !active && u.role === 'admin' && u.active === 1, async (trx, u) => {
    await trx.updateTable('users').set({ active: active ? 1 : 0, updated_at: actor.now }).where('id', '=', u.id).execute();
    if (!active) await endSessionsOf(trx, u.id);
    await audit(trx, { at: actor.now, userId: actor.userId, actor: 'user', action: active ? 'user.reactivated' : 'user.deactivated', entity: 'user', entityId: u.id });
    return { ok: true, user: u };
  });
}

export function changeRole(db: Conn, targetId: number, role: Role, actor: Actor): Promise<AccountResult> {
  return guarded(db, targetId, actor, (u) => u.role === 'admin' && role !== 'admin' && u.active === 1, async (trx, u) => {
    if (u.role !== role) {
      await trx.updateTable('users').set({ role, updated_at: actor.now }).where('id', '=', u.id).execute();
      await audit(trx, { at: actor.now, userId: actor.userId, actor: 'user', action: 'user.role_changed', entity: 'user', entityId: u.id, details: { from: u.role, to: role } });
    }
    return { ok: true, user: u };
  });
}

/** A new one-time password (the account keeps its active state); its sessions end. */
export async function resetAccountPassword(db: Conn, targetId: number, actor: Actor): Promise<AccountResult> {
  const password = generatePassword();
  const password_hash = await hashPassword(password);
  return guarded(db, targetId, actor, () => false, async (trx, u) => {
    await setPasswordHash(trx, u.id, password_hash, true, actor.now);
    await endSessionsOf(trx, u.id);
    await audit(trx, { at: actor.now, userId: actor.userId, actor: 'user', action: 'user.password_reset', entity: 'user', entityId: u.id });
    return { ok: true, password, user: u };
  });
}

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
    flash: takeFlash(req),
    refusal: v.refusal ?? '',
    errors: v.errors ?? {},
    values: v.values ?? { name: '', email: '', role: 'caretaker' },
    oneTime: v.oneTime ?? null,
    roles: ROLES,
    users: users.map((u) => ({
      id: u.id, name: u.name, email: u.email, role: u.role, active: u.active === 1, self: u.id === req.user!.id,
      mustChange: u.must_change_password === 1,
      lastLogin: u.last_login_at ? formatInstant(u.last_login_at, req.house.zone, req.lang) : req.t('users.never'),
    })),
  });
}

function parseId(v: string): number {
  if (!/^\d{1,9}$/.test(v)) throw new NotFoundError();
  return Number(v);
}

export function accountRoutes(ctx: AppContext): Router {
  const r = Router();
  r.use('/users', requireRole('admin'));
  const actor = (req: Request): Actor => ({ userId: req.user!.id, now: ctx.clock().getTime() });

  r.get('/users', (req, res) => renderPage(ctx, req, res, { status: 200 }));

  r.post('/users', async (req, res) => {
    const body = req.body ?? {};
    const values = { name: String(body.name ?? ''), email: String(body.email ?? ''), role: String(body.role ?? '') };
    const parsed = newAccountSchema.safeParse(values);
    if (!parsed.success) return renderPage(ctx, req, res, { status: 400, values, errors: fieldErrors(req, parsed.error.issues) });
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
    setFlash(req, flash);
    res.redirect(303, '/admin/users');
  }

  r.post('/users/:id/deactivate', async (req, res) => act(req, res, await setAccountActive(ctx.db, parseId(req.params.id), false, actor(req)), 'users.deactivated'));
  r.post('/users/:id/reactivate', async (req, res) => act(req, res, await setAccountActive(ctx.db, parseId(req.params.id), true, actor(req)), 'users.reactivated'));
  r.post('/users/:id/reset-password', async (req, res) => act(req, res, await resetAccountPassword(ctx.db, parseId(req.params.id), actor(req)), 'users.saved'));
  r.post('/users/:id/role', async (req, res) => {
    const id = parseId(req.params.id);
    const parsed = roleSchema.safeParse(req.body ?? {});
    if (!parsed.success) return renderPage(ctx, req, res, { status: 400, refusal: req.t('users.error.role') });
    await act(req, res, await changeRole(ctx.db, id, parsed.data.role, actor(req)), 'users.roleChanged');
  });

  return r;
}
