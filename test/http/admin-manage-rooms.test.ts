import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/login.js';
import { aBlockedTime, aBooking, aRoom, aWholeRoom } from '../helpers/factories.js';

const form = (o: Record<string, string | string[]> = {}) => ({
  name: 'Saal C',
  slug: 'saal-c',
  description: 'Hell, mit Blick auf den Hof',
  capacity: '40',
  size_m2: '55,5',
  floor: '1. OG',
  accessible: '1',
  accessibility_notes: 'Aufzug am Eingang',
  buffer_before_min: '15',
  buffer_after_min: '30',
  public_bookable: '1',
  sort_order: '3',
  equipment: ['projector', 'chairs_tables'],
  ...o,
});

describe('managing rooms', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp()));
  afterEach(() => t.close());

  it('sends an anonymous visitor to the login and refuses an anonymous POST', async () => {
    expect((await t.request.get('/admin/rooms')).status).toBe(303);
    expect((await t.request.get('/admin/rooms/new')).status).toBe(303);
    const res = await t.request.post('/admin/rooms').type('form').send(form());
    expect(res.status).toBe(403);
    expect(await t.ctx.db.selectFrom('rooms').selectAll().execute()).toHaveLength(0);
  });

  it('answers a bad form with 400, each message next to its field and the values kept', async () => {
    const { agent, csrf } = await loginAs(t, 'caretaker');
    const res = await agent
      .post('/admin/rooms')
      .type('form')
      .send({
        ...form({ slug: 'Saal C!', capacity: '0', buffer_after_min: '-5', equipment: ['projector', 'jacuzzi'] }),
        _csrf: await csrf('/admin/rooms/new'),
      });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="slug-error"');
    expect(res.text).toContain('id="capacity-error"');
    expect(res.text).toContain('id="buffer_after_min-error"');
    expect(res.text).toContain('id="equipment-error"');
    expect(res.text).toContain('value="Saal C!"');
    expect(res.text).toContain('Hell, mit Blick auf den Hof');
    expect(await t.ctx.db.selectFrom('rooms').selectAll().execute()).toHaveLength(0);
  });

  it('refuses a short name another room already has (409)', async () => {
    await aRoom(t.ctx.db, { slug: 'saal-c' });
    const { agent, csrf } = await loginAs(t, 'caretaker');
    const res = await agent
      .post('/admin/rooms')
      .type('form')
      .send({ ...form(), _csrf: await csrf('/admin/rooms/new') });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Diesen Kurznamen hat schon ein anderer Raum.');
  });

  it('lets a caretaker create a room with all its fields and parts', async () => {
    const a = await aRoom(t.ctx.db, { name: 'Saal A' });
    const b = await aRoom(t.ctx.db, { name: 'Saal B' });
    const { agent, csrf, user } = await loginAs(t, 'caretaker');
    const res = await agent
      .post('/admin/rooms')
      .type('form')
      .send({ ...form({ parts: [String(a.id), String(b.id)] }), _csrf: await csrf('/admin/rooms/new') });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/rooms');
    const room = await t.ctx.db.selectFrom('rooms').selectAll().where('slug', '=', 'saal-c').executeTakeFirstOrThrow();
    expect(room).toMatchObject({
      name: 'Saal C',
      description: 'Hell, mit Blick auf den Hof',
      capacity: 40,
      size_m2: 55.5,
      floor: '1. OG',
      accessible: 1,
      accessibility_notes: 'Aufzug am Eingang',
      buffer_before_min: 15,
      buffer_after_min: 30,
      public_bookable: 1,
      sort_order: 3,
      active: 1,
    });
    expect(JSON.parse(room.equipment)).toEqual(['projector', 'chairs_tables']);
    const parts = await t.ctx.db.selectFrom('room_parts').selectAll().where('whole_id', '=', room.id).orderBy('part_id').execute();
    expect(parts.map((p) => p.part_id)).toEqual([a.id, b.id]);
    const log = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'room.created').executeTakeFirstOrThrow();
    expect(log).toMatchObject({ user_id: user.id, entity: 'room', entity_id: room.id });
    const list = await agent.get('/admin/rooms');
    expect(list.text).toContain('Der Raum wurde angelegt.');
    expect(list.text).toContain('Saal A, Saal B');
  });

  it('refuses a room as part of itself and any cycle of parts, at any depth', async () => {
    const a = await aRoom(t.ctx.db, { name: 'Saal A' });
    const b = await aRoom(t.ctx.db, { name: 'Saal B' });
    const whole = await aWholeRoom(t.ctx.db, [a.id, b.id], { name: 'Großer Saal' });
    const house = await aWholeRoom(t.ctx.db, [whole.id], { name: 'Ganzes Haus', slug: 'ganzes-haus' });
    const other = await aRoom(t.ctx.db, { name: 'Foyer', slug: 'foyer' });
    const { agent, csrf } = await loginAs(t, 'admin');
    const token = await csrf('/admin/rooms/new');

    const self = await agent
      .post(`/admin/rooms/${other.id}`)
      .type('form')
      .send({ ...form({ slug: 'foyer', parts: [String(other.id)] }), _csrf: token });
    expect(self.status).toBe(400);
    expect(self.text).toContain('Ein Raum kann nicht Teil von sich selbst sein.');

    // Saal A made of the whole it is part of: a cycle one step away, and two steps away through Ganzes Haus.
    for (const outer of [whole, house]) {
      const cycle = await agent
        .post(`/admin/rooms/${a.id}`)
        .type('form')
        .send({ ...form({ slug: a.slug, parts: [String(outer.id)] }), _csrf: token });
      expect(cycle.status).toBe(400);
      expect(cycle.text).toContain(`„${outer.name}“ enthält diesen Raum schon als Teil`);
    }
    expect(await t.ctx.db.selectFrom('room_parts').selectAll().where('whole_id', '=', a.id).execute()).toHaveLength(0);
  });

  it('edits a room and its parts, and records what changed', async () => {
    const a = await aRoom(t.ctx.db, { name: 'Saal A' });
    const b = await aRoom(t.ctx.db, { name: 'Saal B' });
    const whole = await aWholeRoom(t.ctx.db, [a.id, b.id], { name: 'Großer Saal', slug: 'grosser-saal' });
    const { agent, csrf } = await loginAs(t, 'caretaker');
    const page = await agent.get(`/admin/rooms/${whole.id}/edit`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="grosser-saal"');
    const res = await agent
      .post(`/admin/rooms/${whole.id}`)
      .type('form')
      .send({
        ...form({ name: 'Großer Saal', slug: 'grosser-saal', capacity: '120', parts: [String(a.id)], equipment: [] }),
        accessible: '',
        _csrf: await csrf('/admin/rooms'),
      });
    expect(res.status).toBe(303);
    const room = await t.ctx.db.selectFrom('rooms').selectAll().where('id', '=', whole.id).executeTakeFirstOrThrow();
    expect(room.capacity).toBe(120);
    expect(room.accessible).toBe(0);
    expect(JSON.parse(room.equipment)).toEqual([]);
    const parts = await t.ctx.db.selectFrom('room_parts').select('part_id').where('whole_id', '=', whole.id).execute();
    expect(parts.map((p) => p.part_id)).toEqual([a.id]);
    const log = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'room.updated').executeTakeFirstOrThrow();
    const details = JSON.parse(log.details);
    expect(details.capacity).toEqual({ from: 20, to: 120 });
    expect(details.parts).toEqual({ from: [a.id, b.id], to: [a.id] });
  });

  it('refuses new buffers that would make approved bookings overlap, and changes nothing', async () => {
    const room = await aRoom(t.ctx.db, { name: 'Saal A', slug: 'saal-a' });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-01', start: '10:00', end: '12:00', status: 'approved' });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-01', start: '12:00', end: '14:00', status: 'approved' });
    const { agent, csrf } = await loginAs(t, 'caretaker');
    const res = await agent
      .post(`/admin/rooms/${room.id}`)
      .type('form')
      .send({ ...form({ name: 'Saal A neu', slug: 'saal-a', buffer_before_min: '0', buffer_after_min: '30' }), _csrf: await csrf('/admin/rooms') });
    expect(res.status).toBe(409);
    expect(res.text).toContain('würden sich bestätigte Buchungen oder Sperrzeiten überschneiden');
    expect(res.text).toContain('value="Saal A neu"');
    const row = await t.ctx.db.selectFrom('rooms').selectAll().where('id', '=', room.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'Saal A', buffer_after_min: 0 });
    expect(await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'room.updated').execute()).toHaveLength(0);
  });

  it('refuses new parts when the whole and the part are both booked at the same time', async () => {
    const a = await aRoom(t.ctx.db, { name: 'Saal A' });
    const whole = await aRoom(t.ctx.db, { name: 'Großer Saal', slug: 'grosser-saal' });
    const inPart = await aBooking(t.ctx.db, { roomId: a.id, date: '2026-12-01', start: '10:00', end: '12:00', status: 'approved', title: 'Yoga' });
    const inWhole = await aBooking(t.ctx.db, { roomId: whole.id, date: '2026-12-01', start: '11:00', end: '13:00', status: 'approved', title: 'Chor' });
    await aBooking(t.ctx.db, { roomId: whole.id, date: '2026-12-02', start: '11:00', end: '13:00', status: 'approved', title: 'Kein Konflikt' });
    const { agent, csrf } = await loginAs(t, 'admin');
    const res = await agent
      .post(`/admin/rooms/${whole.id}`)
      .type('form')
      .send({
        ...form({ name: 'Großer Saal', slug: 'grosser-saal', buffer_before_min: '0', buffer_after_min: '0', parts: [String(a.id)] }),
        _csrf: await csrf('/admin/rooms'),
      });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Diese Termine würden sich überschneiden:');
    expect(res.text).toContain(`href="/admin/requests/${inPart.requestId}"`);
    expect(res.text).toContain(`${inPart.reference} „Yoga“, Dienstag, 1. Dezember 2026, 10:00–12:00`);
    expect(res.text).toContain(`${inWhole.reference} „Chor“, Dienstag, 1. Dezember 2026, 11:00–13:00`);
    expect(res.text).not.toContain('Kein Konflikt');
    expect(res.text).toContain('Es wurde nichts geändert.');
    expect(await t.ctx.db.selectFrom('room_parts').selectAll().execute()).toHaveLength(0);
    const row = await t.ctx.db.selectFrom('rooms').selectAll().where('id', '=', whole.id).executeTakeFirstOrThrow();
    expect(row.capacity).toBe(20);

    // A longer buffer running into a whole-house closure names that closure.
    const late = await aBooking(t.ctx.db, { roomId: a.id, date: '2026-12-23', start: '20:00', end: '23:30', status: 'approved', title: 'Adventsfeier' });
    await aBlockedTime(t.ctx.db, { label: 'Weihnachtsschließung' });
    const buffer = await agent
      .post(`/admin/rooms/${a.id}`)
      .type('form')
      .send({ ...form({ name: 'Saal A', slug: a.slug, buffer_before_min: '0', buffer_after_min: '60' }), _csrf: await csrf('/admin/rooms') });
    expect(buffer.status).toBe(409);
    expect(buffer.text).toContain('Diese Termine würden sich überschneiden:');
    expect(buffer.text).toContain(`${late.reference} „Adventsfeier“`);
    expect(buffer.text).toContain('Weihnachtsschließung');
    expect((await t.ctx.db.selectFrom('rooms').select('buffer_after_min').where('id', '=', a.id).executeTakeFirstOrThrow()).buffer_after_min).not.toBe(60);
  });

  it('deactivates and reactivates a room with past bookings; it is never deleted', async () => {
    const room = await aRoom(t.ctx.db, { name: 'Saal A' });
    await aBooking(t.ctx.db, { roomId: room.id, status: 'approved', date: '2026-11-02' });
    const { agent, csrf } = await loginAs(t, 'caretaker');
    const token = await csrf('/admin/rooms');
    expect((await agent.post(`/admin/rooms/${room.id}/deactivate`).type('form').send({ _csrf: token })).status).toBe(303);
    expect((await t.ctx.db.selectFrom('rooms').select('active').where('id', '=', room.id).executeTakeFirstOrThrow()).active).toBe(0);
    expect((await agent.post(`/admin/rooms/${room.id}/reactivate`).type('form').send({ _csrf: token })).status).toBe(303);
    expect((await t.ctx.db.selectFrom('rooms').select('active').where('id', '=', room.id).executeTakeFirstOrThrow()).active).toBe(1);
    const actions = (await t.ctx.db.selectFrom('audit_log').select('action').where('entity', '=', 'room').orderBy('id').execute()).map((r) => r.action);
    expect(actions).toEqual(['room.deactivated', 'room.reactivated']);
    expect((await agent.post('/admin/rooms/9999/deactivate').type('form').send({ _csrf: token })).status).toBe(404);
    expect((await agent.get('/admin/rooms/abc/edit')).status).toBe(404);
  });

  it('fills the cancel message from the template only on first display, not when the caretaker emptied it', async () => {
    const room = await aRoom(t.ctx.db, { name: 'Saal A' });
    await aBooking(t.ctx.db, { roomId: room.id, status: 'approved', date: '2026-12-01', title: 'Chorprobe' });
    await t.ctx.db.insertInto('message_templates').values({ kind: 'cancel', label: 'Standard', body: 'Leider müssen wir absagen.', sort_order: 0 }).execute();
    const { agent, csrf } = await loginAs(t, 'caretaker');
    const first = await agent
      .post(`/admin/rooms/${room.id}/deactivate`)
      .type('form')
      .send({ _csrf: await csrf('/admin/rooms') });
    expect(first.status).toBe(409);
    expect(first.text).toMatch(/<textarea id="message"[^>]*>Leider müssen wir absagen\.<\/textarea>/);
    expect(first.text).toContain('In diesem Raum steht noch 1 Termin an');
    expect(first.text).toContain('Diesen Termin absagen und die Gruppe mit der Nachricht unten benachrichtigen');
    const emptied = await agent
      .post(`/admin/rooms/${room.id}/deactivate`)
      .type('form')
      .send({ _csrf: await csrf('/admin/rooms'), step: 'confirm', message: '' });
    expect(emptied.status).toBe(409);
    expect(emptied.text).toMatch(/<textarea id="message"[^>]*><\/textarea>/);
    expect(emptied.text).toContain('Bitte bestätigen Sie, dass dieser Termin abgesagt wird.');
  });

  it('deactivates a room with upcoming dates only when they are cancelled, with a message to each group', async () => {
    const room = await aRoom(t.ctx.db, { name: 'Saal A' });
    const firm = await aBooking(t.ctx.db, { roomId: room.id, status: 'approved', date: '2026-12-01', title: 'Chorprobe', email: 'chor@example.org' });
    const asked = await aBooking(t.ctx.db, { roomId: room.id, status: 'pending', date: '2026-12-03', title: 'Elterncafé', email: 'eltern@example.org' });
    const past = await aBooking(t.ctx.db, { roomId: room.id, status: 'approved', date: '2026-11-02', title: 'Vorbei' });
    const { agent, csrf } = await loginAs(t, 'caretaker');
    const active = async () => (await t.ctx.db.selectFrom('rooms').select('active').where('id', '=', room.id).executeTakeFirstOrThrow()).active;
    const status = async (id: number) => (await t.ctx.db.selectFrom('bookings').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

    const first = await agent
      .post(`/admin/rooms/${room.id}/deactivate`)
      .type('form')
      .send({ _csrf: await csrf('/admin/rooms') });
    expect(first.status).toBe(409);
    expect(first.text).toContain(firm.reference);
    expect(first.text).toContain('Chorprobe');
    expect(first.text).toContain(asked.reference);
    expect(first.text).not.toContain(past.reference);
    expect(first.text).toContain('In diesem Raum stehen noch 2 Termine an');
    expect(first.text).toContain('Diese 2 Termine absagen und jede Gruppe');
    expect(await active()).toBe(1);

    const unticked = await agent
      .post(`/admin/rooms/${room.id}/deactivate`)
      .type('form')
      .send({
        _csrf: await csrf('/admin/rooms'),
        step: 'confirm',
        cancel: [String(firm.bookingId), String(asked.bookingId)],
        message: 'Wasserschaden, tut uns leid.',
      });
    expect(unticked.status).toBe(409);
    expect(unticked.text).toContain('id="confirm_cancel-error"');
    expect(unticked.text).toContain('Bitte bestätigen Sie, dass diese 2 Termine abgesagt werden.');
    expect(unticked.text).toContain('Wasserschaden, tut uns leid.');
    expect(await active()).toBe(1);
    expect(await status(firm.bookingId)).toBe('approved');

    const ok = await agent
      .post(`/admin/rooms/${room.id}/deactivate`)
      .type('form')
      .send({
        _csrf: await csrf('/admin/rooms'),
        step: 'confirm',
        cancel: [String(firm.bookingId), String(asked.bookingId)],
        confirm_cancel: '1',
        message: 'Wasserschaden, tut uns leid.',
      });
    expect(ok.status).toBe(303);
    expect(await active()).toBe(0);
    expect(await status(firm.bookingId)).toBe('cancelled');
    expect(await status(asked.bookingId)).toBe('cancelled');
    expect(await status(past.bookingId)).toBe('approved');
    const mails = await t.ctx.db.selectFrom('outbox').selectAll().orderBy('id').execute();
    expect(mails.map((m) => m.to_address).sort()).toEqual(['chor@example.org', 'eltern@example.org']);
    for (const m of mails) expect(m.text_body).toContain('Wasserschaden, tut uns leid.');
    expect(mails.find((m) => m.to_address === 'chor@example.org')!.subject).toContain('Ihre Buchung wurde abgesagt');
    expect(mails.find((m) => m.to_address === 'eltern@example.org')!.subject).toContain('Das Haus hat Ihre Anfrage abgesagt');
  });

  it('does not cancel dates booked after the confirmation page was shown', async () => {
    const room = await aRoom(t.ctx.db, { name: 'Saal A' });
    const firm = await aBooking(t.ctx.db, { roomId: room.id, status: 'approved', date: '2026-12-01' });
    const { agent, csrf } = await loginAs(t, 'caretaker');
    const later = await aBooking(t.ctx.db, { roomId: room.id, status: 'approved', date: '2026-12-08' });
    const res = await agent
      .post(`/admin/rooms/${room.id}/deactivate`)
      .type('form')
      .send({ _csrf: await csrf('/admin/rooms'), step: 'confirm', cancel: String(firm.bookingId), confirm_cancel: '1', message: '' });
    expect(res.status).toBe(409);
    expect(res.text).toContain(later.reference);
    expect((await t.ctx.db.selectFrom('bookings').select('status').where('id', '=', firm.bookingId).executeTakeFirstOrThrow()).status).toBe('approved');
    expect((await t.ctx.db.selectFrom('rooms').select('active').where('id', '=', room.id).executeTakeFirstOrThrow()).active).toBe(1);
  });
});
