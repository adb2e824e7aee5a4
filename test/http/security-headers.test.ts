// Response headers a browser acts on: powerful features switched off (Permissions-Policy), HTTPS pinned only
// when the request came over HTTPS (HSTS), and one answer to "may this page be framed?" (no).
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';

const PATHS = ['/', '/week', '/login', '/requests/new', '/admin', '/gibt-es-nicht', '/static/css/site.css', '/healthz', '/api/v1/availability'];

describe('security headers', () => {
  let t: TestApp;
  afterEach(() => t.close());

  it('switch off camera, microphone, location and the other powerful features on every answer', async () => {
    t = await makeTestApp();
    for (const p of PATHS) {
      const res = await t.request.get(p);
      const policy = String(res.headers['permissions-policy'] ?? '');
      const features = Object.fromEntries(policy.split(',').map((f) => f.trim().split('=')));
      for (const f of ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'display-capture']) {
        expect(features[f], `${p}: ${f}`).toBe('()');
      }
    }
  });

  it('send no HSTS over plain HTTP, also when a client claims HTTPS without a trusted proxy', async () => {
    t = await makeTestApp();
    for (const p of PATHS) {
      expect((await t.request.get(p)).headers['strict-transport-security'], p).toBeUndefined();
      expect((await t.request.get(p).set('X-Forwarded-Proto', 'https')).headers['strict-transport-security'], p).toBeUndefined();
    }
  });

  it('send HSTS for a year, without includeSubDomains, when the trusted proxy says the request came over HTTPS, and not when it came over HTTP', async () => {
    t = await makeTestApp({ config: { trustProxy: 1, baseUrl: 'https://raum.example.org', secureCookies: true } });
    for (const p of PATHS) {
      const secure = await t.request.get(p).set('X-Forwarded-Proto', 'https');
      const hsts = String(secure.headers['strict-transport-security'] ?? '');
      expect(hsts, p).toMatch(/^max-age=(\d+)/);
      expect(Number(/max-age=(\d+)/.exec(hsts)![1]), p).toBeGreaterThanOrEqual(31536000);
      // Other hosts under a parent domain are not Raumbuch's to pin to HTTPS.
      expect(hsts.toLowerCase(), p).not.toContain('includesubdomains');
      const plain = await t.request.get(p).set('X-Forwarded-Proto', 'http');
      expect(plain.headers['strict-transport-security'], p).toBeUndefined();
    }
  });

  it("forbid framing the same way in both headers: X-Frame-Options DENY and frame-ancestors 'none'", async () => {
    t = await makeTestApp();
    for (const p of PATHS) {
      const res = await t.request.get(p);
      expect(res.headers['x-frame-options'], p).toBe('DENY');
      expect(String(res.headers['content-security-policy']), p).toMatch(/(^|;)\s*frame-ancestors 'none'\s*(;|$)/);
    }
  });
});
