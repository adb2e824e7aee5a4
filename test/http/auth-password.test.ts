import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { csrfFrom, makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/login.js';
import { verifyPassword } from '../../src/auth/passwords.js';
import { findUserById } from '../../src/auth/users.js';
import { concrete, listRoutes } from '../adversarial/routes.js';
import { tableCounts } from '../adversarial/counts.js';

describe("changing one's own password", () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp()));
  afterEach(() => t.close());

  const change = async (agent: ReturnType<typeof supertest.agent>, token: string, body: Record<string, string>) =>
    agent
      .post('/admin/password')
      .type('form')
      .send({ _csrf: token, ...body });

  it('asks an anonymous visitor to log in first, and refuses an anonymous POST', async () => {
    expect((await t.request.get('/admin/password')).status).toBe(303);
    expect((await t.request.post('/admin/password').type('form').send({ current_password: 'x' })).status).toBe(403);
  });

  it('refuses a wrong current password, a short or long one, and two that differ', async () => {
    const { agent, csrf, password, user } = await loginAs(t, 'caretaker');
    const token = await csrf();
    const wrong = await change(agent, token, {
      current_password: 'not-my-password',
      new_password: 'ein-neues-passwort',
      new_password_confirm: 'ein-neues-passwort',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Das bisherige Passwort stimmt nicht.');
    const short = await change(agent, token, { current_password: password, new_password: 'kurz12345', new_password_confirm: 'kurz12345' });
    expect(short.status).toBe(400);
    expect(short.text).toContain('mindestens 10 Zeichen');
    expect(short.text).toContain('id="new_password-error"');
    const long = 'x'.repeat(129);
    expect((await change(agent, token, { current_password: password, new_password: long, new_password_confirm: long })).text).toContain(
      'höchstens 128 Zeichen',
    );
    const differ = await change(agent, token, { current_password: password, new_password: 'ein-neues-passwort', new_password_confirm: 'ein-anderes-passwort' });
    expect(differ.status).toBe(400);
    expect(differ.text).toContain('stimmen nicht überein');
    const same = await change(agent, token, { current_password: password, new_password: password, new_password_confirm: password });
    expect(same.status).toBe(400);
    const row = (await findUserById(t.ctx.db, user.id))!;
    expect(await verifyPassword(row.password_hash, password)).toBe(true);
  });

  it('accepts any 10 characters without composition rules, stores Argon2id and ends other sessions', async () => {
    const { agent, csrf, password, user } = await loginAs(t, 'caretaker');
    // A second browser of the same person.
    const other = supertest.agent(t.app);
    const page = await other.get('/login');
    await other
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: user.email, password });
    expect((await other.get('/admin/password')).status).toBe(200);

    const res = await change(agent, await csrf(), { current_password: password, new_password: 'aaaaaaaaaa', new_password_confirm: 'aaaaaaaaaa' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/password?done=1');
    const row = (await findUserById(t.ctx.db, user.id))!;
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await verifyPassword(row.password_hash, 'aaaaaaaaaa')).toBe(true);
    expect((await agent.get('/admin/password')).status).toBe(200);
    expect((await other.get('/admin/password')).status).toBe(303);
    const log = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.password_changed').executeTakeFirstOrThrow();
    expect(log.user_id).toBe(user.id);
    expect(log.details).not.toContain('aaaaaaaaaa');
  });

  it('sends an account with a one-time password to the password page until it has changed it', async () => {
    const { agent, csrf, password } = await loginAs(t, 'caretaker', { mustChangePassword: true });
    for (const path of ['/admin', '/admin/rooms', '/admin/export']) {
      const res = await agent.get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.location, path).toBe('/admin/password');
    }
    const page = await agent.get('/admin/password');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Bitte legen Sie jetzt ein eigenes Passwort fest.');
    const res = await change(agent, await csrf(), {
      current_password: password,
      new_password: 'mein eigenes passwort',
      new_password_confirm: 'mein eigenes passwort',
    });
    expect(res.status).toBe(303);
    expect((await agent.get('/admin/rooms')).status).toBe(200);
  });

  it('lets an account with a one-time password do nothing else, for every method, until it has changed it', async () => {
    const { agent, csrf, user } = await loginAs(t, 'admin', { mustChangePassword: true });
    const token = await csrf();
    const routes = listRoutes(t.app).filter((r) => r.method !== 'GET' && r.method !== 'HEAD' && r.path.startsWith('/admin') && r.path !== '/admin/password');
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['POST /admin/feed', 'POST /admin/requests/:id/approve', 'POST /admin/users']),
    );
    const before = await tableCounts(t);
    const answered: string[] = [];
    for (const r of routes) {
      const m = r.method.toLowerCase() as 'post' | 'put' | 'patch' | 'delete';
      const res = await agent[m](concrete(r.path)).type('form').send({ _csrf: token, confirm: '1', name: 'x', email: 'x@example.org', role: 'admin' });
      if (res.status !== 303 || res.headers.location !== '/admin/password') answered.push(`${r.method} ${r.path}: ${res.status}`);
    }
    expect(answered).toEqual([]);
    expect(await tableCounts(t)).toEqual(before);
    expect((await findUserById(t.ctx.db, user.id))!.feed_token_hash).toBeNull();
  });

  it('sends a one-time password login straight to the password page', async () => {
    const { user, password } = await loginAs(t, 'caretaker', { mustChangePassword: true });
    const agent = supertest.agent(t.app);
    const page = await agent.get('/login');
    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: user.email, password, next: '/admin/rooms' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/password');
  });
});
