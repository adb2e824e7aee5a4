import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csrfFrom, makeTestApp, type TestApp } from '../helpers/app.js';
import { aBlockedTime, aBooking, aRoom } from '../helpers/factories.js';
import { aSeries } from '../helpers/series.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { aHouse, icsEvents } from '../helpers/mail.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Creates (or replaces) the logged-in user's feed address through the page and returns it. */
async function createFeedUrl(who: LoggedIn): Promise<string> {
  const page = await who.agent.get('/admin/feed');
  const res = await who.agent
    .post('/admin/feed')
    .type('form')
    .send({ _csrf: csrfFrom(page.text) });
  expect(res.status).toBe(200);
  const m = res.text.match(/value="(http[^"]+\/admin\/calendar\.ics\?token=([A-Za-z0-9_-]+))"/);
  if (!m) throw new Error('no feed address on the page');
  return m[1]!;
}

const pathOf = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');

describe("the caretakers' feed /admin/calendar.ics and /admin/feed", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
    await aHouse(t);
  });
  afterEach(() => t.close());

  it('answers 404 without a token, with a wrong one, and for an account that was deactivated', async () => {
    expect((await t.request.get('/admin/calendar.ics')).status).toBe(404);
    expect((await t.request.get('/admin/calendar.ics?token=')).status).toBe(404);
    expect((await t.request.get(`/admin/calendar.ics?token=${'x'.repeat(43)}`)).status).toBe(404);
    expect((await t.request.get('/admin/calendar.ics?token=a&token=b')).status).toBe(404);
    const kim = await loginAs(t, 'caretaker');
    const url = await createFeedUrl(kim);
    expect((await t.request.get(pathOf(url))).status).toBe(200);
    await t.ctx.db.updateTable('users').set({ active: 0 }).where('id', '=', kim.user.id).execute();
    expect((await t.request.get(pathOf(url))).status).toBe(404);
  });

  it('sends anonymous visitors from /admin/feed to the login and refuses a POST without CSRF token', async () => {
    const anon = await t.request.get('/admin/feed');
    expect(anon.status).toBe(303);
    expect(anon.headers.location).toMatch(/^\/login/);
    const kim = await loginAs(t, 'caretaker');
    expect((await kim.agent.post('/admin/feed').type('form').send({})).status).toBe(403);
    const row = await t.ctx.db.selectFrom('users').select('feed_token_hash').where('id', '=', kim.user.id).executeTakeFirstOrThrow();
    expect(row.feed_token_hash).toBeNull();
  });

  it('shows the address once, stores only its hash, replaces and revokes it', async () => {
    const kim = await loginAs(t, 'caretaker');
    expect((await kim.agent.get('/admin/feed')).text).toContain('noch kein Kalender-Abo');
    const url = await createFeedUrl(kim);
    const token = new URL(url).searchParams.get('token')!;
    expect(url.startsWith(`${t.ctx.config.baseUrl}/admin/calendar.ics?token=`)).toBe(true);
    const row = await t.ctx.db.selectFrom('users').select('feed_token_hash').where('id', '=', kim.user.id).executeTakeFirstOrThrow();
    expect(row.feed_token_hash).toBe(sha256(token));
    const later = await kim.agent.get('/admin/feed');
    expect(later.text).not.toContain(token);
    expect(later.text).toContain('Abo beenden');

    const second = await createFeedUrl(kim);
    expect(second).not.toBe(url);
    expect((await t.request.get(pathOf(url))).status).toBe(404);
    expect((await t.request.get(pathOf(second))).status).toBe(200);

    const page = await kim.agent.get('/admin/feed');
    const revoke = await kim.agent
      .post('/admin/feed/revoke')
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(revoke.status).toBe(303);
    expect((await kim.agent.get('/admin/feed')).text).toContain('Ihr Kalender-Abo ist beendet');
    expect((await t.request.get(pathOf(second))).status).toBe(404);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('user_id', '=', kim.user.id)
      .where('action', 'like', 'feed.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['feed.token.create', 'feed.token.create', 'feed.token.revoke']);
  });

  it("lists every room's approved and pending bookings with the group's details, and blocked times with their internal label", async () => {
    const saal = await aRoom(t.ctx.db, { name: 'Saal' });
    const kueche = await aRoom(t.ctx.db, { name: 'Küche' });
    const approved = await aBooking(t.ctx.db, {
      roomId: saal.id,
      status: 'approved',
      title: 'Chor',
      organisation: 'Chor e. V.',
      contactName: 'Clara',
      email: 'clara@chor.example',
      phone: '0170 1',
    });
    const pending = await aBooking(t.ctx.db, {
      roomId: kueche.id,
      status: 'pending',
      date: '2026-12-02',
      title: 'Kochkurs',
      organisation: null,
      contactName: 'Paul Koch',
      email: 'paul@koch.example',
      phone: null,
    });
    await aBooking(t.ctx.db, { roomId: saal.id, status: 'cancelled', date: '2026-12-03', title: 'Abgesagt' });
    const block = await aBlockedTime(t.ctx.db, { roomId: saal.id, from: '2026-12-28', label: 'Wasserschaden', isPublic: false, reason: 'renovation' });
    await t.ctx.db.updateTable('requests').set({ sequence: 2 }).where('id', '=', approved.requestId).execute();
    await t.ctx.db.updateTable('bookings').set({ sequence: 1 }).where('id', '=', approved.bookingId).execute();

    const kim = await loginAs(t, 'caretaker');
    const res = await t.request.get(pathOf(await createFeedUrl(kim)));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).toContain('private');
    const { events } = icsEvents(res.text);
    expect(events.map((e) => e.uid)).toEqual([
      `booking-${approved.bookingId}@localhost`,
      `booking-${pending.bookingId}@localhost`,
      `block-${block.id}@localhost`,
    ]);
    const [a, p, b] = events;
    expect(a!.summary).toBe('Chor – Chor e. V. (Saal)');
    expect(a!.description).toContain(approved.reference);
    expect(a!.description).toContain('clara@chor.example');
    expect(a!.description).toContain('0170 1');
    expect(a!.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(a!.sequence).toBe(3);
    expect(p!.summary).toBe('[angefragt] Kochkurs – Paul Koch (Küche)');
    expect(p!.component.getFirstPropertyValue('status')).toBe('TENTATIVE');
    expect(b!.summary).toBe('geschlossen: Wasserschaden');
    expect(b!.description).toContain('nur intern');
    const rows = await t.ctx.db
      .selectFrom('bookings')
      .select(['id', 'start_at', 'end_at'])
      .where('id', 'in', [approved.bookingId, pending.bookingId])
      .orderBy('start_at')
      .execute();
    expect([a, p].map((e) => [e!.startDate.toJSDate().getTime(), e!.endDate.toJSDate().getTime()])).toEqual(rows.map((r) => [r.start_at, r.end_at]));
  });

  it("speaks the caretaker's language and answers an unchanged poll with 304", async () => {
    await aBooking(t.ctx.db, { status: 'pending', title: 'Kochkurs', organisation: null, contactName: 'Paul Koch' });
    const kim = await loginAs(t, 'caretaker');
    await t.ctx.db.updateTable('users').set({ language: 'en' }).where('id', '=', kim.user.id).execute();
    const path = pathOf(await createFeedUrl(kim));
    const res = await t.request.get(path);
    expect(icsEvents(res.text).events[0]!.summary).toMatch(/^\[requested\] Kochkurs – Paul Koch/);
    const again = await t.request.get(path).set('If-None-Match', res.headers.etag!);
    expect(again.status).toBe(304);
  });
});

