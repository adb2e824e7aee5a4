import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/login.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { csvCell, toCsv } from '../../src/export/csv.js';

/** A minimal RFC 4180 reader (';' separator) to read the export back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
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

describe('CSV cells', () => {
  it('neutralises spreadsheet formulas with a leading apostrophe', () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('+49 30 123')).toBe("'+49 30 123");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('\rcmd')).toBe(`"'\rcmd"`);
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('quotes separators, quotes and line breaks (RFC 4180) and starts the file with a BOM', () => {
    expect(csvCell('Müller; Schulz')).toBe('"Müller; Schulz"');
    expect(csvCell('Sie sagte "Hallo"')).toBe('"Sie sagte ""Hallo"""');
    expect(csvCell('Zeile 1\nZeile 2')).toBe('"Zeile 1\nZeile 2"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(12)).toBe('12');
    expect(
      toCsv([
        ['a', 'b'],
        ['c', 'd'],
      ]),
    ).toBe('\uFEFFa;b\r\nc;d\r\n');
  });
});

describe('exporting bookings', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp()));
  afterEach(() => t.close());

  it('sends anonymous visitors to the login page', async () => {
    const res = await t.request.get('/admin/export?from=2026-12-01&to=2026-12-31');
    expect(res.status).toBe(303);
    expect(await t.ctx.db.selectFrom('audit_log').selectAll().execute()).toHaveLength(0);
  });

  it('refuses a bad or reversed range with 400 next to the field', async () => {
    const { agent } = await loginAs(t, 'caretaker');
    const bad = await agent.get('/admin/export?from=2026-02-30&to=2026-12-31');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('id="from-error"');
    const reversed = await agent.get('/admin/export?from=2026-12-31&to=2026-12-01');
    expect(reversed.status).toBe(400);
    expect(reversed.text).toContain('id="to-error"');
    expect((await agent.get('/admin/export?from=2020-01-01&to=2026-12-31')).status).toBe(400);
    expect(await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'export.bookings').execute()).toHaveLength(0);
  });

  it('refuses dates beyond the calendar next to the field instead of running on forever', async () => {
    const { agent } = await loginAs(t, 'caretaker');
    const res = await agent.get('/admin/export?from=9999-12-01&to=9999-12-31');
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="from-error"');
    expect(res.text).toContain('Bitte ein Datum zwischen 1970 und 2199 angeben.');
  });

  it('shows the form with a default range', async () => {
    const { agent } = await loginAs(t, 'caretaker');
    const res = await agent.get('/admin/export');
    expect(res.status).toBe(200);
    expect(res.text).toContain('name="from" value="2026-11-01"');
  });

  it('downloads the bookings of the range as UTF-8 CSV with BOM, escaped, and logs the export', async () => {
    const room = await aRoom(t.ctx.db, { name: 'Großer Saal; Süd' });
    await aBooking(t.ctx.db, {
      roomId: room.id,
      date: '2026-12-03',
      start: '18:00',
      end: '20:30',
      status: 'approved',
      title: "=cmd|' /C calc'!A0",
      publicTitle: 'Chor "Frohsinn"',
      organisation: 'Verein\nMehrzeilig e. V.',
      contactName: 'Jürgen Öztürk',
      email: 'juergen@example.org',
      phone: '+49 30 1234',
      category: 'culture',
      attendees: 25,
    });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-01', start: '10:00', end: '12:00', status: 'pending', title: 'Sprachcafé' });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2027-01-05', title: 'Außerhalb' });
    const { agent, user } = await loginAs(t, 'caretaker');
    const res = await agent
      .get('/admin/export?from=2026-12-01&to=2026-12-31&status=all')
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?buchungen-2026-12-01-bis-2026-12-31\.csv"?$/);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([
      'Nummer',
      'Raum',
      'Datum',
      'Beginn',
      'Ende',
      'Status',
      'Titel',
      'Öffentlicher Titel',
      'Kategorie',
      'Personen',
      'Organisation',
      'Ansprechperson',
      'E-Mail',
      'Telefon',
    ]);
    expect(rows).toHaveLength(3);
    expect(rows[1]!.slice(1, 7)).toEqual(['Großer Saal; Süd', '2026-12-01', '10:00', '12:00', 'angefragt', 'Sprachcafé']);
    expect(rows[2]).toEqual([
      expect.stringMatching(/^HdB-2026-\d{4}$/),
      'Großer Saal; Süd',
      '2026-12-03',
      '18:00',
      '20:30',
      'bestätigt',
      "'=cmd|' /C calc'!A0",
      'Chor "Frohsinn"',
      'Kultur',
      '25',
      'Verein\nMehrzeilig e. V.',
      'Jürgen Öztürk',
      'juergen@example.org',
      "'+49 30 1234",
    ]);
    expect(text).not.toContain('Außerhalb');
    const log = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'export.bookings').executeTakeFirstOrThrow();
    expect(log.user_id).toBe(user.id);
    expect(JSON.parse(log.details)).toEqual({ from: '2026-12-01', to: '2026-12-31', status: 'all', format: 'csv', rows: 2 });
  });
});
