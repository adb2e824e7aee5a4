import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBlockedTime, aBooking, aRoom, aWholeRoom } from '../helpers/factories.js';

let t: TestApp;
afterEach(() => t?.close());

describe('GET /api/v1/availability', () => {
  it('refuses a date that does not exist with a JSON 400 in the user’s language', async () => {
    t = await makeTestApp();
    const de = await t.request.get('/api/v1/availability?from=2026-02-30&to=2026-03-02');
    expect(de.status).toBe(400);
    expect(de.type).toBe('application/json');
    expect(de.body.error).toEqual({ code: 'bad_request', message: expect.stringContaining('Das Datum 2026-02-30 gibt es nicht'), field: 'from' });
    const en = await t.request.get('/api/v1/availability?from=2026-03-01&to=nope&lang=en');
    expect(en.status).toBe(400);
    expect(en.body.error.message).toContain('The date nope does not exist');
  });

  it('refuses a range that ends before it starts or spans more than 92 days', async () => {
    t = await makeTestApp();
    const backwards = await t.request.get('/api/v1/availability?from=2026-03-10&to=2026-03-09');
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toContain('höchstens 92 Tage');
    const long = await t.request.get('/api/v1/availability?from=2026-01-01&to=2026-04-03&lang=en');
    expect(long.status).toBe(400);
    expect(long.body.error.message).toContain('at most 92 days');
    expect((await t.request.get('/api/v1/availability?from=2026-01-01&to=2026-04-02')).status).toBe(200);
  });

  it('answers an unknown or inactive room with a JSON 404', async () => {
    t = await makeTestApp();
    await aRoom(t.ctx.db, { slug: 'alt', active: false });
    const res = await t.request.get('/api/v1/availability?from=2026-12-01&to=2026-12-01&room=gibts-nicht');
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({ code: 'unknown_room', message: 'Den Raum „gibts-nicht“ gibt es nicht.', field: 'room' });
    expect((await t.request.get('/api/v1/availability?room=alt&lang=en')).body.error.message).toBe('There is no room "alt".');
    const hostile = await t.request.get('/api/v1/availability?room=%3Cscript%3E&from=%3Cimg%3E');
    expect(hostile.status).toBe(400);
    expect(hostile.body.error.message).toContain('Das Datum ?img? gibt es nicht');
    const markup = await t.request.get('/api/v1/availability?room=%3Cscript%3E');
    expect(markup.status).toBe(404);
    expect(markup.body.error.message).toBe('Den Raum „?script?“ gibt es nicht.');
  });

  it('lists busy intervals in the house zone with status and public title', async () => {
    t = await makeTestApp();
    const r = await aRoom(t.ctx.db, { slug: 'festsaal', name: 'Festsaal' });
    const other = await aRoom(t.ctx.db, { slug: 'kueche', name: 'Küche' });
    await aBooking(t.ctx.db, { roomId: r.id, date: '2026-12-01', start: '19:00', end: '21:00', publicTitle: 'Chor', showPublicTitle: true });
    await aBooking(t.ctx.db, { roomId: r.id, date: '2026-12-02', start: '10:00', end: '12:00', status: 'pending' });
    await aBooking(t.ctx.db, { roomId: other.id, date: '2026-12-02', start: '10:00', end: '12:00' });
    await aBlockedTime(t.ctx.db, { from: '2026-12-24', label: 'Heiligabend' });
    const res = await t.request.get('/api/v1/availability?from=2026-12-01&to=2026-12-31&room=festsaal');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      from: '2026-12-01',
      to: '2026-12-31',
      timezone: 'Europe/Berlin',
      rooms: [{ slug: 'festsaal', name: 'Festsaal' }],
      busy: [
        { room: 'festsaal', start: '2026-12-01T19:00:00+01:00', end: '2026-12-01T21:00:00+01:00', status: 'approved', title: 'Chor' },
        { room: 'festsaal', start: '2026-12-02T10:00:00+01:00', end: '2026-12-02T12:00:00+01:00', status: 'pending' },
        { room: 'festsaal', start: '2026-12-24T00:00:00+01:00', end: '2026-12-25T00:00:00+01:00', status: 'closed', title: 'Heiligabend' },
      ],
    });
    const all = await t.request.get('/api/v1/availability?from=2026-12-02&to=2026-12-02');
    expect(all.body.rooms.map((x: { slug: string }) => x.slug)).toEqual(['festsaal', 'kueche']);
    expect(all.body.busy.map((x: { room: string }) => x.room)).toEqual(['festsaal', 'kueche']);
  });

  it('shows a whole room’s booking as busy in each part and a part’s in the whole', async () => {
    t = await makeTestApp();
    const a = await aRoom(t.ctx.db, { slug: 'saal-a', name: 'Saal A' });
    const b = await aRoom(t.ctx.db, { slug: 'saal-b', name: 'Saal B' });
    const whole = await aWholeRoom(t.ctx.db, [a.id, b.id], { slug: 'grosser-saal', name: 'Großer Saal' });
    await aBooking(t.ctx.db, { roomId: whole.id, date: '2026-12-01', start: '19:00', end: '21:00' });
    await aBooking(t.ctx.db, { roomId: a.id, date: '2026-12-02', start: '10:00', end: '12:00' });
    const partB = await t.request.get('/api/v1/availability?from=2026-12-01&to=2026-12-02&room=saal-b');
    expect(partB.body.busy).toEqual([{ room: 'saal-b', start: '2026-12-01T19:00:00+01:00', end: '2026-12-01T21:00:00+01:00', status: 'approved' }]);
    const wholeRes = await t.request.get('/api/v1/availability?from=2026-12-01&to=2026-12-02&room=grosser-saal');
    expect(wholeRes.body.busy.map((x: { start: string }) => x.start)).toEqual(['2026-12-01T19:00:00+01:00', '2026-12-02T10:00:00+01:00']);
  });

  it('defaults to the week from today and includes a booking that started before the range', async () => {
    t = await makeTestApp({ now: '2026-11-23T10:00:00+01:00' });
    const r = await aRoom(t.ctx.db, { slug: 'festsaal' });
    await aBlockedTime(t.ctx.db, { roomId: r.id, from: '2026-11-20', to: '2026-11-24' });
    const res = await t.request.get('/api/v1/availability');
    expect([res.body.from, res.body.to]).toEqual(['2026-11-23', '2026-11-29']);
    expect(res.body.busy).toEqual([
      { room: 'festsaal', start: '2026-11-20T00:00:00+01:00', end: '2026-11-25T00:00:00+01:00', status: 'closed', title: 'Schließzeit' },
    ]);
  });
});
