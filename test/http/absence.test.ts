// Deputy and absence: while an account is absent (house-zone dates, both ends inclusive) the staff mails go to
// the deputy instead, its daily summary pauses, and the public pages and group mails show the house's
// alternative contact — switching exactly at local midnight, also across the end of summer time (25 Oct 2026).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aRoom } from '../helpers/factories.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { formAgent, validFields } from '../helpers/request-form.js';
import { aHouse, HOUSE_PHONE, outbox } from '../helpers/mail.js';
import { addDays } from '../../src/time/index.js';
import { sendDailySummaries } from '../../src/reminders/service.js';

const ALT_PHONE = '0170 5556667';
const ALT_MAIL = 'vertretung@example.org';
const NOTICE = 'Das Büro ist bis Ende Oktober nicht besetzt.';

describe('deputy and absence', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let main: LoggedIn;
  let deputy: LoggedIn;
  beforeEach(async () => {
    // Monday 19 October 2026, summer time (UTC+2).
    t = await makeTestApp({ now: '2026-10-19T09:00:00+02:00' });
    await aHouse(t);
    await aRoom(t.ctx.db, { slug: 'gruppenraum', name: 'Gruppenraum', capacity: 20 });
    // The bootstrap admin gets staff mails too; take it out of the picture so only these three remain.
    await t.ctx.db.updateTable('users').set({ active: 0 }).where('email', '=', 'admin@example.org').execute();
    admin = await loginAs(t, 'admin', { name: 'Admin', email: 'leitung@example.org' });
    main = await loginAs(t, 'caretaker', { name: 'Frau Lindner', email: 'lindner@example.org' });
    deputy = await loginAs(t, 'caretaker', { name: 'Herr Kaya', email: 'kaya@example.org' });
  });
  afterEach(() => t.close());

  const setup = async (from = '2026-10-20', until = '2026-10-27') => {
    const s = await admin.post('/admin/absence/settings', '/admin/absence', {
      deputy: String(deputy.user.id),
      contact_phone: ALT_PHONE,
      contact_email: ALT_MAIL,
      notice: NOTICE,
    });
    expect(s.status).toBe(303);
    const a = await main.post('/admin/absence', '/admin/absence', { user_id: String(main.user.id), from, until, public: '1', action: 'save' });
    expect(a.status).toBe(303);
  };
  /** A request sent now, for a weekday a week ahead: returns who of the two caretakers got the staff mail. */
  let n = 0;
  const staffMailsForNewRequest = async (today: string) => {
    const email = `gruppe-${++n}@example.org`;
    const res = await formAgent(t).post('/requests', validFields('gruppenraum', { date: addDays(today, 7), email }));
    expect(res.status, res.text.slice(0, 200)).toBe(303);
    const mails = await outbox(t);
    const last = mails.filter((m) => m.kind === 'staff.request.received' && m.request_id === mails.find((x) => x.to_address === email)!.request_id);
    return last.map((m) => m.to_address).filter((a) => a !== 'leitung@example.org');
  };

  it('sends staff mails to the main contact before the absence, to the deputy on its first and last day (after the clocks change), and back after it', async () => {
    await setup();
    t.clock.set('2026-10-19T23:59:00+02:00');
    expect(await staffMailsForNewRequest('2026-10-19')).toEqual(['lindner@example.org']);
    t.clock.set('2026-10-20T00:00:00+02:00');
    expect(await staffMailsForNewRequest('2026-10-20')).toEqual(['kaya@example.org']);
    // 27 October is in winter time (UTC+1): still absent until its end.
    t.clock.set('2026-10-27T23:59:00+01:00');
    expect(await staffMailsForNewRequest('2026-10-27')).toEqual(['kaya@example.org']);
    t.clock.set('2026-10-28T00:00:00+01:00');
    expect(await staffMailsForNewRequest('2026-10-28')).toEqual(['lindner@example.org']);
  });

  it('without a deputy the accounts present get the staff mails, and with everyone away all get them, so no mail is lost', async () => {
    const a = await main.post('/admin/absence', '/admin/absence', {
      user_id: String(main.user.id),
      from: '2026-10-19',
      until: '2026-10-21',
      public: '1',
      action: 'save',
    });
    expect(a.status).toBe(303);
    expect((await staffMailsForNewRequest('2026-10-19')).sort()).toEqual(['kaya@example.org']);
    // Now the deputy is absent too: everybody gets it again.
    await deputy.post('/admin/absence', '/admin/absence', { user_id: String(deputy.user.id), from: '2026-10-19', until: '2026-10-19', action: 'save' });
    await t.ctx.db.updateTable('users').set({ active: 0 }).where('id', '=', admin.user.id).execute();
    expect((await staffMailsForNewRequest('2026-10-19')).sort()).toEqual(['kaya@example.org', 'lindner@example.org']);
  });

  it('shows the alternative contact on the public pages from the first day of the absence to its last, and the usual one around it', async () => {
    await setup();
    const home = async (at: string) => {
      t.clock.set(at);
      const res = await t.request.get('/');
      expect(res.status).toBe(200);
      return res.text;
    };
    const before = await home('2026-10-19T23:59:00+02:00');
    expect(before).toContain(HOUSE_PHONE);
    expect(before).not.toContain(ALT_PHONE);
    expect(before).not.toContain(NOTICE);

    const first = await home('2026-10-20T00:00:00+02:00');
    expect(first).toContain(ALT_PHONE);
    expect(first).toContain(ALT_MAIL);
    expect(first).toContain(NOTICE);
    expect(first).toContain('Bis einschließlich Dienstag, 27. Oktober 2026');
    expect(first).not.toContain(HOUSE_PHONE);

    expect(await home('2026-10-27T23:59:00+01:00')).toContain(ALT_PHONE);
    const after = await home('2026-10-28T00:00:00+01:00');
    expect(after).toContain(HOUSE_PHONE);
    expect(after).not.toContain(NOTICE);

    // The request form and an error page carry it too, in English as well.
    t.clock.set('2026-10-21T10:00:00+02:00');
    expect((await t.request.get('/requests/new?lang=en')).text).toContain('Until Tuesday, 27 October 2026 inclusive');
    const missing = await t.request.get('/no-such-page');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain(ALT_PHONE);
    // The staff pages keep the house's own settings (a fresh login: the clock moved past the session's idle time).
    const later = await loginAs(t, 'admin');
    expect((await later.agent.get('/admin/settings')).text).toContain(`value="${HOUSE_PHONE}"`);
  });

  it('names the alternative contact at the foot of the door plan for the days of its week the absence covers', async () => {
    await setup('2026-10-20', '2026-11-01');
    const foot = async (date: string) => {
      const res = await main.agent.get(`/admin/print?date=${date}`);
      expect(res.status).toBe(200);
      return [...res.text.matchAll(/<p class="plan-foot">([^<]*)<\/p>/g)].map((m) => m[1]!.replace(/&#39;/g, "'"));
    };
    // Printed on Monday 19 October for this week: the absence begins on Tuesday, so both contacts, with the dates.
    expect(await foot('2026-10-19')).toEqual([
      `Raum anfragen: online oder telefonisch ${HOUSE_PHONE} · haus@example.org`,
      `Vertretung vom Dienstag, 20. Oktober 2026 bis einschließlich Sonntag, 1. November 2026: telefonisch ${ALT_PHONE} · ${ALT_MAIL}`,
    ]);
    // The next week lies wholly inside it (across the end of summer time): the alternative contact only.
    const next = await foot('2026-10-26');
    expect(next[0]).toBe(`Raum anfragen: online oder telefonisch ${ALT_PHONE} · ${ALT_MAIL}`);
    expect(next.join(' ')).not.toContain(HOUSE_PHONE);
    // The week after it: the house's own contact, no stand-in line.
    expect(await foot('2026-11-02')).toEqual([`Raum anfragen: online oder telefonisch ${HOUSE_PHONE} · haus@example.org`]);
    // Printed on Wednesday of the first week, the days still ahead are all covered: the alternative contact.
    t.clock.set('2026-10-21T08:00:00+02:00');
    const later = await loginAs(t, 'caretaker');
    const res = await later.agent.get('/admin/print?date=2026-10-21');
    expect(res.text).toContain(`Raum anfragen: online oder telefonisch ${ALT_PHONE} · ${ALT_MAIL}`);
    // A stand-in that is not public changes nothing on the door.
    await t.ctx.db.updateTable('users').set({ absence_public: 0 }).where('id', '=', main.user.id).execute();
    expect((await later.agent.get('/admin/print?date=2026-10-26')).text).toContain(`Raum anfragen: online oder telefonisch ${HOUSE_PHONE}`);
  });

  it('names the alternative contact in mails to groups during the absence, and never the absent person', async () => {
    await setup();
    t.clock.set('2026-10-21T10:00:00+02:00');
    await formAgent(t).post('/requests', validFields('gruppenraum', { date: '2026-10-28', email: 'gruppe@example.org' }));
    const mail = (await outbox(t)).find((m) => m.to_address === 'gruppe@example.org')!;
    expect(mail.text_body).toContain(ALT_PHONE);
    expect(mail.text_body).not.toContain(HOUSE_PHONE);
    expect(mail.text_body).not.toContain('Lindner');
  });

  it('does not show the public notice for an absence marked not public', async () => {
    await setup();
    await main.post('/admin/absence', '/admin/absence', { user_id: String(main.user.id), from: '2026-10-20', until: '2026-10-27', action: 'save' });
    t.clock.set('2026-10-21T10:00:00+02:00');
    const res = await t.request.get('/');
    expect(res.text).not.toContain(NOTICE);
    expect(res.text).toContain(HOUSE_PHONE);
  });

  it('pauses the absent account’s daily summary while the others get theirs', async () => {
    await setup();
    t.clock.set('2026-10-21T08:00:00+02:00');
    await sendDailySummaries(t.ctx.db, { baseUrl: t.ctx.config.baseUrl, clock: t.ctx.clock, mailKey: t.ctx.mailKey });
    const to = (await outbox(t)).filter((m) => m.kind === 'reminder.summary').map((m) => m.to_address);
    expect(to).toContain('kaya@example.org');
    expect(to).not.toContain('lindner@example.org');
  });

  describe('the forms', () => {
    it('refuses a last day before the first and a date that does not exist, keeping what was typed', async () => {
      const res = await main.post('/admin/absence', '/admin/absence', {
        user_id: String(main.user.id),
        from: '2026-10-27',
        until: '2026-10-20',
        action: 'save',
      });
      expect(res.status).toBe(400);
      expect(res.text).toContain('Der letzte Tag darf nicht vor dem ersten liegen.');
      expect(res.text).toContain('value="2026-10-27"');
      const bad = await main.post('/admin/absence', '/admin/absence', {
        user_id: String(main.user.id),
        from: '2026-02-30',
        until: '2026-10-20',
        action: 'save',
      });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('Bitte geben Sie den ersten Tag der Abwesenheit als Datum an.');
    });

    it('lets a caretaker set only its own absence, and only an admin name the deputy and the public contact', async () => {
      const other = await main.post('/admin/absence', '/admin/absence', {
        user_id: String(deputy.user.id),
        from: '2026-10-20',
        until: '2026-10-21',
        action: 'save',
      });
      expect(other.status).toBe(403);
      const settings = await main.post('/admin/absence/settings', '/admin/absence', {
        deputy: String(main.user.id),
        contact_phone: '1',
        contact_email: '',
        notice: '',
      });
      expect(settings.status).toBe(403);
      const row = await t.ctx.db.selectFrom('settings').select(['deputy_user_id', 'absence_contact_phone']).executeTakeFirstOrThrow();
      expect(row).toEqual({ deputy_user_id: null, absence_contact_phone: '' });
      const page = await main.agent.get('/admin/absence');
      expect(page.text).not.toContain('id="deputy"');
    });

    it('refuses a bad alternative e-mail and an inactive deputy; records every change in the audit log', async () => {
      const bad = await admin.post('/admin/absence/settings', '/admin/absence', {
        deputy: '',
        contact_phone: '',
        contact_email: 'vertretung(at)example',
        notice: '',
      });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('Das ist keine gültige E-Mail-Adresse');
      expect(bad.text).toContain('value="vertretung(at)example"');
      const inactive = await admin.post('/admin/absence/settings', '/admin/absence', { deputy: '1', contact_phone: '', contact_email: '', notice: '' });
      expect(inactive.status).toBe(400);
      expect(inactive.text).toContain('Bitte wählen Sie ein aktives Konto als Vertretung.');
      await setup();
      const clear = await main.post('/admin/absence', '/admin/absence', { user_id: String(main.user.id), action: 'clear' });
      expect(clear.status).toBe(303);
      const entries = await t.ctx.db
        .selectFrom('audit_log')
        .select(['action', 'user_id', 'details'])
        .where('action', 'like', 'absence.%')
        .orderBy('id')
        .execute();
      expect(entries.map((e) => e.action)).toEqual(['absence.settings', 'absence.updated', 'absence.updated']);
      expect(JSON.parse(entries[1]!.details)).toMatchObject({ from: { from: null, to: '2026-10-20' }, until: { from: null, to: '2026-10-27' } });
      expect(JSON.parse(entries[2]!.details)).toMatchObject({ from: { from: '2026-10-20', to: null } });
    });
  });
});
