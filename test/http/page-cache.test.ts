import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { useTempDatabaseFile } from '../helpers/temp-database.js';

describe('the public page cache', () => {
  const file = useTempDatabaseFile();
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('shows a new booking at once after a write through the app', async () => {
    t = await makeTestApp();
    const room = await aRoom(t.ctx.db, { name: 'Gruppenraum' });
    const before = await t.request.get('/week?date=2026-12-01');
    expect(before.text).not.toContain('Cachetest-Titel');
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-01', publicTitle: 'Cachetest-Titel', showPublicTitle: true });
    const after = await t.request.get('/week?date=2026-12-01');
    expect(after.text).toContain('Cachetest-Titel');
  });

  it('shows a booking committed by another process on the same database file', async () => {
    t = await makeTestApp({ config: { databasePath: file.path() } });
    const room = await aRoom(t.ctx.db);
    const first = await t.request.get('/api/v1/availability?from=2026-12-01&to=2026-12-01');
    expect(first.body.busy).toHaveLength(0);
    await file.fromOtherConnection((other) => aBooking(other, { roomId: room.id, date: '2026-12-01' }));
    const second = await t.request.get('/api/v1/availability?from=2026-12-01&to=2026-12-01');
    expect(second.body.busy).toHaveLength(1);
  });

  it('answers the same page again from the cache, and a new page when the minute changes', async () => {
    t = await makeTestApp();
    await aRoom(t.ctx.db);
    const a = await t.request.get('/week?date=2026-12-01');
    const b = await t.request.get('/week?date=2026-12-01');
    expect(b.text).toBe(a.text);
    t.clock.set('2026-11-30T10:00:00+01:00');
    const c = await t.request.get('/week?date=2026-12-01');
    expect(c.text).not.toBe(a.text); // "today" moved into the shown week
  });

  it('answers a kept page with its type and ETag, and a browser that has it with 304', async () => {
    t = await makeTestApp();
    await aRoom(t.ctx.db, { name: 'Gruppenraum' });
    const first = await t.request.get('/week?date=2026-12-01').expect(200);
    const kept = await t.request.get('/week?date=2026-12-01').expect(200);
    expect(kept.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(kept.headers.etag).toMatch(/^W\/"[0-9a-f]+-[\w+/]{27}"$/);
    expect(kept.headers.etag).toBe(first.headers.etag);
    expect(kept.text).toContain('Gruppenraum');
    const again = await t.request.get('/week?date=2026-12-01').set('If-None-Match', String(kept.headers.etag));
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    // The JSON of the API is kept as JSON.
    await t.request.get('/api/v1/availability?from=2026-12-01&to=2026-12-01');
    const api = await t.request.get('/api/v1/availability?from=2026-12-01&to=2026-12-01').expect(200);
    expect(api.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(api.body.busy).toEqual([]);
  });

  it('keeps languages apart', async () => {
    t = await makeTestApp();
    const de = await t.request.get('/week');
    const en = await t.request.get('/week').set('Cookie', 'lang=en');
    expect(de.text).toContain('<html lang="de" dir="ltr">');
    expect(en.text).toContain('<html lang="en" dir="ltr">');
  });
});
