// The API's manners: CORS for the origins the house allows, 405 with Allow for writes (never a CSRF 403), repeated
// and unknown parameters refused by name, JSON errors on every /api/ path, and no personal data in any answer.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBooking, aRoom, aWholeRoom } from '../helpers/factories.js';
import { loginAs } from '../helpers/login.js';
import { sqliteHandleForTests } from '../../src/db/database.js';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
  await aRoom(t.ctx.db, { slug: 'saal-a', name: 'Saal A' });
});
afterEach(() => t.close());

const PATHS = ['/api/v1/rooms', '/api/v1/availability', '/api/v1/openapi.json'];
const allowOrigins = (v: string) => t.ctx.db.updateTable('settings').set({ api_origins: v }).execute();

describe('CORS', () => {
  it('lets no other site read by default (same-origin only), but still says the answer depends on Origin', async () => {
    for (const p of PATHS) {
      const res = await t.request.get(p).set('Origin', 'https://nachbarschaft.example.org');
      expect(res.status, p).toBe(200);
      expect(res.headers['access-control-allow-origin'], p).toBeUndefined();
      expect(res.headers.vary, p).toMatch(/Origin/);
    }
  });

  it('allows exactly the listed origins, on answers from the page cache too', async () => {
    await allowOrigins('https://nachbarschaft.example.org\nhttp://localhost:8080');
    for (let i = 0; i < 2; i++) {
      const ok = await t.request.get('/api/v1/availability').set('Origin', 'https://nachbarschaft.example.org');
      expect(ok.headers['access-control-allow-origin']).toBe('https://nachbarschaft.example.org');
      expect(ok.headers.vary).toMatch(/Origin/);
    }
    expect((await t.request.get('/api/v1/rooms').set('Origin', 'http://localhost:8080')).headers['access-control-allow-origin']).toBe('http://localhost:8080');
    for (const other of ['https://evil.example.org', 'http://nachbarschaft.example.org', 'https://nachbarschaft.example.org.evil.example']) {
      const res = await t.request.get('/api/v1/rooms').set('Origin', other);
      expect(res.headers['access-control-allow-origin'], other).toBeUndefined();
    }
    // Errors are readable by an allowed site too.
    const err = await t.request.get('/api/v1/availability?from=nope').set('Origin', 'https://nachbarschaft.example.org');
    expect(err.status).toBe(400);
    expect(err.headers['access-control-allow-origin']).toBe('https://nachbarschaft.example.org');
  });

  it("'*' lets every site read", async () => {
    await allowOrigins('*');
    const res = await t.request.get('/api/v1/rooms').set('Origin', 'https://irgendwo.example');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('answers a preflight with 204, the allowed methods and headers, for an allowed origin only', async () => {
    await allowOrigins('https://nachbarschaft.example.org');
    const ok = await t.request
      .options('/api/v1/availability')
      .set('Origin', 'https://nachbarschaft.example.org')
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'accept-language');
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe('https://nachbarschaft.example.org');
    expect(ok.headers['access-control-allow-methods']).toBe('GET,HEAD,OPTIONS');
    expect(String(ok.headers['access-control-allow-headers']).toLowerCase()).toContain('accept-language');
    expect(ok.headers['access-control-max-age']).toBe('600');
    const other = await t.request.options('/api/v1/availability').set('Origin', 'https://evil.example.org').set('Access-Control-Request-Method', 'GET');
    expect(other.status).toBe(204);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(other.headers['access-control-allow-methods']).toBeUndefined();
    expect(other.headers.allow).toBe('GET, HEAD, OPTIONS');
  });

  it('does not open the pages: CORS is for /api/ only', async () => {
    await allowOrigins('*');
    const res = await t.request.get('/week').set('Origin', 'https://irgendwo.example');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('methods', () => {
  for (const method of ['post', 'put', 'delete', 'patch'] as const) {
    it(`answers ${method.toUpperCase()} with 405, Allow and a JSON error, not a CSRF 403`, async () => {
      for (const p of PATHS) {
        const res = await t.request[method](p).set('Origin', 'https://evil.example.org').set('Sec-Fetch-Site', 'cross-site').send('a=1');
        expect(res.status, p).toBe(405);
        expect(res.headers.allow, p).toBe('GET, HEAD, OPTIONS');
        expect(res.type).toBe('application/json');
        expect(res.body.error.code).toBe('method_not_allowed');
        expect(res.body.error.message).toBe(`Die API kann nur gelesen werden: ${method.toUpperCase()} geht hier nicht, erlaubt sind GET, HEAD, OPTIONS.`);
        expect(res.headers['set-cookie'], p).toBeUndefined();
      }
    });
  }

  it('answers HEAD like GET without a body', async () => {
    const res = await t.request.head('/api/v1/rooms');
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json');
  });
});

describe('query parameters', () => {
  it('refuses a repeated parameter with 400 naming it, in the language asked for', async () => {
    const de = await t.request.get('/api/v1/availability?from=2026-12-01&from=2026-12-02');
    expect(de.status).toBe(400);
    expect(de.body.error).toEqual({ code: 'repeated_parameter', message: 'Der Parameter „from“ darf nur einmal vorkommen.', field: 'from' });
    const en = await t.request.get('/api/v1/rooms?lang=en&lang=de').set('Accept-Language', 'en');
    expect(en.body.error).toEqual({ code: 'repeated_parameter', message: 'The parameter "lang" may appear only once.', field: 'lang' });
  });

  it('refuses an unknown parameter (a typo would otherwise answer for the whole house) and lists the known ones', async () => {
    const res = await t.request.get('/api/v1/availability?romm=saal-a').set('Accept-Language', 'en');
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'unknown_parameter',
      message: 'This address does not know the parameter "romm". Allowed are: from, to, room, lang.',
      field: 'romm',
    });
    expect((await t.request.get('/api/v1/rooms?room=saal-a')).body.error.field).toBe('room');
    expect((await t.request.get('/api/v1/rooms?lang=en')).status).toBe(200);
  });

  it('names a malformed value’s parameter', async () => {
    const res = await t.request.get('/api/v1/availability?from=2026-12-01&to=2026-11-01');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'bad_request', field: 'to' });
  });
});

describe('errors under /api/', () => {
  it('answers an unknown API path with a JSON 404 whatever the method', async () => {
    for (const p of ['/api/v1/nothing', '/api/v2/rooms', '/api/', '/api/v1/rooms/saal-a']) {
      for (const method of ['get', 'post'] as const) {
        const res = await t.request[method](p);
        expect(res.status, `${method} ${p}`).toBe(404);
        expect(res.type).toBe('application/json');
        expect(res.body.error.code).toBe('not_found');
        expect(res.body.error.message).toContain('/api/v1/openapi.json');
      }
    }
  });

  it('answers a server error with a JSON 500 without stack or SQL', async () => {
    sqliteHandleForTests(t.ctx).exec('ALTER TABLE rooms RENAME TO rooms_gone');
    const res = await t.request.get('/api/v1/rooms?lang=en');
    expect(res.status).toBe(500);
    expect(res.type).toBe('application/json');
    expect(res.body).toEqual({ error: { code: 'server_error', message: expect.stringMatching(/^Sorry, that did not work/) } });
    expect(res.text).not.toMatch(/rooms_gone|no such table|SqliteError|\.ts:\d+/);
  });
});

describe('GET /api/v1/rooms', () => {
  it('lists active rooms with their public facts, parts and wholes, in the language asked for', async () => {
    const b = await aRoom(t.ctx.db, { slug: 'saal-b', name: 'Saal B', publicBookable: false, equipment: ['piano', 'projector'], capacity: 30 });
    await aRoom(t.ctx.db, { slug: 'alt', active: false });
    const a = await t.ctx.db.selectFrom('rooms').select('id').where('slug', '=', 'saal-a').executeTakeFirstOrThrow();
    await aWholeRoom(t.ctx.db, [a.id, b.id], { slug: 'grosser-saal', name: 'Großer Saal' });
    const res = await t.request.get('/api/v1/rooms?lang=en');
    expect(res.status).toBe(200);
    expect(res.body.rooms.map((r: { slug: string }) => r.slug)).toEqual(['saal-a', 'saal-b', 'grosser-saal']);
    const saalB = res.body.rooms[1];
    expect(saalB).toMatchObject({
      name: 'Saal B',
      capacity: 30,
      bookable: 'office',
      parts: [],
      partOf: ['grosser-saal'],
      equipment: [
        { code: 'piano', name: 'Piano' },
        { code: 'projector', name: 'Projector' },
      ],
      url: 'http://localhost:3000/rooms/saal-b',
    });
    expect(res.body.rooms[2]).toMatchObject({ parts: ['saal-a', 'saal-b'], partOf: [], bookable: 'online' });
    const de = await t.request.get('/api/v1/rooms').set('Accept-Language', 'de');
    expect(de.body.rooms[1].equipment[1].name).toBe('Beamer');
    expect(de.headers['content-language']).toBe('de');
  });
});

describe('privacy', () => {
  it('never shows who asked: names, e-mails, phones, organisations and private titles stay out of every answer', async () => {
    const room = await t.ctx.db.selectFrom('rooms').select('id').where('slug', '=', 'saal-a').executeTakeFirstOrThrow();
    const secrets = {
      name: 'Erika Mustermann',
      email: 'erika.mustermann@example.org',
      phone: '0170 9876543',
      org: 'Verein Geheimnis e. V.',
      title: 'Interne Sitzung XY',
    };
    await aBooking(t.ctx.db, {
      roomId: room.id,
      date: '2026-11-24',
      start: '18:00',
      end: '20:00',
      contactName: secrets.name,
      email: secrets.email,
      phone: secrets.phone,
      organisation: secrets.org,
      title: secrets.title,
    });
    await aBooking(t.ctx.db, {
      roomId: room.id,
      date: '2026-11-25',
      start: '18:00',
      end: '20:00',
      status: 'pending',
      contactName: secrets.name,
      email: secrets.email,
    });
    const answers = [];
    for (const p of [...PATHS, '/api/v1/availability?from=2026-11-23&to=2026-11-29', '/api/v1/availability?room=saal-a&from=2026-11-24&to=2026-11-25']) {
      const res = await t.request.get(p);
      expect(res.status, p).toBe(200);
      answers.push(res.text);
    }
    const busy = JSON.parse(answers[3]!) as { busy: unknown[] };
    expect(busy.busy).toHaveLength(2); // the bookings are there, as busy times
    for (const text of answers) for (const s of Object.values(secrets)) expect(text).not.toContain(s);
  });
});

describe('the allowed origins in the house settings', () => {
  it('are refused with a message at the field when one is not an origin, keeping what was typed', async () => {
    const { agent, csrf } = await loginAs(t, 'admin');
    const page = await agent.get('/admin/settings');
    expect(page.text).toContain('id="api_origins"');
    const base = await settingsForm(agent);
    for (const bad of ['https://nachbarschaft.example.org/kalender', 'nachbarschaft.example.org', '* https://a.example', 'ftp://a.example']) {
      const res = await agent
        .post('/admin/settings')
        .type('form')
        .send({ ...base, api_origins: bad, _csrf: await csrf('/admin/settings') });
      expect(res.status, bad).toBe(400);
      expect(res.text).toContain('id="api_origins-error"');
      expect(res.text).toContain(`>${bad}</textarea>`);
    }
    const ok = await agent
      .post('/admin/settings')
      .type('form')
      .send({
        ...base,
        api_origins: 'https://Nachbarschaft.example.org/\r\nhttp://localhost:8080, https://nachbarschaft.example.org',
        _csrf: await csrf('/admin/settings'),
      });
    expect(ok.status).toBe(303);
    const row = await t.ctx.db.selectFrom('settings').select('api_origins').executeTakeFirstOrThrow();
    expect(row.api_origins).toBe('https://nachbarschaft.example.org\nhttp://localhost:8080');
    const res = await t.request.get('/api/v1/rooms').set('Origin', 'http://localhost:8080');
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:8080');
  });
});

/** The settings form as the page fills it in (every field with its current value). */
async function settingsForm(agent: Awaited<ReturnType<typeof loginAs>>['agent']): Promise<Record<string, string>> {
  const html = (await agent.get('/admin/settings')).text;
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input[^>]*name="([^"]+)"[^>]*>/g)) {
    const tag = m[0];
    const name = m[1]!;
    if (name === '_csrf') continue;
    if (/type="checkbox"/.test(tag)) {
      if (/\schecked/.test(tag)) out[name] = '1';
      continue;
    }
    out[name] = /value="([^"]*)"/.exec(tag)?.[1] ?? '';
  }
  for (const m of html.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)) out[m[1]!] = m[2]!;
  for (const m of html.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g))
    out[m[1]!] = /<option value="([^"]*)" selected/.exec(m[2]!)?.[1] ?? '';
  return out;
}
