// Attendance links (issue 15): after each approved date the group gets one mail with a link to say how many came
// (or that the date did not take place). Exactly one mail per date, also when the job runs again; none for
// cancelled, erased or already reported dates, nor for dates long past; in the group's language. The link's page
// saves with source 'group', refuses a bad number next to its field, expires 14 local days after the date, and
// dies with an erasure while the number stays in the statistics.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { makeTestApp, csrfFrom, type TestApp } from '../helpers/app.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { HOUSE_PHONE, aHouse, outbox } from '../helpers/mail.js';
import { loginAs } from '../helpers/login.js';
import { fieldError } from '../helpers/request-form.js';
import { startJobs } from '../../src/ops/jobs.js';
import { fillSecret } from '../../src/mail/outbox.js';
import { eraseAddress } from '../../src/privacy/service.js';
import type { OutboxMail } from '../../src/db/schema.js';

async function tick(t: TestApp): Promise<void> {
  const jobs = startJobs(t.ctx, { background: false });
  await jobs.runDue();
  await jobs.stop();
}

const attendanceMails = async (t: TestApp) => (await outbox(t)).filter((m) => m.kind === 'attendance.group');

/** The mail's text as it goes out, and the link's token in it. */
function linkOf(t: TestApp, m: OutboxMail): { text: string; token: string } {
  const { text } = fillSecret(m, t.ctx.mailKey);
  const found = /\/attendance\/([A-Za-z0-9_-]{20,})/.exec(text);
  if (!found) throw new Error(`no attendance link in: ${text}`);
  return { text, token: found[1]! };
}

/** Posts the attendance form of a link with a fresh CSRF token from its page. */
async function report(t: TestApp, token: string, fields: Record<string, string>) {
  const agent = supertest.agent(t.app);
  const page = await agent.get(`/attendance/${token}`);
  return agent
    .post(`/attendance/${token}`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), ...fields });
}

/** The hidden field with the date the form showed. */
function hiddenShown(html: string): string {
  const found = /<input type="hidden" name="shown" value="([^"]+)">/.exec(html);
  if (!found) throw new Error('no hidden field "shown" on the page');
  return found[1]!;
}

async function attendanceRow(t: TestApp, bookingId: number) {
  return t.ctx.db.selectFrom('attendance').selectAll().where('booking_id', '=', bookingId).executeTakeFirst();
}

let t: TestApp;
let room: { id: number; slug: string; name: string };

