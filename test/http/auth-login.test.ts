import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { csrfFrom, makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/login.js';
import { ACCOUNT_LIMIT, IP_LIMIT } from '../../src/auth/login-limit.js';
import { LOGIN_WINDOW_MS } from '../../src/web/limits.js';
import { SESSION_COOKIE, SESSION_IDLE_MS } from '../../src/app.js';

const ADMIN = { email: 'admin@example.org', password: 'admin-password-123' };

async function loginPage(agent: ReturnType<typeof supertest.agent>, path = '/login') {
  const page = await agent.get(path);
  return { page, csrf: csrfFrom(page.text) };
}

function sidOf(res: supertest.Response): string | undefined {
  const cookies = ([] as string[]).concat((res.headers['set-cookie'] as unknown as string[]) ?? []);
  const c = cookies.find((x) => x.startsWith(`${SESSION_COOKIE}=`));
  return c?.split(';')[0]!.split('=')[1];
}

describe('login and logout', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp()));
  afterEach(() => t.close());

  it('sends an anonymous visitor of /admin to the login page, keeping where they wanted to go', async () => {
    const res = await t.request.get('/admin/rooms');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Fadmin%2Frooms');
    const page = await t.request.get(res.headers.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="next" value="/admin/rooms"');
    expect(page.text).toContain('<h1>Anmelden</h1>');
  });

  it('refuses a login without a CSRF token', async () => {
    const res = await t.request.post('/login').type('form').send(ADMIN);
    expect(res.status).toBe(403);
  });

  it('answers an empty form with 400 and a message next to each field', async () => {
    const agent = supertest.agent(t.app);
    const { csrf } = await loginPage(agent);
    const res = await agent.post('/login').type('form').send({ _csrf: csrf, email: '', password: '' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="email-error"');
    expect(res.text).toContain('id="password-error"');
    expect(res.text).toContain('aria-invalid="true"');
  });

  it('gives the same message for a wrong e-mail and a wrong password', async () => {
    const agent = supertest.agent(t.app);
    let { csrf } = await loginPage(agent);
    const wrongPassword = await agent.post('/login').type('form').send({ _csrf: csrf, email: ADMIN.email, password: 'not-the-password' });
    ({ csrf } = await loginPage(agent));
    const wrongEmail = await agent.post('/login').type('form').send({ _csrf: csrf, email: 'nobody@example.org', password: ADMIN.password });
    expect(wrongPassword.status).toBe(401);
    expect(wrongEmail.status).toBe(401);
    const message = (html: string) => html.match(/<div class="error-summary" role="alert"><p>([^<]+)<\/p>/)?.[1];
    expect(message(wrongPassword.text)).toBe('E-Mail-Adresse oder Passwort ist falsch.');
    expect(message(wrongEmail.text)).toBe(message(wrongPassword.text));
    expect(wrongEmail.text).toContain('value="nobody@example.org"');
    const still = await agent.get('/admin');
    expect(still.status).toBe(303);
  });

  it('logs in, gives a new session id, and goes to a local /admin next', async () => {
    const agent = supertest.agent(t.app);
    const { page, csrf } = await loginPage(agent, '/login?next=%2Fadmin%2Fpassword');
    // Showing the login form creates no session: the form's CSRF token lives in a signed cookie.
    expect(sidOf(page)).toBeUndefined();
    expect(await t.ctx.db.selectFrom('sessions').selectAll().execute()).toEqual([]);
    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrf, email: ADMIN.email.toUpperCase(), password: ADMIN.password, next: '/admin/password' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/password');
    const first = sidOf(res);
    expect(first).toBeTruthy();
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith(SESSION_COOKIE))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    const admin = await agent.get('/admin/password');
    expect(admin.status).toBe(200);
    // Logging in again on a browser that has a session gives a new id; the old one no longer exists in the store.
    const oldSid = decodeURIComponent(first!).slice(2).split('.')[0];
    expect(await t.ctx.db.selectFrom('sessions').select('sid').where('sid', '=', oldSid!).executeTakeFirst()).toBeDefined();
    const again = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(admin.text), ...ADMIN });
    expect(again.status).toBe(303);
    expect(sidOf(again)).toBeTruthy();
    expect(sidOf(again)).not.toBe(first);
    expect(await t.ctx.db.selectFrom('sessions').select('sid').where('sid', '=', oldSid!).executeTakeFirst()).toBeUndefined();
  });

  it('ignores a next that leads off the site or outside /admin', async () => {
    for (const next of ['https://evil.example/admin', '//evil.example/admin', '/\\evil.example', '/rooms', '/admin//evil.example', 'javascript:alert(1)']) {
      const agent = supertest.agent(t.app);
      const { csrf } = await loginPage(agent);
      const res = await agent
        .post('/login')
        .type('form')
        .send({ _csrf: csrf, ...ADMIN, next });
      expect(res.status, next).toBe(303);
      expect(res.headers.location, next).toBe('/admin');
    }
  });

  it('marks the cookies Secure when the site is served over HTTPS', async () => {
    const s = await makeTestApp({ config: { secureCookies: true, baseUrl: 'https://raum.example.org', trustProxy: 1 } });
    try {
      const page = await s.request.get('/login').set('X-Forwarded-Proto', 'https');
      const cookies = ([] as string[]).concat(page.headers['set-cookie'] as unknown as string[]);
      // The form's CSRF cookie: host-only, Secure, HttpOnly.
      const csrf = cookies.find((c) => c.startsWith('__Host-rb.csrf='))!;
      expect(csrf).toMatch(/HttpOnly/i);
      expect(csrf).toMatch(/; Secure/i);
      expect(csrf).toMatch(/; Path=\//i);
      const login = await s.request
        .post('/login')
        .set('X-Forwarded-Proto', 'https')
        .set('Cookie', cookies.map((c) => c.split(';')[0]).join('; '))
        .type('form')
        .send({ _csrf: csrfFrom(page.text), ...ADMIN });
      expect(login.status).toBe(303);
      const cookie = ([] as string[]).concat(login.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith(SESSION_COOKIE))!;
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/; Secure/i);
    } finally {
      await s.close();
    }
  });

  it('ends a session that was idle longer than the timeout', async () => {
    const { agent } = await loginAs(t, 'caretaker');
    expect((await agent.get('/admin/password')).status).toBe(200);
    t.clock.advance(SESSION_IDLE_MS - 60_000);
    expect((await agent.get('/admin/password')).status).toBe(200);
    // Rolling: each request starts the idle time again.
    t.clock.advance(SESSION_IDLE_MS - 60_000);
    expect((await agent.get('/admin/password')).status).toBe(200);
    t.clock.advance(SESSION_IDLE_MS + 1);
    expect((await agent.get('/admin/password')).status).toBe(303);
  });

  it('logs out: the session is gone from the store and /admin asks for a login again', async () => {
    const { agent, user, csrf } = await loginAs(t, 'caretaker');
    const token = await csrf();
    const before = await t.ctx.db.selectFrom('sessions').selectAll().execute();
    expect(before.some((s) => JSON.parse(s.data).userId === user.id)).toBe(true);
    const res = await agent.post('/logout').type('form').send({ _csrf: token });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?out=1');
    const after = await t.ctx.db.selectFrom('sessions').selectAll().execute();
    expect(after.some((s) => JSON.parse(s.data).userId === user.id)).toBe(false);
    expect((await agent.get('/admin')).status).toBe(303);
    expect((await agent.get('/login?out=1')).text).toContain('Sie sind abgemeldet.');
  });

  it('writes login, failed login and logout to the audit log, never the password', async () => {
    const agent = supertest.agent(t.app);
    let { csrf } = await loginPage(agent);
    await agent.post('/login').type('form').send({ _csrf: csrf, email: ADMIN.email, password: 'wrong-secret-xyz' });
    ({ csrf } = await loginPage(agent));
    await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrf, ...ADMIN });
    const token = csrfFrom((await agent.get('/admin/password')).text);
    await agent.post('/logout').type('form').send({ _csrf: token });
    const rows = await t.ctx.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    const admin = await t.ctx.db.selectFrom('users').select('id').where('email', '=', ADMIN.email).executeTakeFirstOrThrow();
    expect(rows.map((r) => [r.action, r.user_id, r.entity_id])).toEqual([
      ['auth.login_failed', null, admin.id],
      ['auth.login', admin.id, admin.id],
      ['auth.logout', admin.id, admin.id],
    ]);
    const all = JSON.stringify(rows);
    expect(all).not.toContain('wrong-secret-xyz');
    expect(all).not.toContain(ADMIN.password);
    const user = await t.ctx.db.selectFrom('users').select('last_login_at').where('id', '=', admin.id).executeTakeFirstOrThrow();
    expect(user.last_login_at).toBe(t.clock().getTime());
  });

  it('refuses a deactivated account with the same message', async () => {
    const { user, password } = await loginAs(t, 'caretaker');
    await t.ctx.db.updateTable('users').set({ active: 0 }).where('id', '=', user.id).execute();
    const agent = supertest.agent(t.app);
    const { csrf } = await loginPage(agent);
    const res = await agent.post('/login').type('form').send({ _csrf: csrf, email: user.email, password });
    expect(res.status).toBe(401);
    expect(res.text).toContain('E-Mail-Adresse oder Passwort ist falsch.');
  });
});

