// The audit log in words: references and room names instead of ids, changes as "old → new", flags as yes/no,
// no raw keys; old entries (without the fields newer versions add) still render; filters by area and search.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { audit } from '../../src/audit/log.js';
import { editDates } from '../../src/bookings/changes.js';

describe('the audit log in words', () => {
  let t: TestApp;
  let admin: LoggedIn;
  beforeEach(async () => {
    t = await makeTestApp();
    admin = await loginAs(t, 'admin');
  });
  afterEach(() => t.close());
  const later = (s: number) => t.clock().getTime() + s * 1000;

  it('tells a change of a date by the house with reference, time and room in words', async () => {
    const small = await aRoom(t.ctx.db, { name: 'Kleiner Saal', capacity: 40 });
    const big = await aRoom(t.ctx.db, { name: 'Großer Saal', capacity: 80 });
    const b = await aBooking(t.ctx.db, { roomId: small.id, date: '2026-12-10', start: '14:00', end: '16:00', status: 'approved' });
    const res = await editDates(
      t.ctx.db,
      { clock: t.ctx.clock, notify: t.ctx.notify },
      {
        requestId: b.requestId,
        bookingId: b.bookingId,
        scope: 'one',
        start: '15:00',
        end: '17:00',
        roomId: big.id,
        title: 'Gruppentreffen',
        message: '',
        userId: admin.user.id,
        zone: 'Europe/Berlin',
      },
    );
    expect(res.ok).toBe(true);
    const page = await admin.agent.get('/admin/audit?area=requests');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Anfrage ${b.reference}`);
    expect(page.text).not.toContain(`Anfrage #${b.requestId}`);
    expect(page.text).toContain('Zeit: 14:00–16:00 Uhr → 15:00–17:00 Uhr');
    expect(page.text).toContain('Raum: Kleiner Saal → Großer Saal');
    expect(page.text).not.toContain('roomId');
  });

  it('renders an old-style entry (ids, raw flags) in words without failing', async () => {
    const room = await aRoom(t.ctx.db, { name: 'Lehrküche' });
    const b = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-10' });
    // As written before this version: a cancellation by the group, no `was`, flags as booleans.
    await audit(t.ctx.db, {
      at: later(1),
      actor: 'group',
      action: 'booking.cancel',
      entity: 'request',
      entityId: b.requestId,
      details: { bookingIds: [b.bookingId, 999], wasApproved: false, whole: true },
    });
    // A change entry from before 2026-12 (no old values) and one with a field this version does not know.
    await audit(t.ctx.db, {
      at: later(2),
      userId: admin.user.id,
      actor: 'user',
      action: 'request.changed',
      entity: 'request',
      entityId: b.requestId,
      details: { scope: 'one', start: '18:00', end: '20:00', roomId: room.id, dates: ['2026-12-10'], futureField: 'x' },
    });
    const page = await admin.agent.get('/admin/audit');
    expect(page.status).toBe(200);
    expect(page.text).toContain('war bestätigt: nein');
    expect(page.text).toContain('ganze Anfrage: ja');
    expect(page.text).toContain('betrifft: 2 Termine');
    expect(page.text).not.toContain('wasApproved');
    expect(page.text).toContain('Zeit: 18:00–20:00 Uhr');
    expect(page.text).toContain('Raum: Lehrküche');
    expect(page.text).toContain('futureField: x');
    // An entry about a request that no longer exists keeps its number.
    await audit(t.ctx.db, { at: later(3), userId: admin.user.id, actor: 'user', action: 'request.approved', entity: 'request', entityId: 4242 });
    expect((await admin.agent.get('/admin/audit')).text).toContain('Anfrage #4242');
  });

  it('tells blocked times, rooms and settings in words', async () => {
    const room = await aRoom(t.ctx.db, { name: 'Werkraum' });
    const token = await admin.csrf('/admin/blocks');
    const created = await admin.agent
      .post('/admin/blocks')
      .type('form')
      .send({
        _csrf: token,
        room: String(room.id),
        reason: 'renovation',
        label: 'Neuer Boden',
        is_public: '1',
        from_date: '2026-12-14',
        to_date: '2026-12-14',
      });
    expect(created.status).toBe(303);
    await audit(t.ctx.db, {
      at: later(5),
      userId: admin.user.id,
      actor: 'user',
      action: 'room.updated',
      entity: 'room',
      entityId: room.id,
      details: { accessible: { from: 0, to: 1 }, buffer_after_min: { from: 0, to: 15 } },
    });
    await audit(t.ctx.db, {
      at: later(6),
      userId: admin.user.id,
      actor: 'user',
      action: 'settings.updated',
      entity: 'settings',
      entityId: 1,
      details: { changed: ['key_pickup_text', 'reminder_days'], key_pickup_text: { from: '', to: 'Büro' }, reminder_days: { from: 2, to: 3 } },
    });
    const page = await admin.agent.get('/admin/audit');
    // Each entry reads as one sentence: who, what they did, to what (linked where it has a page).
    expect(page.text).toContain(`${admin.user.name} hat die Sperrzeit „Neuer Boden“ eingetragen.`);
    expect(page.text).toContain(`${admin.user.name} hat <a href="/admin/rooms/${room.id}/edit">den Raum Werkraum</a> geändert.`);
    expect(page.text).toContain(`${admin.user.name} hat die Einstellungen des Hauses geändert.`);
    expect(page.text).toContain('Grund: Renovierung');
    expect(page.text).toContain('öffentlich: ja');
    expect(page.text).toContain('Raum: Werkraum');
    expect(page.text).toContain('Montag, 14. Dezember 2026');
    expect(page.text).toContain('Raum Werkraum');
    expect(page.text).toContain('barrierefrei: nein → ja');
    expect(page.text).toContain('Puffer nachher (Min.): 0 → 15');
    expect(page.text).toContain('geändert: Schlüsselübergabe, Erinnerung (Tage vorher)');
    expect(page.text).toContain('Schlüsselübergabe: – → Büro');
    expect(page.text).not.toMatch(/isPublic|key_pickup_text|buffer_after_min/);
  });

  it('filters by area and finds a request by its reference, with the filter kept in the pager', async () => {
    const room = await aRoom(t.ctx.db, { name: 'Saal' });
    const one = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-10' });
    const two = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-11' });
    for (let i = 0; i < 55; i++) {
      await audit(t.ctx.db, {
        at: later(10 + i),
        userId: admin.user.id,
        actor: 'user',
        action: 'request.approved',
        entity: 'request',
        entityId: one.requestId,
      });
    }
    await audit(t.ctx.db, { at: later(100), userId: admin.user.id, actor: 'user', action: 'request.rejected', entity: 'request', entityId: two.requestId });
    await audit(t.ctx.db, { at: later(101), userId: admin.user.id, actor: 'user', action: 'room.created', entity: 'room', entityId: room.id });

    const rooms = await admin.agent.get('/admin/audit?area=rooms');
    expect(rooms.text).toContain('1 Eintrag<');
    expect(rooms.text).toContain('<option value="rooms" selected>');

    const byRef = await admin.agent.get(`/admin/audit?q=${two.reference.toLowerCase()}`);
    expect(byRef.text).toContain('1 Eintrag<');
    expect(byRef.text).toContain(`Anfrage ${two.reference}`);

    const paged = await admin.agent.get(`/admin/audit?q=${one.reference}&area=requests`);
    expect(paged.text).toContain('55 Einträge<');
    const next = /href="([^"]+page=2)"/.exec(paged.text)?.[1]?.replace(/&amp;/g, '&');
    expect(next).toContain('area=requests');
    expect(next).toContain(`q=${one.reference}`);

    const bad = await admin.agent.get('/admin/audit?area=everything');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('id="area-error"');
  });

  it('tells the common request actions as sentences: by staff, by the group through its link and by the system', async () => {
    const b = await aBooking(t.ctx.db, { status: 'pending' });
    const at = t.clock().getTime();
    const entry = (n: number, actor: 'user' | 'group' | 'system', action: Parameters<typeof audit>[1]['action']) =>
      audit(t.ctx.db, { at: at + n * 1000, userId: actor === 'user' ? admin.user.id : null, actor, action, entity: 'request', entityId: b.requestId });
    await entry(1, 'user', 'request.approved');
    await entry(2, 'user', 'request.rejected');
    await entry(3, 'user', 'request.cancelled');
    await entry(4, 'group', 'offer.accepted');
    await entry(5, 'system', 'request.auto_approved');
    await entry(6, 'user', 'note.added');
    const link = `<a href="/admin/requests/${b.requestId}">`;
    const de = (await admin.agent.get('/admin/audit')).text;
    expect(de).toContain(`${admin.user.name} hat ${link}die Anfrage ${b.reference}</a> zugesagt.`);
    expect(de).toContain(`${admin.user.name} hat ${link}die Anfrage ${b.reference}</a> abgelehnt.`);
    expect(de).toContain(`${admin.user.name} hat ${link}die Anfrage ${b.reference}</a> abgesagt.`);
    expect(de).toContain(`Die Gruppe (über ihren Verwaltungslink) hat das Angebot für ${link}die Anfrage ${b.reference}</a> angenommen.`);
    expect(de).toContain(`Raumbuch hat ${link}die Anfrage ${b.reference}</a> automatisch zugesagt (Stammgruppe).`);
    expect(de).toContain(`${admin.user.name} hat für ${link}die Anfrage ${b.reference}</a> eine Notiz geschrieben.`);
    // The action's own label no longer stands beside its code.
    expect(de).not.toContain('Zugesagt<br>');
    const en = (await admin.agent.get('/admin/audit?lang=en')).text;
    expect(en).toContain(`${admin.user.name} rejected ${link}request ${b.reference}</a>.`);
    expect(en).toContain(`The group (through its manage link) accepted the offer for ${link}request ${b.reference}</a>.`);
  });
});
