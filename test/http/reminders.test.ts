// Reminders (issue 13): the group's reminder before each approved date and the staff's daily summary, driven
// by the jobs runner. Exactly once per date and per account and day, also across runs and restarts; never for
// dates that are not approved, have begun or belong to an anonymised request; in the group's language; with
// a manage link that cancels through the existing flow.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { aHouse, HOUSE_PHONE, outbox, setLanguage } from '../helpers/mail.js';
import { loginAs } from '../helpers/login.js';
import { formAgent } from '../helpers/request-form.js';
import { startJobs } from '../../src/ops/jobs.js';
import { fillSecret } from '../../src/mail/outbox.js';
import type { OutboxMail } from '../../src/db/schema.js';

const KEY_TEXT = 'Schlüssel beim Hausmeister, Mo–Fr 9–12';

async function tick(t: TestApp): Promise<void> {
  const jobs = startJobs(t.ctx, { background: false });
  await jobs.runDue();
  await jobs.stop();
}

const reminders = async (t: TestApp) => (await outbox(t)).filter((m) => m.kind === 'reminder.group');
const summaries = async (t: TestApp) => (await outbox(t)).filter((m) => m.kind === 'reminder.summary');

async function houseWithKey(t: TestApp, o: { days?: number; hour?: number } = {}) {
  await aHouse(t);
  await t.ctx.db
    .updateTable('settings')
    .set({ key_pickup_text: KEY_TEXT, reminder_days: o.days ?? 2, summary_hour: o.hour ?? 7 })
    .where('id', '=', 1)
    .execute();
}

/** The mail as it goes out (manage link filled in). */
const sent = (t: TestApp, m: OutboxMail) => fillSecret(m, t.ctx.mailKey);

