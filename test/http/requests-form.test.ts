import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aRoom } from '../helpers/factories.js';
import { fieldError, formAgent, inputValue, tokenFrom, validFields, type Fields } from '../helpers/request-form.js';
import { hashToken } from '../../src/bookings/reference.js';
import { fillSecret } from '../../src/mail/outbox.js';
import { PREVIEW_LIMIT, REQUEST_POST_LIMIT, REQUEST_REFUSED_LIMIT } from '../../src/bookings/routes.js';
import { parseDate } from '../../src/time/index.js';

// The default clock: Monday 23 November 2026, 10:00 in Berlin; lead time 2 days, horizon 12 months,
// open Mon–Fri 08:00–22:00, Sat 10:00–22:00, closed on Sundays.
describe('the request form', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
    await aRoom(t.ctx.db, { slug: 'gruppenraum', name: 'Gruppenraum', capacity: 20, equipment: ['whiteboard', 'wifi'] });
    await aRoom(t.ctx.db, { slug: 'lehrkueche', name: 'Lehrküche', capacity: 14, equipment: ['kitchen', 'dishes'] });
    await aRoom(t.ctx.db, { slug: 'beratung', name: 'Beratungsraum', publicBookable: false });
  });
  afterEach(() => t.close());

  const count = async (table: 'requests' | 'bookings' | 'audit_log' | 'outbox') =>
    Number(
      (
        await t.ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  describe('refuses each broken rule with its own message next to its field, in German and English', () => {
    const cases: { name: string; fields: Fields; field: string; de: string; en: string }[] = [
      {
        name: 'a date that does not exist',
        fields: { date: '2026-02-30' },
        field: 'date',
        de: 'Das Datum „2026-02-30“ gibt es nicht',
        en: 'The date "2026-02-30" does not exist',
      },
      { name: 'a date in the past', fields: { date: '2026-11-20' }, field: 'date', de: 'liegt in der Vergangenheit', en: 'is in the past' },
      {
        name: 'a time in the spring DST gap',
        fields: { date: '2027-03-28', start: '02:30', end: '04:00' },
        field: 'start',
        de: 'Am 28. März 2027 gibt es die Uhrzeit 02:30 nicht',
        en: 'On 28 March 2027 the time 02:30 does not exist',
      },
      {
        name: 'a time in the doubled autumn hour',
        fields: { date: '2027-10-31', start: '01:00', end: '02:30' },
        field: 'end',
        de: 'gibt es die Uhrzeit 02:30 zweimal',
        en: 'the time 02:30 happens twice',
      },
      {
        name: 'an end not after the start',
        fields: { start: '20:00', end: '18:00' },
        field: 'end',
        de: 'Das Ende muss nach dem Beginn liegen',
        en: 'The end must be after the start',
      },
      { name: 'less than 30 minutes', fields: { start: '18:00', end: '18:15' }, field: 'end', de: 'mindestens 30 Minuten', en: 'at least 30 minutes' },
      { name: 'a time off the 15-minute grid', fields: { start: '18:10' }, field: 'start', de: '15-Minuten-Takt', en: '15-minute grid' },
      {
        name: 'a time outside the opening hours',
        fields: { start: '21:00', end: '22:30' },
        field: 'end',
        de: 'von 08:00 bis 22:00 Uhr geöffnet',
        en: 'open from 08:00 to 22:00',
      },
      {
        name: 'a day the house is closed',
        fields: { date: '2026-12-06' },
        field: 'date',
        de: 'an diesem Wochentag geschlossen',
        en: 'closed on this day of the week',
      },
      {
        name: 'a date closer than the lead time',
        fields: { date: '2026-11-24' },
        field: 'date',
        de: 'mindestens 2 Tage im Voraus',
        en: 'at least 2 days ahead',
      },
      {
        name: 'a date beyond the horizon',
        fields: { date: '2027-11-30' },
        field: 'date',
        de: 'höchstens 12 Monate, also bis zum 23. November 2027',
        en: 'at most 12 months, that is until 23 November 2027',
      },
      {
        name: 'more attendees than the room holds',
        fields: { attendees: '21' },
        field: 'attendees',
        de: 'Der Raum Gruppenraum fasst höchstens 20 Personen',
        en: 'The room Gruppenraum holds at most 20 people',
      },
      {
        name: 'a room only the office gives out',
        fields: { room: 'beratung' },
        field: 'room',
        de: 'nur über das Büro vergeben',
        en: 'only given out by the office',
      },
      { name: 'an unknown room', fields: { room: 'gibt-es-nicht' }, field: 'room', de: 'Bitte wählen Sie einen Raum', en: 'Please choose a room' },
      {
        name: 'equipment the room does not have',
        fields: { equipment: ['whiteboard', 'kitchen'] },
        field: 'equipment',
        de: 'Im Raum Gruppenraum gibt es „Küche“ nicht. Der Raum hat: Whiteboard und WLAN.',
        en: 'The room Gruppenraum does not have “Kitchen”. The room has: Whiteboard and Wi-Fi.',
      },
      {
        name: 'a bad e-mail address',
        fields: { email: 'erika(at)example' },
        field: 'email',
        de: 'Diese E-Mail-Adresse scheint nicht zu stimmen',
        en: 'This e-mail address does not look right',
      },
      {
        name: 'a missing e-mail address',
        fields: { email: '' },
        field: 'email',
        de: 'Bitte geben Sie Ihre E-Mail-Adresse an',
        en: 'Please give your e-mail address',
      },
      { name: 'a missing title', fields: { title: '  ' }, field: 'title', de: 'was Sie im Raum vorhaben', en: 'what you plan to do in the room' },
      { name: 'a missing name', fields: { contactName: '' }, field: 'contactName', de: 'Namen einer Ansprechperson', en: 'name of a contact person' },
      { name: 'an unknown category', fields: { category: 'party' }, field: 'category', de: 'Art der Veranstaltung', en: 'kind of event' },
      { name: 'a phone number with letters', fields: { phone: 'call me maybe' }, field: 'phone', de: 'nur mit Ziffern', en: 'digits, spaces' },
      {
        name: 'a public title to show that is empty',
        fields: { showPublicTitle: 'on', publicTitle: '' },
        field: 'publicTitle',
        de: 'öffentlichen Titel ein',
        en: 'enter a public title',
      },
      {
        name: 'house rules not accepted',
        fields: { acceptRules: '' },
        field: 'acceptRules',
        de: 'Nutzungsordnung gelesen haben und einhalten',
        en: 'read the house rules and will keep them',
      },
      {
        name: 'privacy notice not confirmed',
        fields: { acceptPrivacy: '' },
        field: 'acceptPrivacy',
        de: 'Datenschutzhinweis gelesen haben',
        en: 'read the privacy notice',
      },
      { name: 'an oversized title', fields: { title: 'x'.repeat(121) }, field: 'title', de: 'höchstens 120 Zeichen', en: 'at most 120 characters' },
      { name: 'oversized notes', fields: { notes: 'n'.repeat(2001) }, field: 'notes', de: 'höchstens 2.000 Zeichen', en: 'at most 2,000 characters' },
      {
        name: 'a series interval of 5 weeks',
        fields: { repeat: 'weekly', everyWeeks: '5', lastDate: '2027-01-05' },
        field: 'everyWeeks',
        de: 'alle 2, 3 oder 4 Wochen',
        en: 'every 2, 3 or 4 weeks',
      },
      {
        name: 'a series without a last date',
        fields: { repeat: 'weekly', lastDate: '' },
        field: 'lastDate',
        de: 'Datum des letzten Termins',
        en: 'date of the last meeting',
      },
      {
        name: 'a series beyond the horizon',
        fields: { repeat: 'weekly', lastDate: '2027-12-07' },
        field: 'lastDate',
        de: 'höchstens 12 Monate',
        en: 'at most 12 months',
      },
      {
        name: 'a series ending before it starts',
        fields: { repeat: 'weekly', lastDate: '2026-11-30' },
        field: 'lastDate',
        de: 'nicht vor dem ersten liegen',
        en: 'must not be before the first',
      },
    ];

    for (const c of cases) {
      it(`refuses ${c.name}`, async () => {
        for (const [lang, text] of [
          ['de', c.de],
          ['en', c.en],
        ] as const) {
          const f = formAgent(t);
          const fields = validFields('gruppenraum', { title: 'Deutschkurs <am Abend>', ...c.fields });
          const res = await f.post('/requests', fields, { lang });
          expect(res.status, `${lang}: ${res.text.slice(0, 200)}`).toBe(422);
          expect(res.text).toContain(`<html lang="${lang}" dir="ltr">`);
          expect(fieldError(res.text, c.field), lang).toContain(text);
          expect(res.text).toContain(`aria-describedby="${c.field}-error`);
          expect(res.text).toContain('class="error-summary"');
          expect(res.text).toContain(`href="#${c.field}"`);
          // Everything typed comes back.
          if (c.field !== 'title') expect(inputValue(res.text, 'title')).toBe(fields.title);
          expect(inputValue(res.text, 'contactName')).toBe(fields.contactName);
          for (const k of ['start', 'end', 'email', 'phone'] as const) expect(inputValue(res.text, k)).toBe(fields[k]);
          // A date that does not exist is not put into the date input (browsers drop it); it is shown next to it.
          if (parseDate(fields.date)) expect(inputValue(res.text, 'date')).toBe(fields.date);
          else expect(inputValue(res.text, 'date') === '' && res.text.includes('id="date-typed"')).toBe(true);
        }
        expect(await count('requests')).toBe(0);
        expect(await count('bookings')).toBe(0);
        expect(await count('outbox')).toBe(0);
      });
    }
  });

  it('shows every failing field at once', async () => {
    const res = await formAgent(t).post('/requests', validFields('gruppenraum', { start: '18:10', email: 'nope', acceptRules: '', attendees: '0' }));
    expect(res.status).toBe(422);
    for (const f of ['start', 'email', 'acceptRules', 'attendees']) expect(fieldError(res.text, f), f).not.toBeNull();
  });

  it('keeps the chosen checkboxes, category, series and notes when the form comes back', async () => {
    const res = await formAgent(t).post(
      '/requests',
      validFields('gruppenraum', {
        email: 'bad',
        equipment: ['wifi'],
        category: 'culture',
        repeat: 'weekly',
        everyWeeks: '2',
        lastDate: '2027-01-26',
        notes: 'Bitte Tische <in U-Form>',
        showPublicTitle: 'on',
        publicTitle: 'Offener Treff',
      }),
    );
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="equipment-wifi" name="equipment" value="wifi" checked/);
    expect(res.text).toMatch(/<option value="culture" selected>/);
    expect(res.text).toMatch(/value="weekly" checked/);
    expect(res.text).toMatch(/<option value="2" selected>/);
    expect(inputValue(res.text, 'lastDate')).toBe('2027-01-26');
    expect(res.text).toContain('Bitte Tische &lt;in U-Form&gt;</textarea>');
    expect(res.text).toMatch(/id="showPublicTitle" name="showPublicTitle" value="on" checked/);
    expect(res.text).toMatch(/id="acceptRules" name="acceptRules" value="on" checked/);
  });

  it('prefills room, date and times from a clicked calendar slot and ignores malformed values', async () => {
    const res = await t.request.get('/requests/new?room=lehrkueche&date=2026-12-03&start=14:00&end=16:30');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<option value="lehrkueche"[^>]* selected>/);
    expect(inputValue(res.text, 'date')).toBe('2026-12-03');
    expect(inputValue(res.text, 'start')).toBe('14:00');
    expect(inputValue(res.text, 'end')).toBe('16:30');
    const bad = await t.request.get('/requests/new?date=2026-13-01&start=25:00&end=x');
    expect(inputValue(bad.text, 'date')).toBe('');
    expect(inputValue(bad.text, 'start')).toBe('');
  });

  it('offers the public rooms, the 7 categories, the equipment of the rooms, the confirmations with links and a hidden honeypot', async () => {
    const res = await t.request.get('/requests/new');
    expect(res.text).toContain('value="gruppenraum"');
    expect(res.text).not.toContain('value="beratung"');
    for (const c of ['education', 'culture', 'social', 'integration', 'sports', 'celebration', 'other']) expect(res.text).toContain(`<option value="${c}"`);
    for (const e of ['whiteboard', 'wifi', 'kitchen', 'dishes']) expect(res.text).toContain(`id="equipment-${e}"`);
    expect(res.text).toContain('href="/rules"');
    expect(res.text).toContain('href="/privacy"');
    expect(res.text).toMatch(
      /<div class="hp" aria-hidden="true">\s*<label for="website">[^<]*<\/label>\s*<input type="text" id="website" name="website" value="" tabindex="-1" autocomplete="off">/,
    );
    expect(res.text).toMatch(/<button type="submit" name="action" value="preview"/);
  });

  it('refuses a filled honeypot in a friendly way and stores nothing', async () => {
    const res = await formAgent(t).post('/requests', validFields('gruppenraum', { website: 'http://spam.example' }));
    expect(res.status).toBe(400);
    expect(res.text).toContain('Anfrage nicht gesendet');
    expect(await count('requests')).toBe(0);
    expect(await count('outbox')).toBe(0);
  });

  it('limits stored requests per address, keeps what was typed and names the time to try again', async () => {
    const f = formAgent(t);
    for (let i = 0; i < REQUEST_POST_LIMIT; i++) expect((await f.post('/requests', validFields('gruppenraum'))).status).toBe(303);
    const limited = await f.post('/requests', validFields('gruppenraum', { title: 'Nähcafé', notes: 'Bitte mit Steckdosen' }), { lang: 'en' });
    expect(limited.status).toBe(429);
    // The clock stands at 10:00: the first of the sends leaves the hour at 11:00.
    expect(limited.text).toContain('Very many requests were already sent from your connection in the last hour. Please send the form again from 11:00');
    expect(limited.headers['retry-after']).toBe('3600');
    // The form comes back with everything typed, ready to send again later.
    expect(limited.text).toMatch(/<form method="post" action="\/requests"/);
    expect(inputValue(limited.text, 'title')).toBe('Nähcafé');
    expect(inputValue(limited.text, 'email')).toBe('erika@example.org');
    expect(limited.text).toContain('Bitte mit Steckdosen</textarea>');
    expect(limited.text).toMatch(/id="acceptRules" name="acceptRules" value="on" checked/);
    expect(await count('requests')).toBe(REQUEST_POST_LIMIT);
    const de = await f.post('/requests', validFields('gruppenraum'), { lang: 'de' });
    expect(de.text).toContain('Bitte senden Sie das Formular ab 11:00 Uhr noch einmal');
    t.clock.advance(3600_000);
    expect((await f.post('/requests', validFields('gruppenraum'))).status).toBe(303);
  });

  it("limits refused sends separately: a robot's failures never block an honest group on the same connection", async () => {
    const f = formAgent(t);
    for (let i = 0; i < REQUEST_REFUSED_LIMIT; i++) {
      const res = await f.post(
        '/requests',
        i % 2 ? validFields('gruppenraum', { email: 'invalid' }) : validFields('gruppenraum', { website: 'http://spam.example' }),
      );
      expect(res.status).toBe(i % 2 ? 422 : 400);
    }
    const limited = await f.post('/requests', validFields('gruppenraum', { email: 'invalid', title: 'Probe' }));
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('sehr viele Formulare, die nicht angenommen werden konnten. Bitte senden Sie das Formular ab 11:00 Uhr noch einmal');
    expect(inputValue(limited.text, 'title')).toBe('Probe');
    // A group sending a complete form from the same address gets through.
    const honest = await f.post('/requests', validFields('gruppenraum'));
    expect(honest.status).toBe(303);
    expect(await count('requests')).toBe(1);
  });

  it("once refused sends are used up, still shows a form's mistakes next to their fields, keeps what was typed and names the time", async () => {
    const f = formAgent(t);
    for (let i = 0; i < REQUEST_REFUSED_LIMIT; i++) {
      expect((await f.post('/requests', validFields('gruppenraum', { website: 'http://spam.example' }))).status).toBe(400);
    }
    const limited = await f.post('/requests', validFields('gruppenraum', { email: 'erika(at)example', title: 'Chorprobe', attendees: '21' }));
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect(limited.text).toContain('sehr viele Formulare, die nicht angenommen werden konnten. Bitte senden Sie das Formular ab 11:00 Uhr noch einmal');
    expect(fieldError(limited.text, 'email')).toContain('Diese E-Mail-Adresse scheint nicht zu stimmen');
    expect(fieldError(limited.text, 'attendees')).toContain('Der Raum Gruppenraum fasst höchstens 20 Personen');
    expect(limited.text).toMatch(/id="email"[^>]*aria-invalid="true"/);
    expect(inputValue(limited.text, 'email')).toBe('erika(at)example');
    expect(inputValue(limited.text, 'title')).toBe('Chorprobe');
    expect(inputValue(limited.text, 'attendees')).toBe('21');
    expect(fieldError(limited.text, 'title')).toBeNull();
    const en = await f.post('/requests', validFields('gruppenraum', { email: 'erika(at)example' }), { lang: 'en' });
    expect(en.status).toBe(429);
    expect(fieldError(en.text, 'email')).toContain('This e-mail address does not look right');
    expect(en.text).toContain('Please send the form again from 11:00');
    expect(await count('requests')).toBe(0);
    expect(await count('bookings')).toBe(0);
    expect(await count('outbox')).toBe(0);
  });

  it('does not count series previews against the limit for sending', async () => {
    const f = formAgent(t);
    const series = validFields('gruppenraum', { repeat: 'weekly', lastDate: '2027-02-23', action: 'preview' });
    for (let i = 0; i < REQUEST_POST_LIMIT + 5; i++) expect((await f.post('/requests', series)).status).toBe(200);
    const sent = await f.post('/requests', { ...series, action: 'send' });
    expect(sent.status).toBe(303);
    expect(await count('requests')).toBe(1);
  });

  it('still limits previews, at a much higher number', async () => {
    const f = formAgent(t);
    const preview = validFields('gruppenraum', { action: 'preview', title: 'Probe' });
    for (let i = 0; i < PREVIEW_LIMIT; i++) await f.post('/requests', preview);
    const limited = await f.post('/requests', preview);
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('sehr viele Vorschauen. Bitte versuchen Sie es ab 11:00 Uhr noch einmal');
    expect(inputValue(limited.text, 'title')).toBe('Probe');
  });

  it('stores a valid request: reference, hashed token, pending date, accepted versions, audit entry and mails', async () => {
    await t.ctx.db.updateTable('settings').set({ reference_prefix: 'HdB', rules_version: 3, privacy_version: 2 }).execute();
    const f = formAgent(t);
    const res = await f.post(
      '/requests',
      validFields('gruppenraum', {
        equipment: ['wifi'],
        showPublicTitle: 'on',
        publicTitle: 'Deutsch für alle',
        organisation: '',
        phone: '',
      }),
      { lang: 'en' },
    );
    expect(res.status).toBe(303);
    const token = tokenFrom(res);
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);

    const page = await f.get(res.headers.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain('HdB-2026-0001');
    expect(page.text).toContain('Your request has arrived.');
    expect(page.text).toContain(`http://localhost:3000/requests/${token}`);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');

    const req = await t.ctx.db.selectFrom('requests').selectAll().executeTakeFirstOrThrow();
    expect(req).toMatchObject({
      reference: 'HdB-2026-0001',
      token_hash: hashToken(token),
      title: 'Deutschkurs',
      public_title: 'Deutsch für alle',
      show_public_title: 1,
      organisation: null,
      phone: null,
      contact_name: 'Erika Beispiel',
      email: 'erika@example.org',
      category: 'education',
      attendees: 12,
      equipment: '["wifi"]',
      language: 'en',
      rules_version: 3,
      privacy_version: 2,
      source: 'public',
      repeat_weeks: null,
      first_date: '2026-12-01',
      last_date: null,
      start_time: '18:00',
      end_time: '20:00',
    });
    expect(JSON.stringify(req)).not.toContain(token);
    const bookings = await t.ctx.db.selectFrom('bookings').selectAll().execute();
    expect(bookings).toHaveLength(1);
    expect(bookings[0]).toMatchObject({
      status: 'pending',
      local_date: '2026-12-01',
      start_at: Date.parse('2026-12-01T17:00:00Z'),
      end_at: Date.parse('2026-12-01T19:00:00Z'),
    });
    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().execute();
    expect(audit).toMatchObject([{ actor: 'group', action: 'request.create', entity: 'request', entity_id: req.id }]);
    expect(audit[0]!.details).not.toContain(token);
    const mails = await t.ctx.db.selectFrom('outbox').select(['to_address', 'kind', 'text_body', 'html_body', 'secret']).execute();
    const toGroup = mails.find((m) => m.to_address === 'erika@example.org');
    expect(toGroup?.kind).toBe('request.received');
    // The link is filled in when the mail is sent; the stored copy holds it only encrypted.
    expect(toGroup?.text_body).not.toContain(token);
    expect(fillSecret(toGroup!, t.ctx.mailKey).text).toContain(`/requests/${token}`);
    // The admin account gets the staff mail, without the manage link.
    const toStaff = mails.find((m) => m.to_address === 'admin@example.org');
    expect(toStaff?.text_body).not.toContain(token);
  });

  it('shows a new request as "angefragt" in the public calendar at once', async () => {
    const res = await formAgent(t).post('/requests', validFields('gruppenraum'));
    expect(res.status).toBe(303);
    const week = await t.request.get('/rooms/gruppenraum?date=2026-12-01');
    expect(week.status).toBe(200);
    expect(week.text).toContain('angefragt');
    expect(week.text).not.toContain('Erika Beispiel');
    expect(week.text).not.toContain('Lernwerkstatt');
  });

  it('counts references per year of the first date', async () => {
    const f = formAgent(t);
    await f.post('/requests', validFields('gruppenraum'));
    const next = await f.post('/requests', validFields('gruppenraum', { date: '2027-01-05' }));
    const page = await f.get(next.headers.location!);
    expect(page.text).toMatch(/RB-2027-0001/);
  });
});
