// Log lines carry request id, method, path, status and duration, and never passwords, e-mail addresses,
// names or manage-link tokens, whatever a request sends.
import { Writable } from 'node:stream';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import supertest from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { bootstrap } from '../../src/bootstrap.js';
import { createApp } from '../../src/app.js';
import { csrfFrom, fixedClock } from '../helpers/app.js';
import { aBooking, aRoom } from '../helpers/factories.js';

let lines: string[];
let ctx: AppContext;
let request: ReturnType<typeof supertest.agent>;
let app: ReturnType<typeof createApp>;

beforeEach(async () => {
  lines = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  const logger = pino({ level: 'trace', base: undefined }, stream);
  const config = testConfig({ adminEmail: 'admin@example.org', adminPassword: 'admin-password-123', logLevel: 'trace' });
  ctx = createContext(config, { clock: fixedClock('2026-11-23T10:00:00+01:00'), logger });
  const boot = await bootstrap(ctx);
  app = createApp(ctx, { sessionSecret: boot.sessionSecret });
  request = supertest.agent(app);
});
afterEach(() => ctx.destroy());

describe('request logs', () => {
  it('write one structured line per request with an id that the response names', async () => {
    const res = await request.get('/healthz');
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const line = lines.map((l) => JSON.parse(l)).find((l) => l.reqId === id);
    expect(line).toMatchObject({ method: 'GET', path: '/healthz', status: 200, msg: 'request' });
    expect(typeof line.ms).toBe('number');
  });

  it('write no request line below the info level, and still name the request id', async () => {
    const quiet: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        quiet.push(...String(chunk).split('\n').filter(Boolean));
        cb();
      },
    });
    const warnCtx = createContext(testConfig({ logLevel: 'warn' }), {
      clock: fixedClock('2026-11-23T10:00:00+01:00'),
      logger: pino({ level: 'warn', base: undefined }, stream),
    });
    try {
      const boot = await bootstrap(warnCtx);
      const warnApp = createApp(warnCtx, { sessionSecret: boot.sessionSecret });
      for (const path of ['/healthz', '/week', '/nowhere']) {
        const res = await supertest(warnApp).get(path);
        expect(res.headers['x-request-id'], path).toMatch(/^[0-9a-f-]{36}$/);
      }
      expect(quiet.map((l) => JSON.parse(l) as { msg: string }).filter((l) => l.msg === 'request')).toEqual([]);
    } finally {
      await warnCtx.destroy();
    }
  });

  it('hold no password, e-mail address, name or token across a login, a request and a manage-link visit', async () => {
    const room = await aRoom(ctx.db, { slug: 'saal' });
    const { token } = await aBooking(ctx.db, { roomId: room.id, email: 'geheim.person@example.org', contactName: 'Geheimina Namenlos' });

    const login = await request.get('/login');
    await request
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(login.text), email: 'admin@example.org', password: 'admin-password-123' });
    await request
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(login.text), email: 'admin@example.org', password: 'wrong-secret-Passw0rt' });

    const form = await request.get('/requests/new');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
    await request.post('/requests').type('form').send({
      _csrf: csrf,
      room: 'saal',
      date: '2026-12-15',
      start: '10:00',
      end: '12:00',
      title: 'Treffen Sonnenschein',
      contactName: 'Zacharias Unverwechselbar',
      email: 'zacharias.unverwechselbar@example.org',
      phone: '0309876543',
      attendees: '5',
      category: 'social',
      acceptRules: '1',
      acceptPrivacy: '1',
    });

    await request.get(`/requests/${token}`);
    await request.get(`/requests/${token}/calendar.ics`);
    await request.get('/admin/data?email=geheim.person@example.org');
    await request.get(`/week?token=${token}&email=geheim.person@example.org`);

    const all = lines.join('\n');
    expect(lines.length).toBeGreaterThan(5);
    for (const secret of [
      'admin-password-123',
      'wrong-secret-Passw0rt',
      'zacharias.unverwechselbar',
      'Zacharias',
      'Unverwechselbar',
      'Sonnenschein',
      '0309876543',
      'geheim.person',
      'Geheimina',
      token,
    ]) {
      expect(all).not.toContain(secret);
    }
    // The manage-link visit is logged, with the token replaced.
    expect(lines.map((l) => JSON.parse(l)).some((l) => l.path === '/requests/:token')).toBe(true);
  });

  it('name the whole path of staff pages (mount prefix kept, no query string), and hide only the public manage token', async () => {
    const room = await aRoom(ctx.db, { slug: 'saal' });
    const { token, requestId } = await aBooking(ctx.db, { roomId: room.id, email: 'geheim.person@example.org', status: 'pending' });
    const login = await request.get('/login');
    await request
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(login.text), email: 'admin@example.org', password: 'admin-password-123' });

    const visits: [string, string][] = [
      [`/admin/requests/${requestId}`, `/admin/requests/${requestId}`],
      ['/admin/bookings/new?room=saal&date=2026-12-15', '/admin/bookings/new'],
      ['/admin/data/export?email=geheim.person@example.org', '/admin/data/export'],
      ['/admin/outbox', '/admin/outbox'],
      [`/requests/${token}/edit`, '/requests/:token/edit'],
      [`/REQUESTS/${token}`, '/requests/:token'], // Express routes it case-insensitively
      ['/requests/new?room=saal', '/requests/new'],
    ];
    for (const [url, logged] of visits) {
      const res = await request.get(url);
      expect(res.status, url).toBeLessThan(400);
      const line = lines.map((l) => JSON.parse(l)).find((l) => l.reqId === res.headers['x-request-id']);
      expect(line?.path, url).toBe(logged);
    }
    const all = lines.join('\n');
    expect(all).not.toContain(token);
    expect(all).not.toContain('geheim.person');
  });

  it('hold no manage token on any spelling of its path: doubled or dot segments, percent-encoded, other case, suffixes', async () => {
    const room = await aRoom(ctx.db, { slug: 'saal' });
    const { token } = await aBooking(ctx.db, { roomId: room.id, status: 'pending' });
    const enc = (s: string) => s.replace(/[A-Za-z]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const spellings = [
      `//requests/${token}`,
      `///requests/${token}/edit`,
      `/./requests/${token}`,
      `/rooms/../requests/${token}`,
      `/requests/./${token}`,
      `/%2Frequests%2F${token}`,
      `/requests%2F${token}`,
      `/requests/${enc(token)}`,
      `/%72equests/${token}`,
      `/%252Frequests%252F${token}`,
      `/requests/${token}/`,
      `/requests/${token}/calendar.ics`,
      `/requests/${token}/cancel/extra`,
      `/REQUESTS/${token}`,
      `/Requests/${token}/EDIT`,
      `/requests//${token}`,
      `/requests\\${token}`,
      `http://localhost//requests/${token}`,
      `/requests;${token}`,
      `/x/requests/${token}`,
    ];
    // Raw request lines, exactly as written (supertest would normalise some of them).
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as AddressInfo).port;
    try {
      for (const path of spellings) {
        await new Promise<void>((resolve, reject) => {
          const req = http.request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
            res.resume();
            res.on('end', () => resolve());
          });
          req.on('error', reject);
          req.end();
        });
      }
    } finally {
      await new Promise((r) => server.close(r));
    }
    const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    expect(logged.length).toBeGreaterThanOrEqual(spellings.length);
    const all = lines.join('\n');
    expect(all).not.toContain(token);
    expect(all.toLowerCase()).not.toContain(token.toLowerCase());
    expect(all).not.toContain(token.slice(0, 20));
  });
});
