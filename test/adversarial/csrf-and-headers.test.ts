// Every state-changing route refuses a request without a valid CSRF token (found by walking the router,
// so a route added later is covered too), and every page carries the security headers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import supertest from 'supertest';
import { csrfFrom, makeTestApp, type TestApp } from '../helpers/app.js';
import { concrete, listRoutes } from './routes.js';
import { tableCounts } from './counts.js';

// A real server, a browser or many requests: slower than a unit test, especially on a busy machine.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A logged-in admin session (through the real login form). */
async function adminAgent(t: TestApp) {
  const agent = supertest.agent(t.app);
  const page = await agent.get('/login');
  const res = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), email: 'admin@example.org', password: 'admin-password-123' });
  expect(res.status).toBe(303);
  return agent;
}

describe('CSRF protection of every state-changing route', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp({ demo: true })));
  afterEach(() => t.close());

  it('finds the state-changing routes of the app', () => {
    const routes = listRoutes(t.app)
      .filter((r) => STATE_CHANGING.has(r.method))
      .map((r) => `${r.method} ${r.path}`);
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /login',
        'POST /logout',
        'POST /requests',
        'POST /requests/:token/cancel',
        'POST /requests/:token/edit',
        'POST /admin/requests/:id/approve',
        'POST /admin/requests/:id/reject',
      ]),
    );
  });

  it('refuses each of them without a token, with a foreign token and with a cross-site origin, and changes nothing', async () => {
    const routes = listRoutes(t.app).filter((r) => STATE_CHANGING.has(r.method));
    const admin = await adminAgent(t);
    // A token that is valid, but for another session (as an attacker could get one by opening the form).
    const stranger = supertest.agent(t.app);
    const foreignToken = csrfFrom((await stranger.get('/login')).text);
    const before = await tableCounts(t);
    const failures: string[] = [];
    for (const r of routes) {
      const url = concrete(r.path);
      const m = r.method.toLowerCase() as 'post' | 'put' | 'patch' | 'delete';
      const attempts = [
        ['anonymous, no token', await t.request[m](url).type('form').send('title=x&confirm=1')],
        ['admin, no token', await admin[m](url).type('form').send('title=x&confirm=1')],
        ['admin, foreign token', await admin[m](url).type('form').send({ _csrf: foreignToken, title: 'x', confirm: '1' })],
        ['admin, token in header from another session', await admin[m](url).set('X-CSRF-Token', foreignToken).type('form').send('confirm=1')],
        ['admin, cross-site', await admin[m](url).set('Sec-Fetch-Site', 'cross-site').type('form').send({ _csrf: foreignToken })],
      ] as const;
      for (const [what, res] of attempts) {
        if (res.status !== 403 || !/Formular abgelaufen/.test(res.text)) failures.push(`${r.method} ${url} (${what}): ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
    const after = await tableCounts(t);
    // The admin's login wrote a session before the snapshot; refused requests write nothing at all, except
    // that the public limits count a refused request form and an unknown manage link (rate_events).
    expect({ ...after, rate_events: 0 }).toEqual({ ...before, rate_events: 0 });
  });
});

describe('the cross-site check on real browser posts', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp()));
  afterEach(() => t.close());

  async function login(headers: Record<string, string>) {
    const agent = supertest.agent(t.app);
    const token = csrfFrom((await agent.get('/login')).text);
    let req = agent.post('/login').type('form');
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    return req.send({ _csrf: token, email: 'admin@example.org', password: 'admin-password-123' });
  }

  it('refuses Origin: null from another site or without fetch metadata', async () => {
    expect((await login({ Origin: 'null', 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await login({ Origin: 'null' })).status).toBe(403);
    expect((await login({ Origin: 'https://evil.example', 'Sec-Fetch-Site': 'same-origin' })).status).toBe(403);
  });

  it("accepts Chromium's own form post, which says Origin: null under Referrer-Policy: no-referrer", async () => {
    expect((await login({ Origin: 'null', 'Sec-Fetch-Site': 'same-origin' })).status).toBe(303);
  });
});

describe('security headers', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp({ demo: true })));
  afterEach(() => t.close());

  const pages = [
    '/',
    '/week',
    '/rooms',
    '/rooms/gruppenraum',
    '/rules',
    '/privacy',
    '/imprint',
    '/login',
    '/requests/new',
    '/gibt-es-nicht',
    '/api/v1/availability?from=x',
  ];

  it('sends a CSP without inline scripts or styles, no framing, nosniff and no referrer on every page', async () => {
    for (const p of pages) {
      const res = await t.request.get(p);
      expect(res.status, p).toBeLessThan(500);
      const csp = String(res.headers['content-security-policy']);
      const directives = Object.fromEntries(
        csp
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .map(([k, ...v]) => [k, v]),
      );
      expect(directives['script-src'], p).toEqual(["'self'"]);
      expect(directives['style-src'], p).toEqual(["'self'"]);
      expect(directives['default-src'], p).toEqual(["'self'"]);
      expect(directives['frame-ancestors'], p).toEqual(["'none'"]);
      expect(directives['object-src'], p).toEqual(["'none'"]);
      expect(directives['base-uri'], p).toEqual(["'none'"]);
      expect(csp, p).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(res.headers['x-content-type-options'], p).toBe('nosniff');
      expect(res.headers['referrer-policy'], p).toBe('no-referrer');
      expect(res.headers['x-frame-options'], p).toBe('DENY');
      expect(res.headers['x-powered-by'], p).toBeUndefined();
    }
  });

  it('marks the session cookie and the CSRF cookie HttpOnly and SameSite=Lax', async () => {
    const page = await t.request.get('/login');
    const pageCookies = ([] as string[]).concat(page.headers['set-cookie'] ?? []);
    const csrf = pageCookies.find((c) => c.startsWith('rb.csrf='));
    expect(csrf).toBeDefined();
    expect(csrf).toMatch(/HttpOnly/i);
    expect(csrf).toMatch(/SameSite=Lax/i);
    const res = await t.request
      .post('/login')
      .set('Cookie', pageCookies.map((c) => c.split(';')[0]).join('; '))
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: 'admin@example.org', password: 'admin-password-123' });
    const session = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('rb.sid='));
    expect(session).toBeDefined();
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
  });

  it('keeps views free of inline scripts, inline styles and event handler attributes', async () => {
    for (const p of pages) {
      const html = (await t.request.get(p)).text;
      expect(html, p).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
      expect(html, p).not.toMatch(/\sstyle\s*=/i);
      expect(html, p).not.toMatch(/\son[a-z]+\s*=\s*["']/i);
    }
  });
});
