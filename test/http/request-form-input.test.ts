// What the request form takes and how it answers: dates typed the way people write them, dates in messages
// written for people, limits stated next to the fields (a longer text refused and kept, never cut), and
// equipment the room does not have refused with what the room has.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aRoom } from '../helpers/factories.js';
import { decode, fieldError, formAgent, inputValue, tokenFrom, validFields } from '../helpers/request-form.js';

describe('what the request form takes', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
    await aRoom(t.ctx.db, { slug: 'gruppenraum', name: 'Gruppenraum', capacity: 20, equipment: ['whiteboard', 'wifi'] });
    await aRoom(t.ctx.db, { slug: 'kahl', name: 'Kahler Raum', capacity: 20, equipment: [] });
    await aRoom(t.ctx.db, { slug: 'saal', name: 'Saal', capacity: 80, equipment: ['piano', 'kitchen'] });
  });
  afterEach(() => t.close());

  const stored = () => t.ctx.db.selectFrom('requests').select(['first_date', 'last_date', 'title', 'notes']).execute();

  describe('dates as people type them', () => {
    for (const [lang, date, lastDate] of [
      ['de', '1.12.2026', '15.12.2026'],
      ['de', '01. 12. 2026', '15.12.2026'],
      ['en', '1/12/2026', '15/12/2026'],
    ] as const) {
      it(`reads ${date} … ${lastDate} in ${lang} as 1 to 15 December 2026`, async () => {
        const res = await formAgent(t).post('/requests', validFields('gruppenraum', { date, repeat: 'weekly', lastDate }), { lang });
        expect(res.status, res.text.slice(0, 300)).toBe(303);
        expect(await stored()).toEqual([expect.objectContaining({ first_date: '2026-12-01', last_date: '2026-12-15' })]);
      });
    }

    it('shows the hint with an example in the page language, never JJJJ-MM-TT', async () => {
      const f = formAgent(t);
      const de = await f.get('/requests/new', 'de');
      expect(de.text).toContain('<p class="hint" id="date-hint">Im Kalender wählen oder eintippen, z. B. 24.12.2026</p>');
      expect(de.text).not.toContain('JJJJ');
      const en = await f.get('/requests/new', 'en');
      expect(en.text).toContain('<p class="hint" id="date-hint">Pick it in the calendar or type it, e.g. 24/12/2026</p>');
      expect(en.text).not.toContain('YYYY');
    });

    it('refuses a date that does not exist with an example in the page language, keeping what was typed', async () => {
      for (const [lang, text] of [
        ['de', 'Das Datum „31.2.2027“ gibt es nicht. Bitte so angeben: 24.12.2026.'],
        ['en', 'The date "31.2.2027" does not exist. Please write it like this: 24/12/2026.'],
      ] as const) {
        const res = await formAgent(t).post('/requests', validFields('gruppenraum', { date: '31.2.2027' }), { lang });
        expect(res.status).toBe(422);
        expect(fieldError(res.text, 'date'), lang).toBe(text);
        expect(res.text).toContain('31.2.2027');
      }
      expect(await stored()).toEqual([]);
    });

    it('writes the dates in messages for people: the horizon and a DST gap', async () => {
      const f = formAgent(t);
      const far = await f.post('/requests', validFields('gruppenraum', { date: '2027-12-01' }), { lang: 'de' });
      expect(fieldError(far.text, 'date')).toContain('also bis zum 23. November 2027');
      expect(far.text).not.toMatch(/2027-11-23(?!")/);
      const gap = await f.post('/requests', validFields('gruppenraum', { date: '28/03/2027', start: '02:00', end: '04:00' }), { lang: 'en' });
      expect(fieldError(gap.text, 'start')).toBe(
        'On 28 March 2027 the time 02:00 does not exist: the clocks go forward to summer time that night. Please choose another time.',
      );
    });
  });

  describe('limits', () => {
    const limited = [
      ['title', 120],
      ['publicTitle', 120],
      ['organisation', 160],
      ['contactName', 120],
      ['notes', 2000],
    ] as const;

    it('states each limit next to its field and lets the browser take a longer paste (no maxlength)', async () => {
      const page = await formAgent(t).get('/requests/new', 'de');
      for (const [field, max] of limited) {
        expect(page.text, field).toContain(`id="${field}-limit" data-limit="${max}">höchstens ${max.toLocaleString('de-DE')} Zeichen<`);
        const tag = new RegExp(`<(input|textarea)[^>]*id="${field}"[^>]*>`).exec(page.text)![0];
        expect(tag, field).not.toContain('maxlength');
        expect(tag, field).toMatch(new RegExp(`aria-describedby="[^"]*${field}-(limit|hint)`));
      }
    });

    for (const [field, max] of limited) {
      it(`refuses a ${field} of ${max + 1} characters with its message and keeps the text whole`, async () => {
        const long = `${'Ä'.repeat(max)}Z`;
        const fields = validFields('gruppenraum', { [field]: long, ...(field === 'publicTitle' ? { showPublicTitle: 'on' } : {}) });
        const res = await formAgent(t).post('/requests', fields, { lang: 'en' });
        expect(res.status).toBe(422);
        expect(fieldError(res.text, field)).toBe(`This text is too long: at most ${max.toLocaleString('en-GB')} characters.`);
        const kept = field === 'notes' ? decode(/<textarea id="notes"[^>]*>([^<]*)<\/textarea>/.exec(res.text)![1]!) : inputValue(res.text, field);
        expect(kept).toBe(long);
        expect(await stored()).toEqual([]);
      });
    }

    it('takes a text of exactly the limit', async () => {
      const res = await formAgent(t).post('/requests', validFields('gruppenraum', { title: 'T'.repeat(120) }));
      expect(res.status).toBe(303);
      expect((await stored())[0]!.title).toHaveLength(120);
    });
  });

  describe('equipment follows the room', () => {
    it('names what the room has when asked for what it has not (German and English)', async () => {
      const f = formAgent(t);
      const de = await f.post('/requests', validFields('gruppenraum', { equipment: ['wifi', 'piano', 'kitchen'] }), { lang: 'de' });
      expect(de.status).toBe(422);
      expect(fieldError(de.text, 'equipment')).toBe(
        'Im Raum Gruppenraum gibt es „Küche“ und „Klavier“ nicht. Der Raum hat: Whiteboard und WLAN. Bitte wählen Sie nur, was der Raum hat, oder einen anderen Raum.',
      );
      // What was ticked stays ticked.
      for (const k of ['wifi', 'piano', 'kitchen']) expect(de.text).toMatch(new RegExp(`id="equipment-${k}" name="equipment" value="${k}" checked`));
      const en = await f.post('/requests', validFields('kahl', { equipment: ['whiteboard'] }), { lang: 'en' });
      expect(fieldError(en.text, 'equipment')).toBe(
        'The room Kahler Raum does not have “Whiteboard”. This room has no equipment to book. Please choose only what the room has, or another room.',
      );
    });

    it('tells the page which equipment each room has (for the list that follows the room)', async () => {
      const page = await formAgent(t).get('/requests/new');
      expect(page.text).toMatch(/<option value="gruppenraum" data-equipment="whiteboard wifi">/);
      expect(page.text).toMatch(/<option value="kahl" data-equipment="">/);
      expect(page.text).toMatch(/<label class="check" for="equipment-wifi" data-equipment-key="wifi">/);
    });

    it('stores what the room has when that is all that was asked for', async () => {
      const f = formAgent(t);
      const token = tokenFrom(await f.post('/requests', validFields('gruppenraum', { equipment: ['wifi'] })));
      expect(token).toBeTruthy();
      const r = await t.ctx.db.selectFrom('requests').select('equipment').executeTakeFirstOrThrow();
      expect(JSON.parse(r.equipment)).toEqual(['wifi']);
    });
  });
});