describe('attendance mails', () => {
  beforeEach(async () => {
    // Monday 23 November 2026, 10:00 in Berlin.
    t = await makeTestApp({ now: '2026-11-23T10:00:00+01:00' });
    await aHouse(t);
    room = await aRoom(t.ctx.db, { name: 'Gruppenraum', slug: 'gruppenraum', capacity: 15 });
  });
  afterEach(() => t.close());

  it('mails a date once it has ended, once however often the job runs, in the group’s language (Turkish), with a working link', async () => {
    const b = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-23', start: '10:30', end: '12:00', title: 'Chorprobe' });
    await t.ctx.db.updateTable('requests').set({ language: 'tr' }).where('id', '=', b.requestId).execute();
    await tick(t);
    expect(await attendanceMails(t)).toHaveLength(0); // not yet begun
    t.clock.set('2026-11-23T11:59:00+01:00');
    await tick(t);
    expect(await attendanceMails(t)).toHaveLength(0); // still running
    t.clock.set('2026-11-23T12:00:00+01:00');
    await tick(t);
    await tick(t);
    t.clock.advance(3 * 3600_000);
    await tick(t);
    const mails = await attendanceMails(t);
    expect(mails).toHaveLength(1);
    const m = mails[0]!;
    expect(m.to_address).toBe('erika@example.org');
    expect(m.language).toBe('tr');
    expect(m.request_id).toBe(b.requestId);
    expect(m.subject).toContain('Kaç kişi katıldı?');
    expect(m.subject).toContain(b.reference);
    const { text, token } = linkOf(t, m);
    expect(text).toContain('Gruppenraum');
    expect(text).toContain('10:30');
    expect(text).toContain('12:00');
    // Only the link's hash is kept: the token itself is nowhere in the database.
    const links = await t.ctx.db.selectFrom('attendance_links').selectAll().execute();
    expect(links).toHaveLength(1);
    expect(JSON.stringify(links)).not.toContain(token);
    expect(m.text_body).not.toContain(token);

    const page = await t.request.get(`/attendance/${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('lang="tr"');
    expect(page.text).toContain('Gruppenraum');
    expect(page.text).toContain('Chorprobe');
    expect(page.text).toContain(b.reference);
    // ?lang= switches the page like any public page.
    const de = await t.request.get(`/attendance/${token}?lang=de`);
    expect(de.text).toContain('lang="de"');
    expect(de.text).toContain('Wie viele Personen waren da?');
    expect(de.text).toContain('Der Termin hat nicht stattgefunden');
  });

  it('mails each date of a series with its own link, and never a date that ended more than two days ago', async () => {
    const first = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-22', start: '18:00', end: '20:00' });
    const base = await t.ctx.db.selectFrom('bookings').selectAll().where('id', '=', first.bookingId).executeTakeFirstOrThrow();
    const { id: _id, ...row } = base;
    const week = 7 * 86_400_000;
    // The week before (ended six days ago: before the window) and the week after.
    const older = await t.ctx.db
      .insertInto('bookings')
      .values({ ...row, local_date: '2026-11-15', start_at: base.start_at - week, end_at: base.end_at - week })
      .returning('id')
      .executeTakeFirstOrThrow();
    const next = await t.ctx.db
      .insertInto('bookings')
      .values({ ...row, local_date: '2026-11-29', start_at: base.start_at + week, end_at: base.end_at + week })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tick(t);
    t.clock.set('2026-11-29T20:30:00+01:00');
    await tick(t);
    const mails = await attendanceMails(t);
    expect(mails).toHaveLength(2);
    const links = await t.ctx.db.selectFrom('attendance_links').select('booking_id').orderBy('id').execute();
    expect(links.map((l) => l.booking_id)).toEqual([first.bookingId, next.id]);
    expect(links.map((l) => l.booking_id)).not.toContain(older.id);
    const [a, b] = mails.map((m) => linkOf(t, m));
    expect(a!.token).not.toBe(b!.token);
    expect(a!.text).toContain('22. November 2026');
    expect(b!.text).toContain('29. November 2026');
  });

  it('mails no cancelled, pending or rejected date, no erased request, no date staff already reported, nothing when switched off', async () => {
    for (const status of ['cancelled', 'pending', 'rejected', 'skipped'] as const) {
      await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-22', start: '10:00', end: '11:00', status, email: `${status}@example.org` });
    }
    const anon = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-22', start: '12:00', end: '13:00', email: 'anon@example.org' });
    await t.ctx.db.updateTable('requests').set({ anonymized_at: 1, email: '' }).where('id', '=', anon.requestId).execute();
    const staffed = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-22', start: '14:00', end: '15:00', email: 'staffed@example.org' });
    await t.ctx.db
      .insertInto('attendance')
      .values({ booking_id: staffed.bookingId, attended: 7, took_place: 1, reported_by: 'staff', reported_at: 1 })
      .execute();
    const ok = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-22', start: '16:00', end: '17:00', email: 'ok@example.org' });

    await t.ctx.db.updateTable('settings').set({ attendance_mails: 0 }).where('id', '=', 1).execute();
    await tick(t);
    expect(await attendanceMails(t)).toHaveLength(0);

    await t.ctx.db.updateTable('settings').set({ attendance_mails: 1 }).where('id', '=', 1).execute();
    await tick(t);
    const mails = await attendanceMails(t);
    expect(mails.map((m) => m.to_address)).toEqual(['ok@example.org']);
    expect(mails[0]!.request_id).toBe(ok.requestId);
  });

  it('the admin switches the mails off and on in the settings', async () => {
    const admin = await loginAs(t, 'admin');
    let page = await admin.agent.get('/admin/settings');
    expect(page.text).toMatch(/<input type="checkbox" id="attendance_mails" name="attendance_mails" value="1" checked/);
    // The settings form with the box not ticked: switched off (the hidden field says the box was on the form).
    const fields: Record<string, string> = {
      house_name: 'Haus der Begegnung',
      lead_time_days: '3',
      horizon_months: '6',
      retention_months: '9',
      federal_state: 'BE',
      default_language: 'de',
      timezone: 'Europe/Berlin',
      attendance_shown: '1',
    };
    for (const d of ['1', '2', '3', '4', '5', '6']) Object.assign(fields, { [`open_${d}`]: '09:00', [`close_${d}`]: '21:00' });
    fields.closed_7 = '1';
    const res = await admin.post('/admin/settings', '/admin/settings', fields);
    expect(res.status).toBe(303);
    expect((await t.ctx.db.selectFrom('settings').select('attendance_mails').executeTakeFirstOrThrow()).attendance_mails).toBe(0);
    page = await admin.agent.get('/admin/settings');
    expect(page.text).toMatch(/<input type="checkbox" id="attendance_mails" name="attendance_mails" value="1" aria/);
    await admin.post('/admin/settings', '/admin/settings', { ...fields, attendance_mails: '1' });
    expect((await t.ctx.db.selectFrom('settings').select('attendance_mails').executeTakeFirstOrThrow()).attendance_mails).toBe(1);
    // A form from before the switch existed (no hidden field) leaves it as it is.
    const { attendance_shown: _shown, ...older } = fields;
    await admin.post('/admin/settings', '/admin/settings', older);
    expect((await t.ctx.db.selectFrom('settings').select('attendance_mails').executeTakeFirstOrThrow()).attendance_mails).toBe(1);
  });

  it('mails a date ending on the night the clocks go back (last Sunday of October) once, and its link works through 8 November', async () => {
    t.clock.set('2026-10-24T20:00:00+02:00');
    // Saturday 24 October 22:00 – Sunday 25 October 00:00 would cross midnight; this date ends at 23:30 summer time.
    const sat = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-10-24', start: '21:00', end: '23:30' });
    const sun = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-10-25', start: '08:00', end: '09:00', email: 'sonntag@example.org' });
    // Every hour through the night: 02:00–03:00 comes twice, the job runs 16 times.
    for (let i = 0; i < 16; i++) {
      await tick(t);
      t.clock.advance(3600_000);
    }
    const mails = await attendanceMails(t);
    expect(mails.map((m) => m.request_id)).toEqual([sat.requestId, sun.requestId]);
    const { token } = linkOf(t, mails[1]!);
    t.clock.set('2026-11-08T23:59:00+01:00');
    expect((await t.request.get(`/attendance/${token}`)).status).toBe(200);
    t.clock.set('2026-11-09T00:00:00+01:00');
    expect((await t.request.get(`/attendance/${token}`)).status).toBe(410);
  });
});

describe('the attendance page', () => {
  let date: Awaited<ReturnType<typeof aBooking>>;
  let token: string;
  beforeEach(async () => {
    t = await makeTestApp({ now: '2026-03-10T21:00:00+01:00' });
    await aHouse(t);
    room = await aRoom(t.ctx.db, { name: 'Gruppenraum', slug: 'gruppenraum', capacity: 15 });
    date = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-03-10', start: '18:00', end: '20:00', title: 'Nähcafé' });
    await tick(t);
    token = linkOf(t, (await attendanceMails(t))[0]!).token;
  });
  afterEach(() => t.close());

  it('saves a number with source group, audited without personal data, and the statistics count it', async () => {
    const res = await report(t, token, { held: 'yes', attended: '12' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/attendance/${token}?saved=1`);
    expect(await attendanceRow(t, date.bookingId)).toMatchObject({ attended: 12, took_place: 1, reported_by: 'group' });
    const page = await t.request.get(res.headers.location!);
    expect(page.text).toContain('Vielen Dank! Ihre Angabe ist gespeichert.');
    expect(page.text).toContain('Gespeichert: 12 Personen waren da.');
    expect(page.text).toMatch(/id="attended" name="attended"[^>]*value="12"/);
    const log = await t.ctx.db.selectFrom('audit_log').select(['action', 'actor', 'details']).where('action', '=', 'attendance.reported').execute();
    expect(log).toHaveLength(1);
    expect(log[0]!.actor).toBe('group');
    expect(log[0]!.details).not.toMatch(/erika|Mustermann|Nähcafé/i);

    const staff = await loginAs(t, 'caretaker');
    const stats = await staff.agent.get('/admin/statistics?period=month&year=2026&month=03');
    expect(stats.text).toContain('Für 1 von 1 vergangenen Terminen wurden Teilnehmendenzahlen gemeldet.');
    const list = await staff.agent.get('/admin/statistics/attendance?period=month&year=2026&month=03');
    expect(list.text).toContain('von der Gruppe gemeldet');
  });

  it('saves "did not take place"', async () => {
    const res = await report(t, token, { held: 'no', attended: '' });
    expect(res.status).toBe(303);
    expect(await attendanceRow(t, date.bookingId)).toMatchObject({ attended: null, took_place: 0, reported_by: 'group' });
    const page = await t.request.get(`/attendance/${token}`);
    expect(page.text).toContain('Gespeichert: Der Termin hat nicht stattgefunden.');
    expect(page.text).toMatch(/id="held-no" name="held" value="no" checked/);
  });

  it.each([
    ['31', 'Bitte geben Sie eine ganze Zahl von 0 bis 30 ein.'],
    ['viele', 'Bitte geben Sie eine ganze Zahl von 0 bis 30 ein.'],
    ['-2', 'Bitte geben Sie eine ganze Zahl von 0 bis 30 ein.'],
    ['', 'Bitte geben Sie an, wie viele Personen da waren, oder wählen Sie „Der Termin hat nicht stattgefunden“.'],
  ])('refuses %j with 400, the message next to the field and the typed value kept', async (typed, message) => {
    const res = await report(t, token, { held: 'yes', attended: typed });
    expect(res.status).toBe(400);
    expect(fieldError(res.text, 'attended')).toBe(message);
    expect(res.text).toMatch(new RegExp(`id="attended" name="attended"[^>]*value="${typed}"`));
    expect(res.text).toContain('aria-invalid="true"');
    expect(await attendanceRow(t, date.bookingId)).toBeUndefined();
  });

  it('takes the highest number (twice the room’s capacity)', async () => {
    expect((await report(t, token, { held: 'yes', attended: '30' })).status).toBe(303);
    expect((await attendanceRow(t, date.bookingId))?.attended).toBe(30);
  });

  it('refuses a post without the CSRF token', async () => {
    const res = await t.request.post(`/attendance/${token}`).type('form').send({ held: 'yes', attended: '5' });
    expect(res.status).toBe(403);
    expect(await attendanceRow(t, date.bookingId)).toBeUndefined();
  });

  it('may correct the number until the end of the 14th day after the date, then says kindly that the link has expired', async () => {
    await report(t, token, { held: 'yes', attended: '9' });
    t.clock.set('2026-03-24T23:59:00+01:00');
    const page = await t.request.get(`/attendance/${token}`);
    expect(page.text).toContain('Sie können Ihre Angabe bis Dienstag, 24. März 2026 ändern.');
    expect((await report(t, token, { held: 'yes', attended: '11' })).status).toBe(303);
    expect((await attendanceRow(t, date.bookingId))?.attended).toBe(11);
    const lastMinute = await t.request.get(`/attendance/${token}`);
    t.clock.set('2026-03-25T00:00:00+01:00');
    const expired = await t.request.get(`/attendance/${token}`);
    expect(expired.status).toBe(410);
    expect(expired.text).toContain('Dieser Link galt bis Dienstag, 24. März 2026 und ist jetzt abgelaufen.');
    expect(expired.text).toContain(`Möchten Sie noch etwas ändern? Rufen Sie uns an: ${HOUSE_PHONE}.`);
    expect(expired.text).not.toContain('<form method="post" action="/attendance/');
    // Only that it has expired: none of the date's details (while the page still works, it shows them all).
    for (const detail of ['Dienstag, 10. März 2026', '18:00', 'Gruppenraum', 'Nähcafé', date.reference, 'Gespeichert', '11 Personen']) {
      expect(expired.text, detail).not.toContain(detail);
      expect(lastMinute.text, detail).toContain(detail);
    }
    // A form opened before the end and sent after it changes nothing.
    const agent = supertest.agent(t.app);
    t.clock.set('2026-03-24T23:00:00+01:00');
    const open = await agent.get(`/attendance/${token}`);
    t.clock.set('2026-03-25T00:01:00+01:00');
    const late = await agent
      .post(`/attendance/${token}`)
      .type('form')
      .send({ _csrf: csrfFrom(open.text), held: 'yes', attended: '3' });
    expect(late.status).toBe(410);
    expect((await attendanceRow(t, date.bookingId))?.attended).toBe(11);
  });

  it('refuses with 409 an answer to a date moved after the form was read: the typed number kept, nothing stored', async () => {
    const agent = supertest.agent(t.app);
    const open = await agent.get(`/attendance/${token}`);
    expect(open.text).toContain('Dienstag, 10. März 2026, 18:00–20:00 Uhr');
    // Staff move the date to the day before while the group fills in the form.
    const day = 86_400_000;
    const before = await t.ctx.db.selectFrom('bookings').select(['start_at', 'end_at']).where('id', '=', date.bookingId).executeTakeFirstOrThrow();
    await t.ctx.db
      .updateTable('bookings')
      .set({ local_date: '2026-03-09', start_at: before.start_at - day, end_at: before.end_at - day })
      .where('id', '=', date.bookingId)
      .execute();
    const res = await agent
      .post(`/attendance/${token}`)
      .type('form')
      .send({ _csrf: csrfFrom(open.text), shown: hiddenShown(open.text), held: 'yes', attended: '17' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Der Termin wurde geändert, während Sie das Formular ausgefüllt haben.');
    expect(res.text).toContain('Montag, 9. März 2026, 18:00–20:00 Uhr');
    expect(res.text).toMatch(/id="attended" name="attended"[^>]*value="17"/);
    expect(res.text).toMatch(/id="held-yes" name="held" value="yes" checked/);
    expect(await attendanceRow(t, date.bookingId)).toBeUndefined();
    expect(await t.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'attendance.reported').execute()).toHaveLength(0);
    // The form that came back shows the new time: sent again as it is, it saves.
    const again = await agent
      .post(`/attendance/${token}`)
      .type('form')
      .send({ _csrf: csrfFrom(res.text), shown: hiddenShown(res.text), held: 'yes', attended: '17' });
    expect(again.status).toBe(303);
    expect(await attendanceRow(t, date.bookingId)).toMatchObject({ attended: 17, reported_by: 'group' });
  });

  it('answers a wrong or malformed link with a kind 404 page', async () => {
    for (const wrong of [`${token.slice(0, -2)}xx`, 'short', 'x'.repeat(43)]) {
      const res = await t.request.get(`/attendance/${wrong}`);
      expect(res.status).toBe(404);
      expect(res.text).toContain('Link nicht gefunden');
    }
    const en = await t.request.get('/attendance/abcdefghijklmnopqrstuvwxyz?lang=en');
    expect(en.status).toBe(404);
    expect(en.text).toContain('Link not found');
  });

  it('shows what staff entered; the group may still correct it; staff see who reported', async () => {
    const staff = await loginAs(t, 'caretaker');
    const q = 'period=month&year=2026&month=03';
    const from = `/admin/statistics/attendance?${q}`;
    expect((await staff.post(`/admin/statistics/attendance/${date.bookingId}?${q}`, from, { attended: '14', held: 'yes' })).status).toBe(303);
    expect((await staff.agent.get(from)).text).toContain('vom Haus eingetragen');
    const page = await t.request.get(`/attendance/${token}`);
    expect(page.text).toContain('Von uns eingetragen: 14 Personen waren da.');
    expect(page.text).toMatch(/id="attended" name="attended"[^>]*value="14"/);
    await report(t, token, { held: 'yes', attended: '16' });
    expect(await attendanceRow(t, date.bookingId)).toMatchObject({ attended: 16, reported_by: 'group' });
    expect((await staff.agent.get(from)).text).toContain('von der Gruppe gemeldet');
    // And staff correct the group's number afterwards.
    await staff.post(`/admin/statistics/attendance/${date.bookingId}?${q}`, from, { attended: '15', held: 'yes' });
    expect(await attendanceRow(t, date.bookingId)).toMatchObject({ attended: 15, reported_by: 'staff' });
  });

  it('dies with an erasure of the request, while the number stays in the statistics', async () => {
    await report(t, token, { held: 'yes', attended: '12' });
    const admin = await loginAs(t, 'admin');
    await eraseAddress(t.ctx.db, 'erika@example.org', { userId: admin.user.id, now: t.clock().getTime() });
    expect((await t.request.get(`/attendance/${token}`)).status).toBe(404);
    expect(await t.ctx.db.selectFrom('attendance_links').selectAll().execute()).toHaveLength(0);
    expect(await attendanceRow(t, date.bookingId)).toMatchObject({ attended: 12 });
    const stats = await admin.agent.get('/admin/statistics?period=month&year=2026&month=03');
    expect(stats.text).toContain('Für 1 von 1 vergangenen Terminen wurden Teilnehmendenzahlen gemeldet.');
  });

  it('a cancelled date’s link shows the 404 page', async () => {
    await t.ctx.db.updateTable('bookings').set({ status: 'cancelled' }).where('id', '=', date.bookingId).execute();
    expect((await t.request.get(`/attendance/${token}`)).status).toBe(404);
  });
});
