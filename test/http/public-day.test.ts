// The house day (/day) and what an empty cell of the time-axis views says, over HTTP with the real templates.
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBlockedTime, aBooking, aRoom, aWholeRoom } from '../helpers/factories.js';
import { boardCell, boardCells, linkParams } from '../helpers/board.js';

let t: TestApp;
afterEach(() => t?.close());

async function house(values: Record<string, string | number>) {
  await t.ctx.db.updateTable('settings').set(values).where('id', '=', 1).execute();
}

describe('the house day', () => {
  it('shows every room on one day in time order, with the previous and next day, the week and the search', async () => {
    t = await makeTestApp({ now: '2026-11-23T10:00:00+01:00' });
    const saal = await aRoom(t.ctx.db, { slug: 'festsaal', name: 'Festsaal' });
    await aRoom(t.ctx.db, { slug: 'kueche', name: 'Lehrküche' });
    await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-12-03', start: '19:00', end: '21:00', publicTitle: 'Chorprobe', showPublicTitle: true });
    await aBooking(t.ctx.db, {
      roomId: saal.id,
      date: '2026-12-03',
      start: '09:00',
      end: '10:30',
      status: 'pending',
      publicTitle: 'Geheim',
      showPublicTitle: true,
    });
    const res = await t.request.get('/day?date=2026-12-03');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Alle Räume am Donnerstag, 3. Dezember 2026</h1>');
    expect(res.text).toContain('href="/day?date=2026-12-02" rel="prev"');
    expect(res.text).toContain('href="/day?date=2026-12-04" rel="next"');
    expect(res.text).toContain('<a href="/week?date=2026-12-03">Ganze Woche</a>');
    expect(res.text).toContain('<a href="/search">Freien Raum finden</a>');
    expect(res.text).toContain('<input type="date" id="jump-date" name="date" value="2026-12-03"');
    expect(boardCells(res.text).map((c) => c.room)).toEqual(['Festsaal', 'Lehrküche']);
    const festsaal = boardCell(res.text, 'Festsaal', '2026-12-03');
    expect(festsaal.entries.map((e) => [e.kind, e.start, e.end])).toEqual([
      ['free', 1, 5],
      ['pending', 5, 11],
      ['free', 11, 45],
      ['approved', 45, 53],
      ['free', 53, 57],
    ]);
    expect(festsaal.entries[3]!.text).toBe('Festsaal 19:00–21:00 Uhr belegt: Chorprobe');
    // A pending request never shows its title (only approved ones, when the group chose to).
    expect(festsaal.entries[1]!.text).toBe('Festsaal 09:00–10:30 Uhr angefragt');
    expect(res.text).not.toContain('Geheim');
    expect(linkParams(festsaal.entries[2]!.href)).toEqual({ room: 'festsaal', date: '2026-12-03', start: '10:30', end: '12:30' });
    // A stretch shorter than two hours is offered whole.
    expect(linkParams(festsaal.entries[0]!.href)).toEqual({ room: 'festsaal', date: '2026-12-03', start: '08:00', end: '09:00' });
    expect(boardCell(res.text, 'Lehrküche', '2026-12-03').entries.map((e) => e.kind)).toEqual(['free']);
  });

  it('shows today by default, speaks English, and refuses a date that does not exist', async () => {
    t = await makeTestApp({ now: '2026-11-25T10:00:00+01:00' });
    await aRoom(t.ctx.db, { name: 'Festsaal' });
    const today = await t.request.get('/day');
    expect(today.text).toContain('<h1>Alle Räume am Mittwoch, 25. November 2026</h1>');
    expect(today.text).not.toContain('>Heute</a>');
    expect(today.text).toContain('<strong class="today-mark">heute</strong>');
    const en = await t.request.get('/day?date=2026-12-01&lang=en');
    expect(en.text).toContain('<h1>All rooms on Tuesday, 1 December 2026</h1>');
    expect(en.text).toContain('Previous day');
    expect(en.text).toContain('>Today</a>');
    const bad = await t.request.get('/day?date=2026-02-30');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('2026-02-30');
    expect((await t.request.get('/day?date=a&date=b')).status).toBe(400);
  });

  it("one room's day (?room=): only that room, with its whole's bookings, stepping day by day; reached from the room's week", async () => {
    t = await makeTestApp({ now: '2026-11-23T10:00:00+01:00' });
    const a = await aRoom(t.ctx.db, { slug: 'saal-a', name: 'Saal A' });
    const b = await aRoom(t.ctx.db, { slug: 'saal-b', name: 'Saal B' });
    const whole = await aWholeRoom(t.ctx.db, [a.id, b.id], { slug: 'grosser-saal', name: 'Großer Saal' });
    await aBooking(t.ctx.db, { roomId: whole.id, date: '2026-12-03', start: '19:00', end: '21:00' });
    await aBooking(t.ctx.db, { roomId: b.id, date: '2026-12-03', start: '10:00', end: '12:00' });
    const res = await t.request.get('/day?date=2026-12-03&room=saal-a');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Saal A am Donnerstag, 3. Dezember 2026</h1>');
    expect(boardCells(res.text).map((c) => c.room)).toEqual(['Saal A']);
    // The whole's booking takes Saal A too; Saal B's own booking does not.
    expect(
      boardCell(res.text, 'Saal A', '2026-12-03')
        .entries.filter((e) => e.kind !== 'free')
        .map((e) => e.text),
    ).toEqual(['Saal A 19:00–21:00 Uhr belegt (Großer Saal)']);
    expect(res.text).toContain('href="/day?date=2026-12-02&amp;room=saal-a" rel="prev"');
    expect(res.text).toContain('href="/day?date=2026-12-04&amp;room=saal-a" rel="next"');
    expect(res.text).toContain('<a href="/rooms/saal-a?date=2026-12-03">Ganze Woche</a>');
    expect(res.text).toContain('<input type="hidden" name="room" value="saal-a">');
    const week = await t.request.get('/rooms/saal-a?date=2026-12-03');
    expect(week.text).toContain('<a href="/day?date=2026-12-03&amp;room=saal-a">');
    expect((await t.request.get('/day?date=2026-12-03&room=nirgendwo')).status).toBe(404);
    expect((await t.request.get('/day?date=2026-12-03&room=a&room=b')).status).toBe(404);
  });

  it('is reached from each day heading of the house week', async () => {
    t = await makeTestApp();
    await aRoom(t.ctx.db, { name: 'Festsaal' });
    const week = await t.request.get('/week?date=2026-12-10');
    for (const d of ['07', '08', '09', '10', '11', '12', '13']) expect(week.text).toContain(`<a href="/day?date=2026-12-${d}">`);
  });
});

