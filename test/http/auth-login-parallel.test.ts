// The login limit holds for parallel attempts: however many arrive at once, no more passwords are checked
// than the documented number per account and per address (each check is reserved before Argon2 runs).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import supertest from 'supertest';
import { csrfFrom, makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/login.js';
import { ACCOUNT_LIMIT, IP_LIMIT } from '../../src/auth/login-limit.js';

const checks = vi.hoisted(() => ({ n: 0 }));
vi.mock('../../src/auth/passwords.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/auth/passwords.js')>();
  return {
    ...real,
    verifyPassword: async (hash: string, password: string) => {
      checks.n++;
      return real.verifyPassword(hash, password);
    },
  };
});

vi.setConfig({ testTimeout: 120_000 });

const ADMIN = { email: 'admin@example.org', password: 'admin-password-123' };

describe('login limit under parallel attempts', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp({ config: { trustProxy: 1 } })));
  afterEach(() => t.close());

  async function burst(n: number, body: (i: number) => Record<string, string>, ip: string, path = '/login', agent = supertest.agent(t.app)) {
    const token = csrfFrom((await agent.get(path === '/login' ? '/login' : '/admin/password').set('X-Forwarded-For', ip)).text);
    checks.n = 0;
    const all = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        agent
          .post(path)
          .set('X-Forwarded-For', ip)
          .type('form')
          .send({ _csrf: token, ...body(i) }),
      ),
    );
    return all.map((r) => r.status);
  }

  it('checks at most the account limit of passwords when 100 wrong ones for one account arrive at once', async () => {
    const statuses = await burst(100, () => ({ email: ADMIN.email, password: 'wrong-password' }), '10.1.0.1');
    expect(checks.n).toBeLessThanOrEqual(ACCOUNT_LIMIT);
    expect(statuses.filter((s) => s === 401)).toHaveLength(checks.n);
    expect(statuses.filter((s) => s === 429)).toHaveLength(100 - checks.n);
    // The right password is refused too until the window has passed.
    expect((await burst(1, () => ADMIN, '10.1.0.2'))[0]).toBe(429);
  });

  it('checks at most the address limit of passwords when 100 wrong ones for different accounts arrive at once', async () => {
    const statuses = await burst(100, (i) => ({ email: `person${i}@example.org`, password: 'wrong-password' }), '10.2.0.1');
    expect(checks.n).toBeLessThanOrEqual(IP_LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(100 - checks.n);
  });

  it('counts the current-password check on /admin/password as a login attempt, also in parallel', async () => {
    const me = await loginAs(t, 'caretaker');
    const statuses = await burst(
      40,
      () => ({ current_password: 'not-my-password', new_password: 'ein-neues-passwort', new_password_confirm: 'ein-neues-passwort' }),
      '10.3.0.1',
      '/admin/password',
      me.agent,
    );
    expect(checks.n).toBeLessThanOrEqual(ACCOUNT_LIMIT);
    const locked = statuses.filter((s) => s === 429).length;
    expect(locked).toBe(40 - checks.n);
    // The account is now locked for the login form as well, even with the right password.
    const other = supertest.agent(t.app);
    const token = csrfFrom((await other.get('/login')).text);
    const res = await other.post('/login').set('X-Forwarded-For', '10.3.0.9').type('form').send({ _csrf: token, email: me.user.email, password: me.password });
    expect(res.status).toBe(429);
    expect(res.text).toMatch(/Bitte versuchen Sie es ab \d\d:\d\d Uhr noch einmal/);
  });
});
