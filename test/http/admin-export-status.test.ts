// The export's status filter (approved dates by default), its separator, and the XLSX download read back with exceljs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { aBooking, aRoom } from '../helpers/factories.js';

/** Rows of a CSV without quoted cells (enough for these rows), split at the given separator. */
const rowsOf = (body: Buffer, sep: string) =>
  body
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter((l) => l !== '')
    .map((l) => l.split(sep));

describe('export: status filter, separator, XLSX', () => {
  let t: TestApp;
  let staff: LoggedIn;
  const titles: Record<string, string> = {
    approved: 'Chorprobe',
    pending: 'Yoga',
    rejected: 'Flohmarkt',
    cancelled: 'Lesekreis',
    skipped: 'Tanzabend',
  };
  beforeEach(async () => {
    t = await makeTestApp();
    staff = await loginAs(t, 'caretaker');
    const room = await aRoom(t.ctx.db, { name: 'Kleiner Saal' });
    let day = 1;
    for (const [status, title] of Object.entries(titles)) {
      await aBooking(t.ctx.db, {
        roomId: room.id,
        date: `2026-12-${String(day++).padStart(2, '0')}`,
        start: '18:00',
        end: '20:30',
        status: status as 'approved',
        title,
      });
    }
    // A second approved date that ends at midnight.
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-10', start: '20:00', end: '24:00', status: 'approved', title: 'Silvesterprobe' });
  });
  afterEach(() => t.close());

  const download = (query: string) =>
    staff.agent
      .get(`/admin/export?${query}`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
  const csv = async (query: string) => {
    const res = await download(query);
    expect(res.status).toBe(200);
    return res;
  };
  const titlesIn = (rows: string[][]) => rows.slice(1).map((r) => r[6]);

  it('exports only the approved dates when no status is chosen, and says so on the page', async () => {
    const rows = rowsOf((await csv('from=2026-12-01&to=2026-12-31')).body as Buffer, ';');
    expect(titlesIn(rows)).toEqual(['Chorprobe', 'Silvesterprobe']);
    const page = await staff.agent.get('/admin/export');
    expect(page.text).toContain('<option value="approved" selected>');
    expect(page.text).toContain('Ohne Auswahl enthält der Export nur die bestätigten Termine');
    expect(page.text).toContain('Die Spalten');
  });

  it('filters by each status, and "all" holds every date', async () => {
    for (const [status, title] of Object.entries(titles)) {
      if (status === 'approved') continue;
      const rows = rowsOf((await csv(`from=2026-12-01&to=2026-12-31&status=${status}`)).body as Buffer, ';');
      expect(titlesIn(rows), status).toEqual([title]);
    }
    const all = rowsOf((await csv('from=2026-12-01&to=2026-12-31&status=all')).body as Buffer, ';');
    expect(all.slice(1).map((r) => r[5])).toEqual(['bestätigt', 'angefragt', 'abgelehnt', 'abgesagt', 'ausgelassen', 'bestätigt']);
    const log = await t.ctx.db.selectFrom('audit_log').select('details').where('action', '=', 'export.bookings').execute();
    expect(log.map((l) => JSON.parse(l.details).status)).toEqual(['pending', 'rejected', 'cancelled', 'skipped', 'all']);
  });

  it('refuses an unknown status next to its field, keeping the typed period', async () => {
    const res = await staff.agent.get('/admin/export?from=2026-12-01&to=2026-12-31&status=deleted');
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="status-error"');
    expect(res.text).toContain('value="2026-12-01"');
  });

  it('uses a comma on an English page or by choice, a semicolon on a German one', async () => {
    const de = (await csv('from=2026-12-01&to=2026-12-31')).body as Buffer;
    expect(de.toString('utf8').split('\r\n')[0]).toBe(
      '\uFEFFNummer;Raum;Datum;Beginn;Ende;Status;Titel;Öffentlicher Titel;Kategorie;Personen;Organisation;Ansprechperson;E-Mail;Telefon',
    );
    const en = (await csv('from=2026-12-01&to=2026-12-31&lang=en')).body as Buffer;
    expect(en.toString('utf8').split('\r\n')[0]).toMatch(/^\uFEFF[^;]+,[^;]+,/);
    const chosen = rowsOf((await csv('from=2026-12-01&to=2026-12-31&sep=comma&lang=de')).body as Buffer, ',');
    expect(chosen[1]!.slice(1, 7)).toEqual(['Kleiner Saal', '2026-12-01', '18:00', '20:30', 'bestätigt', 'Chorprobe']);
  });

  it('downloads a real XLSX with a header row, date and time cells, one row per date', async () => {
    const res = await download('from=2026-12-01&to=2026-12-31&status=all&format=xlsx');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toContain('buchungen-2026-12-01-bis-2026-12-31.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(7);
    expect((ws.getRow(1).values as unknown[]).slice(1, 7)).toEqual(['Nummer', 'Raum', 'Datum', 'Beginn', 'Ende', 'Status']);
    const first = ws.getRow(2);
    const date = first.getCell(3).value;
    expect(date).toBeInstanceOf(Date);
    expect((date as Date).toISOString().slice(0, 10)).toBe('2026-12-01');
    // 18:00 and 20:30 as time cells (Excel's fraction of a day, read back by exceljs as a time on its day zero).
    const time = (v: unknown) => (v as Date).toISOString();
    expect(time(first.getCell(4).value)).toBe('1899-12-30T18:00:00.000Z');
    expect(time(first.getCell(5).value)).toBe('1899-12-30T20:30:00.000Z');
    expect(first.getCell(4).numFmt).toContain('mm');
    expect(first.getCell(6).value).toBe('bestätigt');
    expect(first.getCell(7).value).toBe('Chorprobe');
    expect(first.getCell(10).value).toBe(10);
    // An end at midnight is 24:00, not 00:00 of the same day.
    expect(time(ws.getRow(7).getCell(5).value)).toBe('1899-12-31T00:00:00.000Z');
    expect(ws.getRow(7).getCell(5).numFmt).toBe('[hh]:mm');
    const log = await t.ctx.db.selectFrom('audit_log').select('details').where('action', '=', 'export.bookings').executeTakeFirstOrThrow();
    expect(JSON.parse(log.details)).toEqual({ from: '2026-12-01', to: '2026-12-31', status: 'all', format: 'xlsx', rows: 6 });
  });

  it('is for staff only', async () => {
    const res = await t.request.get('/admin/export?from=2026-12-01&to=2026-12-31&format=xlsx');
    expect([302, 303]).toContain(res.status);
  });
});
