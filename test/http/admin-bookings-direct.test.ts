// Direct booking by the caretaker: approved at once, opening hours / lead time / horizon overridable with
// explicit checkboxes, the clash rule never; a series skips holidays and taken dates.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { aBooking, aRoom } from '../helpers/factories.js';

describe('direct booking', () => {
  let t: TestApp;
  let staff: LoggedIn;
  let roomId: number;
  beforeEach(async () => {
    t = await makeTestApp(); // Monday 2026-11-23 10:00 in Berlin; lead time 2 days; Sundays closed
    staff = await loginAs(t, 'caretaker');
    roomId = (await aRoom(t.ctx.db, { name: 'Gruppenraum', capacity: 20 })).id;
  });
  afterEach(() => t.close());

  const base = () => ({
    room: String(roomId),
    date: '2026-12-02',
    start: '18:00',
    end: '20:00',
    title: 'Telefonanfrage',
    contact_name: 'Frau Yilmaz',
    email: '',
    phone: '030 999',
    category: 'social',
    attendees: '12',
    message: 'Bis dann!',
  });

  async function book(body: Record<string, string | string[]>) {
    const token = await staff.csrf('/admin/bookings/new');
    return staff.agent
      .post('/admin/bookings')
      .type('form')
      .send({ _csrf: token, ...body });
  }

  const requests = () => t.ctx.db.selectFrom('requests').selectAll().where('source', '=', 'house').execute();

  it('is not open to anonymous visitors', async () => {
    const res = await t.request.get('/admin/bookings/new');
    expect(res.status).toBe(303);
  });

  it('refuses a form without title and contact, keeping the values and marking the fields', async () => {
    const res = await book({ ...base(), title: '', contact_name: '', phone: '030 4711' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Bitte einen Titel angeben.');
    expect(res.text).toContain('id="title" name="title" value="" maxlength="200" aria-invalid="true"');
    expect(res.text).toContain('value="030 4711"');
    expect(await requests()).toEqual([]);
  });

  it('refuses a date inside the lead time unless the lead time is overridden', async () => {
    const refused = await book({ ...base(), date: '2026-11-24' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('weniger als 2 Tage im Voraus');
    expect(refused.text).toContain('kreuzen Sie unten „Vorlaufzeit übergehen“ an');
    expect(refused.text).not.toContain('rufen Sie bitte das Haus an');
    expect(refused.text).toContain('aria-describedby="date-error"');
    expect(await requests()).toEqual([]);
    const ok = await book({ ...base(), date: '2026-11-24', override_lead: '1' });
    expect(ok.status).toBe(303);
    expect(await requests()).toHaveLength(1);
  });

  it('refuses a Sunday (closed) unless the opening hours are overridden', async () => {
    expect((await book({ ...base(), date: '2026-11-29' })).status).toBe(422);
    expect((await book({ ...base(), date: '2026-11-29', override_hours: '1' })).status).toBe(303);
  });

  it('refuses more people than the room holds (rule 4 is not overridable)', async () => {
    const res = await book({ ...base(), attendees: '50', override_hours: '1', override_lead: '1', override_horizon: '1' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('fasst höchstens 20 Personen');
    expect(await requests()).toEqual([]);
  });

  it('never books over an approved booking, whatever is overridden, and names the clash', async () => {
    const other = await aBooking(t.ctx.db, { roomId, date: '2026-12-02', start: '19:00', end: '21:00', status: 'approved', title: 'Chor' });
    const res = await book({ ...base(), override_hours: '1', override_lead: '1', override_horizon: '1' });
    expect(res.status).toBe(409);
    expect(res.text).toContain(other.reference);
    expect(await requests()).toEqual([]);
  });

  it('books one date approved at once, by the house, with audit entry', async () => {
    const res = await book({ ...base(), email: 'yilmaz@example.org', equipment: ['whiteboard', 'chairs_tables'] });
    expect(res.status).toBe(303);
    const [req] = await requests();
    expect(req).toMatchObject({ source: 'house', created_by: staff.user.id, title: 'Telefonanfrage', email: 'yilmaz@example.org', repeat_weeks: null });
    expect(JSON.parse(req!.equipment)).toEqual(['whiteboard', 'chairs_tables']);
    expect(res.headers.location).toBe(`/admin/requests/${req!.id}`);
    const bookings = await t.ctx.db.selectFrom('bookings').selectAll().where('request_id', '=', req!.id).execute();
    expect(bookings).toHaveLength(1);
    expect(bookings[0]).toMatchObject({ status: 'approved', decided_by: staff.user.id, decision_message: 'Bis dann!', local_date: '2026-12-02' });
    const log = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'request.created').executeTakeFirstOrThrow();
    expect(log).toMatchObject({ entity: 'request', entity_id: req!.id, user_id: staff.user.id });
    const detail = await staff.agent.get(res.headers.location!);
    expect(detail.text).toContain(`Buchung ${req!.reference} eingetragen`);
  });

  it('books a weekly series: free dates approved, holidays and taken dates skipped', async () => {
    await aBooking(t.ctx.db, { roomId, date: '2026-12-11', start: '17:00', end: '18:30', status: 'approved' });
    const res = await book({ ...base(), date: '2026-12-04', repeat: '1', last_date: '2027-01-01' });
    expect(res.status).toBe(303);
    const [req] = await requests();
    const detail = await staff.agent.get(res.headers.location!);
    expect(detail.text).toContain('2 Termine bestätigt, 3 ausgelassen');
    expect(req).toMatchObject({ repeat_weeks: 1, first_date: '2026-12-04', last_date: '2027-01-01' });
    const rows = await t.ctx.db
      .selectFrom('bookings')
      .select(['local_date', 'status', 'skip_reason'])
      .where('request_id', '=', req!.id)
      .orderBy('local_date')
      .execute();
    expect(rows).toEqual([
      { local_date: '2026-12-04', status: 'approved', skip_reason: null },
      { local_date: '2026-12-11', status: 'skipped', skip_reason: 'clash' },
      { local_date: '2026-12-18', status: 'approved', skip_reason: null },
      { local_date: '2026-12-25', status: 'skipped', skip_reason: 'holiday' },
      { local_date: '2027-01-01', status: 'skipped', skip_reason: 'holiday' },
    ]);
  });

  it('tells the group in the confirmation which dates of the series were left out, and why', async () => {
    await aBooking(t.ctx.db, { roomId, date: '2026-12-11', start: '17:00', end: '18:30', status: 'approved' });
    const res = await book({ ...base(), email: 'yilmaz@example.org', date: '2026-12-04', repeat: '1', last_date: '2027-01-01' });
    expect(res.status).toBe(303);
    const mails = await t.ctx.db.selectFrom('outbox').selectAll().where('to_address', '=', 'yilmaz@example.org').execute();
    expect(mails).toHaveLength(1);
    const text = mails[0]!.text_body;
    expect(text).toContain('Nicht eingetragen haben wir diese Termine der Reihe:');
    expect(text).toMatch(/11\. Dezember 2026[^\n]*\(ausgelassen: bereits belegt\)/);
    expect(text).toMatch(/25\. Dezember 2026[^\n]*\(ausgelassen: Feiertag\)/);
    expect(mails[0]!.html_body).toContain('ausgelassen: Feiertag');
  });

  it('does not claim on the request page that the group accepted house rules it never saw', async () => {
    const res = await book(base());
    const detail = await staff.agent.get(res.headers.location!);
    expect(detail.text).not.toContain('Nutzungsordnung Fassung');
    expect(detail.text).toContain('keine – vom Haus eingetragen, die Gruppe hat nichts bestätigt');
    const { requestId } = await aBooking(t.ctx.db, { roomId, date: '2026-12-09' });
    expect((await staff.agent.get(`/admin/requests/${requestId}`)).text).toContain(
      'Nutzungsordnung Fassung 1, gelesen auf Deutsch; Datenschutzhinweis Fassung 1, gelesen auf Deutsch',
    );
  });

  it('refuses a series longer than two years even with the horizon overridden, next to the last date, storing nothing', async () => {
    const res = await book({ ...base(), date: '2026-12-02', repeat: '1', last_date: '2226-01-01', override_horizon: '1' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('id="last_date-error"');
    expect(res.text).toContain('höchstens 24 Monate und 110 Termine');
    expect(res.text).toContain('2. Dezember 2028');
    expect(res.text).toContain('value="2226-01-01"');
    expect(await requests()).toHaveLength(0);
    expect(await t.ctx.db.selectFrom('bookings').selectAll().execute()).toHaveLength(0);
  });

  it('names the equipment in words on the form', async () => {
    const res = await staff.agent.get('/admin/bookings/new');
    expect(res.text).toContain('Beamer');
    expect(res.text).toContain('Stühle');
    expect(res.text).not.toMatch(/>\s*chairs_tables\s*</);
    expect(res.text).not.toMatch(/>\s*projector\s*</);
  });

  it('refuses a date in the past even with the lead time overridden', async () => {
    for (const body of [
      { ...base(), date: '2026-11-20', override_lead: '1' },
      { ...base(), date: '2026-11-23', start: '08:00', end: '09:00', override_lead: '1', override_hours: '1' },
      { ...base(), date: '2026-11-18', repeat: '1', last_date: '2026-12-16', override_lead: '1' },
    ]) {
      const res = await book(body);
      expect(res.status, body.date).toBe(422);
      expect(res.text).toContain('id="date-error"');
      expect(res.text).toContain('liegt in der Vergangenheit');
    }
    expect(await requests()).toEqual([]);
  });

  describe('in the rhythms of the public form', () => {
    const dates = async () => {
      const [req] = await requests();
      if (!req) return [];
      return t.ctx.db.selectFrom('bookings').select(['local_date', 'status']).where('request_id', '=', req.id).orderBy('local_date').execute();
    };

    it('books the first Wednesday of every month, and refuses a first date that is not one, next to the field', async () => {
      // 2 December 2026 is the first Wednesday of December, not the second.
      const refused = await book({ ...base(), date: '2026-12-02', repeat: 'monthly', nth: '2', last_date: '2027-03-31' });
      expect(refused.status).toBe(422);
      expect(refused.text).toMatch(/<p class="field-error" id="nth-error">Der 2\. Dezember 2026 ist nicht der zweite Mittwoch im Monat/);
      expect(refused.text).toContain('<option value="2" selected>');
      expect(await requests()).toEqual([]);

      const res = await book({ ...base(), date: '2026-12-02', repeat: 'monthly', nth: '1', last_date: '2027-03-31' });
      expect(res.status).toBe(303);
      const [req] = await requests();
      expect(req).toMatchObject({ repeat_kind: 'monthly', repeat_nth: 1, repeat_weeks: null, first_date: '2026-12-02', last_date: '2027-03-31' });
      expect((await dates()).map((d) => d.local_date)).toEqual(['2026-12-02', '2027-01-06', '2027-02-03', '2027-03-03']);
    });

    it('books the last Friday of the month', async () => {
      const res = await book({ ...base(), date: '2026-12-25', repeat: 'monthly', nth: 'last', last_date: '2027-02-28' });
      expect(res.status).toBe(303);
      // 25 December is a public holiday: skipped, the others approved.
      expect(await dates()).toEqual([
        { local_date: '2026-12-25', status: 'skipped' },
        { local_date: '2027-01-29', status: 'approved' },
        { local_date: '2027-02-26', status: 'approved' },
      ]);
    });

    it('books hand-picked dates typed as people write them, and names what is no date, keeping the list', async () => {
      const refused = await book({ ...base(), repeat: 'dates', picked_dates: '09.12.2026\nWeihnachten\n2027-01-13' });
      expect(refused.status).toBe(400);
      expect(refused.text).toMatch(/<p class="field-error" id="picked_dates-error">Dieser Eintrag ist kein Datum: Weihnachten/);
      expect(refused.text).toContain('09.12.2026\nWeihnachten\n2027-01-13</textarea>');
      expect(await requests()).toEqual([]);

      const empty = await book({ ...base(), repeat: 'dates', picked_dates: '' });
      expect(empty.status).toBe(422);
      expect(empty.text).toContain('id="picked_dates-error"');

      const res = await book({ ...base(), repeat: 'dates', picked_dates: '13.01.2027\n09.12.2026' });
      expect(res.status).toBe(303);
      const [req] = await requests();
      expect(req).toMatchObject({ repeat_kind: 'dates', first_date: '2026-12-02', last_date: '2027-01-13' });
      expect(JSON.parse(req!.repeat_dates!)).toEqual(['2026-12-09', '2027-01-13']);
      expect(await dates()).toEqual([
        { local_date: '2026-12-02', status: 'approved' },
        { local_date: '2026-12-09', status: 'approved' },
        { local_date: '2027-01-13', status: 'approved' },
      ]);
    });

    it('shows the dates of a series every 2 weeks before booking (free, taken, holiday) and stores nothing', async () => {
      await aBooking(t.ctx.db, { roomId, date: '2026-12-18', start: '19:00', end: '21:00', status: 'approved' });
      // On the phone the dates come first: the group's details may still be empty.
      const res = await book({
        ...base(),
        title: '',
        contact_name: '',
        attendees: '',
        date: '2026-12-04',
        repeat: '2',
        last_date: '2027-01-01',
        action: 'preview',
      });
      expect(res.text).not.toContain('field-error');
      expect(res.status).toBe(200);
      const section = /<section class="series-preview" id="direct-preview"[\s\S]*?<\/section>/.exec(res.text)?.[0] ?? '';
      expect(section).toContain('Frei und buchbar: 1 von 3 Terminen.');
      const items = [...section.matchAll(/<li class="preview-(\w+)"><span class="preview-when">([^<]*)</g)].map((m) => [m[1], m[2]]);
      expect(items).toEqual([
        ['ok', 'Freitag, 4. Dezember 2026, 18:00–20:00 Uhr'],
        ['clash', 'Freitag, 18. Dezember 2026, 18:00–20:00 Uhr'],
        ['skipped', 'Freitag, 1. Januar 2027, 18:00–20:00 Uhr'],
      ]);
      // The form keeps what was typed, ready to book.
      expect(res.text).toContain('<option value="2" selected>');
      expect(await requests()).toEqual([]);
      // A preview still names a wrong first date next to its field.
      const wrong = await book({ ...base(), title: '', date: '2026-12-02', repeat: 'monthly', nth: 'last', last_date: '2027-01-31', action: 'preview' });
      expect(wrong.text).toContain('id="nth-error"');
      expect(wrong.text).not.toContain('id="title-error"');
      expect((await book({ ...base(), date: '2026-12-04', repeat: '2', last_date: '2027-01-01' })).status).toBe(303);
      expect((await dates()).map((d) => d.status)).toEqual(['approved', 'skipped', 'skipped']);
    });
  });
});
