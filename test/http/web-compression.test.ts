// Answers are compressed (gzip or brotli, as the browser prefers), say what they vary by, and static files are
// served under a fingerprint of their content with a year's immutable caching (issue 16).
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/login.js';
import { rawGet as raw } from '../helpers/raw-get.js';

describe('compression, Vary and static files', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp({ demo: true })));
  afterEach(() => t.close());

  it('sends the house week brotli- or gzip-compressed, as the browser asks, and says it varies by encoding, language and cookie', async () => {
    const plain = await raw(t, '/week?date=2026-12-07', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const text = plain.body.toString('utf8');
    expect(text).toContain('Großer Saal');
    const br = await raw(t, '/week?date=2026-12-07', 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).toString('utf8')).toBe(text);
    expect(br.body.length).toBeLessThan(text.length / 3);
    const gz = await raw(t, '/week?date=2026-12-07', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString('utf8')).toBe(text);
    const vary = String(gz.headers.vary)
      .split(/,\s*/)
      .map((v) => v.toLowerCase());
    expect(vary).toEqual(expect.arrayContaining(['accept-encoding', 'accept-language', 'cookie']));
  });

  it('compresses JSON and calendar feeds too', async () => {
    const api = await raw(t, '/api/v1/availability?from=2026-12-07&to=2026-12-13', 'gzip');
    expect(api.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(api.body).toString('utf8')).rooms.length).toBeGreaterThan(0);
    const feed = await raw(t, '/rooms/grosser-saal/calendar.ics', 'br');
    expect(feed.status).toBe(200);
    expect(feed.headers['content-type']).toContain('text/calendar');
    expect(feed.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(feed.body).toString('utf8')).toContain('BEGIN:VCALENDAR');
  });

  it('sends HTML, CSS, JSON and calendar feeds in brotli and gzip, each the plain answer byte for byte, varying by encoding', async () => {
    const page = await t.request.get('/');
    const css = /<link rel="stylesheet" href="(\/assets\/[0-9a-f]{12}\/css\/site\.css)">/.exec(page.text)?.[1];
    expect(css).toBeDefined();
    const kinds: [string, RegExp][] = [
      ['/week?date=2026-12-07', /text\/html/],
      [css!, /text\/css/],
      ['/api/v1/availability?from=2026-12-07&to=2026-12-13', /application\/json/],
      ['/rooms/grosser-saal/calendar.ics', /text\/calendar/],
    ];
    for (const [path, type] of kinds) {
      const plain = await raw(t, path, 'identity');
      expect(plain.status, path).toBe(200);
      expect(plain.headers['content-type'], path).toMatch(type);
      expect(plain.headers['content-encoding'], path).toBeUndefined();
      for (const [encoding, decode] of [
        ['br', brotliDecompressSync],
        ['gzip', gunzipSync],
      ] as const) {
        const packed = await raw(t, path, encoding);
        expect(packed.headers['content-encoding'], `${path} ${encoding}`).toBe(encoding);
        expect(decode(packed.body).equals(plain.body), `${path} ${encoding}`).toBe(true);
        expect(packed.body.length, `${path} ${encoding}`).toBeLessThan(plain.body.length);
        const vary = String(packed.headers.vary ?? '')
          .toLowerCase()
          .split(/,\s*/);
        expect(vary, `${path} ${encoding}`).toContain('accept-encoding');
      }
    }
  });

  it('compresses a page rendered for one visitor (a session cookie, no page cache) in the encoding it takes, gzip first', async () => {
    const visitor = { cookie: 'rb.sid=s%3Anot-a-session' };
    const plain = await raw(t, '/week?date=2026-12-07', '', visitor);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const text = plain.body.toString('utf8');
    expect(text).toContain('Großer Saal');
    for (const [accept, expected, decode] of [
      ['gzip, deflate, br', 'gzip', gunzipSync],
      ['br', 'br', brotliDecompressSync],
      ['br;q=1, gzip;q=0.5', 'gzip', gunzipSync],
      ['gzip;q=0, br', 'br', brotliDecompressSync],
    ] as const) {
      const packed = await raw(t, '/week?date=2026-12-07', accept, visitor);
      expect(packed.headers['content-encoding'], accept).toBe(expected);
      expect(decode(packed.body).toString('utf8'), accept).toBe(text);
      expect(packed.body.length, accept).toBeLessThan(text.length / 4);
      expect(String(packed.headers.vary).toLowerCase(), accept).toContain('accept-encoding');
    }
    // Nothing the browser does not take.
    expect((await raw(t, '/week?date=2026-12-07', 'identity', visitor)).headers['content-encoding']).toBeUndefined();
    // A small answer (a redirect's body, an error of a few bytes) is sent as it is.
    const moved = await raw(t, '/favicon.ico', 'gzip');
    expect(moved.headers['content-encoding']).toBeUndefined();
  });

  it('sends each rendered week as its own plain page gzip-compressed, also when its start and end were compressed for an earlier answer', async () => {
    const visitor = { cookie: 'rb.sid=s%3Anot-a-session' };
    // Two weeks in two languages, each asked for twice (the second answer reuses the compressed start and end).
    const asked = ['/week?date=2026-12-07', '/week?date=2026-12-14', '/week?date=2026-12-07&lang=en', '/week?date=2026-12-14&lang=en'];
    const seen = new Map<string, string>();
    for (const path of [...asked, ...asked]) {
      const plain = (await raw(t, path, 'identity', visitor)).body.toString('utf8');
      const gz = await raw(t, path, 'gzip', visitor);
      expect(gz.headers['content-encoding'], path).toBe('gzip');
      expect(gunzipSync(gz.body).toString('utf8'), path).toBe(plain);
      if (seen.has(path)) expect(plain, path).toBe(seen.get(path));
      seen.set(path, plain);
    }
    expect(seen.get('/week?date=2026-12-07')).toContain('Großer Saal');
    expect(seen.get('/week?date=2026-12-07&lang=en')).toContain('lang="en"');
    expect(new Set(seen.values()).size).toBe(4);
  });

  it('keeps a cached page compressed once per encoding: the same bytes and ETag on every hit, 304 for a browser that has them', async () => {
    const first = await raw(t, '/week?date=2026-12-07', 'gzip, deflate, br');
    const second = await raw(t, '/week?date=2026-12-07', 'gzip, deflate, br');
    expect(first.headers['content-encoding']).toBe('br');
    expect(second.body.equals(first.body)).toBe(true);
    expect(second.headers.etag).toBe(first.headers.etag);
    const gz = await raw(t, '/week?date=2026-12-07', 'gzip');
    const plain = await raw(t, '/week?date=2026-12-07', 'identity');
    // Each encoding is its own representation with its own ETag.
    expect(new Set([first.headers.etag, gz.headers.etag, plain.headers.etag]).size).toBe(3);
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    const again = await raw(t, '/week?date=2026-12-07', 'gzip, deflate, br', { 'if-none-match': String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('streams the CSV export compressed, and leaves the XLSX workbook (a zip already) as it is', async () => {
    const staff = await loginAs(t, 'caretaker');
    const csv = await staff.agent.get('/admin/export?from=2026-12-01&to=2026-12-31&status=all').set('Accept-Encoding', 'gzip');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-encoding']).toBe('gzip');
    // supertest has inflated it: the rows as written.
    expect(csv.text.split('\n').length).toBeGreaterThan(10);
    const xlsx = await staff.agent.get('/admin/export?from=2026-12-01&to=2026-12-31&format=xlsx').set('Accept-Encoding', 'gzip');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-encoding']).toBeUndefined();
  });

  it('links the stylesheet and the icon under a content fingerprint, cached for a year as immutable', async () => {
    const page = await t.request.get('/');
    const css = /<link rel="stylesheet" href="(\/assets\/[0-9a-f]{12}\/css\/site\.css)">/.exec(page.text)?.[1];
    expect(css).toBeDefined();
    const res = await t.request.get(css!);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/css');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = /<link rel="icon" href="([^"]+)"/.exec(page.text)?.[1];
    expect(icon).toMatch(/^\/assets\/[0-9a-f]{12}\/favicon\.svg$/);
    expect((await t.request.get(icon!)).headers['content-type']).toContain('image/svg+xml');
    const ico = await t.request.get('/favicon.ico');
    expect(ico.status).toBe(301);
    expect(ico.headers.location).toBe(icon);
    // An address with another fingerprint is not served as immutable.
    expect((await t.request.get('/assets/000000000000/css/site.css')).status).toBe(404);
  });
});