describe('reminders to groups', () => {
  let t: TestApp;
  let room: { id: number; slug: string; name: string };
  beforeEach(async () => {
    // Monday 23 November 2026, 10:00: a date on Wednesday the 25th is due (2 days before, from 08:00).
    t = await makeTestApp({ now: '2026-11-23T10:00:00+01:00' });
    await houseWithKey(t);
    room = await aRoom(t.ctx.db, { name: 'Gruppenraum', slug: 'gruppenraum' });
  });
  afterEach(() => t.close());

  it('sends one reminder with time, room, key pickup and house contact, and only once however often the job runs', async () => {
    const b = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-25', start: '18:00', end: '20:00', title: 'Chorprobe' });
    await tick(t);
    await tick(t);
    t.clock.advance(3600_000);
    await tick(t);
    const mails = await reminders(t);
    expect(mails).toHaveLength(1);
    const m = mails[0]!;
    expect(m.to_address).toBe('erika@example.org');
    expect(m.request_id).toBe(b.requestId);
    expect(m.subject).toBe(`Erinnerung: Ihr Termin am Mittwoch, 25. November 2026 (${b.reference})`);
    const { text, html } = sent(t, m);
    expect(text).toContain('Mittwoch, 25. November 2026, 18:00–20:00 Uhr – Gruppenraum');
    expect(text).toContain(`Schlüssel: ${KEY_TEXT}`);
    expect(text).toContain(`Kontakt im Haus: ${HOUSE_PHONE}, haus@example.org`);
    expect(html).toContain('Gruppenraum');
    const rows = await t.ctx.db.selectFrom('reminders').selectAll().execute();
    expect(rows).toEqual([expect.objectContaining({ booking_id: b.bookingId, kind: 'group', outbox_id: m.id })]);
  });

  it('does not remind before the due day, and sends on the due day', async () => {
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-26', start: '18:00', end: '20:00' });
    await tick(t);
    expect(await reminders(t)).toHaveLength(0);
    t.clock.set('2026-11-24T07:59:00+01:00');
    await tick(t);
    expect(await reminders(t)).toHaveLength(0);
    t.clock.set('2026-11-24T08:00:00+01:00');
    await tick(t);
    expect(await reminders(t)).toHaveLength(1);
  });

  it('never reminds of a pending, rejected, cancelled or skipped date, a date that has begun, or an anonymised request', async () => {
    for (const status of ['pending', 'rejected', 'cancelled', 'skipped'] as const) {
      await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-25', start: '10:00', end: '11:00', status, email: `${status}@example.org` });
    }
    // Began an hour ago (the server was down since before its reminder time): not sent late.
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-23', start: '09:00', end: '09:30', email: 'begun@example.org' });
    const anon = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-24', start: '12:00', end: '13:00', email: 'anon@example.org' });
    await t.ctx.db.updateTable('requests').set({ anonymized_at: 1, email: '' }).where('id', '=', anon.requestId).execute();
    const ok = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-24', start: '18:00', end: '19:00', email: 'ok@example.org' });
    await tick(t);
    const mails = await reminders(t);
    expect(mails.map((m) => m.to_address)).toEqual(['ok@example.org']);
    expect(mails[0]!.request_id).toBe(ok.requestId);
  });

  it('catches up after a downtime while the date still lies ahead', async () => {
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-24', start: '18:00', end: '19:00' });
    // Due since Sunday 08:00; the server comes back Monday 10:00.
    await tick(t);
    expect(await reminders(t)).toHaveLength(1);
  });

  it('sends nothing when reminders are off (0 days)', async () => {
    await t.ctx.db.updateTable('settings').set({ reminder_days: 0 }).where('id', '=', 1).execute();
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-24', start: '18:00', end: '19:00' });
    await tick(t);
    expect(await reminders(t)).toHaveLength(0);
  });

  it('reminds of each approved date of a series once, not of its cancelled one', async () => {
    const first = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-24', start: '18:00', end: '19:00' });
    const base = await t.ctx.db.selectFrom('bookings').selectAll().where('id', '=', first.bookingId).executeTakeFirstOrThrow();
    const { id: _id, ...row } = base;
    const week = 7 * 86_400_000;
    const [second, third] = [1, 2].map((n) => ({
      ...row,
      local_date: n === 1 ? '2026-12-01' : '2026-12-08',
      start_at: base.start_at + n * week,
      end_at: base.end_at + n * week,
    }));
    await t.ctx.db.insertInto('bookings').values(second!).execute();
    await t.ctx.db
      .insertInto('bookings')
      .values({ ...third!, status: 'cancelled' })
      .execute();
    await tick(t);
    t.clock.set('2026-11-29T08:30:00+01:00');
    await tick(t);
    t.clock.set('2026-12-06T08:30:00+01:00');
    await tick(t);
    const mails = await reminders(t);
    expect(mails.map((m) => m.subject)).toEqual([
      `Erinnerung: Ihr Termin am Dienstag, 24. November 2026 (${first.reference})`,
      `Erinnerung: Ihr Termin am Dienstag, 1. Dezember 2026 (${first.reference})`,
    ]);
  });

  it("writes in the group's language", async () => {
    const b = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-25', start: '18:00', end: '20:00' });
    await setLanguage(t, b.requestId, 'en');
    await tick(t);
    const [m] = await reminders(t);
    expect(m!.language).toBe('en');
    expect(m!.subject).toBe(`Reminder: your booking on Wednesday, 25 November 2026 (${b.reference})`);
    const { text } = sent(t, m!);
    expect(text).toContain('this is a reminder of your approved booking at Haus der Begegnung');
    // The key pickup note is the house's own text: without an English translation it comes in German, marked so.
    expect(text).toContain(`Keys: ${KEY_TEXT} (only in German)`);
    expect(text).toContain('View or cancel the booking');
    expect(text).not.toContain('Erinnerung');
  });

  it("gives the key pickup note in the group's language once the admin has translated it (Turkish), else in German with the note", async () => {
    const admin = await loginAs(t, 'admin');
    const list = await admin.agent.get('/admin/translations');
    expect(list.text).toContain('/admin/translations/house/0/key_pickup/tr');
    const form = await admin.agent.get('/admin/translations/house/0/key_pickup/tr');
    expect(form.status).toBe(200);
    expect(form.text).toContain(KEY_TEXT);
    const saved = await admin.post('/admin/translations/house/0/key_pickup/tr', '/admin/translations/house/0/key_pickup/tr', {
      translation: 'Anahtar kapıcıda, Pzt–Cum 9–12',
    });
    expect(saved.status).toBe(303);

    const tr = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-25', start: '18:00', end: '20:00', email: 'tr@example.org' });
    await t.ctx.db.updateTable('requests').set({ language: 'tr' }).where('id', '=', tr.requestId).execute();
    const pl = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-25', start: '10:00', end: '12:00', email: 'pl@example.org' });
    await t.ctx.db.updateTable('requests').set({ language: 'pl' }).where('id', '=', pl.requestId).execute();
    await tick(t);
    const mails = await reminders(t);
    const turkish = sent(
      t,
      mails.find((m) => m.to_address === 'tr@example.org')!,
    );
    expect(turkish.text).toContain('Anahtar kapıcıda, Pzt–Cum 9–12');
    expect(turkish.text).not.toContain(KEY_TEXT);
    expect(turkish.html).toContain('Anahtar kapıcıda, Pzt–Cum 9–12');
    // Polish has no translation: the German text, with "only in German" in Polish.
    const polish = sent(
      t,
      mails.find((m) => m.to_address === 'pl@example.org')!,
    );
    expect(polish.text).toContain(`${KEY_TEXT} (tylko po niemiecku)`);
  });

  it('leaves the key line out when the house has no key pickup note', async () => {
    await t.ctx.db.updateTable('settings').set({ key_pickup_text: '' }).execute();
    const b = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-25', start: '18:00', end: '20:00' });
    await setLanguage(t, b.requestId, 'en');
    await tick(t);
    const [m] = await reminders(t);
    expect(sent(t, m!).text).not.toMatch(/Keys:/);
  });

  it('carries a manage link that opens the request and cancels the date through the usual flow; the old link keeps working', async () => {
    const b = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-25', start: '18:00', end: '20:00' });
    await tick(t);
    const [m] = await reminders(t);
    // Stored with a placeholder and the token sealed; the link exists only in the mail that goes out.
    expect(m!.text_body).toContain('/requests/{manage-token}');
    const link = sent(t, m!).text.match(/\/requests\/([A-Za-z0-9_-]{20,})/);
    expect(link).not.toBeNull();
    const token = link![1]!;
    expect(token).not.toBe(b.token);
    const page = await t.request.get(`/requests/${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(b.reference);
    const f = formAgent(t);
    const res = await f.post(`/requests/${token}/cancel`, { booking: String(b.bookingId), confirm: '1' }, { from: `/requests/${token}` });
    expect(res.status).toBe(303);
    const booking = await t.ctx.db.selectFrom('bookings').select(['status', 'cancelled_by']).where('id', '=', b.bookingId).executeTakeFirstOrThrow();
    expect(booking).toEqual({ status: 'cancelled', cancelled_by: 'group' });
    expect((await t.request.get(`/requests/${b.token}`)).status).toBe(200);
    expect((await t.request.get(`/requests/${token}/calendar.ics`)).status).toBe(200);
    // Once the request is anonymised, the reminder's link opens nothing any more.
    await t.ctx.db.updateTable('requests').set({ anonymized_at: t.clock().getTime() }).where('id', '=', b.requestId).execute();
    expect((await t.request.get(`/requests/${token}`)).status).toBe(404);
    expect((await t.request.get(`/requests/${token}/calendar.ics`)).status).toBe(404);
  });

  it('gives a booking the house entered no link: the group is told to contact the house', async () => {
    const b = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-25', start: '18:00', end: '20:00' });
    await t.ctx.db.updateTable('requests').set({ source: 'house' }).where('id', '=', b.requestId).execute();
    await tick(t);
    const [m] = await reminders(t);
    expect(m!.secret).toBeNull();
    expect(m!.text_body).not.toContain('/requests/');
    expect(m!.text_body).toContain(`nennen Sie Ihre Referenz ${b.reference}`);
    expect(await t.ctx.db.selectFrom('manage_tokens').selectAll().execute()).toEqual([]);
  });

  it('skips a date approved after its reminder time (the approval mail was just sent)', async () => {
    const b = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-11-25', start: '18:00', end: '20:00' });
    await t.ctx.db
      .updateTable('bookings')
      .set({ decided_at: Date.parse('2026-11-23T09:00:00+01:00') })
      .where('id', '=', b.bookingId)
      .execute();
    await tick(t);
    expect(await reminders(t)).toHaveLength(0);
  });
});

describe('reminders across restarts', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'raumbuch-remind-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sends nothing twice after a restart on the same database file', async () => {
    const file = join(dir, 'house.sqlite');
    const config = { databasePath: file };
    const a = await makeTestApp({ now: '2026-11-23T10:00:00+01:00', config });
    await houseWithKey(a);
    const room = await aRoom(a.ctx.db, { name: 'Saal' });
    await aBooking(a.ctx.db, { roomId: room.id, date: '2026-11-24', start: '18:00', end: '19:00' });
    await tick(a);
    expect(await reminders(a)).toHaveLength(1);
    expect(await summaries(a)).toHaveLength(1);
    await a.close();

    const b = await makeTestApp({ now: '2026-11-23T11:00:00+01:00', config });
    await tick(b);
    expect(await reminders(b)).toHaveLength(1);
    expect(await summaries(b)).toHaveLength(1);
    await b.close();
  });
});

describe('the daily summary for staff', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp({ now: '2026-11-23T06:30:00+01:00' });
    await houseWithKey(t, { hour: 7 });
  });
  afterEach(() => t.close());

  async function aHouseDay() {
    const saal = await aRoom(t.ctx.db, { name: 'Großer Saal', sortOrder: 1 });
    const kueche = await aRoom(t.ctx.db, { name: 'Lehrküche', sortOrder: 2 });
    await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-11-23', start: '18:00', end: '20:00', organisation: 'Chor Kreuzberg', title: 'Probe' });
    await aBooking(t.ctx.db, {
      roomId: kueche.id,
      date: '2026-11-24',
      start: '10:00',
      end: '12:00',
      organisation: null,
      contactName: 'Ali Demir',
      title: 'Kochkurs',
    });
    // Not listed: cancelled today, approved the day after tomorrow.
    await aBooking(t.ctx.db, { roomId: kueche.id, date: '2026-11-23', start: '14:00', end: '15:00', status: 'cancelled', organisation: 'Abgesagt e. V.' });
    await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-11-25', start: '10:00', end: '12:00', organisation: 'Übermorgen e. V.' });
    // Two open requests; the older one is named.
    const older = await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-12-10', status: 'pending' });
    await t.ctx.db
      .updateTable('requests')
      .set({ created_at: Date.parse('2026-11-20T09:15:00+01:00') })
      .where('id', '=', older.requestId)
      .execute();
    const newer = await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-12-11', status: 'pending' });
    await t.ctx.db
      .updateTable('requests')
      .set({ created_at: Date.parse('2026-11-22T09:15:00+01:00') })
      .where('id', '=', newer.requestId)
      .execute();
    await t.ctx.db
      .insertInto('outbox')
      .values({
        created_at: 0,
        to_address: 'x@example.org',
        language: 'de',
        kind: 'bookings.approved',
        subject: 's',
        text_body: 't',
        html_body: 'h',
        attachments: '[]',
        status: 'failed',
        attempts: 8,
        next_attempt_at: 0,
        last_error: 'refused',
        sent_at: null,
        request_id: null,
      })
      .execute();
    return { older };
  }

  it("lists today's and tomorrow's dates with times, rooms and groups, the open requests with the oldest, and failed mails", async () => {
    const { older } = await aHouseDay();
    await tick(t);
    expect(await summaries(t)).toHaveLength(0);
    t.clock.set('2026-11-23T07:05:00+01:00');
    await tick(t);
    const [m] = await summaries(t);
    expect(m!.to_address).toBe('admin@example.org');
    expect(m!.subject).toBe('Tagesübersicht für Montag, 23. November 2026');
    const text = m!.text_body;
    const [today, tomorrow] = text.split('Morgen, Dienstag, 24. November 2026:');
    expect(today).toContain('Heute, Montag, 23. November 2026:\n18:00–20:00 Uhr – Großer Saal – Chor Kreuzberg (Probe,');
    expect(tomorrow).toContain('10:00–12:00 Uhr – Lehrküche – Ali Demir (Kochkurs,');
    expect(text).not.toContain('Abgesagt e. V.');
    expect(text).not.toContain('Übermorgen e. V.');
    expect(text).toContain('2 offene Anfragen.');
    expect(text).toContain(`Die älteste ist ${older.reference}, gestellt am 20. Nov. 2026, 09:15.`);
    expect(text).toContain('1 E-Mail konnte nicht zugestellt werden');
    expect(text).toContain('/admin/summary');
  });

  it('says so when there is nothing, in the account language', async () => {
    await t.ctx.db.updateTable('users').set({ language: 'en' }).execute();
    t.clock.set('2026-11-23T08:00:00+01:00');
    await tick(t);
    const [m] = await summaries(t);
    expect(m!.subject).toBe('Daily summary for Monday, 23 November 2026');
    expect(m!.text_body).toContain('Today, Monday, 23 November 2026:\nno dates');
    expect(m!.text_body).toContain('No open requests.');
    expect(m!.text_body).toContain('No failed mails.');
  });

  it('goes once a day to each account that did not switch it off, also when the job runs again', async () => {
    const hv = await loginAs(t, 'caretaker', { email: 'hv@example.org' });
    const off = await loginAs(t, 'caretaker', { email: 'quiet@example.org' });
    const res = await off.post('/admin/summary', '/admin/summary', { daily_summary: 'off' });
    expect(res.status).toBe(303);
    const page = await off.agent.get('/admin/summary');
    expect(page.text).toContain('Die Tagesübersicht ist für Ihr Konto abgeschaltet.');
    expect(page.text).toMatch(/value="off" checked/);
    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.daily_summary').execute();
    expect(audit).toEqual([expect.objectContaining({ user_id: off.user.id, details: JSON.stringify({ dailySummary: false }) })]);

    t.clock.set('2026-11-23T07:10:00+01:00');
    await tick(t);
    await tick(t);
    t.clock.set('2026-11-23T22:00:00+01:00');
    await tick(t);
    expect((await summaries(t)).map((m) => m.to_address).sort()).toEqual(['admin@example.org', 'hv@example.org']);
    // The next day: again, once.
    t.clock.set('2026-11-24T07:00:00+01:00');
    await tick(t);
    await tick(t);
    expect((await summaries(t)).filter((m) => m.to_address === 'hv@example.org')).toHaveLength(2);
    expect((await summaries(t)).filter((m) => m.to_address === 'quiet@example.org')).toHaveLength(0);
    expect(hv.user.daily_summary).toBe(1);
  });

  it('refuses a choice that is neither on nor off with a message next to the field', async () => {
    const hv = await loginAs(t, 'caretaker');
    const res = await hv.post('/admin/summary', '/admin/summary', { daily_summary: 'maybe' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="daily_summary-error"');
    expect(res.text).toContain('Bitte „Ja“ oder „Nein“ auswählen.');
  });
});

describe('reminder settings', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
  });
  afterEach(() => t.close());

  async function settingsForm(admin: Awaited<ReturnType<typeof loginAs>>): Promise<Record<string, string>> {
    const page = await admin.agent.get('/admin/settings');
    const values: Record<string, string> = {};
    for (const m of page.text.matchAll(/<input type="(?:text|number|email|tel|time)" id="([a-z_0-9]+)" name="[a-z_0-9]+" value="([^"]*)"/g))
      values[m[1]!] = m[2]!;
    for (const m of page.text.matchAll(/<textarea id="([a-z_]+)" name="[a-z_]+"[^>]*>([^<]*)<\/textarea>/g)) values[m[1]!] = m[2]!;
    for (const m of page.text.matchAll(/<input type="checkbox"[^>]*name="(closed_\d)"[^>]*checked/g)) values[m[1]!] = '1';
    values.federal_state = 'BE';
    values.default_language = 'de';
    return values;
  }

  it('shows the reminders fieldset with its defaults and refuses bad values next to the field, keeping what was typed', async () => {
    const admin = await loginAs(t, 'admin');
    const page = await admin.agent.get('/admin/settings');
    expect(page.text).toContain('<legend>Erinnerungen</legend>');
    const form = await settingsForm(admin);
    expect(form.reminder_days).toBe('2');
    expect(form.summary_hour).toBe('7');
    const bad = await admin.post('/admin/settings', '/admin/settings', {
      ...form,
      reminder_days: '31',
      summary_hour: 'sieben',
      key_pickup_text: 'x'.repeat(201),
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/<p class="field-error" id="reminder_days-error">Bitte eine ganze Zahl von 0 bis 30 angeben/);
    expect(bad.text).toMatch(/<p class="field-error" id="summary_hour-error">Bitte eine volle Stunde von 0 bis 23 angeben/);
    expect(bad.text).toContain('id="key_pickup_text-error"');
    expect(bad.text).toContain('value="31"');
    expect(bad.text).toContain('value="sieben"');
    const row = await t.ctx.db.selectFrom('settings').select(['reminder_days', 'summary_hour']).executeTakeFirstOrThrow();
    expect(row).toEqual({ reminder_days: 2, summary_hour: 7 });
  });

  it('saves the reminder settings and writes old and new values to the audit log', async () => {
    const admin = await loginAs(t, 'admin');
    const form = await settingsForm(admin);
    const res = await admin.post('/admin/settings', '/admin/settings', { ...form, reminder_days: '0', summary_hour: '6', key_pickup_text: KEY_TEXT });
    expect(res.status).toBe(303);
    const row = await t.ctx.db.selectFrom('settings').select(['reminder_days', 'summary_hour', 'key_pickup_text']).executeTakeFirstOrThrow();
    expect(row).toEqual({ reminder_days: 0, summary_hour: 6, key_pickup_text: KEY_TEXT });
    const entry = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'settings.updated').executeTakeFirstOrThrow();
    const details = JSON.parse(entry.details) as Record<string, unknown>;
    expect(details.reminder_days).toEqual({ from: 2, to: 0 });
    expect(details.summary_hour).toEqual({ from: 7, to: 6 });
    expect(details.key_pickup_text).toEqual({ from: '', to: KEY_TEXT });
  });
});
