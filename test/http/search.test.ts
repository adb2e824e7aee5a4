// GET /search, "find a free room": which rooms fit a wish and which of its dates could be requested online.
// The clock is Monday 23 November 2026, 10:00 in Berlin; the house asks for 2 days' lead time, 12 months ahead,
// opening hours Mon–Fri 08:00–22:00, Sat 10:00–22:00, closed on Sundays; public holidays of Berlin.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBlockedTime, aBooking, aRoom, aWholeRoom } from '../helpers/factories.js';

let t: TestApp;
afterEach(() => t?.close());

const search = (q: Record<string, string | string[]>, lang: 'de' | 'en' = 'de') => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
  params.set('lang', lang);
  return t.request.get(`/search?${params.toString()}`);
};

const unescape = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"');
const text = (html: string) =>
  unescape(html.replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();

/** The answer block of one room (by slug), or undefined when the room is not offered. */
function roomBlock(html: string, slug: string): string | undefined {
  const start = html.indexOf(`data-room="${slug}"`);
  if (start < 0) return undefined;
  const rest = html.slice(start);
  const close = rest.search(/\n {4}<\/li>/);
  return close >= 0 ? rest.slice(0, close) : rest;
}

/** The line of a date that is not free, as text. */
function dateLine(block: string, date: string): string | undefined {
  const m = new RegExp(`<li data-date="${date}">([\\s\\S]*?)</li>`).exec(block);
  return m ? text(m[1]!) : undefined;
}

/** Dates listed as free in a room's weekly answer. */
function freeDates(block: string): string[] {
  const list = /<ul class="search-dates">([\s\S]*?)<\/ul>/.exec(block)?.[1] ?? '';
  return [...list.matchAll(/datetime="([\d-]+)"/g)].map((m) => m[1]!);
}

/** The request link of a room's answer, as its query parameters. */
function requestLink(block: string): URLSearchParams | null {
  const m = /<a class="button" href="([^"]+)"/.exec(block);
  if (!m) return null;
  const href = unescape(m[1]!);
  expect(href.startsWith('/requests/new?')).toBe(true);
  return new URLSearchParams(href.slice('/requests/new?'.length));
}

/** The message shown next to a field. */
function fieldError(html: string, field: string): string | undefined {
  const m = new RegExp(`<p class="field-error" id="${field}-error">([^<]*)</p>`).exec(html);
  return m ? unescape(m[1]!) : undefined;
}

const status = (html: string) => text(/<p class="search-status" role="status">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '');

