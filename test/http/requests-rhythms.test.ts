// Rhythms groups actually have: "every last Tuesday of the month" and a hand-picked list of dates, sent through the
// public form with the same preview (holidays and clashes named), the same rules (messages next to the right
// field, typed values kept) and the same manage page; and "book the next season" from the manage page, as a new
// request. The default clock: Monday 23 November 2026, 10:00 in Berlin; lead time 2 days, horizon 12 months,
// open Mon–Fri 08:00–22:00, Sat 10:00–22:00, closed on Sundays; public holidays of Berlin.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { decode, fieldError, formAgent, tokenFrom, validFields, type Fields, type FormAgent } from '../helpers/request-form.js';
import { hashToken } from '../../src/bookings/reference.js';
import { loginAs } from '../helpers/login.js';

/** The preview's dates: [status, when, reason] in page order. */
function previewOf(html: string): [string, string, string][] {
  return [
    ...html.matchAll(
      /<li class="preview-(\w+)">\s*<span class="preview-when">([^<]+)<\/span>\s*<span class="mark preview-mark-\w+">[^<]+<\/span>\s*(?:<span class="preview-reason">([^<]*)<\/span>)?/g,
    ),
  ].map((m) => [m[1]!, decode(m[2]!), decode(m[3] ?? '')]);
}

const monthly = (o: Fields = {}) =>
  validFields('gruppenraum', { date: '2026-12-29', start: '19:00', end: '21:00', repeat: 'monthly', nth: 'last', lastDate: '2027-06-30', ...o });
const picked = (dates: string, o: Fields = {}) => validFields('gruppenraum', { date: '2026-12-01', repeat: 'dates', pickedDates: dates, ...o });

