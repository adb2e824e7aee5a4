// Data subject requests under /admin/data: admins only; look up, export (JSON) and erase one address.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { loginAs } from '../helpers/login.js';
import { audit } from '../../src/audit/log.js';
import { addressHash } from '../../src/privacy/anonymize.js';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp({ now: '2026-11-23T10:00:00+01:00' });
});
afterEach(() => t.close());

async function someData() {
  const room = await aRoom(t.ctx.db, { name: 'Saal A' });
  const past = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-10-01', email: 'erika@example.org', title: 'Chorprobe Erika' });
  const future = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-10', email: 'Erika@Example.org', status: 'approved' });
  const pending = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-17', email: 'erika@example.org', status: 'pending' });
  const other = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-11', email: 'max@example.org', contactName: 'Max Muster' });
  await t.ctx.db
    .insertInto('outbox')
    .values({
      created_at: 0,
      to_address: 'erika@example.org',
      language: 'de',
      kind: 'request.received',
      subject: 'Ihre Anfrage HdB',
      text_body: `Link: http://localhost:3000/requests/${past.token}`,
      html_body: '<p>x</p>',
      attachments: '[]',
      status: 'sent',
      attempts: 1,
      next_attempt_at: 0,
      last_error: null,
      sent_at: 1,
      request_id: past.requestId,
    })
    .execute();
  await audit(t.ctx.db, {
    at: 1,
    userId: 1,
    actor: 'user',
    action: 'request.approved',
    entity: 'request',
    entityId: future.requestId,
    details: { bookingIds: [future.bookingId], message: 'Liebe Erika, gern.' },
  });
  return { room, past, future, pending, other };
}

/** A staff notice about a request: sent to the office, with the group's address as Reply-To. */
async function staffMail(replyTo: string, requestId: number | null) {
  await t.ctx.db
    .insertInto('outbox')
    .values({
      created_at: 0,
      to_address: 'buero@haus.example',
      reply_to: replyTo,
      language: 'de',
      kind: 'staff.new_request',
      subject: 'Neue Anfrage Staff',
      text_body: 'Neue Anfrage',
      html_body: '<p>x</p>',
      attachments: '[]',
      status: 'sent',
      attempts: 1,
      next_attempt_at: 0,
      last_error: null,
      sent_at: 1,
      request_id: requestId,
    })
    .execute();
}

