// The server makes requests and responses with the app's prototypes (src/web/http-objects.ts), so Express's own
// prototype switch finds them in place. Checked on the server Raumbuch runs (createHttpServer): the objects
// already have the app's prototypes when Node hands them over, everything Express and Raumbuch add to them
// works, and the pages are the same as from a plain Node server.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../src/web/http-objects.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';

async function listening(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

describe('requests and responses made with the app’s prototypes', () => {
  let t: TestApp;
  let server: http.Server;
  let plain: http.Server;
  beforeEach(async () => {
    t = await makeTestApp({ demo: true });
    server = createHttpServer(t.app);
    plain = http.createServer(t.app);
  });
  afterEach(async () => {
    await close(server);
    await close(plain);
    await t.close();
  });

  it('hands Express a request and response that already have the app’s prototypes', async () => {
    const seen: boolean[] = [];
    // Listeners run in order: this one sees the objects before the app (Express) does.
    server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      seen.push(Object.getPrototypeOf(req) === t.app.request, Object.getPrototypeOf(res) === t.app.response);
      seen.push(req instanceof http.IncomingMessage, res instanceof http.ServerResponse);
    });
    const base = await listening(server);
    expect((await fetch(`${base}/week`)).status).toBe(200);
    expect(seen).toEqual([true, true, true, true]);
  });

  it('answers pages, headers, cookies and redirects as a plain Node server does', async () => {
    const [a, b] = [await listening(server), await listening(plain)];
    const asks: [string, RequestInit?][] = [
      ['/week?date=2026-11-23'],
      ['/week?date=2026-11-23', { headers: { cookie: 'rb.sid=s%3Aforged.x', 'accept-language': 'tr' } }],
      ['/rooms'],
      ['/requests/new'],
      ['/admin'],
      ['/no-such-page'],
      ['/api/v1/rooms'],
    ];
    for (const [path, init] of asks) {
      const [x, y] = await Promise.all([fetch(a + path, { ...init, redirect: 'manual' }), fetch(b + path, { ...init, redirect: 'manual' })]);
      expect(x.status, path).toBe(y.status);
      expect(x.headers.get('content-type'), path).toBe(y.headers.get('content-type'));
      expect(x.headers.get('location'), path).toBe(y.headers.get('location'));
      // The form token and its cookie differ per answer; the rest of the page is the same.
      const text = async (r: Response) => (await r.text()).replace(/name="_csrf" value="[^"]*"/g, '');
      expect(await text(x), path).toBe(await text(y));
      expect(
        x.headers.getSetCookie().map((c) => c.split('=', 1)[0]),
        path,
      ).toEqual(y.headers.getSetCookie().map((c) => c.split('=', 1)[0]));
    }
  });
});
