import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { loginAs } from '../helpers/login.js';
import { fieldError, formAgent, inputValue, tokenFrom, validFields, type FormAgent } from '../helpers/request-form.js';
import { TOKEN_FAILURE_LIMIT } from '../../src/bookings/routes.js';

describe('the manage page behind the private link', () => {
  let t: TestApp;
  let f: FormAgent;
  let room: { id: number; slug: string };
  beforeEach(async () => {
    t = await makeTestApp();
    room = await aRoom(t.ctx.db, { slug: 'gruppenraum', name: 'Gruppenraum', capacity: 20 });
    f = formAgent(t);
  });
  afterEach(() => t.close());

  async function send(fields = validFields('gruppenraum')): Promise<string> {
    const res = await f.post('/requests', fields);
    return tokenFrom(res);
  }
  const bookingsOf = async () => t.ctx.db.selectFrom('bookings').selectAll().orderBy('local_date').execute();
  async function snapshot() {
    const db = t.ctx.db;
    return JSON.stringify(
      await Promise.all([
        db.selectFrom('requests').selectAll().execute(),
        db.selectFrom('bookings').selectAll().execute(),
        db.selectFrom('audit_log').selectAll().execute(),
        db.selectFrom('outbox').select(['id', 'kind']).execute(),
        db.selectFrom('occupancy').selectAll().execute(),
      ]),
    );
  }

  describe('access', () => {
    it('answers an unknown or malformed token with a plain 404', async () => {
      for (const token of ['A'.repeat(43), 'kurz', 'x'.repeat(200), '%00%27']) {
        const res = await t.request.get(`/requests/${token}`);
        expect(res.status, token).toBe(404);
        expect(res.text).toContain('Seite nicht gefunden');
      }
      expect((await t.request.get(`/requests/${'B'.repeat(43)}/edit`)).status).toBe(404);
    });

    it('limits trying tokens', async () => {
      const token = await send();
      for (let i = 0; i < TOKEN_FAILURE_LIMIT; i++) expect((await t.request.get(`/requests/${'Z'.repeat(40)}${i}`)).status).toBe(404);
      const limited = await t.request.get(`/requests/${'Z'.repeat(43)}`);
      expect(limited.status).toBe(429);
      // The clock stands at 10:00; the window is 15 minutes.
      expect(limited.text).toContain('Bitte versuchen Sie es ab 10:15 Uhr noch einmal');
      expect((await t.request.get(`/requests/${'Z'.repeat(43)}/calendar.ics`)).status).toBe(429);
      // A group behind the same address (the house Wi-Fi) still opens its own link.
      expect((await t.request.get(`/requests/${token}`)).status).toBe(200);
      expect((await t.request.get(`/requests/${token}/calendar.ics`)).status).toBe(200);
      t.clock.advance(15 * 60_000);
      expect((await t.request.get(`/requests/${'Z'.repeat(43)}`)).status).toBe(404);
    });

    it("does not count the group's own visits against the limit", async () => {
      const token = await send();
      for (let i = 0; i < TOKEN_FAILURE_LIMIT + 5; i++) expect((await f.get(`/requests/${token}`)).status).toBe(200);
    });

    it('sends no referrer and forbids caching', async () => {
      const token = await send();
      for (const path of [`/requests/${token}`, `/requests/${token}/edit`]) {
        const res = await f.get(path);
        expect(res.status).toBe(200);
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['cache-control']).toBe('no-store');
      }
    });

    it('changes nothing on GET (mail scanners follow links)', async () => {
      const token = await send();
      const before = await snapshot();
      for (const path of [`/requests/${token}`, `/requests/${token}?created=1`, `/requests/${token}/edit`, `/requests/${token}/cancel`]) {
        expect([200, 303]).toContain((await t.request.get(path)).status);
      }
      expect(await snapshot()).toBe(before);
    });

    it('needs the CSRF token to cancel', async () => {
      const token = await send();
      const res = await t.request.post(`/requests/${token}/cancel`).type('form').send('booking=');
      expect(res.status).toBe(403);
      expect((await bookingsOf())[0]!.status).toBe('pending');
    });
  });

  describe('the confirmation after sending', () => {
    it('shows "Ihre Anfrage ist angekommen" once, then the bookmarked link is the plain manage page', async () => {
      const res = await f.post('/requests', validFields('gruppenraum'));
      const token = tokenFrom(res);
      const first = await f.get(res.headers.location!);
      expect(first.status).toBe(200);
      expect(first.text).toContain('Ihre Anfrage ist angekommen.');
      expect(first.text).toContain(`http://localhost:3000/requests/${token}`);

      // A reload or the bookmark of that address: on to the plain link, without the confirmation.
      const again = await f.get(res.headers.location!);
      expect(again.status).toBe(303);
      expect(again.headers.location).toBe(`/requests/${token}`);
      const plain = await f.get(`/requests/${token}`);
      expect(plain.status).toBe(200);
      expect(plain.text).not.toContain('Ihre Anfrage ist angekommen');
      expect(plain.text).not.toContain('Das Haus prüft die Anfrage');
      // Another browser (a forwarded link) never sees it either.
      expect((await t.request.get(`/requests/${token}?created=1`)).headers.location).toBe(`/requests/${token}`);
    });

    it('never says the house is checking a request that was cancelled', async () => {
      const token = tokenFrom(await f.post('/requests', validFields('gruppenraum')));
      await f.post(`/requests/${token}/cancel`, { confirm: '1' }, { from: `/requests/${token}` });
      const page = await f.get(`/requests/${token}?created=1`, 'de');
      const shown = page.status === 303 ? await f.get(page.headers.location!) : page;
      expect(shown.text).toContain('<span class="mark request-status-cancelled">abgesagt</span>');
      expect(shown.text).not.toContain('Das Haus prüft die Anfrage');
      expect(shown.text).not.toContain('Ihre Anfrage ist angekommen');
    });
  });

  describe('status and history', () => {
    it("shows the overall status, each date with its status and the house's decisions with their message", async () => {
      const token = await send(validFields('gruppenraum', { date: '2026-12-11', repeat: 'weekly', lastDate: '2027-01-08' }));
      const page = await f.get(`/requests/${token}`);
      expect(page.text).toContain('angefragt – das Haus hat noch nicht entschieden');
      expect(page.text).toContain('jeden Freitag, 18:00–20:00 Uhr, 11. Dezember 2026 bis 8. Januar 2027, 5 Termine');
      // The holiday is named, as the preview named it.
      expect(page.text).toMatch(
        /Freitag, 25. Dezember 2026, 18:00–20:00 Uhr<\/td>\s*<td>ausgelassen <span class="muted">\(Feiertag: 1. Weihnachtstag\)<\/span>/,
      );
      expect(page.text).toMatch(/Freitag, 1. Januar 2027, 18:00–20:00 Uhr<\/td>\s*<td>ausgelassen <span class="muted">\(Feiertag: Neujahr\)<\/span>/);
      expect((await f.get(`/requests/${token}`, 'en')).text).toMatch(/<td>skipped <span class="muted">\(Public holiday: Christmas Day\)<\/span>/);

      const decidedAt = Date.parse('2026-11-24T09:30:00Z');
      const [first, second] = await bookingsOf();
      await t.ctx.db
        .updateTable('bookings')
        .set({ status: 'approved', decided_at: decidedAt, decision_message: 'Schlüssel bitte im Büro abholen.' })
        .where('id', '=', first!.id)
        .execute();
      await t.ctx.db
        .updateTable('bookings')
        .set({ status: 'rejected', decided_at: decidedAt + 60_000, decision_message: 'An diesem Tag ist Weihnachtsfeier.' })
        .where('id', '=', second!.id)
        .execute();
      const after = await f.get(`/requests/${token}`, 'en');
      expect(after.text).toContain('partly confirmed');
      expect(after.text).toMatch(/Friday, 11 December 2026, 18:00–20:00<\/td>\s*<td>confirmed/);
      expect(after.text).toMatch(/Friday, 18 December 2026, 18:00–20:00<\/td>\s*<td>rejected/);
      expect(after.text).toContain('Confirmed by the house (dates: 1)');
      expect(after.text).toContain('Message from the house: Schlüssel bitte im Büro abholen.');
      expect(after.text).toContain('Rejected by the house (dates: 1)');
      expect(after.text).toContain('An diesem Tag ist Weihnachtsfeier.');
      expect(after.text).toContain('24 Nov 2026');
      // Once the house has decided, the request can no longer be edited.
      expect(after.text).not.toContain(`/requests/${token}/edit`);
    });
  });

  describe("history of the group's own changes and the house's", () => {
    it("lists the group's edits and cancellations and the house's changes and cancellations, in time order, without naming staff", async () => {
      const token = await send(validFields('gruppenraum', { repeat: 'weekly', lastDate: '2026-12-22' }));
      t.clock.advance(60 * 60_000);
      await f.post(`/requests/${token}/edit`, validFields('gruppenraum', { repeat: 'weekly', lastDate: '2026-12-15', start: '19:00', end: '21:00' }), {
        from: `/requests/${token}/edit`,
      });
      t.clock.advance(60 * 60_000);
      const [, second, third] = await bookingsOf();
      await f.post(`/requests/${token}/cancel`, { booking: String(second!.id), confirm: '1' }, { from: `/requests/${token}` });
      t.clock.advance(60 * 60_000);
      const req = await t.ctx.db.selectFrom('requests').select('id').executeTakeFirstOrThrow();
      const staff = await loginAs(t, 'caretaker', { name: 'Kim Verwalterin' });
      const csrf = await staff.csrf('/admin');
      const moved = await staff.agent
        .post(`/admin/requests/${req.id}/edit`)
        .type('form')
        .send({
          _csrf: csrf,
          booking: String(third!.id),
          scope: 'one',
          start: '18:00',
          end: '20:00',
          room: String(room.id),
          title: 'Deutschkurs',
          message: 'Um 19 Uhr ist der Raum schon belegt.',
        });
      expect(moved.status).toBe(303);
      t.clock.advance(60 * 60_000);
      const [first] = await bookingsOf();
      const cancelled = await staff.agent
        .post(`/admin/requests/${req.id}/cancel`)
        .type('form')
        .send({
          _csrf: csrf,
          booking: String(first!.id),
          scope: 'one',
          message: 'Wasserschaden',
        });
      expect(cancelled.status).toBe(303);

      const page = await f.get(`/requests/${token}`);
      const items = [...page.text.matchAll(/<li><strong>[^<]*<\/strong>: ([^<]*)/g)].map((m) => m[1]!.trim());
      expect(items).toEqual([
        'Anfrage eingegangen',
        'Von Ihnen geändert; dadurch entfallen Termine: 1',
        'Von Ihnen abgesagt (Termine: 1)',
        'Vom Haus geändert (Termine: 1)',
        'Vom Haus abgesagt (Termine: 1)',
      ]);
      expect(page.text).toContain('Um 19 Uhr ist der Raum schon belegt.');
      expect(page.text).toContain('Wasserschaden');
      expect(page.text).not.toContain('Kim Verwalterin');
      const en = await f.get(`/requests/${token}`, 'en');
      expect(en.text).toContain('Changed by you; dates dropped by this: 1');
      expect(en.text).toContain('Cancelled by you (dates: 1)');
      expect(en.text).toContain('Changed by the house (dates: 1)');
    });
  });

  describe('cancelling (rule 9)', () => {
    it('asks first, naming the date, and cancels only after "Ja, absagen"', async () => {
      const token = await send(validFields('gruppenraum', { repeat: 'weekly', lastDate: '2026-12-15' }));
      const [, second] = await bookingsOf();
      const before = await snapshot();
      const ask = await f.post(`/requests/${token}/cancel`, { booking: String(second!.id) }, { from: `/requests/${token}` });
      expect(ask.status).toBe(200);
      expect(ask.headers['cache-control']).toBe('no-store');
      expect(ask.text).toContain('Diesen Termin absagen?');
      expect(ask.text).toContain('Dienstag, 8. Dezember 2026, 18:00–20:00 Uhr');
      expect(ask.text).not.toContain('Dienstag, 1. Dezember 2026');
      expect(ask.text).toContain('lässt sich nicht rückgängig machen');
      expect(ask.text).toMatch(new RegExp(`<form method="post" action="/requests/${token}/cancel"`));
      expect(ask.text).toContain(`<input type="hidden" name="booking" value="${second!.id}">`);
      expect(ask.text).toContain('<input type="hidden" name="confirm" value="1">');
      expect(ask.text).toContain('Ja, absagen');
      expect(ask.text).toContain(`href="/requests/${token}"`);
      expect(await snapshot()).toBe(before);

      // "Ja, absagen" posts the same form again, with confirm=1 and a token from the question page.
      const yes = await f.post(`/requests/${token}/cancel`, { booking: String(second!.id), confirm: '1' }, { from: `/requests/${token}` });
      expect(yes.status).toBe(303);
      expect((await bookingsOf()).map((b) => b.status)).toEqual(['pending', 'cancelled', 'pending']);
    });

    it('asks before cancelling all coming dates, listing each, in English too', async () => {
      const token = await send(validFields('gruppenraum', { repeat: 'weekly', lastDate: '2026-12-15' }));
      const before = await snapshot();
      const ask = await f.post(`/requests/${token}/cancel`, {}, { from: `/requests/${token}`, lang: 'en' });
      expect(ask.status).toBe(200);
      expect(ask.text).toContain('Cancel 3 dates?');
      const listed = [...ask.text.matchAll(/<li>([^<]*) <span class="muted">\(requested\)<\/span><\/li>/g)].map((m) => m[1]);
      expect(listed).toHaveLength(3);
      for (const [i, day] of ['1', '8', '15'].entries()) expect(listed[i]).toMatch(new RegExp(`Tuesday, (December ${day},|${day} December) 2026, 18:00`));
      expect(ask.text).toContain('This cancels your whole request.');
      expect(ask.text).toContain('<input type="hidden" name="booking" value="">');
      expect(await snapshot()).toBe(before);
    });

    it('cancels a single date of a series and leaves the others', async () => {
      const token = await send(validFields('gruppenraum', { repeat: 'weekly', lastDate: '2026-12-15' }));
      const [, second] = await bookingsOf();
      const res = await f.post(`/requests/${token}/cancel`, { booking: String(second!.id), confirm: '1' }, { from: `/requests/${token}` });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/requests/${token}?done=cancelled`);
      expect((await bookingsOf()).map((b) => [b.local_date, b.status, b.cancelled_by])).toEqual([
        ['2026-12-01', 'pending', null],
        ['2026-12-08', 'cancelled', 'group'],
        ['2026-12-15', 'pending', null],
      ]);
      const page = await f.get(res.headers.location!);
      // A requested date: the house had not decided yet, and gets no mail about it.
      expect(page.text).toContain('Abgesagt. Das Haus muss über diese Termine nun nicht mehr entscheiden.');
      expect(page.text).not.toContain('Das Haus ist informiert');
      expect(page.text).toContain('von Ihnen abgesagt');
      const audit = await t.ctx.db.selectFrom('audit_log').select(['actor', 'action', 'details']).where('action', '=', 'booking.cancel').execute();
      expect(audit).toEqual([
        { actor: 'group', action: 'booking.cancel', details: JSON.stringify({ bookingIds: [second!.id], wasApproved: false, whole: false }) },
      ]);
      const mails = await t.ctx.db.selectFrom('outbox').select(['kind', 'to_address']).where('kind', 'like', '%cancelled%').execute();
      expect(mails).toEqual([{ kind: 'bookings.cancelled.group', to_address: 'erika@example.org' }]);
    });

    it('cancels the whole request: every date not yet begun', async () => {
      const token = await send(validFields('gruppenraum', { repeat: 'weekly', lastDate: '2026-12-15' }));
      const res = await f.post(`/requests/${token}/cancel`, { confirm: '1' }, { from: `/requests/${token}` });
      expect(res.status).toBe(303);
      expect((await bookingsOf()).map((b) => b.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
      const page = await f.get(`/requests/${token}`);
      expect(page.text).toContain('<span class="mark request-status-cancelled">abgesagt</span>');
      const again = await f.post(`/requests/${token}/cancel`, {});
      expect(again.status).toBe(409);
      expect(again.text).toContain('keine kommenden Termine mehr');
    });

    it('frees an approved slot at once and tells the caretakers', async () => {
      const token = await send();
      const [b] = await bookingsOf();
      await t.ctx.db.updateTable('bookings').set({ status: 'approved', decided_at: t.clock().getTime() }).where('id', '=', b!.id).execute();
      expect(await t.ctx.db.selectFrom('occupancy').selectAll().where('booking_id', '=', b!.id).execute()).toHaveLength(1);
      const refused = await f.post('/requests', validFields('gruppenraum', { email: 'zweite@example.org' }));
      expect(refused.status).toBe(409);

      const res = await f.post(`/requests/${token}/cancel`, { booking: String(b!.id), confirm: '1' }, { from: `/requests/${token}` });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/requests/${token}?done=freed`);
      expect((await f.get(res.headers.location!)).text).toContain('Abgesagt. Der Raum ist wieder frei, und das Haus ist per E-Mail informiert.');
      expect(await t.ctx.db.selectFrom('occupancy').selectAll().where('booking_id', '=', b!.id).execute()).toEqual([]);
      const staffMail = await t.ctx.db.selectFrom('outbox').select('to_address').where('kind', '=', 'staff.bookings.cancelled').execute();
      expect(staffMail).toEqual([{ to_address: 'admin@example.org' }]);
      const audit = await t.ctx.db.selectFrom('audit_log').select('details').where('action', '=', 'booking.cancel').executeTakeFirstOrThrow();
      expect(JSON.parse(audit.details)).toMatchObject({ wasApproved: true });
      const now = await f.post('/requests', validFields('gruppenraum', { email: 'zweite@example.org' }));
      expect(now.status).toBe(303);
    });

    it('cannot cancel a date that has begun', async () => {
      // A booking entered by the house for today 10:30–12:00 (Berlin); the clock says 10:00.
      const started = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-23', start: '10:30', end: '12:00', status: 'approved' });
      t.clock.advance(45 * 60_000);
      const page = await f.get(`/requests/${started.token}`);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('name="booking"');
      expect(page.text).toContain('keine kommenden Termine mehr');
      const res = await f.post(`/requests/${started.token}/cancel`, { booking: String(started.bookingId), confirm: '1' });
      expect(res.status).toBe(409);
      expect(res.text).toContain('Er hat schon begonnen');
      const row = await t.ctx.db.selectFrom('bookings').select('status').where('id', '=', started.bookingId).executeTakeFirstOrThrow();
      expect(row.status).toBe('approved');
    });

    it('cannot cancel a date of another request with its own link', async () => {
      const mine = await send();
      const other = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-02', status: 'approved' });
      const res = await f.post(`/requests/${mine}/cancel`, { booking: String(other.bookingId), confirm: '1' }, { from: `/requests/${mine}` });
      expect(res.status).toBe(409);
      const row = await t.ctx.db.selectFrom('bookings').select('status').where('id', '=', other.bookingId).executeTakeFirstOrThrow();
      expect(row.status).toBe('approved');
    });
  });

  describe('editing a pending request', () => {
    it('shows the request in the form and saves a change that stays pending', async () => {
      const token = await send();
      const edit = await f.get(`/requests/${token}/edit`);
      expect(edit.status).toBe(200);
      expect(inputValue(edit.text, 'title')).toBe('Deutschkurs');
      expect(inputValue(edit.text, 'start')).toBe('18:00');
      expect(edit.text).not.toContain('name="acceptRules"');
      const res = await f.post(
        `/requests/${token}/edit`,
        validFields('gruppenraum', { start: '19:00', end: '21:00', title: 'Deutschkurs II', attendees: '15' }),
        { from: `/requests/${token}/edit` },
      );
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/requests/${token}?done=edited`);
      const [b] = await bookingsOf();
      expect(b).toMatchObject({ status: 'pending', start_at: Date.parse('2026-12-01T18:00:00Z'), end_at: Date.parse('2026-12-01T20:00:00Z'), sequence: 1 });
      const r = await t.ctx.db.selectFrom('requests').selectAll().executeTakeFirstOrThrow();
      expect(r).toMatchObject({ title: 'Deutschkurs II', attendees: 15, start_time: '19:00', sequence: 1 });
      expect(await t.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'request.update').execute()).toHaveLength(1);
      expect(await t.ctx.db.selectFrom('outbox').select('kind').where('kind', '=', 'request.updated').execute()).toHaveLength(1);
      const page = await f.get(res.headers.location!);
      expect(page.text).toContain('Die Anfrage wartet weiter');
      expect(page.text).toContain('19:00–21:00 Uhr');
    });

    it('refuses a change that breaks a rule, keeps the values and changes nothing', async () => {
      const token = await send();
      const before = await snapshot();
      const res = await f.post(`/requests/${token}/edit`, validFields('gruppenraum', { start: '07:00', end: '09:00', title: 'Frühstück' }), {
        from: `/requests/${token}/edit`,
        lang: 'en',
      });
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'start')).toContain('outside the opening hours');
      expect(inputValue(res.text, 'title')).toBe('Frühstück');
      expect(await snapshot()).toBe(before);
    });

    it('keeps cancelled and skipped dates of a series as they are', async () => {
      const token = await send(validFields('gruppenraum', { date: '2026-12-11', repeat: 'weekly', lastDate: '2027-01-08' }));
      const before = await bookingsOf();
      const dec18 = before.find((b) => b.local_date === '2026-12-18')!;
      await f.post(`/requests/${token}/cancel`, { booking: String(dec18.id), confirm: '1' }, { from: `/requests/${token}` });
      const res = await f.post(
        `/requests/${token}/edit`,
        validFields('gruppenraum', { date: '2026-12-11', start: '19:00', end: '21:00', repeat: 'weekly', lastDate: '2027-01-15' }),
        { from: `/requests/${token}/edit` },
      );
      expect(res.status).toBe(303);
      const after = await bookingsOf();
      const local = (ms: number) => new Date(ms).toISOString().slice(11, 16);
      // The date the group cancelled stays as it was; the skipped holidays take the new time.
      expect(after.map((b) => [b.local_date, b.status, b.skip_reason, local(b.start_at)])).toEqual([
        ['2026-12-11', 'pending', null, '18:00'],
        ['2026-12-18', 'cancelled', null, '17:00'],
        ['2026-12-25', 'skipped', 'holiday', '18:00'],
        ['2027-01-01', 'skipped', 'holiday', '18:00'],
        ['2027-01-08', 'pending', null, '18:00'],
        ['2027-01-15', 'pending', null, '18:00'],
      ]);
      // The pending dates kept their ids.
      expect(after[0]!.id).toBe(before[0]!.id);
      const page = await f.get(`/requests/${token}`);
      expect(page.text).toMatch(/Freitag, 25. Dezember 2026, 19:00–21:00 Uhr<\/td>\s*<td>ausgelassen/);
      expect(page.text).toMatch(/Freitag, 18. Dezember 2026, 18:00–20:00 Uhr<\/td>\s*<td>abgesagt <span class="muted">\(von Ihnen abgesagt\)/);
    });

    it('moving a series to another weekday cancels the old requested dates instead of deleting them, and keeps the skipped ones', async () => {
      // Saturday 5 December is taken; Saturday 26 December is a public holiday (2. Weihnachtstag).
      await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-05', start: '17:00', end: '21:00', status: 'approved' });
      const saturdays = validFields('gruppenraum', { date: '2026-12-05', start: '18:00', end: '20:00', repeat: 'weekly', lastDate: '2027-01-09' });
      const token = tokenFrom(await f.post('/requests', saturdays));
      const mine = async () => (await bookingsOf()).filter((b) => b.request_id !== 1);
      const before = await mine();
      expect(before.map((b) => [b.local_date, b.status, b.skip_reason])).toEqual([
        ['2026-12-05', 'skipped', 'clash'],
        ['2026-12-12', 'pending', null],
        ['2026-12-19', 'pending', null],
        ['2026-12-26', 'skipped', 'holiday'],
        ['2027-01-02', 'pending', null],
        ['2027-01-09', 'pending', null],
      ]);
      const icsBefore = (await f.get(`/requests/${token}/calendar.ics`)).text;
      expect(icsBefore.match(/STATUS:TENTATIVE/g)).toHaveLength(4);

      const tuesdays = { ...saturdays, date: '2026-12-01', lastDate: '2027-01-05' };
      const res = await f.post(`/requests/${token}/edit`, tuesdays, { from: `/requests/${token}/edit` });
      expect(res.status).toBe(303);
      const after = await mine();
      // Nothing is deleted: every old row is still there.
      for (const b of before) expect(after.map((a) => a.id)).toContain(b.id);
      expect(after.map((b) => [b.local_date, b.status, b.skip_reason, b.cancelled_by])).toEqual([
        ['2026-12-01', 'pending', null, null],
        ['2026-12-05', 'skipped', 'clash', null],
        ['2026-12-08', 'pending', null, null],
        ['2026-12-12', 'cancelled', null, 'group'],
        ['2026-12-15', 'pending', null, null],
        ['2026-12-19', 'cancelled', null, 'group'],
        ['2026-12-22', 'pending', null, null],
        ['2026-12-26', 'skipped', 'holiday', null],
        ['2026-12-29', 'pending', null, null],
        ['2027-01-02', 'cancelled', null, 'group'],
        ['2027-01-05', 'pending', null, null],
        ['2027-01-09', 'cancelled', null, 'group'],
      ]);
      // The calendar file tells calendar apps to remove the four old Saturdays.
      const ics = (await f.get(`/requests/${token}/calendar.ics`)).text;
      expect(ics.match(/STATUS:CANCELLED/g)).toHaveLength(4);
      expect(ics.match(/STATUS:TENTATIVE/g)).toHaveLength(6);
      const page = await f.get(`/requests/${token}`);
      expect(page.text).toMatch(/Samstag, 12. Dezember 2026, 18:00–20:00 Uhr<\/td>\s*<td>abgesagt <span class="muted">\(entfällt durch Ihre Änderung\)/);
      expect(page.text).toMatch(/Samstag, 26. Dezember 2026, 18:00–20:00 Uhr<\/td>\s*<td>ausgelassen <span class="muted">\(Feiertag: 2. Weihnachtstag\)/);

      // Back to Saturdays: the dates the edit dropped are requested again (a date the group cancelled would not be).
      const back = await f.post(`/requests/${token}/edit`, saturdays, { from: `/requests/${token}/edit` });
      expect(back.status).toBe(303);
      const again = await mine();
      expect(again.filter((b) => b.status === 'pending').map((b) => b.local_date)).toEqual(['2026-12-12', '2026-12-19', '2027-01-02', '2027-01-09']);
      expect(again.filter((b) => b.status === 'cancelled').map((b) => b.local_date)).toEqual([
        '2026-12-01',
        '2026-12-08',
        '2026-12-15',
        '2026-12-22',
        '2026-12-29',
        '2027-01-05',
      ]);
    });

    it('tells the group on the edit page what happens to its dates', async () => {
      const token = await send(validFields('gruppenraum', { repeat: 'weekly', lastDate: '2026-12-15' }));
      const edit = await f.get(`/requests/${token}/edit`);
      expect(edit.text).not.toContain('ausgelassene Termine bleiben, wie sie sind');
      expect(edit.text).toContain('Termine, die Sie selbst abgesagt haben, bleiben abgesagt.');
      expect(edit.text).toContain('nicht mehr zur Serie gehören, werden abgesagt');
    });

    it('refuses to edit once the house has decided', async () => {
      const token = await send();
      await t.ctx.db.updateTable('bookings').set({ status: 'approved', decided_at: 1 }).execute();
      const get = await f.get(`/requests/${token}/edit`);
      expect(get.status).toBe(409);
      expect(get.text).toContain('kann nicht mehr geändert werden');
      const res = await f.post(`/requests/${token}/edit`, validFields('gruppenraum', { start: '19:00', end: '21:00' }), { from: `/requests/${token}` });
      expect(res.status).toBe(409);
      expect((await bookingsOf())[0]!.start_at).toBe(Date.parse('2026-12-01T17:00:00Z'));
    });

    it('does not count its own dates as clashes', async () => {
      const token = await send();
      const res = await f.post(`/requests/${token}/edit`, validFields('gruppenraum', { end: '20:30' }), { from: `/requests/${token}/edit` });
      expect(res.status).toBe(303);
    });
  });
});

describe('the manage-link token in the logs', () => {
  it('never appears in a log line, whatever the page does', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const t = await makeTestApp({ logger: pino({ level: 'trace' }, stream) });
    try {
      await aRoom(t.ctx.db, { slug: 'gruppenraum' });
      const f = formAgent(t);
      const res = await f.post('/requests', validFields('gruppenraum', { repeat: 'weekly', lastDate: '2026-12-15' }));
      const token = tokenFrom(res);
      await f.get(`/requests/${token}?created=1`);
      await f.get(`/requests/${token}/edit`);
      await f.post(`/requests/${token}/edit`, validFields('gruppenraum', { start: '19:00', end: '21:00', repeat: 'weekly', lastDate: '2026-12-15' }), {
        from: `/requests/${token}/edit`,
      });
      await f.post(`/requests/${token}/cancel`, { confirm: '1' }, { from: `/requests/${token}` });
      await f.get(`/requests/${token}/calendar.ics`);
      await f.get(`/requests/${token.slice(0, -2)}xx`);
      const log = lines.join('');
      expect(lines.length).toBeGreaterThan(8);
      expect(log).toContain('/requests/:token');
      expect(log).not.toContain(token);
      expect(log).not.toContain(token.slice(0, 20));
    } finally {
      await t.close();
    }
  });
});
