// "Andere Zeit oder anderen Raum anbieten" end to end: the staff page lists the free alternatives and sends the
// chosen ones; the group's mail has one link per option; accepting moves and approves the dates (a taken option
// is refused kindly and the others stay), a second accept, an expired offer and a wrong link are refused; the
// inbox marks the request until the group answers; everything is audited. Also the competing requests side by side.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { makeTestApp, csrfFrom, type TestApp } from '../helpers/app.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { aSeries } from '../helpers/series.js';
import { fillSecret } from '../../src/mail/outbox.js';
import { localToInstant } from '../../src/time/index.js';

const at = (date: string, time: string) => {
  const r = localToInstant(date, time, 'Europe/Berlin');
  if (!r.ok) throw new Error('bad time');
  return r.instant;
};

describe('offering another time or room', () => {
  let t: TestApp;
  let staff: LoggedIn;
  let saal: { id: number; name: string };
  let seminar: { id: number; name: string };
  beforeEach(async () => {
    t = await makeTestApp();
    staff = await loginAs(t, 'caretaker');
    saal = await aRoom(t.ctx.db, { name: 'Saal A' });
    seminar = await aRoom(t.ctx.db, { name: 'Seminarraum' });
  });
  afterEach(() => t.close());

  const offerPage = (id: number) => `/admin/requests/${id}/offer`;
  const option = (roomId: number, date: string | null, start: string, end: string) => `${roomId}_${date ?? 'series'}_${start}_${end}`;
  const bookingOf = (id: number) => t.ctx.db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const offerMail = async () => {
    const mail = await t.ctx.db.selectFrom('outbox').selectAll().where('kind', '=', 'offer.sent').orderBy('id', 'desc').executeTakeFirstOrThrow();
    return { mail, text: fillSecret(mail, t.ctx.mailKey).text };
  };
  /** The links of the offer mail, as the group gets them. */
  const linksOf = (text: string) => [...text.matchAll(/http:\/\/[^\s]+\/offers\/([A-Za-z0-9_-]+)\/(\d+)/g)].map((m) => ({ token: m[1]!, position: m[2]! }));

  async function sendOffer(requestId: number, options: string[], message = 'Leider ist der Saal schon vergeben.') {
    return staff.post(offerPage(requestId), offerPage(requestId), { option: options, message });
  }

  async function accept(token: string, position: string) {
    const group = supertest.agent(t.app);
    const page = await group.get(`/offers/${token}/${position}`);
    expect(page.status).toBe(200);
    // An offer that can no longer be accepted shows no button: the token then comes from another public form.
    const form = page.text.includes('name="_csrf"') ? page : await group.get('/login');
    return group
      .post(`/offers/${token}/${position}/accept`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text) });
  }

  it('lists the free alternatives and refuses an offer without a choice or with one that is not free', async () => {
    const { requestId } = await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-12-04', start: '14:00', end: '16:00', status: 'pending' });
    const page = await staff.agent.get(offerPage(requestId));
    expect(page.status).toBe(200);
    expect(page.text).toContain('Freitag, 4. Dezember 2026, 14:00–16:00 Uhr – Seminarraum');
    expect(page.text).toContain('Freitag, 4. Dezember 2026, 13:30–15:30 Uhr – Saal A');
    expect(page.text).toContain('Donnerstag, 3. Dezember 2026, 14:00–16:00 Uhr – Saal A');

    const none = await staff.post(offerPage(requestId), offerPage(requestId), { message: 'Mein Text' });
    expect(none.status).toBe(400);
    expect(none.text).toContain('Bitte wählen Sie mindestens eine Möglichkeit.');
    expect(none.text).toContain('>Mein Text</textarea>');

    // A made-up option (or one taken since the page was shown) is refused; nothing is sent.
    const gone = await sendOffer(requestId, [option(seminar.id, '2026-12-04', '20:00', '22:00')]);
    expect(gone.status).toBe(409);
    expect(gone.text).toContain('nicht mehr frei');
    expect(await t.ctx.db.selectFrom('offers').selectAll().execute()).toEqual([]);
    expect(await t.ctx.db.selectFrom('outbox').selectAll().where('kind', '=', 'offer.sent').execute()).toEqual([]);
  });

  it('sends the group a mail with one link per option, marks the request in the inbox and audits the offer', async () => {
    const { requestId, reference } = await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-12-04', start: '14:00', end: '16:00', status: 'pending' });
    const res = await sendOffer(requestId, [option(seminar.id, '2026-12-04', '14:00', '16:00'), option(saal.id, '2026-12-04', '13:30', '15:30')]);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/requests/${requestId}`);

    const { mail, text } = await offerMail();
    expect(mail.to_address).toBe('erika@example.org');
    expect(mail.subject).toBe(`Ihre Anfrage ${reference}: ein anderer Termin oder Raum`);
    // Stored without the token: it is sealed and filled in only when the mail is sent.
    expect(mail.text_body).not.toMatch(/\/offers\/[A-Za-z0-9_-]{20,}/);
    expect(mail.secret).not.toBeNull();
    expect(text).toContain('Leider ist der Saal schon vergeben.');
    expect(text).toContain('Freitag, 4. Dezember 2026, 14:00–16:00 Uhr – Seminarraum:');
    expect(text).toContain('Freitag, 4. Dezember 2026, 13:30–15:30 Uhr – Saal A:');
    const links = linksOf(text);
    expect(links.map((l) => l.position)).toEqual(['1', '2']);
    expect(new Set(links.map((l) => l.token)).size).toBe(1);
    // The offer lasts 7 days here (the date is further away).
    expect(text).toContain('Das Angebot gilt bis 30. Nov. 2026, 10:00.');

    const inbox = await staff.agent.get('/admin');
    const item = inbox.text.slice(inbox.text.indexOf(`id="request-${requestId}"`));
    expect(item.slice(0, item.indexOf('</h2>'))).toContain('Alternative angeboten');
    const detail = await staff.agent.get(`/admin/requests/${requestId}`);
    expect(detail.text).toContain('Die Gruppe kann bis 30. Nov. 2026, 10:00 annehmen.');
    expect(detail.text).toContain('Andere Zeit oder anderen Raum angeboten');

    const entry = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'offer.sent').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ entity: 'request', entity_id: requestId, user_id: staff.user.id, actor: 'user' });
    expect(JSON.parse(entry.details)).toMatchObject({
      dates: ['2026-12-04'],
      options: [
        { roomId: seminar.id, date: '2026-12-04', start: '14:00', end: '16:00' },
        { roomId: saal.id, date: '2026-12-04', start: '13:30', end: '15:30' },
      ],
    });
    expect(entry.details).not.toContain(links[0]!.token);
  });

  it('accepting an option moves the date there and approves it; a second accept is refused', async () => {
    const { requestId, bookingId } = await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-12-04', start: '14:00', end: '16:00', status: 'pending' });
    await sendOffer(requestId, [option(seminar.id, '2026-12-04', '14:00', '16:00'), option(saal.id, '2026-12-03', '14:00', '16:00')]);
    const [, second] = linksOf((await offerMail()).text);

    const page = await t.request.get(`/offers/${second!.token}/${second!.position}`);
    expect(page.text).toContain('Donnerstag, 3. Dezember 2026, 14:00–16:00 Uhr – Saal A');
    expect(page.text).toContain('aus Ihrer E-Mail gewählt');
    expect(page.headers['cache-control']).toBe('no-store');

    const res = await accept(second!.token, second!.position);
    expect(res.status).toBe(303);
    const b = await bookingOf(bookingId);
    expect(b).toMatchObject({
      status: 'approved',
      room_id: saal.id,
      local_date: '2026-12-03',
      start_at: at('2026-12-03', '14:00'),
      end_at: at('2026-12-03', '16:00'),
    });
    const req = await t.ctx.db.selectFrom('requests').selectAll().where('id', '=', requestId).executeTakeFirstOrThrow();
    expect(req).toMatchObject({ first_date: '2026-12-03', start_time: '14:00', end_time: '16:00', room_id: saal.id });
    const after = await t.request.get(`/offers/${second!.token}`);
    expect(after.text).toContain('Sie haben dieses Angebot angenommen.');

    // The group gets the approval (with its calendar file), the staff a mail.
    const kinds = (await t.ctx.db.selectFrom('outbox').select('kind').execute()).map((m) => m.kind);
    expect(kinds).toContain('bookings.approved');
    expect(kinds).toContain('staff.offer.accepted');
    const entry = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'offer.accepted').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor: 'group', user_id: null, entity_id: requestId });
    expect(JSON.parse(entry.details)).toMatchObject({ option: 2, dates: ['2026-12-03'], before: ['2026-12-04'], roomId: saal.id });

    // No longer marked in the inbox (nothing pending), and a second accept is refused.
    const again = await supertest(t.app).post(`/offers/${second!.token}/1/accept`).type('form');
    expect(again.status).toBe(403); // without the page's CSRF token
    const group = supertest.agent(t.app);
    const shown = await group.get(`/offers/${second!.token}/1`);
    expect(shown.text).not.toContain('Diese Möglichkeit annehmen');
    const token = csrfFrom((await group.get('/login')).text);
    const twice = await group.post(`/offers/${second!.token}/1/accept`).type('form').send({ _csrf: token });
    expect(twice.status).toBe(409);
    expect(twice.text).toContain('Sie haben dieses Angebot angenommen.');
    expect((await bookingOf(bookingId)).room_id).toBe(saal.id);
  });

  it('refuses an option taken meanwhile kindly, and the other options can still be accepted', async () => {
    const { requestId, bookingId } = await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-12-04', start: '14:00', end: '16:00', status: 'pending' });
    await sendOffer(requestId, [option(seminar.id, '2026-12-04', '14:00', '16:00'), option(saal.id, '2026-12-04', '12:00', '14:00')]);
    const [first, second] = linksOf((await offerMail()).text);
    // Another booking takes the Seminarraum before the group answers.
    await aBooking(t.ctx.db, { roomId: seminar.id, date: '2026-12-04', start: '15:00', end: '17:00', status: 'approved', title: 'Andere Gruppe' });

    const taken = await accept(first!.token, first!.position);
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('Diese Möglichkeit ist inzwischen vergeben. Bitte wählen Sie eine andere; die übrigen gelten weiter.');
    expect(taken.text).not.toContain('Andere Gruppe');
    expect(await bookingOf(bookingId)).toMatchObject({ status: 'pending', room_id: saal.id, local_date: '2026-12-04' });
    expect((await t.ctx.db.selectFrom('offers').select('status').executeTakeFirstOrThrow()).status).toBe('open');

    const ok = await accept(second!.token, second!.position);
    expect(ok.status).toBe(303);
    expect(await bookingOf(bookingId)).toMatchObject({ status: 'approved', start_at: at('2026-12-04', '12:00'), end_at: at('2026-12-04', '14:00') });
  });

  it('refuses an expired offer, a replaced one and a wrong link', async () => {
    const { requestId, bookingId } = await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-12-18', start: '14:00', end: '16:00', status: 'pending' });
    await sendOffer(requestId, [option(seminar.id, '2026-12-18', '14:00', '16:00')]);
    const [old] = linksOf((await offerMail()).text);
    await sendOffer(requestId, [option(seminar.id, '2026-12-18', '14:00', '16:00')], 'Neues Angebot');
    const [fresh] = linksOf((await offerMail()).text);
    expect(fresh!.token).not.toBe(old!.token);

    const replaced = await accept(old!.token, '1');
    expect(replaced.status).toBe(410);
    expect(replaced.text).toContain('das Haus hat Ihnen ein neueres geschickt');

    t.clock.advance(7 * 86_400_000);
    const expired = await accept(fresh!.token, '1');
    expect(expired.status).toBe(410);
    expect(expired.text).toContain('Dieses Angebot ist abgelaufen.');
    expect((await bookingOf(bookingId)).status).toBe('pending');
    expect((await staff.agent.get('/admin')).text).not.toContain('Alternative angeboten');

    const wrong = await t.request.get('/offers/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/1');
    expect(wrong.status).toBe(404);
    expect((await t.request.get('/offers/kurz/1')).status).toBe(404);
  });

  it('offers a series another room for all its open dates and moves them all on accept', async () => {
    const dates = ['2026-12-04', '2026-12-11', '2026-12-18'];
    const { requestId, bookingIds } = await aSeries(t.ctx.db, { roomId: saal.id, dates, start: '19:00', end: '21:00', each: { 0: { status: 'approved' } } });
    const page = await staff.agent.get(offerPage(requestId));
    expect(page.text).toContain('Seminarraum, 19:00–21:00 Uhr, an allen 2 offenen Terminen');
    expect(page.text).not.toContain('anderer Tag');
    await sendOffer(requestId, [option(seminar.id, null, '19:00', '21:00')]);
    const [link] = linksOf((await offerMail()).text);
    expect((await accept(link!.token, link!.position)).status).toBe(303);
    const rows = await t.ctx.db.selectFrom('bookings').selectAll().where('request_id', '=', requestId).orderBy('local_date').execute();
    expect(rows.map((b) => [b.local_date, b.room_id, b.status])).toEqual([
      ['2026-12-04', saal.id, 'approved'],
      ['2026-12-11', seminar.id, 'approved'],
      ['2026-12-18', seminar.id, 'approved'],
    ]);
    expect(bookingIds).toHaveLength(3);
  });

  it('keeps the wall-clock time when a series moves across the change to summer time', async () => {
    // Tuesdays around the last Sunday of March 2027 (Fridays would meet Good Friday): 18:00 stays 18:00 (UTC+1, then UTC+2).
    t.clock.set('2027-03-01T10:00:00+01:00');
    const dates = ['2027-03-23', '2027-03-30', '2027-04-06'];
    const { requestId } = await aSeries(t.ctx.db, { roomId: saal.id, dates, start: '19:00', end: '21:00' });
    const staffAgain = await loginAs(t, 'caretaker');
    const res = await staffAgain.post(offerPage(requestId), offerPage(requestId), { option: [option(saal.id, null, '18:00', '20:00')], message: '' });
    expect(res.status).toBe(303);
    const [link] = linksOf((await offerMail()).text);
    expect((await accept(link!.token, link!.position)).status).toBe(303);
    const rows = await t.ctx.db.selectFrom('bookings').selectAll().where('request_id', '=', requestId).orderBy('local_date').execute();
    expect(rows.map((b) => [b.local_date, b.status, b.start_at, b.end_at])).toEqual(dates.map((d) => [d, 'approved', at(d, '18:00'), at(d, '20:00')]));
    expect(rows[1]!.start_at - rows[0]!.start_at).toBe(7 * 86_400_000 - 3_600_000);
  });

  it('refuses an offer for a group without an e-mail address', async () => {
    const { requestId } = await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-12-04', start: '14:00', end: '16:00', status: 'pending', email: '' });
    const res = await sendOffer(requestId, [option(seminar.id, '2026-12-04', '14:00', '16:00')]);
    expect(res.status).toBe(409);
    expect(res.text).toContain('keine E-Mail-Adresse');
    expect(await t.ctx.db.selectFrom('offers').selectAll().execute()).toEqual([]);
  });
});

describe('competing requests side by side', () => {
  let t: TestApp;
  let staff: LoggedIn;
  beforeEach(async () => {
    t = await makeTestApp();
    staff = await loginAs(t, 'caretaker');
  });
  afterEach(() => t.close());

  it('shows every pending request for an overlapping time in a room sharing space, with what each asked for', async () => {
    const a = await aRoom(t.ctx.db, { name: 'Saal A' });
    const b = await aRoom(t.ctx.db, { name: 'Saal B' });
    const whole = await aRoom(t.ctx.db, { name: 'Großer Saal', capacity: 80 });
    await t.ctx.db
      .insertInto('room_parts')
      .values([
        { whole_id: whole.id, part_id: a.id },
        { whole_id: whole.id, part_id: b.id },
      ])
      .execute();
    const mine = await aBooking(t.ctx.db, {
      roomId: a.id,
      date: '2026-12-04',
      start: '14:00',
      end: '16:00',
      status: 'pending',
      title: 'Sprachcafé',
      email: 'cafe@example.org',
    });
    // An earlier request from the same address: this one is not the group's first.
    await aBooking(t.ctx.db, { roomId: b.id, date: '2026-11-30', status: 'approved', email: 'cafe@example.org' });
    const rival = await aBooking(t.ctx.db, {
      roomId: whole.id,
      date: '2026-12-04',
      start: '15:00',
      end: '18:00',
      status: 'pending',
      title: 'Tanzabend',
      organisation: 'Tanzverein',
      contactName: 'Tina Tanz',
      email: 'tanz@example.org',
      attendees: 60,
      category: 'culture',
    });
    await aBooking(t.ctx.db, { roomId: b.id, date: '2026-12-04', start: '14:00', end: '16:00', status: 'pending', title: 'Nebenan in B' });
    await aBooking(t.ctx.db, { roomId: a.id, date: '2026-12-04', start: '16:00', end: '18:00', status: 'pending', title: 'Danach' });
    const now = t.clock().getTime();
    await t.ctx.db
      .updateTable('requests')
      .set({ created_at: now - 3 * 86_400_000 })
      .where('id', '=', mine.requestId)
      .execute();
    await t.ctx.db
      .updateTable('requests')
      .set({ created_at: now - 86_400_000 })
      .where('id', '=', rival.requestId)
      .execute();

    const res = await staff.agent.get(`/admin/requests/${mine.requestId}`);
    expect(res.status).toBe(200);
    const section = res.text.slice(res.text.indexOf('id="competing-h"'), res.text.indexOf('id="dates-h"'));
    expect(section).toContain('Eine konkurrierende Anfrage');
    expect(section).toContain('Sprachcafé');
    expect(section).toContain('Tanzabend');
    expect(section).toContain('Tanzverein – Tina Tanz');
    expect(section).toContain('<dd>60</dd>');
    expect(section).toContain('Freitag, 4. Dezember 2026, 15:00–18:00 Uhr · Großer Saal');
    // The rival is the first request of its group; ours is not.
    const cols = section.split('<article');
    expect(cols[1]).not.toContain('erste Anfrage der Gruppe');
    expect(cols[1]).toContain('vor 3 Tagen');
    expect(cols[2]).toContain('vor 1 Tag');
    expect(cols[2]).toContain('erste Anfrage der Gruppe');
    expect(cols[2]).toContain(`href="/admin/requests/${rival.requestId}"`);
    expect(cols[2]).toContain(`action="/admin/requests/${rival.requestId}/approve"`);
    // Neither the request next door (Saal B) nor the one right after (16:00) competes.
    expect(section).not.toContain('Nebenan in B');
    expect(section).not.toContain('Danach');
  });

  it('shows no comparison when nothing competes', async () => {
    const { requestId } = await aBooking(t.ctx.db, { status: 'pending' });
    const res = await staff.agent.get(`/admin/requests/${requestId}`);
    expect(res.text).not.toContain('id="competing-h"');
  });
});
