// Control characters never get stored: NUL, the other C0 controls (TAB, CR, LF only in multi-line fields),
// DEL, C1 controls, the bidi embeddings/overrides/isolates ("Trojan Source") and lone surrogate halves are
// removed from every posted field and query parameter.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aRoom } from '../helpers/factories.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { formAgent, tokenFrom, validFields } from '../helpers/request-form.js';
import { MULTILINE_FIELDS, cleanText } from '../../src/web/input.js';
import { VIEWS_DIR } from '../../src/paths.js';
import { sql } from 'kysely';

// (A lone surrogate half cannot travel in UTF-8: a browser sends U+FFFD, which is refused as bad encoding.)
const BIDI = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069';
const CONTROLS = `\u0000\u0001\u0007\u0008\u000b\u000c\u001b\u001f\u007f\u0080\u0085\u009b\u009f${BIDI}`;
const BAD =
  // eslint-disable-next-line no-control-regex -- the control characters are what the test looks for
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const dirty = (s: string) => `${s.slice(0, 2)}${CONTROLS}${s.slice(2)}`;

describe('cleanText', () => {
  it('removes control characters and lone surrogate halves, keeps letters, emoji and umlauts', () => {
    expect(cleanText(`Kü${CONTROLS}che 🎉 \udc00\ud800`, false)).toBe('Küche 🎉 ');
  });
  it('removes the bidi embeddings, overrides and isolates, keeps the left-to-right and right-to-left marks', () => {
    expect(cleanText(`Kurs\u202e1202 \u2067gnirts\u2069 \u202a\u202b\u202c\u202d\u2066\u2068x`, false)).toBe('Kurs1202 gnirts x');
    expect(cleanText('Kurs \u200eעברית\u200f', true)).toBe('Kurs \u200eעברית\u200f');
  });
  it('keeps TAB, CR and LF in a multi-line field and makes them one space in a one-line field', () => {
    expect(cleanText('Zeile 1\r\n\tZeile 2', true)).toBe('Zeile 1\r\n\tZeile 2');
    expect(cleanText('Zeile 1\r\n\tZeile 2\u2028x', false)).toBe('Zeile 1 Zeile 2 x');
  });
});

describe('the multi-line fields', () => {
  it('are exactly the textareas of every view (a new textarea must be listed, or it loses its line breaks)', () => {
    const names = new Set<string>();
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (e.name.endsWith('.ejs')) {
          const src = readFileSync(join(dir, e.name), 'utf8');
          for (const m of src.matchAll(/<textarea[^>]*\sname="([^"<]+)"/g)) names.add(m[1]!);
          // The settings page writes its four texts in a loop.
          for (const m of src.matchAll(/\['(\w+_text)', \d+/g)) names.add(m[1]!);
        }
      }
    };
    walk(VIEWS_DIR);
    expect(names.size).toBeGreaterThan(8);
    for (const n of names) expect(MULTILINE_FIELDS.has(n), n).toBe(true);
  });
});