describe('GET /search: the form', () => {
  beforeEach(async () => {
    t = await makeTestApp();
  });

  it('shows just the form, labelled, when nothing is asked yet', async () => {
    const res = await t.request.get('/search');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<form method="get" action="/search#result"');
    for (const id of ['date', 'weekday', 'start', 'end', 'repeat', 'repeat-weekly', 'lastDate', 'attendees', 'equipment-piano']) {
      expect(res.text).toMatch(new RegExp(`<label (class="check" )?for="${id}"`));
    }
    expect(res.text).not.toContain('search-result');
    expect(res.text).not.toContain('field-error');
  });

  it('is linked from the start page', async () => {
    const res = await t.request.get('/');
    expect(res.text).toContain('href="/search"');
  });

  it('answers malformed values with 400 and a message next to each field, keeping what was typed', async () => {
    const res = await search({ date: '2026-02-30', start: '25:00', end: '18:10', attendees: 'zwölf', equipment: 'jetpack' });
    expect(res.status).toBe(400);
    expect(fieldError(res.text, 'date')).toBe('Bitte geben Sie ein gültiges Datum an, z. B. 1. Dezember 2026.');
    expect(fieldError(res.text, 'start')).toBe('Bitte geben Sie eine Uhrzeit an, z. B. 18:30.');
    expect(fieldError(res.text, 'end')).toContain('15-Minuten-Takt');
    expect(fieldError(res.text, 'attendees')).toBe('Bitte geben Sie die Anzahl der Personen als ganze Zahl zwischen 1 und 10000 an.');
    expect(fieldError(res.text, 'equipment')).toBe('Bitte wählen Sie die Ausstattung aus der Liste.');
    // The typed values come back: impossible ones named next to their field, the rest in the fields.
    expect(res.text).toContain('„2026-02-30“');
    expect(res.text).toContain('„25:00“');
    expect(res.text).toContain('value="zwölf"');
    expect(res.text).toContain('value="18:10"');
    expect(res.text).toMatch(/<div class="error-summary" role="alert"/);
    expect(res.text).not.toContain('search-result');
  });

  it('says so in English on an English page', async () => {
    const res = await search({ weekday: '9', start: '18:00', end: '17:00' }, 'en');
    expect(res.status).toBe(400);
    expect(fieldError(res.text, 'weekday')).toBe('Please choose a day of the week from the list.');
    expect(fieldError(res.text, 'end')).toBe('The end must be after the start.');
  });

  it('asks for a date or a weekday, not both and not neither', async () => {
    const neither = await search({ start: '18:00', end: '20:00' });
    expect(neither.status).toBe(400);
    expect(fieldError(neither.text, 'date')).toBe('Bitte geben Sie ein Datum oder einen Wochentag an.');
    const both = await search({ date: '2026-12-01', weekday: '2', start: '18:00', end: '20:00' });
    expect(both.status).toBe(400);
    expect(fieldError(both.text, 'weekday')).toBe('Bitte geben Sie entweder ein Datum oder einen Wochentag an, nicht beides.');
  });

  it('checks the weekly wish: a last date, not before the first, at most 12 months', async () => {
    const base = { date: '2026-12-01', start: '18:00', end: '20:00', repeat: 'weekly' };
    const missing = await search(base);
    expect(missing.status).toBe(400);
    expect(fieldError(missing.text, 'lastDate')).toBe('Bitte geben Sie an, bis wann der Termin jede Woche stattfinden soll.');
    const before = await search({ ...base, lastDate: '2026-11-30' });
    expect(before.status).toBe(400);
    expect(fieldError(before.text, 'lastDate')).toBe('Der letzte Termin darf nicht vor dem ersten liegen.');
    const long = await search({ ...base, lastDate: '2028-01-04' });
    expect(long.status).toBe(400);
    expect(fieldError(long.text, 'lastDate')).toBe('Bitte suchen Sie höchstens 12 Monate auf einmal.');
    expect(long.text).toContain('value="2028-01-04"');
  });

  it('refuses a wall-clock time the DST change skips, naming it', async () => {
    t.clock.set('2026-03-01T10:00:00+01:00');
    const res = await search({ date: '2026-03-29', start: '02:00', end: '03:00' });
    expect(res.status).toBe(400);
    expect(fieldError(res.text, 'start')).toContain('Die Uhrzeit 02:00 gibt es an diesem Tag wegen der Zeitumstellung nicht');
  });
});

