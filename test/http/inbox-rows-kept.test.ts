// The inbox's rows are kept rendered per list and language, at most for the minute and until the next commit
// (src/bookings/staff-routes.ts, keptRows): ages move on with the clock, each language gets its own rows, each
// page its own, and the page sent gzip-compressed (spliced around the kept rows) is the same page.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { rawGet } from '../helpers/raw-get.js';

const ageOf = (html: string, requestId: number) => new RegExp(`<tr id="request-${requestId}"[\\s\\S]*?<time datetime="[^"]+">([^<]+)</time>`).exec(html)?.[1];
const shownIds = (html: string) => [...html.matchAll(/<tr id="request-(\d+)"/g)].map((m) => Number(m[1]));

describe('the inbox rows kept for the minute', () => {
  let t: TestApp;
  let staff: LoggedIn;
  beforeEach(async () => {
    t = await makeTestApp();
    staff = await loginAs(t, 'caretaker');
  });
  afterEach(() => t.close());

  /** The staff member's page as the server sent it (supertest would decompress it). */
  function raw(path: string, encoding: string) {
    const cookie = staff.agent.jar
      .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    return rawGet(t, path, encoding, { cookie });
  }

  async function aRequest(title: string, date = '2026-12-10') {
    const room = await aRoom(t.ctx.db, { name: `Raum ${title}` });
    const b = await aBooking(t.ctx.db, { roomId: room.id, date, status: 'pending', title });
    // Received now.
    await t.ctx.db.updateTable('requests').set({ created_at: t.clock().getTime() }).where('id', '=', b.requestId).execute();
    return b;
  }

  it('shows ages that move on with the clock, without any commit', async () => {
    const req = await aRequest('Chor');
    t.clock.advance(5 * 60_000);
    expect(ageOf((await staff.agent.get('/admin').expect(200)).text, req.requestId)).toBe('vor 5 Minuten');
    // The same minute: the same rows.
    expect(ageOf((await staff.agent.get('/admin').expect(200)).text, req.requestId)).toBe('vor 5 Minuten');
    t.clock.advance(3 * 60_000);
    expect(ageOf((await staff.agent.get('/admin').expect(200)).text, req.requestId)).toBe('vor 8 Minuten');
    t.clock.advance(65 * 60_000);
    expect(ageOf((await staff.agent.get('/admin').expect(200)).text, req.requestId)).toBe('vor 1 Stunde');
  });

  it('shows an age in seconds as it is at each view (such rows are not kept for the minute)', async () => {
    const req = await aRequest('Chor');
    t.clock.advance(10_000);
    expect(ageOf((await staff.agent.get('/admin').expect(200)).text, req.requestId)).toBe('vor 10 Sekunden');
    t.clock.advance(20_000);
    expect(ageOf((await staff.agent.get('/admin').expect(200)).text, req.requestId)).toBe('vor 30 Sekunden');
  });

  it('gives each language its own rows', async () => {
    const req = await aRequest('Chor');
    t.clock.advance(5 * 60_000);
    const de = (await staff.agent.get('/admin').expect(200)).text;
    expect(ageOf(de, req.requestId)).toBe('vor 5 Minuten');
    expect(de).toContain('>Bestätigen</button>');
    const en = (await staff.agent.get('/admin?lang=en').expect(200)).text;
    expect(ageOf(en, req.requestId)).toBe('5 minutes ago');
    expect(en).toContain('>Approve</button>');
    expect(en).not.toContain('>Bestätigen</button>');
    // Back in German: the German rows again.
    const again = (await staff.agent.get('/admin?lang=de').expect(200)).text;
    expect(again).toContain('>Bestätigen</button>');
    expect(ageOf(again, req.requestId)).toBe('vor 5 Minuten');
  });

  it('gives each page and filter its own rows', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 27; i++) ids.push((await aRequest(`Gruppe ${i}`, `2026-12-${String(1 + (i % 28)).padStart(2, '0')}`)).requestId);
    t.clock.advance(5 * 60_000);
    const first = shownIds((await staff.agent.get('/admin').expect(200)).text);
    const second = shownIds((await staff.agent.get('/admin?page=2').expect(200)).text);
    expect(first).toHaveLength(25);
    expect(second).toHaveLength(2);
    expect(new Set([...first, ...second])).toEqual(new Set(ids));
    const searched = shownIds((await staff.agent.get('/admin?q=Gruppe+13').expect(200)).text);
    expect(searched).toEqual([ids[13]]);
    expect(shownIds((await staff.agent.get('/admin').expect(200)).text)).toEqual(first);
  });

  it('sends the same page gzip-compressed as plain, also when its rows were kept', async () => {
    await aRequest('Chor');
    await aRequest('Tanz', '2026-12-11');
    t.clock.advance(5 * 60_000);
    const plain = await raw('/admin', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const text = plain.body.toString('utf8');
    expect(shownIds(text)).toHaveLength(2);
    for (let i = 0; i < 2; i++) {
      const zipped = await raw('/admin', 'gzip');
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(zipped.body).toString('utf8')).toBe(text);
    }
  });
});
