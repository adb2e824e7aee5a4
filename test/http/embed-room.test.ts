// The embeddable room availability (issue 15 §2, /embed/rooms/<slug>/availability): off unless an admin allows
// websites, framable only by them, one room's week as the public room page shows it (free, "belegt", a public
// title only where it was made public), week links that stay in the frame, the page language, no personal data.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBlockedTime, aBooking, aRoom } from '../helpers/factories.js';
import { loginAs } from '../helpers/login.js';

// The default clock: Monday 23 November 2026, 10:00 in Berlin (week 48: 23–29 November).
const SECRETS = ['Erika', 'Mustermann', 'erika@example.org', '0301234567', 'Verein Geheim', 'Gruppentreffen'];
const PATH = '/embed/rooms/saal/availability';

describe('the embeddable room availability', () => {
  let t: TestApp;
  let room: { id: number; slug: string; name: string };
  beforeEach(async () => {
    t = await makeTestApp();
    room = await aRoom(t.ctx.db, { slug: 'saal', name: 'Saal' });
  });
  afterEach(() => t.close());

  const allow = (origins: string) => t.ctx.db.updateTable('settings').set({ embed_origins: origins }).execute();

  it('is off by default: 404 and never framable', async () => {
    const res = await t.request.get(PATH);
    expect(res.status).toBe(404);
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('answers 404 for an unknown or inactive room once embedding is on', async () => {
    await allow('https://quartier.example');
    await aRoom(t.ctx.db, { slug: 'alt', name: 'Alter Raum', active: false });
    expect((await t.request.get('/embed/rooms/nirgends/availability')).status).toBe(404);
    expect((await t.request.get('/embed/rooms/alt/availability')).status).toBe(404);
  });

  it('shows this week’s booked and free times without personal data, framable by the allowed websites only', async () => {
    await allow('https://quartier.example\nhttps://stadt.example');
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-25', start: '14:00', end: '16:00' });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-26', start: '18:00', end: '20:00', publicTitle: 'Offener Chor', showPublicTitle: true });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-27', start: '09:00', end: '11:00', status: 'pending' });
    const res = await t.request.get(PATH);
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain('frame-ancestors https://quartier.example https://stadt.example');
    expect(res.headers['x-frame-options']).toBeUndefined();
    for (const s of SECRETS) expect(res.text).not.toContain(s);
    expect(res.text).toContain('Kalenderwoche 48');
    // Wednesday: booked, no title; Thursday: the public title; Friday: asked for.
    const day = (date: string) => new RegExp(`id="d-${date}"[\\s\\S]*?</section>`).exec(res.text)?.[0] ?? '';
    expect(day('2026-11-25')).toMatch(/14:00–16:00 Uhr<\/span> <span class="e-status">belegt<\/span><\/li>/);
    expect(day('2026-11-26')).toMatch(/18:00–20:00 Uhr<\/span> <span class="e-status">belegt<\/span>: Offener Chor/);
    expect(day('2026-11-27')).toMatch(/09:00–11:00 Uhr<\/span> <span class="e-status">angefragt<\/span>/);
    // A free time opens the request form on the house's website, in a new tab (the form cannot be framed).
    expect(day('2026-11-25')).toMatch(/<a href="http[^"]*\/requests\/new\?room=saal&amp;date=2026-11-25[^"]*" target="_blank" rel="noopener">/);
    // The week links stay inside the widget; the room page opens outside it.
    expect(res.text).toContain(`href="${PATH}?date=2026-11-30" rel="next"`);
    expect(res.text).toContain(`href="${PATH}?date=2026-11-16" rel="prev"`);
    expect(res.text).toMatch(/href="http[^"]*\/rooms\/saal\?date=2026-11-23" target="_blank"/);
    // The public room page shows the same entries for that week.
    const page = (await t.request.get('/rooms/saal')).text;
    expect(page).toContain('<span class="e-status">belegt</span>: Offener Chor');
  });

  it('pages to another week inside the frame, and speaks the language asked for, keeping it in its links', async () => {
    await allow('https://quartier.example');
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-02', start: '10:00', end: '12:00' });
    const next = await t.request.get(`${PATH}?date=2026-11-30&lang=en`);
    expect(next.status).toBe(200);
    expect(next.text).toContain('<html lang="en"');
    expect(next.text).toContain('Saal: free and booked');
    expect(next.text).toMatch(/10:00–12:00<\/span> <span class="e-status">booked<\/span>/);
    expect(next.text).toContain(`href="${PATH}?date=2026-11-23&amp;lang=en" rel="prev"`);
    expect(next.text).toContain(`href="${PATH}?lang=en">This week</a>`);
    const tr = await t.request.get(`${PATH}?lang=tr`);
    expect(tr.text).toContain('Saal: boş ve dolu saatler');
  });

  it('names a public closure and keeps a DST day right', async () => {
    await allow('https://quartier.example');
    await aBlockedTime(t.ctx.db, { from: '2027-03-27', label: 'Renovierung', roomId: room.id });
    const res = await t.request.get(`${PATH}?date=2027-03-28`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/id="d-2027-03-28"[^<]*<span class="dst-note">Zeitumstellung: Die Uhr wird vorgestellt, der Tag hat 23 Stunden\.<\/span>/);
    expect(res.text).toMatch(/id="d-2027-03-27"[\s\S]*?ganztägig<\/span> <span class="e-status">geschlossen<\/span>: Renovierung/);
  });

  it('the embed settings show the code for the programme and for each room', async () => {
    await aRoom(t.ctx.db, { slug: 'kueche', name: 'Lehrküche' });
    const admin = await loginAs(t, 'admin');
    const page = (await admin.agent.get('/admin/programme/embed')).text;
    expect(page).toMatch(/&lt;iframe src="http[^"]*\/embed\/programme"/);
    expect(page).toMatch(/&lt;iframe src="http[^"]*\/embed\/rooms\/saal\/availability" title="Saal: frei und belegt – /);
    expect(page).toMatch(/&lt;iframe src="http[^"]*\/embed\/rooms\/kueche\/availability" title="Lehrküche: frei und belegt – /);
  });
});