describe('GET /search: which rooms fit', () => {
  beforeEach(async () => {
    t = await makeTestApp();
    await t.ctx.db.updateTable('settings').set({ contact_phone: '030 1234567' }).where('id', '=', 1).execute();
    await aRoom(t.ctx.db, { slug: 'klein', name: 'Kleiner Raum', capacity: 8, equipment: ['chairs_tables'] });
    await aRoom(t.ctx.db, { slug: 'mittel', name: 'Mittlerer Raum', capacity: 25, equipment: ['chairs_tables', 'projector'] });
    await aRoom(t.ctx.db, { slug: 'gross', name: 'Großer Raum', capacity: 80, equipment: ['chairs_tables', 'projector', 'piano'] });
    await aRoom(t.ctx.db, { slug: 'buero', name: 'Büroraum', capacity: 30, equipment: ['chairs_tables', 'projector'], publicBookable: false });
    await aRoom(t.ctx.db, { slug: 'alt', name: 'Stillgelegter Raum', capacity: 100, active: false });
  });

  it('leaves out rooms that are too small, and says how many', async () => {
    const res = await search({ date: '2026-12-01', start: '18:00', end: '20:00', attendees: '20' });
    expect(res.status).toBe(200);
    expect(roomBlock(res.text, 'klein')).toBeUndefined();
    expect(roomBlock(res.text, 'mittel')).toBeDefined();
    expect(roomBlock(res.text, 'gross')).toBeDefined();
    expect(roomBlock(res.text, 'alt')).toBeUndefined();
    expect(status(res.text)).toBe('2 Räume passen');
    expect(text(res.text)).toContain('1 Raum ist zu klein und nicht aufgeführt.');
  });

  it('leaves out rooms without every piece of equipment asked for, and says how many', async () => {
    const res = await search({ date: '2026-12-01', start: '18:00', end: '20:00', equipment: ['projector', 'piano'] });
    expect(res.status).toBe(200);
    expect(roomBlock(res.text, 'gross')).toBeDefined();
    expect(roomBlock(res.text, 'mittel')).toBeUndefined();
    expect(roomBlock(res.text, 'klein')).toBeUndefined();
    expect(status(res.text)).toBe('1 Raum passt');
    expect(text(res.text)).toContain('3 Räume haben nicht die gewünschte Ausstattung und sind nicht aufgeführt.');
  });

  it('explains an empty answer', async () => {
    const res = await search({ date: '2026-12-01', start: '18:00', end: '20:00', attendees: '500' });
    expect(res.status).toBe(200);
    expect(status(res.text)).toBe('Kein Raum passt');
    expect(text(res.text)).toContain('4 Räume sind zu klein und nicht aufgeführt.');
    expect(text(res.text)).toContain('Kein Raum passt zu Ihren Wünschen.');
  });

  it('names a room only the office gives out, with the phone, but offers no online request for it', async () => {
    const res = await search({ date: '2026-12-01', start: '18:00', end: '20:00', attendees: '20', equipment: 'projector' });
    expect(res.status).toBe(200);
    expect(roomBlock(res.text, 'buero')).toBeUndefined();
    const office = text(res.text.slice(res.text.indexOf('Nur über das Büro')));
    expect(office).toContain('Dieser Raum passt, wird aber nur über das Büro vergeben. Bitte rufen Sie an: 030 1234567.');
    expect(office).toContain('Büroraum');
    expect(res.text).not.toContain('room=buero');
  });

  it('does not name an office-only room that would not fit', async () => {
    const res = await search({ date: '2026-12-01', start: '18:00', end: '20:00', attendees: '50' });
    expect(res.text).not.toContain('Büroraum');
    expect(res.text).not.toContain('Nur über das Büro');
  });

  it('links each free room to the request form, filled in with the wish', async () => {
    const res = await search({ date: '2026-12-01', start: '18:00', end: '20:00', attendees: '12', equipment: 'projector' });
    const link = requestLink(roomBlock(res.text, 'mittel')!)!;
    expect(Object.fromEntries(link)).toEqual({ room: 'mittel', date: '2026-12-01', start: '18:00', end: '20:00', attendees: '12', equipment: 'projector' });
    expect(text(roomBlock(res.text, 'mittel')!)).toContain('frei');
  });
});

