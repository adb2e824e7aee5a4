import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBlockedTime, aBooking, aRoom, aWholeRoom } from '../helpers/factories.js';
import { aSeries } from '../helpers/series.js';
import { aHouse, icsEvents } from '../helpers/mail.js';

const SECRETS = ['Zora Zimmermann', 'zora@zimmer.example', '0151 7654321', 'Geheimbund e. V.', 'Vertrauliche Sitzung', 'Notiz-XYZ'];

describe('the public room feed /rooms/:slug/calendar.ics', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
    await aHouse(t);
  });
  afterEach(() => t.close());

  async function feed(slug: string, headers: Record<string, string> = {}) {
    const res = await t.request.get(`/rooms/${slug}/calendar.ics`).set(headers);
    return { res, ...(res.status === 200 ? icsEvents(res.text) : { comp: undefined, events: [] }) };
  }

  it('answers 404 for an unknown or inactive room', async () => {
    await aRoom(t.ctx.db, { slug: 'alt', active: false });
    expect((await t.request.get('/rooms/gibt-es-nicht/calendar.ics')).status).toBe(404);
    expect((await t.request.get('/rooms/alt/calendar.ics')).status).toBe(404);
  });

  it('never contains personal data: not the group, its contact, its private title or notes', async () => {
    const room = await aRoom(t.ctx.db, { slug: 'saal' });
    const b = await aBooking(t.ctx.db, {
      roomId: room.id,
      status: 'approved',
      title: 'Vertrauliche Sitzung',
      contactName: 'Zora Zimmermann',
      email: 'zora@zimmer.example',
      phone: '0151 7654321',
      organisation: 'Geheimbund e. V.',
    });
    await t.ctx.db.updateTable('requests').set({ notes: 'Notiz-XYZ' }).where('id', '=', b.requestId).execute();
    await aBooking(t.ctx.db, {
      roomId: room.id,
      status: 'pending',
      date: '2026-12-02',
      title: 'Vertrauliche Sitzung',
      contactName: 'Zora Zimmermann',
      email: 'zora@zimmer.example',
    });
    const { res, events } = await feed('saal');
    expect(res.status).toBe(200);
    for (const s of [...SECRETS, b.reference]) expect(res.text).not.toContain(s);
    expect(events.map((e) => e.summary)).toEqual(['belegt']);
  });

  it('shows approved bookings as "belegt" or their public title and blocked times as "geschlossen", as in the database', async () => {
    const room = await aRoom(t.ctx.db, { slug: 'saal', name: 'Saal' });
    const plain = await aBooking(t.ctx.db, { roomId: room.id, status: 'approved', date: '2026-12-01' });
    const titled = await aBooking(t.ctx.db, { roomId: room.id, status: 'approved', date: '2026-12-03', publicTitle: 'Offenes Singen', showPublicTitle: true });
    await aBooking(t.ctx.db, { roomId: room.id, status: 'approved', date: '2026-12-04', publicTitle: 'Nicht zeigen', showPublicTitle: false });
    await aBooking(t.ctx.db, { roomId: room.id, status: 'pending', date: '2026-12-05' });
    await aBooking(t.ctx.db, { roomId: room.id, status: 'cancelled', date: '2026-12-06' });
    await aBooking(t.ctx.db, { roomId: room.id, status: 'rejected', date: '2026-12-07' });
    const xmas = await aBlockedTime(t.ctx.db, { from: '2026-12-24', label: 'Weihnachten' });
    const internal = await aBlockedTime(t.ctx.db, { roomId: room.id, from: '2026-12-28', label: 'Wasserschaden intern', isPublic: false });

    const { res, comp, events } = await feed('saal');
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(comp!.getFirstPropertyValue('version')).toBe('2.0');
    expect(res.text).not.toContain('Wasserschaden');
    expect(res.text).not.toContain('Nicht zeigen');
    expect(events.map((e) => [e.uid, e.summary])).toEqual([
      [`booking-${plain.bookingId}@localhost`, 'belegt'],
      [`booking-${titled.bookingId}@localhost`, 'Offenes Singen'],
      [expect.stringMatching(/^booking-\d+@localhost$/), 'belegt'],
      [`block-${xmas.id}@localhost`, 'geschlossen: Weihnachten'],
      [`block-${internal.id}@localhost`, 'geschlossen'],
    ]);
    const rows = await t.ctx.db.selectFrom('bookings').select(['id', 'start_at', 'end_at']).where('status', '=', 'approved').orderBy('start_at').execute();
    expect(events.slice(0, 3).map((e) => [e.startDate.toJSDate().getTime(), e.endDate.toJSDate().getTime()])).toEqual(rows.map((r) => [r.start_at, r.end_at]));
    expect(events[0]!.location).toContain('Saal, Haus der Begegnung');
  });

  it('shows what blocks a room through its parts and wholes, like the public pages', async () => {
    const a = await aRoom(t.ctx.db, { slug: 'saal-a', name: 'Saal A' });
    const b = await aRoom(t.ctx.db, { slug: 'saal-b', name: 'Saal B' });
    const whole = await aWholeRoom(t.ctx.db, [a.id, b.id], { slug: 'grosser-saal', name: 'Großer Saal' });
    const inWhole = await aBooking(t.ctx.db, { roomId: whole.id, status: 'approved', date: '2026-12-01' });
    const inB = await aBooking(t.ctx.db, { roomId: b.id, status: 'approved', date: '2026-12-02' });
    const blockA = await aBlockedTime(t.ctx.db, { roomId: a.id, from: '2026-12-10', label: 'Renovierung Saal A' });

    const uids = async (slug: string) => (await feed(slug)).events.map((e) => e.uid);
    expect(await uids('saal-a')).toEqual([`booking-${inWhole.bookingId}@localhost`, `block-${blockA.id}@localhost`]);
    expect(await uids('saal-b')).toEqual([`booking-${inWhole.bookingId}@localhost`, `booking-${inB.bookingId}@localhost`]);
    expect(await uids('grosser-saal')).toEqual([
      `booking-${inWhole.bookingId}@localhost`,
      `booking-${inB.bookingId}@localhost`,
      `block-${blockA.id}@localhost`,
    ]);
    const fromWhole = (await feed('saal-a')).events[0];
    expect(fromWhole!.summary).toBe('belegt (Großer Saal)');
  });

  it('keeps a weekly 19:00 series at 19:00 local time across the change to summer time', async () => {
    const room = await aRoom(t.ctx.db, { slug: 'saal' });
    const dates = ['2027-03-14', '2027-03-21', '2027-03-28', '2027-04-04'];
    const s = await aSeries(t.ctx.db, { roomId: room.id, dates, status: 'approved' });
    const { events } = await feed('saal');
    expect(events).toHaveLength(4);
    const rows = await t.ctx.db.selectFrom('bookings').select(['id', 'start_at', 'end_at']).where('id', 'in', s.bookingIds).orderBy('start_at').execute();
    expect(events.map((e) => e.startDate.toJSDate().getTime())).toEqual(rows.map((r) => r.start_at));
    expect(events.map((e) => DateTime.fromJSDate(e.startDate.toJSDate(), { zone: 'Europe/Berlin' }).toFormat('yyyy-MM-dd HH:mm'))).toEqual(
      dates.map((d) => `${d} 19:00`),
    );
    expect(events.map((e) => DateTime.fromJSDate(e.endDate.toJSDate(), { zone: 'Europe/Berlin' }).toFormat('HH:mm'))).toEqual([
      '21:00',
      '21:00',
      '21:00',
      '21:00',
    ]);
    expect(events.map((e) => e.startDate.toJSDate().toISOString().slice(11, 16))).toEqual(['18:00', '18:00', '17:00', '17:00']);
  });

  it('reaches three months back and up to the horizon', async () => {
    const room = await aRoom(t.ctx.db, { slug: 'saal' });
    await aBooking(t.ctx.db, { roomId: room.id, status: 'approved', date: '2026-08-20' });
    const recent = await aBooking(t.ctx.db, { roomId: room.id, status: 'approved', date: '2026-08-24' });
    const far = await aBooking(t.ctx.db, { roomId: room.id, status: 'approved', date: '2027-11-23' });
    await aBooking(t.ctx.db, { roomId: room.id, status: 'approved', date: '2027-11-25' });
    const { events } = await feed('saal');
    expect(events.map((e) => e.uid)).toEqual([`booking-${recent.bookingId}@localhost`, `booking-${far.bookingId}@localhost`]);
  });

  it('answers a poll with an unchanged ETag with 304 and no body, and a changed feed with 200', async () => {
    const room = await aRoom(t.ctx.db, { slug: 'saal' });
    await aBooking(t.ctx.db, { roomId: room.id, status: 'approved' });
    const first = await t.request.get('/rooms/saal/calendar.ics');
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(first.headers['cache-control']).toMatch(/max-age=\d+/);
    const again = await t.request.get('/rooms/saal/calendar.ics');
    expect(again.text).toBe(first.text);
    expect(again.headers.etag).toBe(etag);

    const notModified = await t.request.get('/rooms/saal/calendar.ics').set('If-None-Match', etag);
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe('');

    await aBooking(t.ctx.db, { roomId: room.id, status: 'approved', date: '2026-12-08' });
    const changed = await t.request.get('/rooms/saal/calendar.ics').set('If-None-Match', etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(icsEvents(changed.text).events).toHaveLength(2);
  });
});