describe('/admin/data', () => {
  it('sends anonymous visitors to the login and refuses caretakers', async () => {
    const anon = await t.request.get('/admin/data');
    expect(anon.status).toBe(303);
    expect(anon.headers.location).toMatch(/^\/login/);
    const caretaker = await loginAs(t, 'caretaker');
    expect((await caretaker.agent.get('/admin/data')).status).toBe(403);
    expect((await caretaker.agent.get('/admin/data/export?email=erika@example.org')).status).toBe(403);
    const csrf = await caretaker.csrf();
    const erase = await caretaker.agent.post('/admin/data/erase').type('form').send({ _csrf: csrf, email: 'erika@example.org', confirm: '1' });
    expect(erase.status).toBe(403);
  });

  it('refuses an invalid address with the message next to the field', async () => {
    const admin = await loginAs(t, 'admin');
    const res = await admin.agent.get('/admin/data?email=not-an-address');
    expect(res.status).toBe(400);
    expect(res.text).toContain('aria-invalid="true"');
    expect(res.text).toContain('id="email-error"');
  });

  it('shows what is stored about an address, whatever its case', async () => {
    const d = await someData();
    const admin = await loginAs(t, 'admin');
    const res = await admin.agent.get('/admin/data?email=ERIKA@example.org');
    expect(res.status).toBe(200);
    expect(res.text).toContain(d.past.reference);
    expect(res.text).toContain(d.future.reference);
    expect(res.text).not.toContain(d.other.reference);
    expect(res.text).toContain('Ihre Anfrage HdB');
    expect(res.text).toContain('Zugesagt <code>request.approved</code>');
    expect(res.text).toContain('2 künftige Termine');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('exports every stored datum about the address as JSON, without the manage-link secret', async () => {
    const d = await someData();
    const admin = await loginAs(t, 'admin');
    const res = await admin.agent.get('/admin/data/export?email=erika@example.org');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="?raumbuch-daten-2026-11-23\.json"?/);
    const doc = JSON.parse(res.text);
    expect(doc.requests.map((r: { reference: string }) => r.reference).sort()).toEqual([d.past.reference, d.future.reference, d.pending.reference].sort());
    expect(doc.requests[0].bookings.length).toBe(1);
    expect(doc.requests[0]).not.toHaveProperty('token_hash');
    expect(doc.mails).toHaveLength(1);
    expect(res.text).not.toContain(d.past.token);
    expect(doc.auditLog.map((e: { action: string }) => e.action)).toContain('request.approved');
    expect(res.text).not.toContain('Max Muster');
    const logged = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'privacy.exported').executeTakeFirstOrThrow();
    expect(logged.details).not.toContain('erika');
    expect(JSON.parse(logged.details)).toEqual({ addressHash: addressHash('erika@example.org'), requests: 3 });
  });

  it('writes the export so the person can read it: local times with offset, room names, statuses in words', async () => {
    const d = await someData();
    const admin = await loginAs(t, 'admin');
    const doc = JSON.parse((await admin.agent.get('/admin/data/export?email=erika@example.org')).text);
    expect(doc).toMatchObject({ exportedAt: '2026-11-23T10:00:00+01:00', timezone: 'Europe/Berlin', language: 'de' });
    expect(doc.note).toContain('Ortszeit (Europe/Berlin)');
    const future = doc.requests.find((r: { reference: string }) => r.reference === d.future.reference);
    expect(future.room).toBe('Saal A');
    expect(future.bookings[0]).toMatchObject({
      room: 'Saal A',
      start_at: '2026-12-10T10:00:00+01:00',
      end_at: '2026-12-10T12:00:00+01:00',
      when: 'Donnerstag, 10. Dezember 2026, 10:00–12:00 Uhr',
      status_label: 'bestätigt',
    });
    // Summer time has its own offset.
    const past = doc.requests.find((r: { reference: string }) => r.reference === d.past.reference);
    expect(past.bookings[0].start_at).toBe('2026-10-01T10:00:00+02:00');
    expect(doc.mails[0]).toMatchObject({ created_at: '1970-01-01T01:00:00+01:00', status_label: 'gesendet' });
    expect(doc.auditLog.find((e: { action: string }) => e.action === 'request.approved').action_label).toBe('Zugesagt');
    // No instant is left as epoch milliseconds.
    const instants: unknown[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === 'at' || k.endsWith('_at')) instants.push(x);
          walk(x);
        }
      }
    };
    walk(doc);
    expect(instants.length).toBeGreaterThan(10);
    for (const x of instants)
      expect(x === null || (typeof x === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?[+-]\d{2}:\d{2}$/.test(x)), String(x)).toBe(true);
  });

  it('writes the words of the export in the language the person used for their request', async () => {
    const d = await someData();
    await t.ctx.db.updateTable('requests').set({ language: 'en' }).where('email', 'like', '%xample.org').execute();
    const admin = await loginAs(t, 'admin');
    const doc = JSON.parse((await admin.agent.get('/admin/data/export?email=erika@example.org')).text);
    expect(doc.language).toBe('en');
    const future = doc.requests.find((r: { reference: string }) => r.reference === d.future.reference);
    expect(future.bookings[0].when).toMatch(/^Thursday,? 10 December 2026, 10:00–12:00$/);
    expect(future.bookings[0].status_label).toBe('confirmed');
    expect(doc.note).toContain('local time (Europe/Berlin)');
  });

  it('exports the staff mails that name the address as Reply-To, with that Reply-To', async () => {
    const d = await someData();
    // The group changed its address since: the staff mail still names the old one, which the request no longer holds.
    await staffMail(' Erika@Example.org ', d.other.requestId);
    await staffMail('max@example.org', d.other.requestId);
    const admin = await loginAs(t, 'admin');
    const doc = JSON.parse((await admin.agent.get('/admin/data/export?email=erika@example.org')).text);
    expect(doc.mails).toHaveLength(2);
    const staff = doc.mails.find((m: { to_address: string }) => m.to_address === 'buero@haus.example');
    expect(staff).toMatchObject({ reply_to: ' Erika@Example.org ', subject: 'Neue Anfrage Staff' });
    expect(doc.mails.find((m: { to_address: string }) => m.to_address === 'erika@example.org')).toHaveProperty('reply_to', null);
  });

  it('erases the staff mails that name the address as Reply-To, also when no request holds the address any more', async () => {
    const d = await someData();
    await staffMail('Erika@Example.org', d.other.requestId);
    await staffMail('erika@example.org', null);
    await staffMail('max@example.org', d.other.requestId);
    const admin = await loginAs(t, 'admin');
    const csrf = await admin.csrf('/admin/data');
    const res = await admin.agent.post('/admin/data/erase').type('form').send({ _csrf: csrf, email: 'erika@example.org', confirm: '1' });
    expect(res.status).toBe(200);
    const left = await t.ctx.db.selectFrom('outbox').select(['to_address', 'reply_to']).execute();
    expect(left).toEqual([{ to_address: 'buero@haus.example', reply_to: 'max@example.org' }]);
  });

  it('exports a group’s public programme text, and erasing the address takes the event off the programme and its feeds', async () => {
    const room = await aRoom(t.ctx.db, { name: 'Saal A' });
    const b = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-10', email: 'erika@example.org', publicTitle: 'Offenes Nähcafé' });
    await t.ctx.db
      .updateTable('requests')
      .set({ public_event: 1, public_description: 'Wir nähen Säume.', public_language: 'de' })
      .where('id', '=', b.requestId)
      .execute();
    const shown = async () => [
      (await t.request.get('/programme?week=2026-W50')).text,
      (await t.request.get('/programme.ics')).text,
      (await t.request.get('/programme.rss')).text,
      (await t.request.get('/programme.atom')).text,
      (await t.request.get('/api/v1/programme')).text,
    ];
    for (const text of await shown()) expect(text).toContain('Wir nähen Säume.');
    expect((await t.request.get(`/programme/${b.bookingId}`)).status).toBe(200);

    const admin = await loginAs(t, 'admin');
    const doc = JSON.parse((await admin.agent.get('/admin/data/export?email=erika@example.org')).text);
    expect(doc.requests[0].public_programme).toEqual({
      listed: true,
      title: 'Offenes Nähcafé',
      description: 'Wir nähen Säume.',
      language: 'de',
    });

    const csrf = await admin.csrf('/admin/data');
    const res = await admin.agent.post('/admin/data/erase').type('form').send({ _csrf: csrf, email: 'erika@example.org', confirm: '1' });
    expect(res.status).toBe(200);
    for (const text of await shown()) {
      expect(text).not.toContain('Säume');
      expect(text).not.toContain('Nähcafé');
    }
    expect((await t.request.get(`/programme/${b.bookingId}`)).status).toBe(404);
    const row = await t.ctx.db
      .selectFrom('requests')
      .select(['public_event', 'public_title', 'public_description'])
      .where('id', '=', b.requestId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ public_event: 0, public_title: null, public_description: null });
  });

  it('refuses to erase without the confirmation and changes nothing', async () => {
    const d = await someData();
    const admin = await loginAs(t, 'admin');
    const csrf = await admin.csrf('/admin/data');
    const res = await admin.agent.post('/admin/data/erase').type('form').send({ _csrf: csrf, email: 'erika@example.org' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="confirm-error"');
    const row = await t.ctx.db.selectFrom('requests').select(['email', 'anonymized_at']).where('id', '=', d.past.requestId).executeTakeFirstOrThrow();
    expect(row).toEqual({ email: 'erika@example.org', anonymized_at: null });
  });

  it('erases an address: future dates cancelled first, personal data gone, facts and other groups kept', async () => {
    const d = await someData();
    const admin = await loginAs(t, 'admin');
    const csrf = await admin.csrf('/admin/data');
    const res = await admin.agent.post('/admin/data/erase').type('form').send({ _csrf: csrf, email: 'Erika@example.org', confirm: '1' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('2 künftige Termine wurden abgesagt, davon 1 bereits zugesagte');

    const rows = await t.ctx.db.selectFrom('requests').selectAll().orderBy('id').execute();
    for (const id of [d.past.requestId, d.future.requestId, d.pending.requestId]) {
      const r = rows.find((x) => x.id === id)!;
      expect(r).toMatchObject({ email: '', contact_name: '', organisation: null, phone: null, title: '', anonymized_at: t.clock().getTime() });
    }
    expect(rows.find((x) => x.id === d.other.requestId)).toMatchObject({ email: 'max@example.org', contact_name: 'Max Muster', anonymized_at: null });

    const bookings = await t.ctx.db.selectFrom('bookings').select(['id', 'status', 'cancelled_by']).execute();
    const status = (id: number) => bookings.find((b) => b.id === id)!;
    expect(status(d.past.bookingId).status).toBe('approved'); // in the past: a fact, not cancelled
    expect(status(d.future.bookingId)).toEqual({ id: d.future.bookingId, status: 'cancelled', cancelled_by: 'house' });
    expect(status(d.pending.bookingId).status).toBe('cancelled');
    // The freed slot no longer occupies the room.
    const occ = await t.ctx.db.selectFrom('occupancy').select('booking_id').where('booking_id', '=', d.future.bookingId).execute();
    expect(occ).toEqual([]);

    expect(await t.ctx.db.selectFrom('outbox').selectAll().where('to_address', 'like', '%erika%').execute()).toEqual([]);
    const log = await t.ctx.db.selectFrom('audit_log').selectAll().execute();
    expect(JSON.stringify(log).toLowerCase()).not.toContain('erika');
    const erased = log.find((e) => e.action === 'privacy.erased')!;
    expect(erased.user_id).toBe(admin.user.id);
    expect(JSON.parse(erased.details)).toEqual({ addressHash: addressHash('erika@example.org'), requests: 3, cancelled: 2 });

    // Looking the address up again finds nothing but the anonymised facts.
    const again = await admin.agent.get('/admin/data?email=erika@example.org');
    expect(again.text).toContain('Zu dieser Adresse ist nichts gespeichert.');
    // The manage link is dead.
    expect((await t.request.get(`/requests/${d.future.token}`)).status).toBe(404);
  });
});