describe('GET /search: the rules of a request', () => {
  beforeEach(async () => {
    t = await makeTestApp();
    await t.ctx.db.updateTable('settings').set({ contact_phone: '030 1234567' }).where('id', '=', 1).execute();
    await aRoom(t.ctx.db, { slug: 'raum', name: 'Gruppenraum', capacity: 20 });
  });

  it('marks a date inside the lead time as too short notice, with the phone, and offers no request', async () => {
    const res = await search({ date: '2026-11-24', start: '18:00', end: '20:00' });
    expect(res.status).toBe(200);
    const block = roomBlock(res.text, 'raum')!;
    expect(dateLine(block, '2026-11-24')).toBe(
      'Dienstag, 24. November 2026 nicht online anfragbar Zu kurzfristig: Online geht es ab 2 Tagen im Voraus. Bitte rufen Sie an: 030 1234567.',
    );
    expect(requestLink(block)).toBeNull();
  });

  it('marks a past date as past', async () => {
    const res = await search({ date: '2026-11-20', start: '18:00', end: '20:00' });
    expect(dateLine(roomBlock(res.text, 'raum')!, '2026-11-20')).toContain('Dieser Termin liegt in der Vergangenheit.');
  });

  it('marks a date beyond the horizon as too far ahead', async () => {
    const res = await search({ date: '2027-11-24', start: '18:00', end: '20:00' });
    const block = roomBlock(res.text, 'raum')!;
    expect(dateLine(block, '2027-11-24')).toContain('Noch zu weit im Voraus: Online geht es höchstens 12 Monate im Voraus.');
    expect(requestLink(block)).toBeNull();
    // The last day of the horizon still counts.
    const last = await search({ date: '2027-11-23', start: '18:00', end: '20:00' });
    expect(requestLink(roomBlock(last.text, 'raum')!)?.get('date')).toBe('2027-11-23');
  });

  it('says once when the house is closed at that time, and offers the free times inside the opening hours', async () => {
    const sunday = await search({ date: '2026-12-06', start: '18:00', end: '20:00' });
    expect(text(sunday.text)).toContain('Online nicht anfragbar: Das Haus ist an diesem Wochentag geschlossen.');
    expect(requestLink(roomBlock(sunday.text, 'raum')!)).toBeNull();
    const late = await search({ date: '2026-12-01', start: '21:00', end: '23:00' });
    expect(text(late.text)).toContain('Online nicht anfragbar: Die Zeit liegt außerhalb der Öffnungszeiten (08:00–22:00 Uhr).');
    const block = roomBlock(late.text, 'raum')!;
    expect(requestLink(block)).toBeNull();
    // The nearest two-hour times that day: 20:00–22:00 is the latest inside the opening hours.
    expect(text(block)).toContain('20:00–22:00 Uhr');
    expect(text(block)).not.toContain('21:00–23:00 Uhr anfragen');
  });
});

