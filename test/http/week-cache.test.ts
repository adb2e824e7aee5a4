// The house week's content kept rendered for visitors the page cache does not serve (a session cookie, ?lang=):
// it is reused only while the data version and the minute stay the same, never across languages, and at most
// config.weekCacheWeeks weeks are kept.
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { loginAs } from '../helpers/login.js';
import { useTempDatabaseFile } from '../helpers/temp-database.js';

/** A session cookie the server does not know (as a visitor whose session ran out): the page cache is bypassed. */
const SESSION = 'rb.sid=s%3Avisitor';

describe('the kept house week (visitors with a session cookie)', () => {
  const file = useTempDatabaseFile();
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const week = (date: string, cookie = SESSION) => t!.request.get(`/week?date=${date}`).set('Cookie', cookie);

  /** Freezes the data version the app sees (as if nothing had been committed), until the returned function is called. */
  function freezeDataVersion(app: TestApp): () => void {
    const real = app.ctx.dataVersion.bind(app.ctx);
    const frozen = real();
    app.ctx.dataVersion = () => frozen;
    return () => (app.ctx.dataVersion = real);
  }

  it('reuses the rendered week while the data version and the minute stay the same', async () => {
    t = await makeTestApp();
    const room = await aRoom(t.ctx.db, { name: 'Gruppenraum' });
    const first = await week('2026-12-01');
    expect(first.status).toBe(200);
    const thaw = freezeDataVersion(t);
    // Written behind the app's back: the kept week does not know of it yet …
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-01', publicTitle: 'Ungesehen', showPublicTitle: true });
    const kept = await week('2026-12-01');
    expect(kept.text).not.toContain('Ungesehen');
    expect(kept.text).toBe(first.text);
    // … and shows it once the data version says something was committed.
    thaw();
    expect((await week('2026-12-01')).text).toContain('Ungesehen');
  });

  it('shows a booking written through the app at once', async () => {
    t = await makeTestApp();
    const room = await aRoom(t.ctx.db, { name: 'Gruppenraum' });
    expect((await week('2026-12-01')).text).not.toContain('Cachetest-Titel');
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-01', publicTitle: 'Cachetest-Titel', showPublicTitle: true });
    expect((await week('2026-12-01')).text).toContain('Cachetest-Titel');
  });

  it('answers a browser that has the week (its ETag) with 304, and gives the week a new ETag when a booking changes it', async () => {
    t = await makeTestApp();
    const room = await aRoom(t.ctx.db, { name: 'Gruppenraum' });
    const gz = (etag?: string) => {
      const req = week('2026-12-01').set('Accept-Encoding', 'gzip');
      return etag ? req.set('If-None-Match', etag) : req;
    };
    const first = await gz();
    expect(first.headers['content-encoding']).toBe('gzip');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^W\/"[0-9a-f]+-/);
    expect((await gz()).headers.etag).toBe(etag);
    expect((await gz(etag)).status).toBe(304);
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-01', publicTitle: 'Neu', showPublicTitle: true });
    const changed = await gz(etag);
    expect(changed.status).toBe(200);
    expect(changed.text).toContain('Neu');
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('shows a booking committed through another connection to the same database file', async () => {
    t = await makeTestApp({ config: { databasePath: file.path() } });
    const room = await aRoom(t.ctx.db, { name: 'Gruppenraum' });
    expect((await week('2026-12-01')).text).not.toContain('Anderer Prozess');
    await file.fromOtherConnection((other) => aBooking(other, { roomId: room.id, date: '2026-12-01', publicTitle: 'Anderer Prozess', showPublicTitle: true }));
    expect((await week('2026-12-01')).text).toContain('Anderer Prozess');
  });

  it('never answers one language with a week rendered in another', async () => {
    t = await makeTestApp();
    await aRoom(t.ctx.db, { name: 'Gruppenraum' });
    const de = await week('2026-12-01', `${SESSION}; lang=de`);
    expect(de.text).toContain('<html lang="de" dir="ltr">');
    expect(de.text).toContain('Kalenderwoche 49');
    for (const [cookie, html, caption] of [
      ['lang=en', '<html lang="en" dir="ltr">', 'Week 49'],
      ['lang=tr', '<html lang="tr" dir="ltr">', '49'],
      ['lang=ar', '<html lang="ar" dir="rtl">', '49'],
    ] as const) {
      const other = await week('2026-12-01', `${SESSION}; ${cookie}`);
      expect(other.text, cookie).toContain(html);
      expect(other.text, cookie).toContain(caption);
      expect(other.text, cookie).not.toContain('Kalenderwoche');
      expect(other.text, cookie).not.toContain('Hauswoche');
    }
    // ?lang= (which the page cache never serves) is the same kept week as the cookie.
    const en = await t.request.get('/week?date=2026-12-01&lang=en');
    expect(en.text).toContain('Week 49');
    expect(en.text).not.toContain('Kalenderwoche');
    // And German again is German.
    expect((await week('2026-12-01', `${SESSION}; lang=de`)).text).toContain('Kalenderwoche 49');
  });

  it("moves today's mark at midnight in the house zone (also in the week the clocks change)", async () => {
    // Sunday 28 March 2027: the clocks go forward at 02:00 (Europe/Berlin, CET → CEST).
    t = await makeTestApp({ now: '2027-03-28T23:59:00+02:00' });
    await aRoom(t.ctx.db, { name: 'Gruppenraum' });
    const todayOf = (html: string) => [...html.matchAll(/class="board-dayhead [^"]*\btoday" id="d-(\d{4}-\d{2}-\d{2})"/g)].map((m) => m[1]);
    const sunday = await week('2027-03-28');
    expect(todayOf(sunday.text)).toEqual(['2027-03-28']);
    // Half a minute later: the same minute, the same day.
    t.clock.advance(30_000);
    expect(todayOf((await week('2027-03-28')).text)).toEqual(['2027-03-28']);
    // Midnight in Berlin (22:00 UTC): Monday is today, in a new week.
    t.clock.set('2027-03-29T00:00:10+02:00');
    const monday = await week('2027-03-29');
    expect(todayOf(monday.text)).toEqual(['2027-03-29']);
    // The week before no longer marks a day as today (its Sunday is past).
    const before = await week('2027-03-28');
    expect(todayOf(before.text)).toEqual([]);
    expect(before.text).not.toBe(sunday.text);
  });

  it('keeps at most the configured number of weeks, the least recently used going first', async () => {
    t = await makeTestApp({ config: { weekCacheWeeks: 2 } });
    const room = await aRoom(t.ctx.db, { name: 'Gruppenraum' });
    await week('2026-12-01');
    await week('2026-12-08');
    await week('2026-12-01'); // now the most recently used
    await week('2026-12-15'); // a third week: 2026-12-08 has to go
    const thaw = freezeDataVersion(t);
    try {
      for (const date of ['2026-12-01', '2026-12-08', '2026-12-15'])
        await aBooking(t.ctx.db, { roomId: room.id, date, publicTitle: `Neu am ${date}`, showPublicTitle: true });
      // Kept (so not rendered again while the data version looks unchanged): the two used last.
      expect((await week('2026-12-01')).text).not.toContain('Neu am 2026-12-01');
      expect((await week('2026-12-15')).text).not.toContain('Neu am 2026-12-15');
      // Gone from the cache: rendered anew, with what is in the database.
      expect((await week('2026-12-08')).text).toContain('Neu am 2026-12-08');
    } finally {
      thaw();
    }
  });

  it('keeps nothing when the number of weeks is 0', async () => {
    t = await makeTestApp({ config: { weekCacheWeeks: 0 } });
    const room = await aRoom(t.ctx.db, { name: 'Gruppenraum' });
    await week('2026-12-01');
    const thaw = freezeDataVersion(t);
    try {
      await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-01', publicTitle: 'Sofort', showPublicTitle: true });
      expect((await week('2026-12-01')).text).toContain('Sofort');
    } finally {
      thaw();
    }
  });

  it('shares only the public week: a staff visit leaves nothing of the staff page or the booking details in it', async () => {
    t = await makeTestApp();
    const room = await aRoom(t.ctx.db, { name: 'Gruppenraum' });
    await aBooking(t.ctx.db, {
      roomId: room.id,
      date: '2026-12-01',
      publicTitle: 'Offener Abend',
      showPublicTitle: true,
      contactName: 'Erika Mustermann',
      organisation: 'Verein Geheim e. V.',
    });
    const staff = await loginAs(t, 'caretaker');
    const asStaff = await staff.agent.get('/week?date=2026-12-01');
    expect(asStaff.text).toContain('href="/admin"');
    const thaw = freezeDataVersion(t);
    try {
      // The same week for a visitor, served from what the staff visit left (the data version looks unchanged).
      const visitor = await week('2026-12-01');
      expect(visitor.text).toContain('Offener Abend');
      expect(visitor.text).not.toContain('href="/admin"');
      expect(visitor.text).not.toContain('Erika Mustermann');
      expect(visitor.text).not.toContain('Verein Geheim');
      expect(visitor.text).not.toContain(staff.user.name);
    } finally {
      thaw();
    }
  });
});
