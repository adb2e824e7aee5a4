// The internal week calendar (full details) and the printable door plan (public information only, QR code).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { aBlockedTime, aBooking, aRoom } from '../helpers/factories.js';

describe('the internal calendar', () => {
  let t: TestApp;
  let staff: LoggedIn;
  beforeEach(async () => {
    t = await makeTestApp();
    staff = await loginAs(t, 'caretaker');
  });
  afterEach(() => t.close());

  it('sends anonymous visitors to the login page and refuses an impossible date', async () => {
    expect((await t.request.get('/admin/calendar')).status).toBe(303);
    const res = await staff.agent.get('/admin/calendar?date=2026-02-30');
    expect(res.status).toBe(400);
  });

  it('refuses a date at the end of the calendar with 400 and says why, on the calendar and the door plan', async () => {
    for (const path of ['/admin/calendar?date=9999-12-27', '/admin/calendar?date=9999-12-31', '/admin/print?date=9999-12-30']) {
      const res = await staff.agent.get(path);
      expect(res.status, path).toBe(400);
      expect(res.text).toContain('liegt außerhalb des Kalenders');
    }
  });

  it('shows the week with every room, full details of approved and pending bookings and blocked times', async () => {
    const room = await aRoom(t.ctx.db, { name: 'Gruppenraum' });
    await aRoom(t.ctx.db, { name: 'Leerer Raum' });
    const firm = await aBooking(t.ctx.db, {
      roomId: room.id,
      date: '2026-12-01',
      title: 'Deutschkurs',
      organisation: 'Sprachbrücke e. V.',
      status: 'approved',
    });
    const asked = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-03', start: '18:00', end: '20:00', title: 'Elternabend', status: 'pending' });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-02', title: 'Abgelehnt', status: 'rejected' });
    await aBlockedTime(t.ctx.db, { from: '2026-12-05', label: 'Putztag', isPublic: false });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-08', title: 'Termin der Folgewoche', status: 'approved' });

    const res = await staff.agent.get('/admin/calendar?date=2026-12-02');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Kalenderwoche 49');
    expect(res.text).toContain('Leerer Raum');
    expect(res.text).toContain('Deutschkurs');
    expect(res.text).toContain('Sprachbrücke e. V.');
    expect(res.text).toContain(firm.reference);
    expect(res.text).toContain(`href="/admin/requests/${asked.requestId}"`);
    expect(res.text).toContain('Elternabend');
    expect(res.text).toContain('angefragt');
    expect(res.text).toContain('Putztag');
    expect(res.text).toContain('nur intern');
    expect(res.text).not.toContain('Abgelehnt');
    expect(res.text).not.toContain('Termin der Folgewoche');
    expect(res.text).toContain('href="/admin/calendar?date=2026-12-07"');
    expect(res.text).toContain('href="/admin/calendar?date=2026-11-23"');
  });
});

describe('the printable door plan', () => {
  let t: TestApp;
  let staff: LoggedIn;
  beforeEach(async () => {
    t = await makeTestApp({ config: { baseUrl: 'https://raum.example.org' } });
    staff = await loginAs(t, 'caretaker');
  });
  afterEach(() => t.close());

  it('refuses an unknown room', async () => {
    expect((await staff.agent.get('/admin/print?room=gibt-es-nicht')).status).toBe(400);
  });

  it('shows the house week with public information only and a QR code to the house week', async () => {
    const room = await aRoom(t.ctx.db, { name: 'Gruppenraum', slug: 'gruppenraum' });
    await aBooking(t.ctx.db, {
      roomId: room.id,
      date: '2026-12-01',
      title: 'Geheime Sitzung',
      publicTitle: 'Offenes Treffen',
      showPublicTitle: true,
      organisation: 'Verein Geheim e. V.',
      contactName: 'Erika Mustermann',
      email: 'erika@example.org',
      phone: '0301234567',
      status: 'approved',
    });
    await aBooking(t.ctx.db, {
      roomId: room.id,
      date: '2026-12-02',
      title: 'Privatfeier',
      publicTitle: 'Nicht zeigen',
      showPublicTitle: false,
      status: 'approved',
    });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-03', title: 'Noch offen', status: 'pending' });
    await aBlockedTime(t.ctx.db, { from: '2026-12-04', label: 'Interner Grund', isPublic: false });

    const res = await staff.agent.get('/admin/print?date=2026-12-01');
    expect(res.status).toBe(200);
    const plan = res.text.slice(res.text.indexOf('class="door-plan"'));
    expect(plan).toContain('Offenes Treffen');
    expect(plan).toContain('belegt');
    expect(plan).toContain('angefragt');
    expect(plan).toContain('geschlossen');
    for (const secret of [
      'Geheime Sitzung',
      'Privatfeier',
      'Nicht zeigen',
      'Noch offen',
      'Verein Geheim',
      'Erika',
      'erika@example.org',
      '0301234567',
      'Interner Grund',
    ]) {
      expect(res.text).not.toContain(secret);
    }
    expect(res.text).toContain('class="print-plan"');
    expect(res.text).toMatch(/<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"/);
    expect(res.text).toContain('https://raum.example.org/week?date=2026-11-30');
  });

  it('shows one room with a QR code linking to the room page', async () => {
    const room = await aRoom(t.ctx.db, { name: 'Lehrküche', slug: 'lehrkueche' });
    await aRoom(t.ctx.db, { name: 'Anderer Raum' });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-01', status: 'approved' });
    const res = await staff.agent.get('/admin/print?date=2026-12-01&room=lehrkueche');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Wochenplan: Lehrküche');
    const plan = res.text.slice(res.text.indexOf('class="door-plan"'));
    expect(plan).not.toContain('Anderer Raum');
    expect(plan).toContain('https://raum.example.org/rooms/lehrkueche');
    const m = res.text.match(/<img src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)"/);
    expect(Buffer.from(m![1]!, 'base64').toString()).toMatch(/^<svg/);
  });
});
