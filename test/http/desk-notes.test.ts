// Internal notes on a request: staff only, shown on the detail page only (never in mails, on the group's manage
// page or its calendar file), deleted by their author or an admin, audited without their text, given to the
// person in the privacy access export (docs/privacy.md) and erased with the request.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, csrfFrom, type TestApp } from '../helpers/app.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { aBooking, aRoom } from '../helpers/factories.js';

const NOTE = 'Hat letztes Mal den Schlüssel zu spät zurückgebracht';

describe('internal notes on a request', () => {
  let t: TestApp;
  let staff: LoggedIn;
  beforeEach(async () => {
    t = await makeTestApp();
    staff = await loginAs(t, 'caretaker', { name: 'Frau Lindner' });
  });
  afterEach(() => t.close());

  const addNote = (who: LoggedIn, requestId: number, body: string) => who.post(`/admin/requests/${requestId}/notes`, `/admin/requests/${requestId}`, { body });
  const notesOf = (requestId: number) => t.ctx.db.selectFrom('request_notes').selectAll().where('request_id', '=', requestId).execute();

  it('refuses visitors without a login', async () => {
    const { requestId } = await aBooking(t.ctx.db, { status: 'pending' });
    const page = await t.request.get('/login');
    const res = await t.request
      .post(`/admin/requests/${requestId}/notes`)
      .set('Cookie', page.headers['set-cookie']!)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), body: NOTE });
    expect(res.status).toBe(403);
    expect(await notesOf(requestId)).toEqual([]);
  });

  it('refuses an empty or too long note next to its field and keeps what was typed', async () => {
    const { requestId } = await aBooking(t.ctx.db, { status: 'pending' });
    const empty = await addNote(staff, requestId, '   ');
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('id="note-body-error"');
    expect(empty.text).toContain('Bitte schreiben Sie eine Notiz.');
    const long = 'x'.repeat(2001);
    const tooLong = await addNote(staff, requestId, long);
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain('Eine Notiz hat höchstens 2000 Zeichen.');
    expect(tooLong.text).toContain(`>${long}</textarea>`);
    expect(await notesOf(requestId)).toEqual([]);
  });

  it('adds a note with author and time to the detail page and audits it without the text', async () => {
    const { requestId } = await aBooking(t.ctx.db, { status: 'pending' });
    const res = await addNote(staff, requestId, `  ${NOTE}  `);
    expect(res.status).toBe(303);
    const page = await staff.agent.get(`/admin/requests/${requestId}`);
    expect(page.text).toContain(NOTE);
    expect(page.text).toContain('Frau Lindner · 23. Nov. 2026, 10:00');
    const [row] = await notesOf(requestId);
    expect(row).toMatchObject({ body: NOTE, user_id: staff.user.id });
    const entry = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'note.added').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ entity: 'request', entity_id: requestId, user_id: staff.user.id });
    expect(entry.details).not.toContain('Schlüssel');
    expect(page.text).toContain('Interne Notiz hinzugefügt');
  });

  it('lets only the author or an admin delete a note', async () => {
    const { requestId } = await aBooking(t.ctx.db, { status: 'pending' });
    await addNote(staff, requestId, NOTE);
    const [note] = await notesOf(requestId);
    const other = await loginAs(t, 'caretaker');
    const page = await other.agent.get(`/admin/requests/${requestId}`);
    expect(page.text).not.toContain(`/notes/${note!.id}/delete`);
    const refused = await other.post(`/admin/requests/${requestId}/notes/${note!.id}/delete`, `/admin/requests/${requestId}`, {});
    expect(refused.status).toBe(403);
    expect(await notesOf(requestId)).toHaveLength(1);
    const own = await staff.post(`/admin/requests/${requestId}/notes/${note!.id}/delete`, `/admin/requests/${requestId}`, {});
    expect(own.status).toBe(303);
    expect(await notesOf(requestId)).toEqual([]);
    await addNote(other, requestId, 'Zweite Notiz');
    const admin = await loginAs(t, 'admin');
    const [second] = await notesOf(requestId);
    expect((await admin.post(`/admin/requests/${requestId}/notes/${second!.id}/delete`, `/admin/requests/${requestId}`, {})).status).toBe(303);
    expect(await notesOf(requestId)).toEqual([]);
    expect(await t.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'note.deleted').execute()).toHaveLength(2);
  });

  it('never shows a note to the group: not in its mails, on its manage page or in its calendar file', async () => {
    const room = await aRoom(t.ctx.db);
    const { requestId, bookingId, token } = await aBooking(t.ctx.db, { roomId: room.id, status: 'pending' });
    await addNote(staff, requestId, NOTE);
    const approved = await staff.post(`/admin/requests/${requestId}/approve`, `/admin/requests/${requestId}`, {
      booking: String(bookingId),
      approve_message: 'Gern!',
    });
    expect(approved.status).toBe(303);
    const mails = await t.ctx.db.selectFrom('outbox').selectAll().execute();
    expect(mails.length).toBeGreaterThan(0);
    for (const m of mails) expect(`${m.text_body}${m.html_body}${m.attachments}`).not.toContain('Schlüssel');
    const manage = await t.request.get(`/requests/${token}`);
    expect(manage.status).toBe(200);
    expect(manage.text).not.toContain('Schlüssel');
    const ics = await t.request.get(`/requests/${token}/calendar.ics`);
    expect(ics.status).toBe(200);
    expect(ics.text).not.toContain('Schl');
  });

  it('gives the person the notes about their requests in the access export, without who wrote them', async () => {
    const { requestId } = await aBooking(t.ctx.db, { status: 'pending', email: 'erika@example.org' });
    await addNote(staff, requestId, NOTE);
    const other = await aBooking(t.ctx.db, { status: 'pending', email: 'max@example.org' });
    await addNote(staff, other.requestId, 'Notiz über Max');
    const admin = await loginAs(t, 'admin');
    const res = await admin.agent.get('/admin/data/export?email=erika@example.org');
    expect(res.status).toBe(200);
    const doc = JSON.parse(res.text);
    expect(doc.requests[0].internal_notes).toEqual([{ text: NOTE, created_at: '2026-11-23T10:00:00+01:00' }]);
    expect(res.text).not.toContain('Notiz über Max');
    expect(res.text).not.toContain('Frau Lindner');
  });

  it('erases the notes with the request', async () => {
    const { requestId } = await aBooking(t.ctx.db, { status: 'pending', email: 'erika@example.org' });
    await addNote(staff, requestId, NOTE);
    const other = await aBooking(t.ctx.db, { status: 'pending', email: 'max@example.org' });
    await addNote(staff, other.requestId, 'Notiz über Max');
    const admin = await loginAs(t, 'admin');
    const csrf = await admin.csrf('/admin/data');
    const res = await admin.agent.post('/admin/data/erase').type('form').send({ _csrf: csrf, email: 'erika@example.org', confirm: '1' });
    expect(res.status).toBe(200);
    expect(await notesOf(requestId)).toEqual([]);
    expect(await notesOf(other.requestId)).toHaveLength(1);
    const page = await admin.agent.get(`/admin/requests/${requestId}`);
    expect(page.text).not.toContain('Schlüssel');
  });
});
