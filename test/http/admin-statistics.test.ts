// /admin/statistics over HTTP: parameters (bookmarkable, bad ones answered with 400 and a message), who may see
// it, the exports read back (CSV and XLSX carry the page's numbers) and staff entering attendance.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/login.js';
import { aBooking, aRoom, aWholeRoom } from '../helpers/factories.js';

let t: TestApp;
// Wednesday 1 April 2026, noon in Berlin.
beforeEach(async () => {
  t = await makeTestApp({ now: '2026-04-01T12:00:00+02:00' });
});
afterEach(() => t.close());

/** Saal A, Saal B, Großer Saal (A + B); March 2026: A Mon 23rd 10–12 (Lernwerk), Großer Saal Tue 24th 18–21, one cancelled date, one in April (future). */
async function house() {
  const a = await aRoom(t.ctx.db, { name: 'Saal A' });
  const b = await aRoom(t.ctx.db, { name: 'Saal B' });
  const g = await aWholeRoom(t.ctx.db, [a.id, b.id], { name: 'Großer Saal' });
  const d1 = await aBooking(t.ctx.db, {
    roomId: a.id,
    date: '2026-03-23',
    start: '10:00',
    end: '12:00',
    organisation: 'Lernwerk',
    category: 'education',
    attendees: 10,
  });
  const d2 = await aBooking(t.ctx.db, {
    roomId: g.id,
    date: '2026-03-24',
    start: '18:00',
    end: '21:00',
    organisation: 'Chor =1+1',
    contactName: 'Sabine Geheim',
    category: 'culture',
    attendees: 100,
  });
  const cancelled = await aBooking(t.ctx.db, { roomId: b.id, date: '2026-03-25', start: '10:00', end: '11:00', status: 'cancelled' });
  const future = await aBooking(t.ctx.db, { roomId: a.id, date: '2026-04-20', start: '10:00', end: '12:00' });
  const pending = await aBooking(t.ctx.db, { roomId: a.id, date: '2026-03-26', start: '10:00', end: '12:00', status: 'pending' });
  return { a, b, g, d1, d2, cancelled, future, pending };
}

const MARCH = 'period=month&year=2026&month=03';

/** The text of a table's cells on the page, by the section heading's id. */
function tableOf(html: string, id: string): string[][] {
  const section = html.split(`<section class="stat-section" aria-labelledby="h-${id}">`)[1]!.split('</section>')[0]!;
  const rows = [...section.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => decode(c[1]!.trim())),
  );
  return rows;
}
const decode = (s: string) =>
  s
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

