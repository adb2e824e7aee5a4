import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { csrfFrom, makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/login.js';
import { findUserByEmail, findUserById } from '../../src/auth/users.js';
import { verifyPassword } from '../../src/auth/passwords.js';
import { changeRole, setAccountActive } from '../../src/accounts/service.js';

const oneTimeFrom = (html: string) => html.match(/<p class="one-time-password"><code>([^<]+)<\/code>/)?.[1];

describe('accounts', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp()));
  afterEach(() => t.close());

  async function bootAdminId() {
    return (await findUserByEmail(t.ctx.db, 'admin@example.org'))!.id;
  }

  it('refuses a bad new account with 400 and a taken e-mail address with 409', async () => {
    const { agent, csrf } = await loginAs(t, 'admin');
    const token = await csrf('/admin/users');
    const bad = await agent.post('/admin/users').type('form').send({ _csrf: token, name: '', email: 'kein-at', role: 'king' });
    expect(bad.status).toBe(400);
    for (const f of ['name', 'email', 'role']) expect(bad.text).toContain(`id="${f}-error"`);
    const taken = await agent.post('/admin/users').type('form').send({ _csrf: token, name: 'Doppelt', email: 'ADMIN@example.org', role: 'caretaker' });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('Für diese E-Mail-Adresse gibt es schon ein Konto.');
    expect(await t.ctx.db.selectFrom('users').selectAll().execute()).toHaveLength(2);
  });

  it('creates an account with a one-time password shown once, which must be changed at first login', async () => {
    const { agent, csrf, user: admin } = await loginAs(t, 'admin');
    const res = await agent
      .post('/admin/users')
      .type('form')
      .send({ _csrf: await csrf('/admin/users'), name: 'Kemal Aydın', email: 'kemal@example.org', role: 'caretaker' });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const password = oneTimeFrom(res.text);
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    const row = (await findUserByEmail(t.ctx.db, 'kemal@example.org'))!;
    expect(row).toMatchObject({ name: 'Kemal Aydın', role: 'caretaker', active: 1, must_change_password: 1 });
    expect(await verifyPassword(row.password_hash, password!)).toBe(true);
    expect(row.password_hash).not.toContain(password!);
    // Shown once: the list page does not show it again.
    expect((await agent.get('/admin/users')).text).not.toContain(password!);
    const log = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.created').executeTakeFirstOrThrow();
    expect(log).toMatchObject({ user_id: admin.id, entity_id: row.id });
    expect(log.details).not.toContain(password!);

    const kemal = supertest.agent(t.app);
    const page = await kemal.get('/login');
    const login = await kemal
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: 'kemal@example.org', password });
    expect(login.headers.location).toBe('/admin/password');
  });

  it('refuses to deactivate or demote yourself (409)', async () => {
    const { agent, csrf, user: me } = await loginAs(t, 'admin');
    const token = await csrf('/admin/users');
    const self = await agent.post(`/admin/users/${me.id}/deactivate`).type('form').send({ _csrf: token });
    expect(self.status).toBe(409);
    expect(self.text).toContain('Das eigene Konto kann hier nicht geändert werden.');
    expect((await agent.post(`/admin/users/${me.id}/role`).type('form').send({ _csrf: token, role: 'caretaker' })).status).toBe(409);
    expect((await agent.post(`/admin/users/${me.id}/reset-password`).type('form').send({ _csrf: token })).status).toBe(409);
    expect((await findUserById(t.ctx.db, me.id))!).toMatchObject({ active: 1, role: 'admin' });
  });

  it('deactivates and reactivates another admin while one stays', async () => {
    const { agent, csrf } = await loginAs(t, 'admin');
    const token = await csrf('/admin/users');
    const other = await bootAdminId();
    expect((await agent.post(`/admin/users/${other}/deactivate`).type('form').send({ _csrf: token })).status).toBe(303);
    expect((await findUserById(t.ctx.db, other))!.active).toBe(0);
    expect((await agent.post(`/admin/users/${other}/reactivate`).type('form').send({ _csrf: token })).status).toBe(303);
    expect((await findUserById(t.ctx.db, other))!.active).toBe(1);
  });

  it('keeps the last active admin when two admins remove each other at the same moment', async () => {
    const a = await bootAdminId();
    const b = (await loginAs(t, 'admin')).user.id;
    const now = t.clock().getTime();
    const [first, second] = await Promise.all([
      setAccountActive(t.ctx.db, b, false, { userId: a, now }),
      changeRole(t.ctx.db, a, 'caretaker', { userId: b, now }),
    ]);
    expect([first.ok, second.ok].sort()).toEqual([false, true]);
    const refused = first.ok ? second : first;
    expect(refused).toMatchObject({ ok: false, status: 409, key: 'users.error.lastAdmin' });
    const active = await t.ctx.db.selectFrom('users').select('id').where('role', '=', 'admin').where('active', '=', 1).execute();
    expect(active).toHaveLength(1);
  });

  it('resets a password: a new one-time password, shown once; old sessions end', async () => {
    const { agent, csrf } = await loginAs(t, 'admin');
    const caretaker = await loginAs(t, 'caretaker');
    expect((await caretaker.agent.get('/admin/rooms')).status).toBe(200);
    const res = await agent
      .post(`/admin/users/${caretaker.user.id}/reset-password`)
      .type('form')
      .send({ _csrf: await csrf('/admin/users') });
    expect(res.status).toBe(200);
    const password = oneTimeFrom(res.text)!;
    expect(password).toHaveLength(16);
    const row = (await findUserById(t.ctx.db, caretaker.user.id))!;
    expect(row.must_change_password).toBe(1);
    expect(await verifyPassword(row.password_hash, password)).toBe(true);
    expect(await verifyPassword(row.password_hash, caretaker.password)).toBe(false);
    expect((await caretaker.agent.get('/admin/rooms')).status).toBe(303);
    expect(await t.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'user.password_reset').execute()).toHaveLength(1);
  });

  it('deactivates an account: its session ends and it cannot log in; changes its role', async () => {
    const { agent, csrf } = await loginAs(t, 'admin');
    const caretaker = await loginAs(t, 'caretaker');
    const token = await csrf('/admin/users');
    expect((await agent.post(`/admin/users/${caretaker.user.id}/role`).type('form').send({ _csrf: token, role: 'admin' })).status).toBe(303);
    expect((await findUserById(t.ctx.db, caretaker.user.id))!.role).toBe('admin');
    expect((await agent.post(`/admin/users/${caretaker.user.id}/role`).type('form').send({ _csrf: token, role: 'root' })).status).toBe(400);
    expect((await agent.post(`/admin/users/${caretaker.user.id}/deactivate`).type('form').send({ _csrf: token })).status).toBe(303);
    expect((await caretaker.agent.get('/admin/rooms')).status).toBe(303);
    expect(await t.ctx.db.selectFrom('sessions').selectAll().where('data', 'like', `%"userId":${caretaker.user.id}%`).execute()).toHaveLength(0);
    const actions = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('entity_id', '=', caretaker.user.id)
      .where('action', 'like', 'user.%')
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['user.role_changed', 'user.deactivated']);
    expect(JSON.parse(actions[0]!.details)).toEqual({ from: 'caretaker', to: 'admin' });
    expect((await agent.post('/admin/users/99999/deactivate').type('form').send({ _csrf: token })).status).toBe(404);
  });
});
