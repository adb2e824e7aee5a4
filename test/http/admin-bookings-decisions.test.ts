// The inbox and the decisions: ordering, clash and competition marks, approve/reject one date, a series
// date by date or whole, the atomic clash re-check, room parts, audit entries and message templates.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, csrfFrom, type TestApp } from '../helpers/app.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { aBlockedTime, aBooking, aRoom, aWholeRoom } from '../helpers/factories.js';
import { aSeries } from '../helpers/series.js';

describe('the inbox and decisions', () => {
  let t: TestApp;
  let staff: LoggedIn;
  beforeEach(async () => {
    t = await makeTestApp();
    staff = await loginAs(t, 'caretaker');
  });
  afterEach(() => t.close());

  async function post(path: string, body: Record<string, string | string[]>) {
    const token = await staff.csrf('/admin');
    return staff.agent
      .post(path)
      .type('form')
      .send({ _csrf: token, ...body });
  }

  const statusOf = async (id: number) => (await t.ctx.db.selectFrom('bookings').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

  it('sends anonymous visitors to the login page and refuses their decisions', async () => {
    const res = await t.request.get('/admin');
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
    const { requestId } = await aBooking(t.ctx.db, { status: 'pending' });
    const page = await t.request.get('/login');
    const cookie = page.headers['set-cookie']!;
    const post = await t.request
      .post(`/admin/requests/${requestId}/approve`)
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(post.status).toBe(403);
  });

  it('lists pending requests the soonest first, with clash and competition marks', async () => {
    const room = await aRoom(t.ctx.db, { name: 'Gruppenraum' });
    const later = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-10', status: 'pending', title: 'Späte Anfrage' });
    const soon = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-01', start: '10:00', end: '12:00', status: 'pending', title: 'Frühe Anfrage' });
    const rival = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-01', start: '11:00', end: '13:00', status: 'pending', title: 'Rivale' });
    const firm = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-10', start: '11:00', end: '12:00', status: 'approved', title: 'Schon fest' });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-02', status: 'approved', title: 'Nicht im Eingang' });

    const res = await staff.agent.get('/admin');
    expect(res.status).toBe(200);
    const html = res.text;
    expect(html.indexOf('Frühe Anfrage')).toBeLessThan(html.indexOf('Späte Anfrage'));
    expect(html).not.toContain('Nicht im Eingang');
    // The early request competes with the rival, and links to it.
    const early = html.slice(html.indexOf(`id="request-${soon.requestId}"`), html.indexOf(`id="request-${rival.requestId}"`));
    expect(early).toContain('Konkurrierende Anfrage');
    expect(early).toContain(`href="/admin/requests/${rival.requestId}"`);
    // The late one clashes with the approved booking, named by reference.
    const late = html.slice(html.indexOf(`id="request-${later.requestId}"`));
    expect(late).toContain('Überschneidung');
    expect(late).toContain(firm.reference);
    expect(late).toContain(`href="/admin/requests/${firm.requestId}"`);
  });

  it('marks a pending date that falls into a blocked time', async () => {
    const room = await aRoom(t.ctx.db);
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-24', status: 'pending' });
    await aBlockedTime(t.ctx.db, { label: 'Heiligabend' });
    const res = await staff.agent.get('/admin');
    expect(res.text).toContain('Sperrzeit');
    expect(res.text).toContain('Heiligabend');
  });

  it('refuses a decision with booking ids of another request', async () => {
    const a = await aBooking(t.ctx.db, { status: 'pending' });
    const b = await aBooking(t.ctx.db, { status: 'pending', date: '2026-12-05' });
    const res = await post(`/admin/requests/${a.requestId}/approve`, { booking: String(b.bookingId), message: 'ok' });
    expect(res.status).toBe(400);
    expect(await statusOf(b.bookingId)).toBe('pending');
  });

  it('refuses a message that is too long', async () => {
    const a = await aBooking(t.ctx.db, { status: 'pending' });
    const res = await post(`/admin/requests/${a.requestId}/approve`, { message: 'x'.repeat(2001) });
    expect(res.status).toBe(400);
    expect(await statusOf(a.bookingId)).toBe('pending');
  });

  it('answers 409 when the date was already decided', async () => {
    const a = await aBooking(t.ctx.db, { status: 'rejected' });
    const res = await post(`/admin/requests/${a.requestId}/approve`, { booking: String(a.bookingId) });
    expect(res.status).toBe(409);
    expect(await statusOf(a.bookingId)).toBe('rejected');
  });

  it('approves a single request with a message, records who decided, audits and raises the sequences', async () => {
    const a = await aBooking(t.ctx.db, { status: 'pending' });
    const res = await post(`/admin/requests/${a.requestId}/approve`, { message: 'Gern!' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin');
    const b = await t.ctx.db.selectFrom('bookings').selectAll().where('id', '=', a.bookingId).executeTakeFirstOrThrow();
    expect(b).toMatchObject({ status: 'approved', decided_by: staff.user.id, decision_message: 'Gern!', sequence: 1 });
    const r = await t.ctx.db.selectFrom('requests').select('sequence').where('id', '=', a.requestId).executeTakeFirstOrThrow();
    expect(r.sequence).toBe(1);
    const log = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'request.approved').execute();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ user_id: staff.user.id, actor: 'user', entity: 'request', entity_id: a.requestId });
    expect(JSON.parse(log[0]!.details)).toMatchObject({ bookingIds: [a.bookingId], message: 'Gern!' });
    const occ = await t.ctx.db.selectFrom('occupancy').selectAll().where('booking_id', '=', a.bookingId).execute();
    expect(occ).toHaveLength(1);
    const mails = await t.ctx.db.selectFrom('outbox').select(['to_address', 'text_body']).where('request_id', '=', a.requestId).execute();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to_address).toBe('erika@example.org');
    expect(mails[0]!.text_body).toContain('Gern!');
    const inbox = await staff.agent.get('/admin');
    expect(inbox.text).toContain('1 Termin bestätigt');
  });

  it('rejects a request with a message and audits it', async () => {
    const a = await aBooking(t.ctx.db, { status: 'pending' });
    const res = await post(`/admin/requests/${a.requestId}/reject`, { message: 'Leider schon vergeben.' });
    expect(res.status).toBe(303);
    const b = await t.ctx.db.selectFrom('bookings').selectAll().where('id', '=', a.bookingId).executeTakeFirstOrThrow();
    expect(b).toMatchObject({ status: 'rejected', decision_message: 'Leider schon vergeben.', decided_by: staff.user.id });
    const log = await t.ctx.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', '=', 'request.rejected').execute();
    expect(log).toEqual([{ action: 'request.rejected', entity_id: a.requestId }]);
  });

  it('approves one date of a series and leaves the others pending', async () => {
    const room = await aRoom(t.ctx.db);
    const s = await aSeries(t.ctx.db, { roomId: room.id, dates: ['2026-12-02', '2026-12-09', '2026-12-16'] });
    const res = await post(`/admin/requests/${s.requestId}/approve`, { booking: String(s.bookingIds[1]), message: 'ok', return: 'detail' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/requests/${s.requestId}`);
    expect(await Promise.all(s.bookingIds.map(statusOf))).toEqual(['pending', 'approved', 'pending']);
  });

  it('says "jeden Mittwoch" and "alle 2 Wochen am Donnerstag" for a series, in the inbox, on the request page and in the form', async () => {
    const room = await aRoom(t.ctx.db);
    const weekly = await aSeries(t.ctx.db, { roomId: room.id, dates: ['2026-12-02', '2026-12-09'] });
    const other = await aSeries(t.ctx.db, { roomId: room.id, dates: ['2026-12-03', '2026-12-17'] });
    await t.ctx.db.updateTable('requests').set({ repeat_weeks: 1 }).where('id', '=', weekly.requestId).execute();
    await t.ctx.db.updateTable('requests').set({ repeat_weeks: 2 }).where('id', '=', other.requestId).execute();
    const inbox = await staff.agent.get('/admin');
    // The list marks a series as one and words its rhythm after the mark.
    expect(inbox.text).toMatch(/>Serie<\/span> jeden Mittwoch, 19:00–21:00 Uhr, 2\. Dezember 2026 bis 9\. Dezember 2026, 2 Termine/);
    expect(inbox.text).toMatch(/>Serie<\/span> alle 2 Wochen am Donnerstag, 19:00–21:00 Uhr, 3\. Dezember 2026 bis 17\. Dezember 2026, 2 Termine/);
    expect(inbox.text).not.toContain('Woche(n)');
    expect((await staff.agent.get(`/admin/requests/${weekly.requestId}`)).text).toContain(
      'jeden Mittwoch, 19:00–21:00 Uhr, 2. Dezember 2026 bis 9. Dezember 2026',
    );
    expect((await staff.agent.get(`/admin/requests/${other.requestId}`)).text).toContain('alle 2 Wochen am Donnerstag, 19:00–21:00 Uhr');
    const form = await staff.agent.get('/admin/bookings/new');
    expect(form.text).toMatch(/<option value="1"[^>]*>jede Woche<\/option>/);
    expect(form.text).toMatch(/<option value="3"[^>]*>alle 3 Wochen<\/option>/);
  });

  it('shows an erased request as "(Daten gelöscht)" with the date of erasure, not with an empty heading', async () => {
    const { requestId } = await aBooking(t.ctx.db, { date: '2026-11-02', status: 'approved' });
    const erasedAt = new Date('2026-11-20T09:30:00+01:00').getTime();
    await t.ctx.db
      .updateTable('requests')
      .set({ title: '', contact_name: '', email: '', organisation: null, phone: null, anonymized_at: erasedAt })
      .where('id', '=', requestId)
      .execute();
    const res = await staff.agent.get(`/admin/requests/${requestId}`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<h2 id="facts-h">\(Daten gelöscht\)<\/h2>/);
    expect(res.text).toMatch(/<dd>\(Daten gelöscht\)<\/dd>/);
    expect(res.text).toContain('wurden am 20. Nov. 2026, 09:30 gelöscht');
  });

  it('rejects two chosen dates of a series', async () => {
    const room = await aRoom(t.ctx.db);
    const s = await aSeries(t.ctx.db, { roomId: room.id, dates: ['2026-12-02', '2026-12-09', '2026-12-16'] });
    const res = await post(`/admin/requests/${s.requestId}/reject`, { booking: [String(s.bookingIds[0]), String(s.bookingIds[2])], message: 'nein' });
    expect(res.status).toBe(303);
    expect(await Promise.all(s.bookingIds.map(statusOf))).toEqual(['rejected', 'pending', 'rejected']);
  });

  it('approves the free dates of a whole series and reports the clashing one, which stays pending', async () => {
    const room = await aRoom(t.ctx.db);
    const s = await aSeries(t.ctx.db, {
      roomId: room.id,
      dates: ['2026-12-02', '2026-12-09', '2026-12-16'],
      each: { 0: { status: 'skipped', skipReason: 'holiday' } },
    });
    const firm = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-09', start: '20:00', end: '22:00', status: 'approved', title: 'Vereinssitzung' });
    const res = await post(`/admin/requests/${s.requestId}/approve`, { message: 'ok' });
    expect(res.status).toBe(409);
    expect(res.text).toContain(firm.reference);
    expect(res.text).toContain('Vereinssitzung');
    expect(res.text).toContain(`href="/admin/requests/${firm.requestId}"`);
    expect(res.text).toContain('1 Termin bestätigt');
    expect(await Promise.all(s.bookingIds.map(statusOf))).toEqual(['skipped', 'pending', 'approved']);
    const refused = await t.ctx.db.selectFrom('audit_log').select('details').where('action', '=', 'request.approval_refused').executeTakeFirstOrThrow();
    expect(JSON.parse(refused.details)).toMatchObject({ bookingIds: [s.bookingIds[1]], clashesWith: [firm.reference] });
  });

  it('of two competing requests approves the first and refuses the second, naming the first', async () => {
    const room = await aRoom(t.ctx.db, { name: 'Saal' });
    const first = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-03', start: '18:00', end: '20:00', status: 'pending', title: 'Erste Gruppe' });
    const second = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-03', start: '19:00', end: '21:00', status: 'pending', title: 'Zweite Gruppe' });
    expect((await post(`/admin/requests/${first.requestId}/approve`, { message: 'ja' })).status).toBe(303);
    const res = await post(`/admin/requests/${second.requestId}/approve`, { message: 'ja' });
    expect(res.status).toBe(409);
    expect(res.text).toContain(first.reference);
    expect(res.text).toContain('Erste Gruppe');
    expect(res.text).toContain('Saal');
    expect(res.text).toContain('18:00–20:00');
    expect(await statusOf(first.bookingId)).toBe('approved');
    expect(await statusOf(second.bookingId)).toBe('pending');
  });

  it('keeps the typed message in the box when an approval is refused for a clash', async () => {
    const room = await aRoom(t.ctx.db, { name: 'Saal' });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-03', start: '18:00', end: '20:00', status: 'approved' });
    const asked = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-03', start: '19:00', end: '21:00', status: 'pending' });
    const res = await post(`/admin/requests/${asked.requestId}/approve`, { message: 'Schlüssel bitte bei Frau Lindner abholen.', return: 'detail' });
    expect(res.status).toBe(409);
    expect(res.text).toMatch(/<textarea id="approve_message" name="approve_message"[^>]*>Schlüssel bitte bei Frau Lindner abholen\.<\/textarea>/);
  });

  it('honours buffers: touching intervals clash when the room needs clean-up time', async () => {
    const room = await aRoom(t.ctx.db, { bufferAfterMin: 30 });
    const first = await aBooking(t.ctx.db, { roomId: room.id, start: '10:00', end: '12:00', status: 'approved' });
    const second = await aBooking(t.ctx.db, { roomId: room.id, start: '12:00', end: '13:00', status: 'pending' });
    const res = await post(`/admin/requests/${second.requestId}/approve`, {});
    expect(res.status).toBe(409);
    expect(res.text).toContain(first.reference);
  });

  it('approving Saal A blocks the Großer Saal, and the whole blocks its parts', async () => {
    const a = await aRoom(t.ctx.db, { name: 'Saal A' });
    const b = await aRoom(t.ctx.db, { name: 'Saal B' });
    const whole = await aWholeRoom(t.ctx.db, [a.id, b.id], { name: 'Großer Saal' });
    const inA = await aBooking(t.ctx.db, { roomId: a.id, start: '10:00', end: '12:00', status: 'pending', title: 'In Saal A' });
    const inWhole = await aBooking(t.ctx.db, { roomId: whole.id, start: '11:00', end: '13:00', status: 'pending' });
    const inB = await aBooking(t.ctx.db, { roomId: b.id, start: '10:00', end: '12:00', status: 'pending' });
    expect((await post(`/admin/requests/${inA.requestId}/approve`, {})).status).toBe(303);
    const res = await post(`/admin/requests/${inWhole.requestId}/approve`, {});
    expect(res.status).toBe(409);
    expect(res.text).toContain('In Saal A');
    // The two parts do not clash with each other.
    expect((await post(`/admin/requests/${inB.requestId}/approve`, {})).status).toBe(303);
    expect(await statusOf(inWhole.bookingId)).toBe('pending');
    expect(await statusOf(inB.bookingId)).toBe('approved');
  });

  it('shows the request detail with every date and its history from the audit log', async () => {
    const room = await aRoom(t.ctx.db);
    const s = await aSeries(t.ctx.db, { roomId: room.id, dates: ['2026-12-02', '2026-12-09'], each: { 1: { status: 'skipped', skipReason: 'holiday' } } });
    await post(`/admin/requests/${s.requestId}/approve`, { message: 'Willkommen im Haus' });
    const res = await staff.agent.get(`/admin/requests/${s.requestId}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(s.reference);
    expect(res.text).toContain('Clara Chor');
    expect(res.text).toContain('chor@example.org');
    expect(res.text).toContain('ausgelassen (Feiertag)');
    expect(res.text).toContain('Verlauf');
    expect(res.text).toContain('Bestätigt');
    expect(res.text).toContain('Willkommen im Haus');
    expect(res.text).toContain(staff.user.name);
    expect((await staff.agent.get('/admin/requests/999999')).status).toBe(404);
    expect((await staff.agent.get('/admin/requests/abc')).status).toBe(404);
  });
});

