// Sessions are read for a valid session cookie and made only when code asks for one (src/web/sessions.ts).
// First on a small app of its own with express-session's memory store (whether express-session ran at all is
// seen directly), then in Raumbuch: residents leave no session rows and get no session cookie, a forged
// cookie is no session, and a login without any cookie before still gets its session.
import express from 'express';
import session from 'express-session';
import supertest from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cookies } from '../../src/web/security.js';
import { sessionIfAny, sessionOf, sessionOnDemand } from '../../src/web/sessions.js';
import { csrfFrom, makeTestApp, sessionRows, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/login.js';

declare module 'express-session' {
  interface SessionData {
    counted?: number;
  }
}

const SECRET = 'a-test-secret-of-some-length';

function smallApp() {
  const calls = { expressSession: 0 };
  const real = session({ name: 'sid', secret: SECRET, resave: false, saveUninitialized: false, store: new session.MemoryStore() });
  const app = express();
  app.use(cookies(SECRET));
  app.use(
    sessionOnDemand(
      (req, res, next) => {
        calls.expressSession++;
        return real(req, res, next);
      },
      'sid',
      SECRET,
    ),
  );
  // Only looks: what the session holds, if there is one.
  app.get('/look', (req, res) => {
    res.json({ session: sessionIfAny(req) !== undefined, counted: sessionIfAny(req)?.counted ?? null });
  });
  // Writes: counts its visits in the session (making one when there is none).
  app.get('/count', (req, res) => {
    const session = sessionOf(req);
    session.counted = (session.counted ?? 0) + 1;
    res.json({ counted: session.counted });
  });
  // Asks for the session but stores nothing in it.
  app.get('/touch', (req, res) => {
    res.json({ id: typeof sessionOf(req).id });
  });
  return { app, calls };
}

const sidOf = (res: supertest.Response) =>
  ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith('sid='))
    ?.split(';', 1)[0];

describe('a session made on demand', () => {
  it('reads and makes no session for a request that has no session cookie and does not ask for one', async () => {
    const { app, calls } = smallApp();
    const res = await supertest(app).get('/look');
    expect(res.body).toEqual({ session: false, counted: null });
    expect(sidOf(res)).toBeUndefined();
    expect(calls.expressSession).toBe(0);
  });

  it('makes the session when code writes to it, sets its cookie and reads it back on the next request', async () => {
    const { app, calls } = smallApp();
    const first = await supertest(app).get('/count');
    expect(first.body).toEqual({ counted: 1 });
    const sid = sidOf(first);
    expect(sid).toMatch(/^sid=s%3A/);
    const second = await supertest(app).get('/count').set('Cookie', sid!);
    expect(second.body).toEqual({ counted: 2 });
    const look = await supertest(app).get('/look').set('Cookie', sid!);
    expect(look.body).toEqual({ session: true, counted: 2 });
    expect(calls.expressSession).toBe(3);
  });

  it('sets no cookie when code asks for the session but stores nothing in it', async () => {
    const { app } = smallApp();
    const res = await supertest(app).get('/touch');
    expect(res.body).toEqual({ id: 'string' });
    expect(sidOf(res)).toBeUndefined();
  });

  it('treats a session cookie with a wrong signature as none, and a write then starts a new session', async () => {
    const { app, calls } = smallApp();
    const sid = sidOf(await supertest(app).get('/count'))!;
    const forged = `${sid.slice(0, -3)}abc`;
    const look = await supertest(app).get('/look').set('Cookie', forged);
    expect(look.body).toEqual({ session: false, counted: null });
    expect(calls.expressSession).toBe(1);
    const count = await supertest(app).get('/count').set('Cookie', forged);
    expect(count.body).toEqual({ counted: 1 });
    expect(sidOf(count)).not.toBe(sid);
  });
});

describe('sessions in Raumbuch', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp()));
  afterEach(() => t.close());

  it('gives residents and groups no session cookie and stores no session, also with a forged cookie', async () => {
    for (const cookie of [undefined, 'rb.sid=s%3Aforged.abc', 'rb.sid=plain']) {
      for (const path of ['/', '/week', '/requests/new', '/login', '/admin']) {
        const req = t.request.get(path);
        const res = await (cookie ? req.set('Cookie', cookie) : req);
        expect([200, 303], `${path} ${cookie}`).toContain(res.status);
        expect(String(res.headers['set-cookie'] ?? ''), `${path} ${cookie}`).not.toContain('rb.sid=');
      }
    }
    expect(await sessionRows(t)).toBe(0);
  });

  it('logs out a browser without a session without making one', async () => {
    const page = await t.request.get('/login');
    const formCookies = ([] as string[]).concat(page.headers['set-cookie'] ?? []).map((c) => c.split(';', 1)[0]);
    const res = await t.request
      .post('/logout')
      .set('Cookie', formCookies.join('; '))
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?out=1');
    expect(String(res.headers['set-cookie'] ?? '')).not.toMatch(/rb\.sid=s%3A/);
    expect(await sessionRows(t)).toBe(0);
  });

  it('logs in a browser that sent no cookie but the login form’s, and keeps it logged in', async () => {
    const page = await t.request.get('/login');
    const formCookies = ([] as string[]).concat(page.headers['set-cookie'] ?? []).map((c) => c.split(';', 1)[0]);
    expect(formCookies.join('; ')).not.toContain('rb.sid');
    const staff = await loginAs(t, 'caretaker');
    expect(await sessionRows(t)).toBe(1);
    const inbox = await staff.agent.get('/admin');
    expect(inbox.status).toBe(200);
    expect(csrfFrom(inbox.text)).toBeTruthy();
  });
});
