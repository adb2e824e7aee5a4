// Behind a reverse proxy: BASE_URL https and TRUST_PROXY make the session cookie Secure.
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { bootstrap } from '../../src/bootstrap.js';
import { createApp, SESSION_COOKIE } from '../../src/app.js';
import { csrfFrom, fixedClock } from '../helpers/app.js';

let ctx: AppContext | undefined;
afterEach(async () => {
  await ctx?.destroy();
  ctx = undefined;
});

async function appWith(env: Record<string, string>) {
  const config = loadConfig({
    DATABASE_PATH: ':memory:',
    DEMO: '0',
    LOG_LEVEL: 'silent',
    ADMIN_EMAIL: 'admin@example.org',
    ADMIN_PASSWORD: 'admin-password-123',
    ...env,
  });
  ctx = createContext(config, { clock: fixedClock('2026-11-23T10:00:00+01:00') });
  const boot = await bootstrap(ctx);
  return supertest(createApp(ctx, { sessionSecret: boot.sessionSecret }));
}

/** Logs in by hand (a cookie jar would not send a Secure cookie back over the test's plain http). */
async function sessionCookie(agent: ReturnType<typeof supertest>, headers: Record<string, string>) {
  const page = await agent.get('/login').set(headers);
  const first = ([] as string[])
    .concat(page.headers['set-cookie'] ?? [])
    .map((c) => c.split(';')[0])
    .join('; ');
  const res = await agent
    .post('/login')
    .set(headers)
    .set('Cookie', first)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), email: 'admin@example.org', password: 'admin-password-123' });
  expect(res.status).toBe(303);
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
}

describe('behind a reverse proxy', () => {
  it('does not mark the cookie Secure for a plain-http installation', async () => {
    const agent = await appWith({ BASE_URL: 'http://raumbuch.local:3000' });
    const cookie = await sessionCookie(agent, {});
    expect(cookie).toBeDefined();
    expect(cookie).not.toMatch(/;\s*Secure/i);
  });

  it('marks the session cookie Secure when BASE_URL is https and the proxy says https', async () => {
    const agent = await appWith({ BASE_URL: 'https://raum.example.org', TRUST_PROXY: '1' });
    const cookie = await sessionCookie(agent, { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'raum.example.org' });
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
  });
});
