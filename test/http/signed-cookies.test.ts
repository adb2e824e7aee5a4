// Signed cookies are checked when code asks for them (src/web/security.ts cookies()), the session cookie only by
// express-session. The "form last shown at" cookie still counts only with its signature, and a staff session
// still works, now that nothing else checks its cookie.
import supertest from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csrfFrom, makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/login.js';
import { CSRF_SEEN_COOKIE } from '../../src/web/security.js';

/** The cookies a response set, as name → value. */
function setCookies(res: supertest.Response): Map<string, string> {
  const raw = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return new Map(raw.map((c) => c.split(';', 1)[0]!).map((nv) => [nv.slice(0, nv.indexOf('=')), nv.slice(nv.indexOf('=') + 1)]));
}

const header = (cookies: Map<string, string>) => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');

describe('signed cookies, checked when asked for', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp()));
  afterEach(() => t.close());

  async function loginForm() {
    const page = await t.request.get('/login');
    const cookies = setCookies(page);
    expect(cookies.has(CSRF_SEEN_COOKIE)).toBe(true);
    return { token: csrfFrom(page.text), cookies };
  }

  const post = (cookies: Map<string, string>, token: string) =>
    t.request.post('/login').set('Cookie', header(cookies)).type('form').send({ _csrf: token, email: 'nobody@example.org', password: 'wrong-password' });

  it('takes a form sent with the cookies its page set (the login says the password is wrong, not 403)', async () => {
    const { token, cookies } = await loginForm();
    const res = await post(cookies, token);
    expect(res.status).not.toBe(403);
  });

  it('refuses a form whose "form shown at" cookie was changed or had its signature taken off', async () => {
    const { token, cookies } = await loginForm();
    const seen = decodeURIComponent(cookies.get(CSRF_SEEN_COOKIE)!);
    expect(seen).toMatch(/^s:\d+\./);
    const moved = String(Number(/^s:(\d+)\./.exec(seen)![1]) + 1);
    for (const forged of [`s:${moved}${seen.slice(seen.indexOf('.'))}`, moved]) {
      const res = await post(new Map([...cookies, [CSRF_SEEN_COOKIE, encodeURIComponent(forged)]]), token);
      expect(res.status, forged).toBe(403);
    }
  });

  it('keeps a staff member logged in across pages (the session cookie is checked by the session alone)', async () => {
    const staff = await loginAs(t, 'caretaker');
    for (const path of ['/admin', '/admin/calendar', '/admin']) expect((await staff.agent.get(path)).status, path).toBe(200);
    // A session cookie with a changed signature is no session.
    const jar = staff.agent.jar.getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false });
    const sid = jar.find((c) => c.name === 'rb.sid')!.value;
    const res = await t.request.get('/admin').set('Cookie', `rb.sid=${sid.slice(0, -2)}xx`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toContain('/login');
  });
});