describe("one request's feed /requests/:token/calendar.ics", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
    await aHouse(t);
  });
  afterEach(() => t.close());

  it('answers 404 for a wrong token', async () => {
    await aBooking(t.ctx.db);
    expect((await t.request.get(`/requests/${'A'.repeat(43)}/calendar.ics`)).status).toBe(404);
    expect((await t.request.get('/requests/kurz/calendar.ics')).status).toBe(404);
  });

  it('lists every date of the request with its state; cancelled ones as CANCELLED, skipped ones not at all', async () => {
    const room = await aRoom(t.ctx.db, { name: 'Saal' });
    const dates = ['2027-03-11', '2027-03-18', '2027-03-25', '2027-04-01', '2027-04-08'];
    const s = await aSeries(t.ctx.db, {
      roomId: room.id,
      dates,
      status: 'approved',
      each: { 1: { status: 'cancelled' }, 2: { status: 'skipped', skipReason: 'holiday' }, 4: { status: 'pending' } },
    });
    await t.ctx.db.updateTable('bookings').set({ sequence: 1 }).where('id', '=', s.bookingIds[1]!).execute();
    const other = await aBooking(t.ctx.db, {
      roomId: room.id,
      status: 'approved',
      date: '2027-03-18',
      start: '10:00',
      end: '12:00',
      title: 'Fremde Gruppe',
      contactName: 'Fremd',
    });

    const res = await t.request.get(`/requests/${s.token}/calendar.ics`);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${s.reference}.ics"`);
    expect(res.text).not.toContain('Fremde Gruppe');
    expect(res.text).not.toContain(`booking-${other.bookingId}@`);
    const { events } = icsEvents(res.text);
    const expected = [s.bookingIds[0]!, s.bookingIds[1]!, s.bookingIds[3]!, s.bookingIds[4]!];
    expect(events.map((e) => e.uid)).toEqual(expected.map((id) => `booking-${id}@localhost`));
    expect(events.map((e) => e.component.getFirstPropertyValue('status'))).toEqual(['CONFIRMED', 'CANCELLED', 'CONFIRMED', 'TENTATIVE']);
    expect(events[1]!.sequence).toBe(1);
    expect(events.every((e) => e.summary === 'Chorprobe')).toBe(true);
    const rows = await t.ctx.db.selectFrom('bookings').select(['id', 'start_at']).where('id', 'in', expected).orderBy('start_at').execute();
    expect(events.map((e) => e.startDate.toJSDate().getTime())).toEqual(rows.map((r) => r.start_at));
    // 19:00 in Berlin before and after the change to summer time on 2027-03-28.
    expect(events.map((e) => e.startDate.toJSDate().toISOString().slice(11, 16))).toEqual(['18:00', '18:00', '17:00', '17:00']);
  });

  it('answers an unchanged poll with 304 and a changed request with a new ETag', async () => {
    const b = await aBooking(t.ctx.db, { status: 'pending' });
    const path = `/requests/${b.token}/calendar.ics`;
    const first = await t.request.get(path);
    expect((await t.request.get(path).set('If-None-Match', first.headers.etag!)).status).toBe(304);
    await t.ctx.db.updateTable('bookings').set({ status: 'cancelled', sequence: 1 }).where('id', '=', b.bookingId).execute();
    const changed = await t.request.get(path).set('If-None-Match', first.headers.etag!);
    expect(changed.status).toBe(200);
    expect(icsEvents(changed.text).events[0]!.component.getFirstPropertyValue('status')).toBe('CANCELLED');
  });
});