describe('GET /search: what is booked (parts and wholes, buffers), never by whom', () => {
  let saalA: { id: number };
  let saalB: { id: number };
  let saal: { id: number };
  beforeEach(async () => {
    t = await makeTestApp();
    saalA = await aRoom(t.ctx.db, { slug: 'saal-a', name: 'Saal A', capacity: 60 });
    saalB = await aRoom(t.ctx.db, { slug: 'saal-b', name: 'Saal B', capacity: 60 });
    saal = await aWholeRoom(t.ctx.db, [saalA.id, saalB.id], { slug: 'grosser-saal', name: 'Großer Saal', capacity: 120 });
  });

  const secret = { contactName: 'Heimlich Huber', organisation: 'Geheimbund e. V.', title: 'Geheimtreffen', email: 'huber@geheim.example' };

  it('a booked part makes the whole busy (naming the part and time, not the group); the other part stays free', async () => {
    await aBooking(t.ctx.db, { roomId: saalA.id, date: '2026-12-01', start: '17:00', end: '19:00', ...secret });
    const res = await search({ date: '2026-12-01', start: '18:00', end: '20:00' });
    expect(res.status).toBe(200);
    expect(dateLine(roomBlock(res.text, 'grosser-saal')!, '2026-12-01')).toBe(
      'Dienstag, 1. Dezember 2026 belegt Saal A ist belegt am Dienstag, 1. Dezember 2026, 17:00–19:00 Uhr.',
    );
    expect(dateLine(roomBlock(res.text, 'saal-a')!, '2026-12-01')).toContain('belegt');
    expect(requestLink(roomBlock(res.text, 'saal-b')!)?.get('room')).toBe('saal-b');
    expect(res.text).not.toMatch(/Heimlich|Geheim|huber@/);
    // The rooms that are free come first.
    expect(res.text.indexOf('data-room="saal-b"')).toBeLessThan(res.text.indexOf('data-room="saal-a"'));
  });

  it('a booked whole makes both parts busy', async () => {
    await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-12-01', start: '19:00', end: '21:00' });
    const res = await search({ date: '2026-12-01', start: '18:00', end: '20:00' });
    for (const slug of ['saal-a', 'saal-b', 'grosser-saal']) {
      expect(dateLine(roomBlock(res.text, slug)!, '2026-12-01')).toContain('Großer Saal ist belegt am Dienstag, 1. Dezember 2026, 19:00–21:00 Uhr');
    }
    expect(status(res.text)).toBe('3 Räume passen');
  });

  it('pending requests do not make a room busy (as for a request: the caretaker decides between them)', async () => {
    await aBooking(t.ctx.db, { roomId: saalA.id, date: '2026-12-01', start: '18:00', end: '20:00', status: 'pending' });
    const res = await search({ date: '2026-12-01', start: '18:00', end: '20:00' });
    expect(requestLink(roomBlock(res.text, 'saal-a')!)).not.toBeNull();
  });

  it('counts the buffers around bookings', async () => {
    const kitchen = await aRoom(t.ctx.db, { slug: 'kueche', name: 'Lehrküche', capacity: 14, bufferAfterMin: 30 });
    await aBooking(t.ctx.db, { roomId: kitchen.id, date: '2026-12-01', start: '16:00', end: '18:00' });
    const res = await search({ date: '2026-12-01', start: '18:00', end: '20:00' });
    const line = dateLine(roomBlock(res.text, 'kueche')!, '2026-12-01')!;
    expect(line).toContain('belegt');
    expect(line).toContain('16:00–18:00 Uhr');
  });

  it('offers the nearest free times of the same length that day, each linked to the filled-in form', async () => {
    await aBooking(t.ctx.db, { roomId: saalA.id, date: '2026-12-01', start: '14:00', end: '21:00' });
    const res = await search({ date: '2026-12-01', start: '18:00', end: '20:00' });
    const block = roomBlock(res.text, 'saal-a')!;
    expect(requestLink(block)).toBeNull();
    const links = [...block.matchAll(/<a href="(\/requests\/new\?[^"]+)" aria-label="([^"]+)">([^<]+)<\/a>/g)].map((m) => ({
      q: Object.fromEntries(new URLSearchParams(unescape(m[1]!).split('?')[1])),
      label: unescape(m[2]!),
      text: m[3],
    }));
    // Two hours that end by 14:00 (after 21:00 only one hour is left before closing): the three nearest to 18:00.
    expect(links.map((l) => l.text)).toEqual(['11:30–13:30 Uhr', '11:45–13:45 Uhr', '12:00–14:00 Uhr']);
    expect(links[2]!.q).toEqual({ room: 'saal-a', date: '2026-12-01', start: '12:00', end: '14:00' });
    expect(links[2]!.label).toBe('Saal A, 12:00–14:00 Uhr anfragen');
  });

  it('closures: a blocked time closes the room (with its public reason)', async () => {
    await aBlockedTime(t.ctx.db, { roomId: saalB.id, from: '2026-12-01', reason: 'renovation', label: 'Malerarbeiten' });
    const res = await search({ date: '2026-12-01', start: '18:00', end: '20:00' });
    const line = dateLine(roomBlock(res.text, 'saal-b')!, '2026-12-01')!;
    expect(line).toContain('geschlossen');
    expect(line).toContain('Malerarbeiten');
    expect(dateLine(roomBlock(res.text, 'grosser-saal')!, '2026-12-01')).toContain('geschlossen');
    expect(requestLink(roomBlock(res.text, 'saal-a')!)).not.toBeNull();
  });
});