describe('message templates', () => {
  let t: TestApp;
  let staff: LoggedIn;
  beforeEach(async () => {
    t = await makeTestApp();
    staff = await loginAs(t, 'caretaker');
  });
  afterEach(() => t.close());

  it('refuses a template without a label, then creates, edits, uses and deletes one', async () => {
    let token = await staff.csrf('/admin/templates/new');
    const bad = await staff.agent.post('/admin/templates').type('form').send({ _csrf: token, kind: 'reject', label: '', body: 'Text' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Bitte eine kurze Bezeichnung angeben.');
    expect(bad.text).toContain('aria-invalid="true"');
    const ok = await staff.agent
      .post('/admin/templates')
      .type('form')
      .send({ _csrf: token, kind: 'approve', label: 'Standard', body: 'Wir freuen uns auf Sie.', sort_order: '1' });
    expect(ok.status).toBe(303);
    const row = await t.ctx.db.selectFrom('message_templates').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'approve', label: 'Standard', body: 'Wir freuen uns auf Sie.' });

    token = await staff.csrf(`/admin/templates/${row.id}/edit`);
    expect(
      (
        await staff.agent
          .post(`/admin/templates/${row.id}`)
          .type('form')
          .send({ _csrf: token, kind: 'approve', label: 'Standard', body: 'Herzlich willkommen!' })
      ).status,
    ).toBe(303);

    await aBooking(t.ctx.db, { status: 'pending' });
    const inbox = await staff.agent.get('/admin');
    expect(inbox.text).toContain('Herzlich willkommen!</textarea>');

    token = await staff.csrf('/admin/templates');
    const ask = await staff.agent.post(`/admin/templates/${row.id}/delete`).type('form').send({ _csrf: token });
    expect(ask.status).toBe(200);
    expect(ask.text).toContain('Soll diese Textvorlage wirklich gelöscht werden?');
    expect(await t.ctx.db.selectFrom('message_templates').selectAll().execute()).toHaveLength(1);
    token = await staff.csrf('/admin/templates');
    expect((await staff.agent.post(`/admin/templates/${row.id}/delete`).type('form').send({ _csrf: token, confirm: '1' })).status).toBe(303);
    expect(await t.ctx.db.selectFrom('message_templates').selectAll().execute()).toEqual([]);
    const actions = (await t.ctx.db.selectFrom('audit_log').select('action').where('entity', '=', 'message_template').execute()).map((r) => r.action);
    expect(actions).toEqual(['template.created', 'template.updated', 'template.deleted']);
  });

  it('prefills each decision message with a chosen template of its own kind on the detail page', async () => {
    await t.ctx.db
      .insertInto('message_templates')
      .values([
        { kind: 'approve', label: 'Zusage', body: 'Zusagetext', sort_order: 1 },
        { kind: 'reject', label: 'Vergeben', body: 'Absagetext', sort_order: 1 },
      ])
      .execute();
    const rejectTpl = await t.ctx.db.selectFrom('message_templates').select('id').where('kind', '=', 'reject').executeTakeFirstOrThrow();
    const a = await aBooking(t.ctx.db, { status: 'pending' });
    const first = await staff.agent.get(`/admin/requests/${a.requestId}`);
    expect(first.text).toMatch(/name="approve_message"[^>]*>Zusagetext<\/textarea>/);
    expect(first.text).toMatch(/name="reject_message"[^>]*>Absagetext<\/textarea>/);
    await t.ctx.db.insertInto('message_templates').values({ kind: 'reject', label: 'Geschlossen', body: 'Haus zu', sort_order: 2 }).execute();
    const second = await t.ctx.db.selectFrom('message_templates').select('id').where('body', '=', 'Haus zu').executeTakeFirstOrThrow();
    const chosen = await staff.agent.get(`/admin/requests/${a.requestId}?rejectTpl=${second.id}`);
    expect(chosen.text).toMatch(/name="reject_message"[^>]*>Haus zu<\/textarea>/);
    expect(chosen.text).toMatch(/name="approve_message"[^>]*>Zusagetext<\/textarea>/);
    // A rejection template never lands in the approval box, whatever the link asks for.
    const crossed = await staff.agent.get(`/admin/requests/${a.requestId}?approveTpl=${rejectTpl.id}`);
    expect(crossed.text).toMatch(/name="approve_message"[^>]*>Zusagetext<\/textarea>/);
  });
});
