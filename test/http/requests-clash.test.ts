import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBlockedTime, aBooking, aRoom, aWholeRoom } from '../helpers/factories.js';
import { fieldError, formAgent, tokenFrom, validFields } from '../helpers/request-form.js';
import { sqliteHandleForTests } from '../../src/db/database.js';

describe('requests and what is already booked (rules 5, 6 and 8)', () => {
  let t: TestApp;
  let saalA: { id: number; slug: string };
  let saalB: { id: number; slug: string };
  let saal: { id: number; slug: string };
  beforeEach(async () => {
    t = await makeTestApp();
    saalA = await aRoom(t.ctx.db, { slug: 'saal-a', name: 'Saal A', capacity: 60 });
    saalB = await aRoom(t.ctx.db, { slug: 'saal-b', name: 'Saal B', capacity: 60 });
    saal = await aWholeRoom(t.ctx.db, [saalA.id, saalB.id], { slug: 'grosser-saal', name: 'Großer Saal', capacity: 120 });
  });
  afterEach(() => t.close());

  const requests = async () => t.ctx.db.selectFrom('requests').selectAll().execute();

  it('refuses a request for the whole when a part is booked, naming room and time but not the group', async () => {
    await aBooking(t.ctx.db, {
      roomId: saalA.id,
      date: '2026-12-01',
      start: '17:00',
      end: '19:00',
      status: 'approved',
      contactName: 'Heimlich Huber',
      organisation: 'Geheimbund e. V.',
      title: 'Geheimtreffen',
    });
    const before = (await requests()).length;
    for (const [lang, text] of [
      ['de', 'Saal A ist belegt am Dienstag, 1. Dezember 2026, 17:00–19:00 Uhr'],
      ['en', 'Saal A is booked on Tuesday, 1 December 2026, 17:00–19:00'],
    ] as const) {
      const res = await formAgent(t).post('/requests', validFields('grosser-saal'), { lang });
      expect(res.status).toBe(409);
      expect(fieldError(res.text, 'date')).toContain(text);
      expect(res.text).not.toMatch(/Heimlich|Geheim|erika@example.org"?>?[^"]*Geheim/);
    }
    expect((await requests()).length).toBe(before);
  });

  it('refuses a request for a part when the whole is booked', async () => {
    await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-12-01', start: '19:30', end: '21:00', status: 'approved' });
    const res = await formAgent(t).post('/requests', validFields('saal-b'));
    expect(res.status).toBe(409);
    expect(fieldError(res.text, 'date')).toContain('Großer Saal ist belegt am Dienstag, 1. Dezember 2026, 19:30–21:00 Uhr');
  });

  it('lets the other part be requested at the same time', async () => {
    await aBooking(t.ctx.db, { roomId: saalA.id, date: '2026-12-01', start: '18:00', end: '20:00', status: 'approved' });
    const res = await formAgent(t).post('/requests', validFields('saal-b'));
    expect(res.status).toBe(303);
  });

  it('keeps the buffers between bookings and says so', async () => {
    const kitchen = await aRoom(t.ctx.db, { slug: 'kueche', name: 'Lehrküche', bufferAfterMin: 30, capacity: 14 });
    await aBooking(t.ctx.db, { roomId: kitchen.id, date: '2026-12-01', start: '16:00', end: '18:00', status: 'approved' });
    const f = formAgent(t);
    const res = await f.post('/requests', validFields('kueche', { start: '18:15', end: '20:00' }));
    expect(res.status).toBe(409);
    expect(fieldError(res.text, 'date')).toContain('Auf- und Abbauen');
    const after = await f.post('/requests', validFields('kueche', { start: '18:30', end: '20:00' }));
    expect(after.status).toBe(303);
  });

  it('treats touching bookings without buffers as free (half-open intervals)', async () => {
    await aBooking(t.ctx.db, { roomId: saalA.id, date: '2026-12-01', start: '16:00', end: '18:00', status: 'approved' });
    const res = await formAgent(t).post('/requests', validFields('saal-a', { start: '18:00', end: '20:00' }));
    expect(res.status).toBe(303);
  });

  it('refuses a request in a blocked time and names the public reason', async () => {
    await aBlockedTime(t.ctx.db, { from: '2026-12-01', label: 'Betriebsversammlung', reason: 'house_event' });
    const res = await formAgent(t).post('/requests', validFields('saal-a'));
    expect(res.status).toBe(409);
    expect(fieldError(res.text, 'date')).toContain('Das ganze Haus ist geschlossen am Dienstag, 1. Dezember 2026 (Betriebsversammlung)');
  });

  it('lets two pending requests compete for the same slot', async () => {
    const f = formAgent(t);
    expect((await f.post('/requests', validFields('saal-a'))).status).toBe(303);
    expect((await f.post('/requests', validFields('saal-a', { email: 'other@example.org' }))).status).toBe(303);
    expect((await f.post('/requests', validFields('grosser-saal'))).status).toBe(303);
    expect(await t.ctx.db.selectFrom('bookings').select('status').execute()).toEqual([{ status: 'pending' }, { status: 'pending' }, { status: 'pending' }]);
  });

  it('maps a clash found by the database guard to the clash message, not a 500', async () => {
    // The guard refusing at write time (as when the slot was approved between check and write).
    sqliteHandleForTests(t.ctx).exec(`CREATE TRIGGER test_guard BEFORE INSERT ON bookings BEGIN SELECT RAISE(ABORT, 'RAUMBUCH_CLASH'); END;`);
    const res = await formAgent(t).post('/requests', validFields('saal-b'));
    expect(res.status).toBe(409);
    expect(fieldError(res.text, 'date')).toContain('eben für diese Zeit vergeben');
    expect(await requests()).toEqual([]);
  });

  describe('series', () => {
    it('previews a series over Christmas in Berlin: the holiday is skipped with its name, nothing is stored', async () => {
      const f = formAgent(t);
      const res = await f.post(
        '/requests',
        validFields('saal-a', { date: '2026-12-11', start: '18:00', end: '20:00', repeat: 'weekly', lastDate: '2027-01-08', action: 'preview' }),
      );
      expect(res.status).toBe(200);
      const items = [
        ...res.text.matchAll(
          /<li class="preview-(\w+)">\s*<span class="preview-when">([^<]+)<\/span>\s*<span class="mark preview-mark-\w+">([^<]+)<\/span>\s*(?:<span class="preview-reason">([^<]*)<\/span>)?/g,
        ),
      ].map((m) => [m[1], m[2], m[3], m[4] ?? '']);
      expect(items).toEqual([
        ['ok', 'Freitag, 11. Dezember 2026, 18:00–20:00 Uhr', 'frei', ''],
        ['ok', 'Freitag, 18. Dezember 2026, 18:00–20:00 Uhr', 'frei', ''],
        ['skipped', 'Freitag, 25. Dezember 2026, 18:00–20:00 Uhr', 'entfällt', 'Feiertag: 1. Weihnachtstag'],
        ['skipped', 'Freitag, 1. Januar 2027, 18:00–20:00 Uhr', 'entfällt', 'Feiertag: Neujahr'],
        ['ok', 'Freitag, 8. Januar 2027, 18:00–20:00 Uhr', 'frei', ''],
      ]);
      expect(res.text).toContain('3 von 5 Terminen können angefragt werden.');
      expect(await requests()).toEqual([]);
    });

    it('keeps 19:00 at 19:00 across the DST change of 28 March 2027 in the preview and the stored dates', async () => {
      const f = formAgent(t);
      const fields = validFields('saal-a', { date: '2027-03-15', start: '19:00', end: '21:00', repeat: 'weekly', lastDate: '2027-04-05' });
      const preview = await f.post('/requests', { ...fields, action: 'preview' });
      const whens = [...preview.text.matchAll(/<span class="preview-when">([^<]+)<\/span>/g)].map((m) => m[1]);
      expect(whens).toEqual([
        'Montag, 15. März 2027, 19:00–21:00 Uhr',
        'Montag, 22. März 2027, 19:00–21:00 Uhr',
        'Montag, 29. März 2027, 19:00–21:00 Uhr',
        'Montag, 5. April 2027, 19:00–21:00 Uhr',
      ]);
      // Easter Monday 2027 is 29 March: a holiday in every state.
      expect(preview.text).toContain('Feiertag: Ostermontag');
      const res = await f.post('/requests', fields);
      expect(res.status).toBe(303);
      const rows = await t.ctx.db.selectFrom('bookings').select(['local_date', 'start_at', 'status', 'skip_reason']).orderBy('start_at').execute();
      expect(rows.map((r) => [r.local_date, new Date(r.start_at).toISOString(), r.status, r.skip_reason])).toEqual([
        ['2027-03-15', '2027-03-15T18:00:00.000Z', 'pending', null],
        ['2027-03-22', '2027-03-22T18:00:00.000Z', 'pending', null],
        ['2027-03-29', '2027-03-29T17:00:00.000Z', 'skipped', 'holiday'],
        ['2027-04-05', '2027-04-05T17:00:00.000Z', 'pending', null],
      ]);
    });

    it('lists clashes and closures before sending and sends only the free dates, keeping the others skipped with their reason', async () => {
      await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-12-08', start: '17:00', end: '18:30', status: 'approved', contactName: 'Heimlich Huber' });
      await aBlockedTime(t.ctx.db, { roomId: saalA.id, from: '2026-12-15', reason: 'renovation', label: 'Malerarbeiten' });
      const f = formAgent(t);
      const fields = validFields('saal-a', { repeat: 'weekly', lastDate: '2026-12-22' });
      const preview = await f.post('/requests', { ...fields, action: 'preview' }, { lang: 'en' });
      expect(preview.status).toBe(200);
      expect(preview.text).toContain('Großer Saal is booked on Tuesday, 8 December 2026, 17:00–18:30.');
      expect(preview.text).toContain('Saal A is closed on Tuesday, 15 December 2026 (Malerarbeiten).');
      expect(preview.text).toContain('2 of 4 dates can be requested.');
      expect(preview.text).not.toContain('Heimlich');
      // The preview keeps the personal fields without complaining about them.
      expect(fieldError(preview.text, 'acceptRules')).toBeNull();
      const res = await f.post('/requests', fields);
      expect(res.status).toBe(303);
      const rows = await t.ctx.db
        .selectFrom('bookings')
        .select(['local_date', 'status', 'skip_reason'])
        .where('request_id', '=', (await requests()).at(-1)!.id)
        .orderBy('local_date')
        .execute();
      expect(rows).toEqual([
        { local_date: '2026-12-01', status: 'pending', skip_reason: null },
        { local_date: '2026-12-08', status: 'skipped', skip_reason: 'clash' },
        { local_date: '2026-12-15', status: 'skipped', skip_reason: 'closure' },
        { local_date: '2026-12-22', status: 'pending', skip_reason: null },
      ]);
      const manage = await f.get(`/requests/${tokenFrom(res)}`);
      expect(manage.text).toContain('room already booked');
      expect(manage.text).toContain('house closed');
    });

    it('refuses a series whose dates all clash', async () => {
      for (const date of ['2026-12-01', '2026-12-08']) await aBooking(t.ctx.db, { roomId: saalA.id, date, start: '18:00', end: '20:00', status: 'approved' });
      const before = await requests();
      const res = await formAgent(t).post('/requests', validFields('saal-a', { repeat: 'weekly', lastDate: '2026-12-08' }));
      expect(res.status).toBe(409);
      expect(fieldError(res.text, 'date')).toContain('Keiner der Termine kann angefragt werden');
      expect(await requests()).toEqual(before);
    });

    it('stores the series definition with the request', async () => {
      const res = await formAgent(t).post('/requests', validFields('saal-a', { repeat: 'weekly', everyWeeks: '2', lastDate: '2027-01-26' }));
      expect(res.status).toBe(303);
      const [r] = await requests();
      expect(r).toMatchObject({ repeat_weeks: 2, first_date: '2026-12-01', last_date: '2027-01-26', start_time: '18:00', end_time: '20:00' });
      const dates = await t.ctx.db.selectFrom('bookings').select('local_date').orderBy('local_date').execute();
      expect(dates.map((d) => d.local_date)).toEqual(['2026-12-01', '2026-12-15', '2026-12-29', '2027-01-12', '2027-01-26']);
    });
  });
});
