// The printable daily list (/admin/print/day): staff only, today by default, approved bookings of the day by
// time with room, group, contact phone, people, equipment and the key note; previous/next day.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { aBooking, aRoom } from '../helpers/factories.js';

describe('daily list', () => {
  let t: TestApp;
  let staff: LoggedIn;
  beforeEach(async () => {
    t = await makeTestApp(); // now: Monday 2026-11-23, 10:00 in Berlin
    staff = await loginAs(t, 'caretaker');
  });
  afterEach(() => t.close());

  it('is for staff only', async () => {
    const res = await t.request.get('/admin/print/day?date=2026-11-23');
    expect([302, 303]).toContain(res.status);
    expect(res.text).not.toContain('Tagesliste');
  });

  it('lists the approved bookings of the day by time, with phone, people, equipment and the key note', async () => {
    await t.ctx.db.updateTable('settings').set({ key_pickup_text: 'Schlüssel im Büro, Raum 0.12' }).execute();
    const saal = await aRoom(t.ctx.db, { name: 'Großer Saal' });
    const kueche = await aRoom(t.ctx.db, { name: 'Lehrküche' });
    const late = await aBooking(t.ctx.db, {
      roomId: saal.id,
      date: '2026-11-25',
      start: '19:00',
      end: '21:00',
      title: 'Chorprobe',
      organisation: 'Chor Frohsinn',
      phone: '030 111 222',
      attendees: 30,
    });
    await t.ctx.db
      .updateTable('requests')
      .set({ equipment: JSON.stringify(['projector', 'gone-away']) })
      .where('id', '=', late.requestId)
      .execute();
    const early = await aBooking(t.ctx.db, {
      roomId: kueche.id,
      date: '2026-11-25',
      start: '09:30',
      end: '11:00',
      title: 'Kochkurs',
      organisation: null,
      contactName: 'Ayşe Demir',
      phone: '0151 999',
      attendees: 8,
    });
    await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-11-25', start: '14:00', end: '15:00', status: 'pending', title: 'Nur angefragt' });
    await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-11-26', start: '09:00', end: '10:00', title: 'Am nächsten Tag' });

    const res = await staff.agent.get('/admin/print/day?date=2026-11-25');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toContain('no-store');
    const text = res.text;
    expect(text).toContain('Tagesliste: Mittwoch, 25. November 2026');
    expect(text).toContain('Schlüssel im Büro, Raum 0.12');
    // Sorted by time: the 09:30 course before the 19:00 choir.
    const iEarly = text.indexOf('Kochkurs');
    const iLate = text.indexOf('Chorprobe');
    expect(iEarly).toBeGreaterThan(0);
    expect(iLate).toBeGreaterThan(iEarly);
    expect(text).toContain('09:30–11:00');
    expect(text).toContain('Ayşe Demir');
    expect(text).toContain('0151 999');
    expect(text).toContain('030 111 222');
    expect(text).toContain('Chor Frohsinn');
    expect(text).toContain(early.reference);
    expect(text).toMatch(/<td class="num">30<\/td>\s*<td>Beamer<\/td>/);
    expect(text).not.toContain('gone-away');
    expect(text).not.toContain('Nur angefragt');
    expect(text).not.toContain('Am nächsten Tag');
    expect(text).toContain('href="/admin/print/day?date=2026-11-24"');
    expect(text).toContain('href="/admin/print/day?date=2026-11-26"');
  });

  it('shows today by default and says so when nothing is booked', async () => {
    const res = await staff.agent.get('/admin/print/day');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Tagesliste: Montag, 23. November 2026');
    expect(res.text).toContain('An diesem Tag gibt es keine bestätigten Buchungen.');
    expect((await staff.agent.get('/admin/print/day?date=2026-02-30')).status).toBe(400);
  });

  it('is linked from the staff week and beside the door plan', async () => {
    expect((await staff.agent.get('/admin/calendar?date=2026-11-25')).text).toContain('href="/admin/print/day?date=2026-11-25"');
    expect((await staff.agent.get('/admin/print?date=2026-11-25')).text).toContain('href="/admin/print/day?date=2026-11-25"');
  });
});
