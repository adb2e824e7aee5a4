import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';

describe('the app shell', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp()));
  afterEach(() => t.close());

  it('answers an unknown page with a 404 page in German', async () => {
    const res = await t.request.get('/gibt-es-nicht');
    expect(res.status).toBe(404);
    expect(res.text).toContain('Seite nicht gefunden');
    expect(res.text).toContain('<html lang="de" dir="ltr">');
  });

  it('answers in English with ?lang=en and remembers it in a cookie', async () => {
    const res = await t.request.get('/gibt-es-nicht?lang=en');
    expect(res.status).toBe(404);
    expect(res.text).toContain('Page not found');
    expect(res.text).toContain('<html lang="en" dir="ltr">');
    const cookie = res.headers['set-cookie'] as unknown as string[];
    expect(cookie.join(';')).toMatch(/lang=en/);
    const again = await t.request.get('/gibt-es-nicht').set('Cookie', 'lang=en');
    expect(again.text).toContain('Page not found');
  });

  it('honours Accept-Language', async () => {
    const res = await t.request.get('/nope').set('Accept-Language', 'en-GB,en;q=0.9');
    expect(res.text).toContain('<html lang="en" dir="ltr">');
  });

  it('sends a strict Content-Security-Policy and no-referrer', async () => {
    const res = await t.request.get('/nope');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves the stylesheet with caching headers', async () => {
    const res = await t.request.get('/static/css/site.css');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
  });

  it('refuses a cross-site POST', async () => {
    const res = await t.request.post('/anything').set('Sec-Fetch-Site', 'cross-site').type('form').send('a=1');
    expect(res.status).toBe(403);
    const res2 = await t.request.post('/anything').set('Origin', 'https://evil.example').type('form').send('a=1');
    expect(res2.status).toBe(403);
  });

  it('refuses a POST without a CSRF token', async () => {
    const res = await t.request.post('/anything').type('form').send('a=1');
    expect(res.status).toBe(403);
    expect(res.text).toContain('Formular abgelaufen');
  });
});

describe('form encoding', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp()));
  afterEach(() => t.close());

  it('refuses invalid UTF-8 bytes in a form with a message and stores nothing', async () => {
    const page = await t.request.get('/requests/new');
    const cookie = page.headers['set-cookie'] as unknown as string[];
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const before = await t.ctx.db
      .selectFrom('requests')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const res = await t.request
      .post('/requests')
      .set('Cookie', cookie)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      // Invalid bytes reach the app as U+FFFD (the replacement character): sent here as such.
      .send(`_csrf=${token}&title=%EF%BF%BD%EF%BF%BD&contact_name=A`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('ungültige Zeichen');
    const after = await t.ctx.db
      .selectFrom('requests')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