describe('posted forms', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
    await aRoom(t.ctx.db, { slug: 'gruppenraum', name: 'Gruppenraum', capacity: 20 });
  });
  afterEach(() => t.close());

  /** Every text column of every row of these tables, as [table.column, value]. */
  async function storedTexts(tables: string[]): Promise<[string, string][]> {
    const out: [string, string][] = [];
    for (const table of tables) {
      for (const row of (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(t.ctx.db)).rows) {
        for (const [k, v] of Object.entries(row)) if (typeof v === 'string') out.push([`${table}.${k}`, v]);
      }
    }
    return out;
  }

  it("a group's request keeps no control character in any field; notes keep their line breaks, the title none", async () => {
    const fields = validFields('gruppenraum', {
      title: dirty('Deutsch\nkurs'),
      publicTitle: dirty('Offener Kurs'),
      showPublicTitle: 'on',
      organisation: dirty('Lernwerkstatt'),
      contactName: dirty('Erika Beispiel'),
      email: dirty('erika@example.org'),
      phone: dirty('030 123456'),
      notes: dirty('Zeile 1\r\nZeile 2'),
      attendees: dirty('12'),
    });
    const res = await formAgent(t).post('/requests', fields);
    expect(res.status).toBe(303);
    tokenFrom(res);
    const r = await t.ctx.db.selectFrom('requests').selectAll().executeTakeFirstOrThrow();
    expect(r).toMatchObject({
      title: 'Deutsch kurs',
      public_title: 'Offener Kurs',
      organisation: 'Lernwerkstatt',
      contact_name: 'Erika Beispiel',
      email: 'erika@example.org',
      phone: '030 123456',
      notes: 'Zeile 1\r\nZeile 2',
      attendees: 12,
    });
    for (const [col, v] of await storedTexts(['requests', 'bookings', 'outbox', 'audit_log'])) expect(BAD.test(v), col).toBe(false);
  });

  describe('staff forms', () => {
    let staff: LoggedIn;
    beforeEach(async () => {
      staff = await loginAs(t, 'admin');
    });
    const post = (path: string, from: string, body: Record<string, string>) => staff.post(path, from, body);

    it('query parameters shown again in a form carry no control character', async () => {
      const res = await staff.agent.get(`/admin/export?from=${encodeURIComponent(dirty('2026-01-01'))}&to=2026-01-31`);
      expect(res.status).toBe(200);
      expect(BAD.test(res.text)).toBe(false);
    });

    it('keep no control character in rooms, templates, blocks, direct bookings and settings', async () => {
      const roomId = (await t.ctx.db.selectFrom('rooms').select('id').executeTakeFirstOrThrow()).id;
      const room = await post('/admin/rooms', '/admin/rooms/new', {
        name: dirty('Neuer\tRaum'),
        slug: 'neuer-raum',
        description: dirty('Hell\nund ruhig'),
        capacity: '10',
        size_m2: '',
        accessibility_notes: dirty('Rampe'),
        floor: dirty('1. OG'),
        buffer_before_min: '0',
        buffer_after_min: '0',
        sort_order: '5',
      });
      expect(room.status).toBe(303);
      const tpl = await post('/admin/templates', '/admin/templates/new', {
        kind: 'approve',
        label: dirty('Zusage'),
        body: dirty('Gern!\nBis bald'),
        sort_order: '1',
      });
      expect(tpl.status).toBe(303);
      const block = await post('/admin/blocks', '/admin/blocks/new', {
        room: String(roomId),
        reason: 'closure',
        label: dirty('Weihnachts\npause'),
        is_public: '1',
        from_date: '2026-12-24',
        from_time: '',
        to_date: '2026-12-26',
        to_time: '',
        message: '',
      });
      expect(block.status).toBe(303);
      const direct = await post('/admin/bookings', '/admin/bookings/new', {
        room: String(roomId),
        date: '2026-12-02',
        start: '18:00',
        end: '20:00',
        title: dirty('Telefon\nanfrage'),
        contact_name: dirty('Frau Yilmaz'),
        email: '',
        phone: '030 999',
        category: 'social',
        attendees: '12',
        notes: dirty('Ruft\nzurück'),
        message: dirty('Bis dann!'),
      });
      expect(direct.status).toBe(303);

      const page = await staff.agent.get('/admin/settings');
      const values: Record<string, string> = {};
      for (const m of page.text.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) values[m[1]!] = m[2]!;
      for (const m of page.text.matchAll(/<select[^>]*name="([^"]+)"[\s\S]*?<option value="([^"]*)" selected/g)) values[m[1]!] = m[2]!;
      for (const m of page.text.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)) values[m[1]!] = m[2]!;
      const settings = await post('/admin/settings', '/admin/settings', {
        ...values,
        house_name: dirty('Haus der\nBegegnung'),
        rules_text: dirty('§ 1\n§ 2'),
      });
      expect(settings.status).toBe(303);

      const house = await t.ctx.db.selectFrom('settings').select(['house_name', 'rules_text']).executeTakeFirstOrThrow();
      expect(house).toEqual({ house_name: 'Haus der Begegnung', rules_text: '§ 1\n§ 2' });
      const newRoom = await t.ctx.db.selectFrom('rooms').selectAll().where('slug', '=', 'neuer-raum').executeTakeFirstOrThrow();
      expect(newRoom).toMatchObject({ name: 'Neuer Raum', description: 'Hell\nund ruhig', floor: '1. OG' });
      const req = await t.ctx.db.selectFrom('requests').selectAll().executeTakeFirstOrThrow();
      expect(req).toMatchObject({ title: 'Telefon anfrage', notes: 'Ruft\nzurück', contact_name: 'Frau Yilmaz' });
      const label = (await t.ctx.db.selectFrom('blocked_times').select('label').executeTakeFirstOrThrow()).label;
      expect(label).toBe('Weihnachts pause');
      const tables = ['settings', 'rooms', 'message_templates', 'blocked_times', 'requests', 'bookings', 'outbox', 'audit_log'];
      for (const [col, v] of await storedTexts(tables)) expect(BAD.test(v), col).toBe(false);
    });
  });
});

describe('the CSV export', () => {
  it('neutralises full-width and small formula signs, the minus sign and formula signs after leading spaces', async () => {
    const { csvCell } = await import('../../src/export/csv.js');
    for (const s of ['＝HYPERLINK("x")', '＋1', '－1', '＠SUM(A1)', '﹦1', '﹢1', '﹣1', '﹫A', '−1', ' =1+1', '\u3000=1', '\ncmd']) {
      expect(csvCell(s).replace(/^"/, ''), JSON.stringify(s)).toMatch(/^'/);
    }
    expect(csvCell('Saal A＝B')).toBe('Saal A＝B');
    expect(csvCell('Kontakt 1')).toBe('Kontakt 1');
  });
});
