import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBlockedTime, aBooking, aRoom, aWholeRoom } from '../helpers/factories.js';
import { boardCell, boardCells, linkParams } from '../helpers/board.js';

let t: TestApp;
afterEach(() => t?.close());

const WEEK_DAYS = (monday: string) => Array.from({ length: 7 }, (_, i) => `${monday.slice(0, 8)}${String(Number(monday.slice(8)) + i).padStart(2, '0')}`);

/** The house week's cell of a room on a day of the week (0 = Monday), read from the board. */
function weekCell(html: string, roomName: string, day: number) {
  const cells = boardCells(html).filter((c) => c.room === roomName);
  if (cells.length !== 7) throw new Error(`no row of seven days for ${roomName}`);
  return cells[day]!;
}

async function house(values: Record<string, string | number>) {
  await t.ctx.db.updateTable('settings').set(values).where('id', '=', 1).execute();
}

describe('bad parameters and unknown rooms', () => {
  it('answers a date that does not exist with a 400 page in German', async () => {
    t = await makeTestApp();
    const res = await t.request.get('/week?date=2026-02-30');
    expect(res.status).toBe(400);
    expect(res.text).toContain('Ungültige Anfrage');
    expect(res.text).toContain('Das Datum 2026-02-30 gibt es nicht');
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('answers bad dates and months in English with ?lang=en', async () => {
    t = await makeTestApp();
    await aRoom(t.ctx.db, { slug: 'saal' });
    const res = await t.request.get('/rooms/saal?date=kaputt&lang=en');
    expect(res.status).toBe(400);
    expect(res.text).toContain('The date kaputt does not exist');
    for (const m of ['x', '2026-13', '2026-1', '2026-00']) {
      const month = await t.request.get(`/rooms/saal/month?month=${m}&lang=en`);
      expect(month.status, m).toBe(400);
      expect(month.text).toContain(`The month ${m} is invalid`);
    }
  });

  it('refuses a repeated or oversized date parameter with a 400, never a 500', async () => {
    t = await makeTestApp();
    expect((await t.request.get('/week?date=2026-01-01&date=2026-01-02')).status).toBe(400);
    expect((await t.request.get(`/week?date=${'9'.repeat(500)}`)).status).toBe(400);
    expect((await t.request.get('/week?date=0001-01-01')).status).toBe(400);
  });

  it('answers an unknown or inactive room with a 404 page', async () => {
    t = await makeTestApp();
    await aRoom(t.ctx.db, { slug: 'alt', name: 'Alter Keller', active: false });
    for (const url of ['/rooms/gibts-nicht', '/rooms/alt', '/rooms/alt/month', '/rooms/GROSS%20', '/rooms/gibts-nicht/month?month=x']) {
      const res = await t.request.get(url);
      expect(res.status, url).toBe(404);
      expect(res.text).toContain('Seite nicht gefunden');
    }
    const list = await t.request.get('/rooms');
    expect(list.text).not.toContain('Alter Keller');
  });
});

describe('the start page', () => {
  it('shows the house, what is on today, the rooms and how to ask for a room', async () => {
    t = await makeTestApp({ now: '2026-11-23T10:00:00+01:00' });
    await house({
      house_name: 'Haus am Teich',
      about_text: 'Ein Ort für alle.',
      street: 'Teichweg 1',
      postal_code: '12345',
      city: 'Berlin',
      contact_name: 'Frau Lindner',
      contact_phone: '030 987654',
      contact_email: 'haus@example.org',
    });
    const saal = await aRoom(t.ctx.db, { slug: 'saal', name: 'Festsaal' });
    await aRoom(t.ctx.db, { slug: 'kueche', name: 'Lehrküche' });
    await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-11-23', start: '14:00', end: '16:00', publicTitle: 'Seniorencafé', showPublicTitle: true });
    await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-11-24', start: '09:00', end: '10:00', publicTitle: 'Morgen erst', showPublicTitle: true });
    const res = await t.request.get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Haus am Teich</h1>');
    expect(res.text).toContain('Ein Ort für alle.');
    expect(res.text).toContain('Teichweg 1, 12345 Berlin');
    expect(res.text).toContain('Montag, 23. November 2026');
    expect(res.text).toContain('14:00–16:00 Uhr');
    expect(res.text).toContain('Seniorencafé');
    expect(res.text).not.toContain('Morgen erst');
    expect(res.text).toContain('href="/rooms/saal"');
    expect(res.text).toContain('href="/rooms/kueche"');
    expect(res.text).toContain('href="/requests/new"');
    expect(res.text).toContain('href="tel:030987654"');
    expect(res.text).toContain('href="mailto:haus@example.org"');
    expect(res.text).toContain('Ansprechperson: Frau Lindner');
    expect(res.text).toContain('Samstag: 10:00–22:00 Uhr');
    expect(res.text).toContain('Sonntag: geschlossen');
  });

  it('speaks English', async () => {
    t = await makeTestApp();
    await aRoom(t.ctx.db, { name: 'Festsaal' });
    const res = await t.request.get('/?lang=en');
    expect(res.text).toContain('<html lang="en" dir="ltr">');
    expect(res.text).toContain('Today in the house');
    expect(res.text).toContain('How to ask for a room');
    expect(res.text).toContain('Monday, 23 November 2026');
  });

  it('renders the demo house with its rooms and today’s groups', async () => {
    t = await makeTestApp({ demo: true });
    const res = await t.request.get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Haus der Begegnung');
    const cards = res.text.match(/<li class="card">/g) ?? [];
    expect(cards.length).toBeGreaterThanOrEqual(5);
    expect(res.text).toContain('Deutschkurs A2'); // Monday 09:00–12:00 every week
  });
});

describe('the house week', () => {
  it('shows rooms × days for the week of the date, with links to the next and previous week and to each day', async () => {
    t = await makeTestApp();
    await aRoom(t.ctx.db, { name: 'Festsaal' });
    await aRoom(t.ctx.db, { name: 'Lehrküche' });
    const res = await t.request.get('/week?date=2026-12-10');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Hauswoche</h1>');
    expect(res.text).toContain('<h2 id="week-caption" class="board-caption">Kalenderwoche 50: 7. Dezember 2026 bis 13. Dezember 2026</h2>');
    expect(res.text).toMatch(/<h3 class="board-dayhead gc-2" id="d-2026-12-07"><a href="\/day\?date=2026-12-07">Montag 07\.12\.<\/a><\/h3>/);
    expect(res.text).toMatch(/<li class="room-label gr-0"><a href="\/rooms\/[^"]+">Festsaal<\/a><\/li>/);
    // Day by day, room by room: the agenda order of a phone and of a screen reader.
    expect(boardCells(res.text).map((c) => `${c.date} ${c.room}`)).toEqual(WEEK_DAYS('2026-12-07').flatMap((d) => [`${d} Festsaal`, `${d} Lehrküche`]));
    expect(res.text).toContain('href="/week?date=2026-11-30"');
    expect(res.text).toContain('href="/week?date=2026-12-14"');
    expect(res.text).toContain('<input type="date" id="jump-date" name="date" value="2026-12-10"');
    expect(res.text).toContain('<a href="/search">Freien Raum finden</a>');
    expect(res.text).toContain('Legende');
  });

  it('marks today, in the week of today by default', async () => {
    t = await makeTestApp({ now: '2026-11-25T10:00:00+01:00' });
    await aRoom(t.ctx.db, { name: 'Festsaal' });
    const res = await t.request.get('/week');
    expect(res.text).toContain('Kalenderwoche 48');
    expect(res.text).toMatch(
      /<h3 class="board-dayhead gc-4 today" id="d-2026-11-25"><a href="\/day\?date=2026-11-25">Mittwoch 25\.11\.<\/a> <strong class="today-mark">heute<\/strong>/,
    );
    expect(weekCell(res.text, 'Festsaal', 2).today).toBe(true);
    expect(weekCell(res.text, 'Festsaal', 1).today).toBe(false);
    const other = await t.request.get('/week?date=2026-12-25');
    expect(other.text).not.toContain('today-mark');
  });

  it('offers free stretches in time order as links to the request form with their first two hours, after the lead time', async () => {
    t = await makeTestApp({ now: '2026-11-23T10:00:00+01:00' });
    const saal = await aRoom(t.ctx.db, { slug: 'festsaal', name: 'Festsaal' });
    await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-11-26', start: '12:00', end: '14:00' });
    await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-11-26', start: '21:00', end: '22:00', status: 'pending' });
    const res = await t.request.get('/week');
    expect(weekCell(res.text, 'Festsaal', 1).html).not.toContain('/requests/new'); // Tuesday: within the two days' lead time
    const thursday = weekCell(res.text, 'Festsaal', 3);
    expect(thursday.entries.map((e) => [e.kind, e.text.replace(/^.*?(\d\d:\d\d–\d\d:\d\d Uhr) /, '$1 ')])).toEqual([
      ['free', '08:00–12:00 Uhr frei'],
      ['approved', '12:00–14:00 Uhr belegt'],
      ['free', '14:00–21:00 Uhr frei'],
      ['pending', '21:00–22:00 Uhr angefragt'],
    ]);
    const [morning, , afternoon] = thursday.entries;
    expect(linkParams(morning!.href)).toEqual({ room: 'festsaal', date: '2026-11-26', start: '08:00', end: '10:00' });
    expect(linkParams(afternoon!.href)).toEqual({ room: 'festsaal', date: '2026-11-26', start: '14:00', end: '16:00' });
    expect(afternoon!.text).toContain('Festsaal, Donnerstag, 26. November 2026: anfragen,');
    expect(weekCell(res.text, 'Festsaal', 6).note).toBe('Haus geschlossen'); // Sunday: no opening hours
    expect(weekCell(res.text, 'Festsaal', 6).html).not.toContain('/requests/new');
  });

  it('offers no slot in a room the public cannot request, and says so in each day', async () => {
    t = await makeTestApp({ now: '2026-11-23T10:00:00+01:00' });
    await aRoom(t.ctx.db, { slug: 'buero', name: 'Beratungsraum', publicBookable: false });
    const res = await t.request.get('/week?date=2026-12-01');
    expect(weekCell(res.text, 'Beratungsraum', 3).html).not.toContain('/requests/new');
    expect(weekCell(res.text, 'Beratungsraum', 3).note).toBe('nur über das Büro');
  });

  it('shows a whole room’s booking in its parts and a part’s booking in the whole', async () => {
    t = await makeTestApp();
    const a = await aRoom(t.ctx.db, { slug: 'saal-a', name: 'Saal A' });
    const b = await aRoom(t.ctx.db, { slug: 'saal-b', name: 'Saal B' });
    const whole = await aWholeRoom(t.ctx.db, [a.id, b.id], { slug: 'grosser-saal', name: 'Großer Saal' });
    await aBooking(t.ctx.db, { roomId: whole.id, date: '2026-12-01', start: '19:00', end: '21:00' });
    await aBooking(t.ctx.db, { roomId: a.id, date: '2026-12-02', start: '10:00', end: '12:00', status: 'pending' });
    const res = await t.request.get('/week?date=2026-12-01');
    expect(weekCell(res.text, 'Saal A', 1).text).toContain('belegt (Großer Saal)');
    expect(weekCell(res.text, 'Saal B', 1).text).toContain('belegt (Großer Saal)');
    expect(weekCell(res.text, 'Großer Saal', 2).text).toContain('angefragt (Saal A)');
    expect(weekCell(res.text, 'Saal B', 2).text).not.toContain('angefragt');
    // Saal A is busy 19–21 through the whole: no free stretch crosses that time.
    const stretches = weekCell(res.text, 'Saal A', 1).entries.filter((e) => e.kind === 'free');
    expect(stretches.map((e) => /(\d\d:\d\d–\d\d:\d\d) Uhr/.exec(e.text)![1])).toEqual(['08:00–19:00', '21:00–22:00']);
    expect(stretches.map((e) => linkParams(e.href).end)).toEqual(['10:00', '22:00']);
  });

  it('shows a closure as geschlossen, with its label only when it is public', async () => {
    t = await makeTestApp();
    const r = await aRoom(t.ctx.db, { name: 'Festsaal' });
    await aBlockedTime(t.ctx.db, { from: '2026-12-01', label: 'Betriebsausflug', isPublic: true });
    await aBlockedTime(t.ctx.db, { roomId: r.id, from: '2026-12-02', fromTime: '10:00', toTime: '12:00', label: 'Kammerjäger', isPublic: false });
    const res = await t.request.get('/week?date=2026-12-01');
    expect(weekCell(res.text, 'Festsaal', 1).entries.map((e) => [e.kind, e.text])).toEqual([['closed', 'Festsaal ganztägig geschlossen: Betriebsausflug']]);
    expect(weekCell(res.text, 'Festsaal', 1).html).not.toContain('/requests/new');
    expect(weekCell(res.text, 'Festsaal', 2).text).toContain('10:00–12:00 Uhr geschlossen');
    expect(res.text).not.toContain('Kammerjäger');
  });

  it('speaks English', async () => {
    t = await makeTestApp();
    const r = await aRoom(t.ctx.db, { name: 'Festsaal' });
    await aBooking(t.ctx.db, { roomId: r.id, date: '2026-12-01', start: '19:00', end: '21:00' });
    const res = await t.request.get('/week?date=2026-12-01&lang=en');
    expect(res.text).toContain('<h1>House week</h1>');
    expect(res.text).toContain('Week 49: 30 November 2026 to 6 December 2026');
    expect(weekCell(res.text, 'Festsaal', 1).text).toContain('booked');
    expect(res.text).toContain('Previous week');
    expect(res.text).toContain('<a href="/search">Find a free room</a>');
  });

  it('renders the demo house week', async () => {
    t = await makeTestApp({ demo: true });
    const res = await t.request.get('/week');
    expect(res.status).toBe(200);
    const rows = res.text.match(/<li class="room-label /g) ?? [];
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(res.text).toContain('Nachbarschaftschor');
    expect(res.text).toContain('Nachbarschaftschor (Großer Saal)');
  });
});

describe('the rooms', () => {
  it('lists the active rooms', async () => {
    t = await makeTestApp();
    await aRoom(t.ctx.db, { slug: 'saal', name: 'Festsaal', capacity: 80 });
    const res = await t.request.get('/rooms');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Räume</h1>');
    expect(res.text).toContain('<a href="/rooms/saal">Festsaal</a>');
    expect(res.text).toContain('bis zu 80 Personen');
    expect((await t.request.get('/rooms?lang=en')).text).toContain('up to 80 people');
  });

  it('shows a room’s details, its week, the month link and the calendar feed', async () => {
    t = await makeTestApp({ now: '2026-11-23T10:00:00+01:00' });
    const a = await aRoom(t.ctx.db, { slug: 'saal-a', name: 'Saal A', equipment: ['projector', 'piano'], bufferBeforeMin: 15, bufferAfterMin: 30 });
    const b = await aRoom(t.ctx.db, { slug: 'saal-b', name: 'Saal B' });
    await aWholeRoom(t.ctx.db, [a.id, b.id], { slug: 'grosser-saal', name: 'Großer Saal' });
    await t.ctx.db.updateTable('rooms').set({ accessibility_notes: 'Rampe am Hofeingang' }).where('id', '=', a.id).execute();
    await aBooking(t.ctx.db, { roomId: a.id, date: '2026-12-03', start: '19:00', end: '21:00', publicTitle: 'Chorprobe', showPublicTitle: true });
    const res = await t.request.get('/rooms/saal-a?date=2026-12-03');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Saal A</h1>');
    expect(res.text).toContain('Beamer');
    expect(res.text).toContain('Klavier');
    expect(res.text).toContain('barrierefrei. Rampe am Hofeingang');
    expect(res.text).toContain('15 Minuten vorher und 30 Minuten nachher');
    expect(res.text).toContain('<dt>Teil von</dt><dd><a href="/rooms/grosser-saal">Großer Saal</a></dd>');
    expect(res.text).toContain('ja, über das Anfrageformular');
    expect(res.text).toContain('Saal A: Kalenderwoche 49');
    // The room's week on the time axis: days in order, Thursday busy 19–21 (its chosen title shown) and free around it.
    expect(boardCells(res.text).map((c) => c.date)).toEqual(['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06']);
    const thursday = boardCell(res.text, '', '2026-12-03');
    expect(thursday.entries.map((e) => [e.kind, e.start, e.end])).toEqual([
      ['free', 1, 42], // 08:00–18:15: set-up and clean-up of both (15 + 30 minutes) keep 18:15–19:00 and 21:00–21:45 clear
      ['approved', 45, 53], // 19:00–21:00 on the axis from 08:00, a line every quarter hour; 21:45–22:00 is too short to ask for
    ]);
    expect(thursday.entries[1]!.text).toBe('Saal A 19:00–21:00 Uhr belegt: Chorprobe');
    expect(linkParams(thursday.entries[0]!.href)).toEqual({ room: 'saal-a', date: '2026-12-03', start: '08:00', end: '10:00' });
    expect(thursday.entries[0]!.text).toContain('08:00–18:15 Uhr frei');
    expect(res.text).toContain('href="/rooms/saal-a/month?month=2026-12"');
    expect(res.text).toContain('<link rel="alternate" type="text/calendar" href="/rooms/saal-a/calendar.ics">');
    expect(res.text).toContain('<a href="/rooms/saal-a/calendar.ics"');
    expect(res.text).toContain('href="/rooms/saal-a?date=2026-12-07"');

    const whole = await t.request.get('/rooms/grosser-saal?date=2026-12-03&lang=en');
    expect(whole.text).toContain('Made of');
    expect(boardCell(whole.text, '', '2026-12-03').entries.map((e) => e.text)).toContain('Großer Saal 19:00–21:00 booked: Chorprobe (Saal A)');
  });

  it('says when a room can only be asked for through the office', async () => {
    t = await makeTestApp();
    await aRoom(t.ctx.db, { slug: 'beratung', name: 'Beratungsraum', publicBookable: false });
    const res = await t.request.get('/rooms/beratung');
    expect(res.text).toContain('Dieser Raum wird nur über das Büro vergeben.');
    expect(res.text).toContain('nein, nur über das Büro');
    expect(res.text).not.toContain('/requests/new?room=beratung');
  });

  it('shows the month overview with a status for each day', async () => {
    t = await makeTestApp({ now: '2026-11-23T10:00:00+01:00' });
    const r = await aRoom(t.ctx.db, { slug: 'saal', name: 'Festsaal' });
    await aBooking(t.ctx.db, { roomId: r.id, date: '2026-12-01', start: '10:00', end: '12:00' });
    await aBooking(t.ctx.db, { roomId: r.id, date: '2026-12-02', start: '08:00', end: '22:00' });
    await aBlockedTime(t.ctx.db, { roomId: r.id, from: '2026-12-03' });
    const res = await t.request.get('/rooms/saal/month?month=2026-12');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Festsaal: Monatsübersicht</h1>');
    expect(res.text).toContain('Festsaal im Dezember 2026');
    expect(res.text).toContain('<th scope="col" abbr="Montag">Mo</th>');
    const day = (date: string) => res.text.split(`href="/rooms/saal?date=${date}"`)[1]!.split('</a>')[0];
    expect(day('2026-12-01')).toContain('teil\u00adweise be\u00adlegt'); // soft hyphens: a phone breaks at a syllable
    expect(day('2026-12-02')).toContain('status-booked');
    expect(day('2026-12-03')).toContain('ge\u00adschlos\u00adsen');
    expect(day('2026-12-04')).toContain('frei');
    expect(day('2026-12-06')).toContain('ge\u00adschlos\u00adsen'); // Sunday
    expect(res.text).toContain('href="/rooms/saal/month?month=2026-11"');
    expect(res.text).toContain('href="/rooms/saal/month?month=2027-01"');
    expect(res.text).toContain('<link rel="alternate" type="text/calendar" href="/rooms/saal/calendar.ics">');

    const now = await t.request.get('/rooms/saal/month?lang=en');
    expect(now.text).toContain('Festsaal in November 2026');
    expect(now.text).toMatch(
      /Monday, 23 November 2026: <\/span><span class="day-status status-unavailable">can\u00adnot be re\u00adquest\u00aded<\/span> <strong class="today-mark">today/,
    );
    // Past days are over; today and tomorrow lie inside the lead time of two days; then it is free again.
    const nov = (date: string) => now.text.split(`href="/rooms/saal?date=${date}"`)[1]!.split('</a>')[0];
    expect(nov('2026-11-20')).toContain('status-past');
    expect(nov('2026-11-24')).toContain('status-unavailable');
    expect(nov('2026-11-25')).toContain('status-free');
  });

  it('tells that a room given out by the office has no times to request, instead of showing none free', async () => {
    t = await makeTestApp({ now: '2026-11-23T10:00:00+01:00' });
    await aRoom(t.ctx.db, { slug: 'buero', name: 'Beratungsraum', publicBookable: false });
    const week = await t.request.get('/rooms/buero?date=2026-12-07');
    expect(week.text).toContain('Dieser Raum wird nur über das Büro vergeben.');
    expect(week.text).not.toContain('Freie Zeiten');
    expect(week.text).not.toContain('anklicken, um anzufragen');
    const month = await t.request.get('/rooms/buero/month?month=2026-12');
    expect(month.text).toContain('Dieser Raum wird nur über das Büro vergeben.');
    expect(month.text).not.toContain('status-unavailable');
    expect(month.text.split('href="/rooms/buero?date=2026-12-07"')[1]!.split('</a>')[0]).toContain('status-free');
  });

  it('marks the house texts as German on English pages, and names the house once in the start page title', async () => {
    t = await makeTestApp({ demo: true });
    const rules = await t.request.get('/rules?lang=en');
    expect(rules.text).toContain('<p class="house-text-note">(only in German)</p>');
    expect(rules.text).toMatch(/<div class="prewrap text-page" lang="de" dir="ltr">/);
    const de = await t.request.get('/rules?lang=de');
    expect(de.text).not.toContain('nur auf Deutsch');
    const home = await t.request.get('/');
    const name = home.text.match(/<title>([^<]*)<\/title>/)![1];
    expect(name!.split(' – ')).toHaveLength(1);
  });

  it('names a date outside the calendar as such, not as a date that does not exist', async () => {
    t = await makeTestApp();
    const far = await t.request.get('/week?date=9999-12-31');
    expect(far.status).toBe(400);
    expect(far.text).toContain('9999-12-31 liegt außerhalb des Kalenders (Jahre 1970 bis 2199).');
    const api = await t.request.get('/api/v1/availability?from=9999-12-25&to=9999-12-31&lang=en');
    expect(api.status).toBe(400);
    expect(JSON.stringify(api.body)).toContain('outside the calendar');
    const bad = await t.request.get('/week?date=2027-02-29');
    expect(bad.text).toContain('Das Datum 2027-02-29 gibt es nicht');
    // Too long, repeated or an array: the same message in the user's language, never the library's own text.
    for (const url of ['/week?date=2026-12-011', '/week?date=a&date=b', '/rooms/x/month?month=2026-123']) {
      const res = await t.request.get(url);
      expect(res.status, url).toBeGreaterThanOrEqual(400);
      expect(res.text, url).not.toMatch(/expected|Too big|Invalid input/i);
    }
    const long = await t.request.get('/week?date=2026-12-011');
    expect(long.text).toContain('Bitte im Format JJJJ-MM-TT angeben');
  });
});

describe('the house texts', () => {
  it('shows the rules, privacy notice and imprint from the settings, escaped, lines kept', async () => {
    t = await makeTestApp();
    await house({ rules_text: '1. Leise sein.\n2. <b>Aufräumen</b>.', privacy_text: 'Wir speichern wenig.', imprint_text: 'Verein Linde e. V.' });
    const rules = await t.request.get('/rules');
    expect(rules.status).toBe(200);
    expect(rules.text).toContain('<h1>Nutzungsordnung</h1>');
    expect(rules.text).toContain('<div class="prewrap text-page">1. Leise sein.\n2. &lt;b&gt;Aufräumen&lt;/b&gt;.</div>');
    expect(rules.text).toContain('Fassung 1');
    expect((await t.request.get('/privacy')).text).toContain('Wir speichern wenig.');
    expect((await t.request.get('/imprint')).text).toContain('Verein Linde e. V.');
    expect((await t.request.get('/privacy?lang=en')).text).toContain('<h1>Privacy notice</h1>');
    expect((await t.request.get('/imprint?lang=en')).text).toContain('<h1>Imprint</h1>');
  });

  it('says so when a text is not entered yet', async () => {
    t = await makeTestApp();
    const res = await t.request.get('/imprint');
    expect(res.text).toContain('Dieser Text ist noch nicht eingetragen.');
  });
});