describe('an empty cell says why', () => {
  it('past, too short notice with the house phone, beyond the horizon, a closed day, a closure, an office-only room, full', async () => {
    // Now: Wednesday 25 November 2026, 10:00; two days' lead time, a horizon of one month; closed on Sundays.
    t = await makeTestApp({ now: '2026-11-25T10:00:00+01:00' });
    await house({ contact_phone: '030 1234567', lead_time_days: 2, horizon_months: 1 });
    const saal = await aRoom(t.ctx.db, { slug: 'festsaal', name: 'Festsaal' });
    await aRoom(t.ctx.db, { slug: 'buero', name: 'Beratungsraum', publicBookable: false });
    await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-11-28', start: '08:00', end: '22:00' });
    await aBlockedTime(t.ctx.db, { roomId: saal.id, from: '2026-12-02', label: 'Renovierung', isPublic: true });

    const week = await t.request.get('/week');
    const note = (room: string, date: string) => boardCell(week.text, room, date).note;
    expect(note('Festsaal', '2026-11-24')).toBe('vorbei');
    expect(note('Festsaal', '2026-11-26')).toBe('zu kurzfristig: bitte anrufen unter 030 1234567');
    expect(note('Festsaal', '2026-11-27')).toBe('bis 10:00 Uhr zu kurzfristig: bitte anrufen unter 030 1234567');
    expect(note('Festsaal', '2026-11-28')).toBe('keine freie Zeit mehr');
    expect(note('Festsaal', '2026-11-29')).toBe('Haus geschlossen');
    expect(note('Beratungsraum', '2026-11-27')).toBe('nur über das Büro');
    expect(boardCell(week.text, 'Festsaal', '2026-11-27').entries.map((e) => e.text)).toEqual([expect.stringContaining('10:00–22:00 Uhr frei')]);

    const closure = await t.request.get('/day?date=2026-12-02');
    expect(boardCell(closure.text, 'Festsaal', '2026-12-02').note).toBeNull(); // the closure says it itself
    expect(boardCell(closure.text, 'Festsaal', '2026-12-02').entries.map((e) => e.text)).toEqual(['Festsaal ganztägig geschlossen: Renovierung']);

    const far = await t.request.get('/week?date=2026-12-28');
    expect(boardCell(far.text, 'Festsaal', '2026-12-28').note).toBe('noch nicht anfragbar (mehr als 1 Monat im Voraus)');
    expect(boardCell(far.text, 'Festsaal', '2026-12-28').html).not.toContain('/requests/new');

    // The same in a room's own week, and in English.
    const room = await t.request.get('/rooms/festsaal?lang=en');
    expect(boardCell(room.text, '', '2026-11-26').note).toBe('too short notice: please call 030 1234567');
    expect(boardCell(room.text, '', '2026-11-23').note).toBe('over');
  });

  it('without a house phone, asks to call the office', async () => {
    t = await makeTestApp({ now: '2026-11-25T10:00:00+01:00' });
    await house({ contact_phone: '', lead_time_days: 2 });
    await aRoom(t.ctx.db, { name: 'Festsaal' });
    const week = await t.request.get('/week');
    expect(boardCell(week.text, 'Festsaal', '2026-11-26').note).toBe('zu kurzfristig für eine Online-Anfrage: bitte im Büro anrufen');
  });
});