function parseCsv(text: string): string[][] {
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('the statistics page', () => {
  it('shows a month with its numbers; no names of people', async () => {
    await house();
    const { agent } = await loginAs(t, 'caretaker');
    const res = await agent.get(`/admin/statistics?${MARCH}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('März 2026');
    // Saal A 2 h, Großer Saal 3 h; total 2 dates, 5 hours (German decimals).
    expect(tableOf(res.text, 'rooms')).toEqual([
      ['Raum', 'Termine', 'Stunden'],
      ['Großer Saal', '1', '3'],
      ['Saal A', '1', '2'],
      ['Gesamt', '2', '5'],
    ]);
    // The Großer Saal's 3 hours count for both parts' occupancy.
    const occ = tableOf(res.text, 'occupancy');
    expect(occ.find((r) => r[0] === 'Saal A')![2]).toBe('5');
    expect(occ.find((r) => r[0] === 'Saal B')![2]).toBe('3');
    expect(occ.map((r) => r[0])).not.toContain('Großer Saal');
    expect(tableOf(res.text, 'cancellations')[1]).toEqual(['Von der Gruppe abgesagt', '1']);
    expect(res.text).toContain('Für 0 von 2 vergangenen Terminen wurden Teilnehmendenzahlen gemeldet.');
    expect(res.text).not.toContain('Sabine Geheim');
    expect(res.text).not.toContain('erika@example.org');
    // Charts: inline SVG named by its title and description, no style attributes (strict CSP).
    expect(res.text).toMatch(/<svg role="img" aria-labelledby="chart-rooms-title" aria-describedby="chart-rooms-desc"/);
    expect(res.text).toContain('<title id="chart-rooms-title">Gebuchte Stunden je Raum</title>');
    expect(res.text).not.toMatch(/style="/);
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
  });

  it('defaults to this year and speaks English', async () => {
    await house();
    const { agent } = await loginAs(t, 'admin');
    const res = await agent.get('/admin/statistics?lang=en');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Period: 2026');
    expect(tableOf(res.text, 'rooms').at(-1)).toEqual(['Total', '3', '7']);
  });

  it('filters by room, kind of event and group, and keeps the filters in the links', async () => {
    const h = await house();
    const { agent } = await loginAs(t, 'caretaker');
    const byRoom = await agent.get(`/admin/statistics?${MARCH}&room=${h.b.id}`);
    // Saal B: the Großer Saal's date (it is part of it), not Saal A's.
    expect(tableOf(byRoom.text, 'rooms').at(-1)).toEqual(['Gesamt', '1', '3']);
    expect(byRoom.text).toContain(`/admin/statistics/export.xlsx?period=month&amp;year=2026&amp;month=03&amp;room=${h.b.id}`);
    const byGroup = await agent.get(`/admin/statistics?${MARCH}&group=LERNWERK`);
    expect(tableOf(byGroup.text, 'rooms').at(-1)).toEqual(['Gesamt', '1', '2']);
    const byKind = await agent.get(`/admin/statistics?${MARCH}&category=culture`);
    expect(tableOf(byKind.text, 'rooms').at(-1)).toEqual(['Gesamt', '1', '3']);
  });

  it.each([
    ['period=week&year=2026', 'Bitte Jahr, Quartal, Monat oder eigenen Zeitraum wählen.'],
    ['period=year&year=26', 'Bitte ein Jahr mit vier Ziffern angeben'],
    ['period=quarter&year=2026&quarter=5', 'Bitte ein Quartal (1 bis 4) wählen.'],
    ['period=month&year=2026', 'Bitte einen Monat wählen.'],
    ['period=custom&from=2026-03-10&to=2026-03-01', '„Bis“ darf nicht vor „Von“ liegen.'],
    ['period=custom&from=2020-01-01&to=2026-12-31', 'höchstens drei Jahre'],
    ['period=custom&from=2026-02-30&to=2026-03-01', 'Bitte ein Datum als TT.MM.JJJJ angeben.'],
    ['period=year&year=2026&category=party', 'Bitte eine Art aus der Liste wählen.'],
    ['period=year&year=2026&room=abc', 'Bitte einen Raum aus der Liste wählen.'],
    ['period=year&year=2025&year=2026', 'kommt mehrfach vor'],
  ])('refuses %s with 400 and a message, the typed values kept', async (query, message) => {
    const { agent } = await loginAs(t, 'caretaker');
    const res = await agent.get(`/admin/statistics?${query}`);
    expect(res.status).toBe(400);
    expect(res.text).toContain(message);
    expect(res.text).toContain('aria-invalid="true"');
  });

  it('keeps a typed custom period in the form', async () => {
    const { agent } = await loginAs(t, 'caretaker');
    const res = await agent.get('/admin/statistics?period=custom&from=2026-03-10&to=2026-03-01');
    expect(res.text).toContain('value="2026-03-10"');
    expect(res.text).toContain('value="2026-03-01"');
  });

  it('is for staff only', async () => {
    const anon = await t.request.get('/admin/statistics');
    expect(anon.status).toBe(303);
    expect(anon.headers.location).toMatch(/^\/login/);
    expect((await t.request.get('/admin/statistics/export.xlsx?period=year&year=2026')).status).toBe(303);
    expect((await t.request.get('/admin/statistics/report?period=year&year=2026')).status).toBe(303);
    expect((await t.request.get('/admin/statistics/attendance?period=year&year=2026')).status).toBe(303);
    const { agent } = await loginAs(t, 'caretaker');
    const page = await agent.get('/admin/statistics');
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/admin/statistics" aria-current="page"');
  });

  it('has a printable report with the house name, period and the same tables', async () => {
    await house();
    const { agent } = await loginAs(t, 'caretaker');
    const page = await agent.get(`/admin/statistics?${MARCH}`);
    const report = await agent.get(`/admin/statistics/report?${MARCH}`);
    expect(report.status).toBe(200);
    expect(report.text).toContain('<h1>Raumnutzung März 2026</h1>');
    const { house_name } = await t.ctx.db.selectFrom('settings').select('house_name').executeTakeFirstOrThrow();
    expect(report.text).toContain(`<p class="stat-house">${house_name}`);
    for (const id of ['rooms', 'occupancy', 'weekdays', 'hours', 'categories', 'leadtime']) expect(tableOf(report.text, id)).toEqual(tableOf(page.text, id));
  });
});

describe('exports', () => {
  it('CSV: each table as on the page, UTF-8 with BOM and ";"', async () => {
    await house();
    const { agent } = await loginAs(t, 'caretaker');
    const page = await agent.get(`/admin/statistics?${MARCH}`);
    for (const id of [
      'rooms',
      'occupancy',
      'weekdays',
      'hours',
      'overview',
      'attendance',
      'categories',
      'kinds',
      'cancellations',
      'refusals',
      'skipped',
      'leadtime',
    ]) {
      const res = await agent.get(`/admin/statistics/export.csv?${MARCH}&table=${id}`).buffer(true);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toContain(`statistik-${id}-2026-03-01-bis-2026-03-31.csv`);
      const rows = parseCsv(res.text);
      const shown = tableOf(page.text, id).filter((r) => r.length > 1);
      expect(rows).toEqual(shown);
    }
    const bad = await agent.get(`/admin/statistics/export.csv?${MARCH}&table=people`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Diese Tabelle gibt es nicht.');
  });

  it('XLSX: one sheet per table with the page numbers as numbers', async () => {
    await house();
    const { agent } = await loginAs(t, 'caretaker');
    const res = await agent
      .get(`/admin/statistics/export.xlsx?${MARCH}`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as ArrayBuffer);
    expect(wb.worksheets).toHaveLength(12);
    const rooms = wb.getWorksheet('Gebuchte Stunden je Raum')!;
    const values = (r: number) => (rooms.getRow(r).values as unknown[]).slice(1);
    expect(values(4)).toEqual(['Raum', 'Termine', 'Stunden']);
    expect(values(5)).toEqual(['Großer Saal', 1, 3]);
    expect(values(6)).toEqual(['Saal A', 1, 2]);
    expect(values(7)).toEqual(['Gesamt', 2, 5]);
    const occ = wb.getWorksheet('Auslastung je Raumteil')!;
    const saalA = occ.getRows(5, occ.rowCount - 4)!.find((r) => r.getCell(1).value === 'Saal A')!;
    expect(saalA.getCell(3).value).toBe(5);
    // The rate is a fraction; the page shows it as a percentage of the same numbers.
    expect(saalA.getCell(4).value).toBeCloseTo(5 / (saalA.getCell(2).value as number), 4);
  });
});

describe('attendance', () => {
  it('staff enter and correct the attendance of an approved past date; the statistics count it', async () => {
    const h = await house();
    const s = await loginAs(t, 'caretaker');
    const list = await s.agent.get(`/admin/statistics/attendance?${MARCH}`);
    expect(list.status).toBe(200);
    expect(list.text).toContain(`id="date-${h.d1.bookingId}"`);
    expect(list.text).toContain(`id="date-${h.d2.bookingId}"`);
    // Not listed: the cancelled, the pending and the future date.
    for (const d of [h.cancelled, h.future, h.pending]) expect(list.text).not.toContain(`id="date-${d.bookingId}"`);
    const from = `/admin/statistics/attendance?${MARCH}`;
    const ok = await s.post(`/admin/statistics/attendance/${h.d1.bookingId}?${MARCH}`, from, { attended: '8', held: 'yes' });
    expect(ok.status).toBe(303);
    const no = await s.post(`/admin/statistics/attendance/${h.d2.bookingId}?${MARCH}`, from, { attended: '', held: 'no' });
    expect(no.status).toBe(303);
    let page = await s.agent.get(`/admin/statistics?${MARCH}`);
    expect(page.text).toContain('Für 2 von 2 vergangenen Terminen wurden Teilnehmendenzahlen gemeldet.');
    expect(tableOf(page.text, 'attendance').find((r) => r[0] === 'Tatsächliche Teilnehmende (gemeldet)')![1]).toBe('8');
    expect(tableOf(page.text, 'attendance').find((r) => r[0] === 'Nicht stattgefunden')![1]).toBe('1');
    // Corrected: 12 came after all.
    await s.post(`/admin/statistics/attendance/${h.d1.bookingId}?${MARCH}`, from, { attended: '12', held: 'yes' });
    page = await s.agent.get(`/admin/statistics?${MARCH}`);
    expect(tableOf(page.text, 'attendance').find((r) => r[0] === 'Tatsächliche Teilnehmende (gemeldet)')![1]).toBe('12');
    // Cleared: the date has no reported numbers again.
    await s.post(`/admin/statistics/attendance/${h.d1.bookingId}?${MARCH}`, from, { attended: '', held: 'yes' });
    page = await s.agent.get(`/admin/statistics?${MARCH}`);
    expect(page.text).toContain('Für 1 von 2 vergangenen Terminen wurden Teilnehmendenzahlen gemeldet.');
    const log = await t.ctx.db.selectFrom('audit_log').select('action').where('action', 'like', 'attendance.%').orderBy('id').execute();
    expect(log.map((l) => l.action)).toEqual(['attendance.reported', 'attendance.reported', 'attendance.reported', 'attendance.cleared']);
  });

  it.each([
    [{ attended: 'viele', held: 'yes' }, 'Bitte die Zahl der Personen als ganze Zahl angeben'],
    [{ attended: '-3', held: 'yes' }, 'Bitte die Zahl der Personen als ganze Zahl angeben'],
    [{ attended: '999999', held: 'yes' }, 'Bitte die Zahl der Personen als ganze Zahl angeben'],
    [{ attended: '5', held: 'no' }, 'Ein Termin, der nicht stattfand, hat keine Teilnehmenden'],
    [{ attended: '5', held: 'maybe' }, 'Bitte angeben, ob der Termin stattfand.'],
  ])('refuses %o with 400, the message next to the field and the typed value kept', async (body, message) => {
    const h = await house();
    const s = await loginAs(t, 'caretaker');
    const res = await s.post(`/admin/statistics/attendance/${h.d1.bookingId}?${MARCH}`, `/admin/statistics/attendance?${MARCH}`, body);
    expect(res.status).toBe(400);
    expect(res.text).toContain(message);
    expect(res.text).toContain(`aria-describedby="${body.held === 'maybe' ? 'held' : 'attended'}-${h.d1.bookingId}-error"`);
    expect(res.text).toContain(`value="${decodeURIComponent(body.attended)}"`);
    expect(await t.ctx.db.selectFrom('attendance').selectAll().execute()).toEqual([]);
  });

  it('only for approved dates that have ended', async () => {
    const h = await house();
    const s = await loginAs(t, 'caretaker');
    const from = `/admin/statistics/attendance?${MARCH}`;
    const future = await s.post(`/admin/statistics/attendance/${h.future.bookingId}`, from, { attended: '5', held: 'yes' });
    expect(future.status).toBe(409);
    expect(future.text).toContain('Dieser Termin ist noch nicht vorbei');
    const cancelled = await s.post(`/admin/statistics/attendance/${h.cancelled.bookingId}`, from, { attended: '5', held: 'yes' });
    expect(cancelled.status).toBe(409);
    expect(cancelled.text).toContain('nur für bestätigte Termine');
    const pending = await s.post(`/admin/statistics/attendance/${h.pending.bookingId}`, from, { attended: '5', held: 'yes' });
    expect(pending.status).toBe(409);
    const missing = await s.post('/admin/statistics/attendance/999999', from, { attended: '5', held: 'yes' });
    expect(missing.status).toBe(404);
    expect(await t.ctx.db.selectFrom('attendance').selectAll().execute()).toEqual([]);
  });
});