describe('GET /search: every week until a date', () => {
  beforeEach(async () => {
    t = await makeTestApp();
  });

  it('lists free dates and marks holidays, closures and clashes; the request covers the free ones', async () => {
    const room = await aRoom(t.ctx.db, { slug: 'raum', name: 'Gruppenraum' });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-11', start: '17:30', end: '19:00', contactName: 'Heimlich Huber' });
    await aBlockedTime(t.ctx.db, { from: '2027-01-01', to: '2027-01-01', reason: 'closure', label: 'Neujahr geschlossen' });
    // Fridays from 4 December 2026 to 15 January 2027: 25 December is a public holiday, 1 January both.
    const res = await search({ date: '2026-12-04', start: '18:00', end: '20:00', repeat: 'weekly', lastDate: '2027-01-15', attendees: '10' });
    expect(res.status).toBe(200);
    const block = roomBlock(res.text, 'raum')!;
    expect(freeDates(block)).toEqual(['2026-12-04', '2026-12-18', '2027-01-08', '2027-01-15']);
    expect(dateLine(block, '2026-12-11')).toBe('Freitag, 11. Dezember 2026 belegt Gruppenraum ist belegt am Freitag, 11. Dezember 2026, 17:30–19:00 Uhr.');
    expect(dateLine(block, '2026-12-25')).toBe('Freitag, 25. Dezember 2026 Feiertag Feiertag: 1. Weihnachtstag. Dieser Termin fällt bei einer Serie aus.');
    expect(dateLine(block, '2027-01-01')).toContain('Feiertag');
    expect(text(block)).toContain('4 von 7 Terminen frei');
    expect(Object.fromEntries(requestLink(block)!)).toEqual({
      room: 'raum',
      date: '2026-12-04',
      start: '18:00',
      end: '20:00',
      repeat: 'weekly',
      everyWeeks: '1',
      lastDate: '2027-01-15',
      attendees: '10',
    });
    expect(text(block)).toContain('Gruppenraum für 4 Termine anfragen');
    expect(res.text).not.toContain('Heimlich');
    // Following the link opens the request form with the whole wish filled in.
    const form = await t.request.get(`/requests/new?${requestLink(block)!.toString()}&equipment=chairs_tables&equipment=..%2Fetc`);
    expect(form.status).toBe(200);
    expect(/id="attendees" name="attendees" value="10"/.test(form.text)).toBe(true);
    expect(/id="lastDate" name="lastDate" value="2027-01-15"/.test(form.text)).toBe(true);
    expect(/id="repeat-weekly" name="repeat" value="weekly" checked/.test(form.text)).toBe(true);
    expect(/id="equipment-chairs_tables" name="equipment" value="chairs_tables" checked/.test(form.text)).toBe(true);
  });

  it('a weekday starts from the first date far enough ahead', async () => {
    await aRoom(t.ctx.db, { slug: 'raum', name: 'Gruppenraum' });
    // Monday 23 November, 10:00: Tuesday 24 November is inside the lead time, so Tuesday 1 December comes first.
    const res = await search({ weekday: '2', start: '18:00', end: '20:00', repeat: 'weekly', lastDate: '2026-12-15' });
    expect(res.status).toBe(200);
    expect(freeDates(roomBlock(res.text, 'raum')!)).toEqual(['2026-12-01', '2026-12-08', '2026-12-15']);
    expect(text(res.text)).toContain('Jeden Dienstag vom 1. Dezember 2026 bis 15. Dezember 2026, 18:00–20:00 Uhr');
    // Once on a weekday: the next one.
    const once = await search({ weekday: '3', start: '10:00', end: '11:00' });
    expect(requestLink(roomBlock(once.text, 'raum')!)?.get('date')).toBe('2026-11-25');
  });

  it('dates beyond the horizon are not offered; the request ends at the last date within it', async () => {
    await aRoom(t.ctx.db, { slug: 'raum', name: 'Gruppenraum' });
    const res = await search({ date: '2027-11-09', start: '18:00', end: '20:00', repeat: 'weekly', lastDate: '2027-11-30' });
    const block = roomBlock(res.text, 'raum')!;
    expect(freeDates(block)).toEqual(['2027-11-09', '2027-11-16', '2027-11-23']);
    expect(dateLine(block, '2027-11-30')).toContain('Noch zu weit im Voraus');
    expect(requestLink(block)?.get('lastDate')).toBe('2027-11-23');
  });

  it('keeps the wall-clock time across the DST change in October', async () => {
    t.clock.set('2026-10-01T10:00:00+02:00');
    const room = await aRoom(t.ctx.db, { slug: 'raum', name: 'Gruppenraum' });
    // Tuesday before the change: a booking ending at 19:00 summer time does not clash with 19:00–21:00.
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-10-20', start: '17:00', end: '19:00' });
    // Tuesday after the change (winter time): 19:00–21:00 local is booked.
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-10-27', start: '19:00', end: '21:00' });
    // 20:00–21:00 UTC on 3 November is 21:00–22:00 local: no clash with 19:00–21:00 local.
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-03', start: '21:00', end: '22:00' });
    const res = await search({ date: '2026-10-20', start: '19:00', end: '21:00', repeat: 'weekly', lastDate: '2026-11-03' });
    const block = roomBlock(res.text, 'raum')!;
    expect(freeDates(block)).toEqual(['2026-10-20', '2026-11-03']);
    expect(dateLine(block, '2026-10-27')).toContain('Dienstag, 27. Oktober 2026, 19:00–21:00 Uhr');
  });
});