describe('rhythms besides every 1–4 weeks', () => {
  let t: TestApp;
  let f: FormAgent;
  let roomId: number;
  beforeEach(async () => {
    t = await makeTestApp();
    roomId = (await aRoom(t.ctx.db, { slug: 'gruppenraum', name: 'Gruppenraum', capacity: 20 })).id;
    f = formAgent(t);
  });
  afterEach(() => t.close());

  const requestRow = (token: string) => t.ctx.db.selectFrom('requests').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirstOrThrow();
  const datesOf = async (requestId: number) =>
    (
      await t.ctx.db.selectFrom('bookings').select(['local_date', 'status', 'skip_reason']).where('request_id', '=', requestId).orderBy('local_date').execute()
    ).map((b) => `${b.local_date} ${b.status}${b.skip_reason ? ` ${b.skip_reason}` : ''}`);

  describe('every last Tuesday of the month', () => {
    it('previews every last Tuesday at 19:00, also after the DST change, and names a clash', async () => {
      await aBooking(t.ctx.db, { roomId, date: '2027-02-23', start: '18:00', end: '20:00', status: 'approved' });
      const res = await f.post('/requests', monthly({ action: 'preview' }));
      expect(res.status).toBe(200);
      expect(previewOf(res.text)).toEqual([
        ['ok', 'Dienstag, 29. Dezember 2026, 19:00–21:00 Uhr', ''],
        ['ok', 'Dienstag, 26. Januar 2027, 19:00–21:00 Uhr', ''],
        ['clash', 'Dienstag, 23. Februar 2027, 19:00–21:00 Uhr', 'Gruppenraum ist belegt am Dienstag, 23. Februar 2027, 18:00–20:00 Uhr.'],
        ['ok', 'Dienstag, 30. März 2027, 19:00–21:00 Uhr', ''],
        ['ok', 'Dienstag, 27. April 2027, 19:00–21:00 Uhr', ''],
        ['ok', 'Dienstag, 25. Mai 2027, 19:00–21:00 Uhr', ''],
        ['ok', 'Dienstag, 29. Juni 2027, 19:00–21:00 Uhr', ''],
      ]);
    });

    it('skips a public holiday and names it (every first Friday from New Year)', async () => {
      const res = await f.post(
        '/requests',
        validFields('gruppenraum', { date: '2027-01-01', repeat: 'monthly', nth: '1', lastDate: '2027-03-31', action: 'preview' }),
      );
      expect(previewOf(res.text)).toEqual([
        ['skipped', 'Freitag, 1. Januar 2027, 18:00–20:00 Uhr', 'Feiertag: Neujahr'],
        ['ok', 'Freitag, 5. Februar 2027, 18:00–20:00 Uhr', ''],
        ['ok', 'Freitag, 5. März 2027, 18:00–20:00 Uhr', ''],
      ]);
    });

    it('refuses a first date that is not the last Tuesday, next to the choice, keeping what was typed', async () => {
      const res = await f.post('/requests', monthly({ date: '2026-12-01', title: 'Chorprobe „Tenöre“' }));
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'nth')).toBe(
        'Der 1. Dezember 2026 ist nicht der letzte Dienstag im Monat. Wählen Sie als ersten Termin zum Beispiel den 29. Dezember 2026 oder eine andere Angabe unter „Welcher Wochentag im Monat?“.',
      );
      expect(res.text).toMatch(/<option value="last" selected>/);
      expect(res.text).toMatch(/id="repeat-monthly" name="repeat" value="monthly" checked/);
      expect(res.text).toContain('value="2027-06-30"');
      expect(res.text).toContain('value="Chorprobe „Tenöre“"');
      const en = await f.post('/requests', monthly({ date: '2026-12-01' }), { lang: 'en' });
      expect(fieldError(en.text, 'nth')).toContain('1 December 2026 is not the last Tuesday of its month. Choose for example 29 December 2026');
    });

    it('refuses a last date beyond the horizon on the last date, and a Sunday on the date', async () => {
      const far = await f.post('/requests', monthly({ lastDate: '2027-12-31' }));
      expect(fieldError(far.text, 'lastDate')).toContain('höchstens 12 Monate');
      const sunday = await f.post('/requests', monthly({ date: '2026-12-27', nth: 'last' }));
      expect(fieldError(sunday.text, 'date')).toContain('geschlossen');
    });

    it('stores the rhythm and shows it in words on the manage page and in the mails', async () => {
      const token = tokenFrom(await f.post('/requests', monthly()));
      const row = await requestRow(token);
      expect(row).toMatchObject({ repeat_kind: 'monthly', repeat_nth: -1, repeat_weeks: null, first_date: '2026-12-29', last_date: '2027-06-30' });
      expect(await datesOf(row.id)).toHaveLength(7);
      const page = await f.get(`/requests/${token}`);
      expect(page.text).toContain('jeden letzten Dienstag im Monat, 19:00–21:00 Uhr, 29. Dezember 2026 bis 30. Juni 2027, 7 Termine');
      expect((await f.get(`/requests/${token}`, 'en')).text).toContain(
        'the last Tuesday of every month, 19:00–21:00, 29 December 2026 to 30 June 2027, 7 dates',
      );
      const mails = await t.ctx.db.selectFrom('outbox').select(['kind', 'text_body']).orderBy('id').execute();
      expect(mails.length).toBeGreaterThan(0);
      for (const m of mails)
        expect(m.text_body).toContain('Serie: jeden letzten Dienstag im Monat, 19:00–21:00 Uhr, 29. Dezember 2026 bis 30. Juni 2027, 7 Termine');
    });

    it("describes the rhythm in the caretaker's inbox and on the request page", async () => {
      const token = tokenFrom(await f.post('/requests', monthly()));
      const picks = tokenFrom(await f.post('/requests', picked('08.12.2026\n17.12.2026')));
      const staff = await loginAs(t, 'caretaker');
      const inbox = await staff.agent.get('/admin');
      expect(inbox.text).toContain('jeden letzten Dienstag im Monat, 19:00–21:00 Uhr, 29. Dezember 2026 bis 30. Juni 2027, 7 Termine');
      expect(inbox.text).toContain('an ausgewählten Tagen, 18:00–20:00 Uhr, 1. Dezember 2026 bis 17. Dezember 2026, 3 Termine');
      const detail = await staff.agent.get(`/admin/requests/${(await requestRow(token)).id}`);
      expect(detail.text).toContain('jeden letzten Dienstag im Monat, 19:00–21:00 Uhr, 29. Dezember 2026 bis 30. Juni 2027, 7 Termine');
      // A hand-picked series is a series for the caretaker's decisions too.
      const pickedDetail = await staff.agent.get(`/admin/requests/${(await requestRow(picks)).id}`);
      expect(pickedDetail.text).toContain('Wählen Sie einzelne Termine aus');
    });

    it('opens the edit form with the monthly rhythm chosen', async () => {
      const token = tokenFrom(await f.post('/requests', monthly()));
      const edit = await f.get(`/requests/${token}/edit`);
      expect(edit.text).toMatch(/id="repeat-monthly" name="repeat" value="monthly" checked/);
      expect(edit.text).toMatch(/<option value="last" selected>/);
    });
  });

  describe('a hand-picked list of dates', () => {
    it('sorts unsorted dates, accepts both ways of writing them, and stores them', async () => {
      const preview = await f.post('/requests', picked('15.12.2026\n2027-01-05\n8.12.2026', { action: 'preview' }));
      expect(previewOf(preview.text).map(([s, when]) => `${s} ${when}`)).toEqual([
        'ok Dienstag, 1. Dezember 2026, 18:00–20:00 Uhr',
        'ok Dienstag, 8. Dezember 2026, 18:00–20:00 Uhr',
        'ok Dienstag, 15. Dezember 2026, 18:00–20:00 Uhr',
        'ok Dienstag, 5. Januar 2027, 18:00–20:00 Uhr',
      ]);
      const token = tokenFrom(await f.post('/requests', picked('15.12.2026\n2027-01-05\n8.12.2026')));
      const row = await requestRow(token);
      expect(row).toMatchObject({
        repeat_kind: 'dates',
        repeat_dates: '["2026-12-08","2026-12-15","2027-01-05"]',
        first_date: '2026-12-01',
        last_date: '2027-01-05',
      });
      expect(await datesOf(row.id)).toEqual(['2026-12-01 pending', '2026-12-08 pending', '2026-12-15 pending', '2027-01-05 pending']);
      expect((await f.get(`/requests/${token}`)).text).toContain('an ausgewählten Tagen, 18:00–20:00 Uhr, 1. Dezember 2026 bis 5. Januar 2027, 4 Termine');
    });

    it('skips and names a holiday among the picked dates', async () => {
      const res = await f.post('/requests', picked('24.12.2026\n25.12.2026', { action: 'preview' }));
      expect(previewOf(res.text)[2]).toEqual(['skipped', 'Freitag, 25. Dezember 2026, 18:00–20:00 Uhr', 'Feiertag: 1. Weihnachtstag']);
    });

    const cases: { name: string; dates: string; de: string; en: string }[] = [
      {
        name: 'a date twice (the date above counts)',
        dates: '08.12.2026\n01.12.2026\n8.12.2026',
        de: 'Diese Daten stehen mehrmals in der Liste (das Datum oben zählt mit): 1. Dezember 2026, 8. Dezember 2026.',
        en: 'These dates are in the list more than once (the date above counts too): 1 December 2026, 8 December 2026.',
      },
      {
        name: 'a past date',
        dates: '20.11.2026',
        de: 'Dieses Datum liegt in der Vergangenheit: 20. November 2026.',
        en: 'This date is in the past: 20 November 2026.',
      },
      {
        name: 'a date before the first one',
        dates: '30.11.2026',
        de: 'Dieses Datum liegt vor dem ersten Termin (dem Datum oben): 30. November 2026.',
        en: 'This date is before the first date (the date above): 30 November 2026.',
      },
      {
        name: 'entries that are no date',
        dates: '32.12.2026\nmorgen\n15.12.2026',
        de: 'Diese Einträge sind kein Datum: 32.12.2026, morgen. Bitte schreiben Sie jedes Datum als TT.MM.JJJJ',
        en: 'These entries are not a date: 32.12.2026, morgen. Please write each date as DD.MM.YYYY',
      },
      {
        name: 'a Sunday, when the house is closed',
        dates: '06.12.2026\n08.12.2026',
        de: 'An diesem Tag ist das Haus zu dieser Zeit nicht geöffnet: 6. Dezember 2026.',
        en: 'The house is not open at this time on this day: 6 December 2026.',
      },
      {
        name: 'a date beyond the horizon',
        dates: '24.11.2027',
        de: 'So weit im Voraus können Sie noch nicht anfragen (höchstens 12 Monate, also bis zum 23. November 2027): 24. November 2027.',
        en: 'You cannot ask this far ahead yet (at most 12 months, that is until 23 November 2027): 24 November 2027.',
      },
      {
        name: 'more than 60 dates',
        dates: Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2026, 11, 2 + i)).toISOString().slice(0, 10)).join('\n'),
        de: 'Höchstens 60 Termine auf einmal; eingetragen sind 61 (mit dem Datum oben).',
        en: 'At most 60 dates at once; you entered 61 (with the date above).',
      },
      { name: 'no further date', dates: ' \n ', de: 'Bitte tragen Sie mindestens ein weiteres Datum ein', en: 'Please enter at least one further date' },
    ];
    for (const c of cases) {
      it(`refuses ${c.name} next to the list, keeping the list as typed`, async () => {
        for (const [lang, text] of [
          ['de', c.de],
          ['en', c.en],
        ] as const) {
          const res = await f.post('/requests', picked(c.dates), { lang });
          expect(res.status).toBe(422);
          expect(fieldError(res.text, 'pickedDates')).toContain(text);
          expect(res.text).toContain('aria-describedby="pickedDates-error pickedDates-hint"');
          const kept = /<textarea id="pickedDates"[^>]*>([^<]*)<\/textarea>/.exec(res.text)?.[1];
          expect(decode(kept ?? '')).toBe(c.dates);
        }
        expect(await t.ctx.db.selectFrom('requests').select('id').execute()).toEqual([]);
      });
    }
  });

  describe('book the next season', () => {
    it('opens the form for the following period, filled in, and sends it as a new request', async () => {
      const token = tokenFrom(await f.post('/requests', monthly({ lastDate: '2027-03-31' })));
      const original = await requestRow(token);
      const manage = await f.get(`/requests/${token}`);
      expect(manage.text).toContain('ab dem 27. April 2027');
      expect(manage.text).toContain(`href="/requests/${token}/extend"`);

      const form = await f.get(`/requests/${token}/extend`);
      expect(form.status).toBe(200);
      expect(form.headers['cache-control']).toContain('no-store');
      expect(form.text).toContain('Folgeserie zu ' + original.reference);
      // The next last Tuesday, and as long again as 29 Dec – 30 Mar (91 days).
      expect(form.text).toContain('id="date" name="date" value="2027-04-27"');
      expect(form.text).toContain('id="lastDate" name="lastDate" value="2027-07-27"');
      expect(form.text).toMatch(/id="repeat-monthly" name="repeat" value="monthly" checked/);
      expect(form.text).toMatch(/<option value="last" selected>/);
      expect(form.text).toContain('value="erika@example.org"');
      expect(form.text).toContain('value="19:00"');
      expect(form.text).not.toMatch(/id="acceptRules" name="acceptRules" value="on" checked/);

      const next = tokenFrom(await f.post('/requests', monthly({ date: '2027-04-27', lastDate: '2027-07-27' }), { from: `/requests/${token}/extend` }));
      expect(next).not.toBe(token);
      const created = await requestRow(next);
      expect(created.reference).not.toBe(original.reference);
      expect(await datesOf(created.id)).toEqual(['2027-04-27 pending', '2027-05-25 pending', '2027-06-29 pending', '2027-07-27 pending']);
      expect(await requestRow(token)).toEqual(original);
      expect(await datesOf(original.id)).toHaveLength(4);
    });

    it('continues a hand-picked list by whole weeks and a weekly series after its last date', async () => {
      const list = tokenFrom(await f.post('/requests', picked('08.12.2026\n17.12.2026')));
      const form = await f.get(`/requests/${list}/extend`);
      expect(form.text).toContain('id="date" name="date" value="2026-12-22"');
      expect(/<textarea id="pickedDates"[^>]*>([^<]*)<\/textarea>/.exec(form.text)?.[1]).toBe('29.12.2026\n07.01.2027');

      const weekly = tokenFrom(await f.post('/requests', validFields('gruppenraum', { repeat: 'weekly', everyWeeks: '2', lastDate: '2027-01-20' })));
      const weeklyForm = await f.get(`/requests/${weekly}/extend`);
      expect(weeklyForm.text).toContain('id="date" name="date" value="2027-01-26"');
      expect(weeklyForm.text).toContain('id="lastDate" name="lastDate" value="2027-03-09"');
    });

    it('stops at the horizon: cut there, and none when the next date lies beyond it', async () => {
      const near = tokenFrom(await f.post('/requests', validFields('gruppenraum', { repeat: 'weekly', lastDate: '2027-11-16' })));
      const form = await f.get(`/requests/${near}/extend`);
      expect(form.text).toContain('id="date" name="date" value="2027-11-23"');
      expect(form.text).toContain('id="lastDate" name="lastDate" value="2027-11-23"');

      const far = tokenFrom(await f.post('/requests', validFields('gruppenraum', { date: '2027-11-02', repeat: 'weekly', lastDate: '2027-11-23' })));
      const page = await f.get(`/requests/${far}`);
      expect(page.text).toContain('Die Termine nach dieser Serie liegen noch zu weit in der Zukunft');
      expect(page.text).not.toContain(`/requests/${far}/extend`);
      const refused = await f.get(`/requests/${far}/extend`);
      expect(refused.status).toBe(303);
      expect(refused.headers.location).toBe(`/requests/${far}`);
    });

    it('offers nothing for a single date, and an unknown link stays a 404', async () => {
      const single = tokenFrom(await f.post('/requests', validFields('gruppenraum')));
      expect((await f.get(`/requests/${single}`)).text).not.toContain('Nächste Saison buchen');
      expect((await f.get(`/requests/${single}/extend`)).status).toBe(303);
      expect((await f.get('/requests/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/extend')).status).toBe(404);
    });
  });
});