describe('login rate limit', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp({ config: { trustProxy: 1 } })));
  afterEach(() => t.close());

  async function attempt(email: string, password: string, ip: string) {
    const agent = supertest.agent(t.app);
    const page = await agent.get('/login').set('X-Forwarded-For', ip);
    return agent
      .post('/login')
      .set('X-Forwarded-For', ip)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email, password });
  }

  it('locks an account after too many failures, from any address, even with the right password', async () => {
    for (let i = 0; i < ACCOUNT_LIMIT; i++) {
      expect((await attempt(ADMIN.email, 'wrong-password', `10.0.0.${i + 1}`)).status).toBe(401);
    }
    const locked = await attempt(ADMIN.email, ADMIN.password, '10.0.1.1');
    expect(locked.status).toBe(429);
    expect(locked.text).toContain('Zu viele fehlgeschlagene Anmeldeversuche. Bitte versuchen Sie es ab 10:15 Uhr noch einmal.');
    expect(locked.headers['retry-after']).toBe('900');
    // Another account from the same address still works.
    const other = await loginAs(t, 'caretaker');
    expect((await attempt(other.user.email, other.password, '10.0.0.1')).status).toBe(303);
    // After the window the account can log in again.
    t.clock.advance(LOGIN_WINDOW_MS + 1000);
    expect((await attempt(ADMIN.email, ADMIN.password, '10.0.1.1')).status).toBe(303);
  });

  it('counts unknown e-mail addresses like known ones', async () => {
    for (let i = 0; i < ACCOUNT_LIMIT; i++) await attempt('ghost@example.org', 'whatever-pass', `10.0.2.${i + 1}`);
    expect((await attempt('ghost@example.org', 'whatever-pass', '10.0.3.1')).status).toBe(429);
  });

  it('locks an address after too many failures across accounts', async () => {
    for (let i = 0; i < IP_LIMIT; i++) {
      expect((await attempt(`user${i}@example.org`, 'wrong-password', '192.0.2.7')).status).toBe(401);
    }
    expect((await attempt(ADMIN.email, ADMIN.password, '192.0.2.7')).status).toBe(429);
    expect((await attempt(ADMIN.email, ADMIN.password, '192.0.2.8')).status).toBe(303);
  });

  it("forgets an account's failures after a successful login", async () => {
    for (let i = 0; i < ACCOUNT_LIMIT - 1; i++) await attempt(ADMIN.email, 'wrong-password', '10.0.4.1');
    expect((await attempt(ADMIN.email, ADMIN.password, '10.0.4.1')).status).toBe(303);
    for (let i = 0; i < ACCOUNT_LIMIT - 1; i++) await attempt(ADMIN.email, 'wrong-password', '10.0.4.1');
    expect((await attempt(ADMIN.email, ADMIN.password, '10.0.4.1')).status).toBe(303);
  });
});
