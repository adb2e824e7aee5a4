import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { aSeries } from '../helpers/series.js';
import { createUser } from '../../src/auth/users.js';
import { notify } from '../../src/mail/notify.js';
import { fillSecret } from '../../src/mail/outbox.js';
import { HOUSE_PHONE, aHouse, icsEvents, icsOf, notifyNow, outbox, setLanguage, setStatus } from '../helpers/mail.js';

describe('mails written by notify', () => {
  let t: TestApp;
  let base: string;
  beforeEach(async () => {
    t = await makeTestApp();
    base = t.ctx.config.baseUrl;
    await aHouse(t);
    const now = t.clock().getTime();
    await createUser(t.ctx.db, { email: 'kim@example.org', name: 'Kim Caretaker', role: 'caretaker', password: 'caretaker-password-1' }, now);
    await t.ctx.db.updateTable('users').set({ language: 'en' }).where('email', '=', 'kim@example.org').execute();
    const gone = await createUser(t.ctx.db, { email: 'gone@example.org', name: 'Former', role: 'caretaker', password: 'caretaker-password-2' }, now);
    await t.ctx.db.updateTable('users').set({ active: 0 }).where('id', '=', gone).execute();
  });
  afterEach(() => t.close());

  describe('failure cases first', () => {
    it('writes nothing when the transaction that caused the mail is rolled back', async () => {
      const b = await aBooking(t.ctx.db, { status: 'pending' });
      await expect(
        t.ctx.db.transaction().execute(async (trx) => {
          await notify(
            trx,
            { baseUrl: base, clock: t.ctx.clock, mailKey: t.ctx.mailKey },
            { type: 'request.received', requestId: b.requestId, manageToken: b.token },
          );
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      expect(await outbox(t)).toEqual([]);
    });

    it("writes nothing for an unknown request or dates that are not the request's", async () => {
      const a = await aBooking(t.ctx.db, { status: 'approved' });
      const other = await aBooking(t.ctx.db, { status: 'approved' });
      await notifyNow(t, { type: 'bookings.approved', requestId: 9999, bookingIds: [a.bookingId], message: '' });
      await notifyNow(t, { type: 'bookings.approved', requestId: a.requestId, bookingIds: [other.bookingId], message: '' });
      expect(await outbox(t)).toEqual([]);
    });

    it('sends nothing to a group whose personal data has been removed', async () => {
      const b = await aBooking(t.ctx.db, { status: 'cancelled' });
      await t.ctx.db.updateTable('requests').set({ anonymized_at: 1, email: '' }).where('id', '=', b.requestId).execute();
      await notifyNow(t, { type: 'bookings.cancelled', requestId: b.requestId, bookingIds: [b.bookingId], by: 'house', wasApproved: true });
      expect(await outbox(t)).toEqual([]);
    });
  });

  describe('request received', () => {
    it('sends the group its reference and manage link in German, and every active staff member a notice in their language', async () => {
      const b = await aBooking(t.ctx.db, {
        status: 'pending',
        title: 'Elterncafé',
        organisation: 'Eltern e. V.',
        contactName: 'Erika Mustermann',
        phone: '0170 111222',
      });
      await notifyNow(t, { type: 'request.received', requestId: b.requestId, manageToken: b.token });
      const mails = await outbox(t);
      expect(mails.map((m) => m.to_address)).toEqual(['erika@example.org', 'admin@example.org', 'kim@example.org']);
      const [group, admin, kim] = mails;

      expect(group!.kind).toBe('request.received');
      expect(group!.language).toBe('de');
      expect(group!.subject).toBe(`${b.reference}: Ihre Anfrage ist eingegangen`);
      expect(group!.text_body).toContain('Guten Tag Erika Mustermann,');
      // Stored without the token (only encrypted); the mail as the worker sends it carries the link.
      expect(group!.text_body + group!.html_body).not.toContain(b.token);
      const sent = fillSecret(group!, t.ctx.mailKey);
      expect(sent.text).toContain(`${base}/requests/${b.token}`);
      expect(sent.html).toContain(`href="${base}/requests/${b.token}"`);
      expect(group!.text_body).toContain('Dienstag, 1. Dezember 2026, 10:00–12:00 Uhr');
      expect(group!.text_body).toContain('angefragt');
      expect(group!.text_body).toContain(HOUSE_PHONE);
      expect(group!.request_id).toBe(b.requestId);
      expect(group!.status).toBe('pending');
      expect(group!.next_attempt_at).toBe(t.clock().getTime());

      expect(admin!.subject).toBe(`Neue Anfrage ${b.reference}: Elterncafé`);
      expect(admin!.text_body).toContain('Eltern e. V.');
      expect(admin!.text_body).toContain('erika@example.org');
      expect(admin!.text_body).toContain('0170 111222');
      expect(admin!.text_body).toContain(`${base}/admin/requests/${b.requestId}`);
      expect(admin!.text_body).not.toContain(b.token);

      expect(kim!.language).toBe('en');
      expect(kim!.subject).toBe(`New request ${b.reference}: Elterncafé`);
      expect(kim!.text_body).toContain('Tuesday, 1 December 2026');
      expect(kim!.text_body).not.toContain(b.token);
    });

    it("writes the group's mail in English when the request was made in English", async () => {
      const b = await aBooking(t.ctx.db, { status: 'pending' });
      await setLanguage(t, b.requestId, 'en');
      await notifyNow(t, { type: 'request.received', requestId: b.requestId, manageToken: b.token });
      const [group] = await outbox(t);
      expect(group!.language).toBe('en');
      expect(group!.subject).toBe(`${b.reference}: Your request has been received`);
      expect(group!.text_body).toContain('Hello Erika Mustermann,');
      expect(group!.text_body).toContain('Tuesday, 1 December 2026, 10:00–12:00');
      expect(fillSecret(group!, t.ctx.mailKey).text).toContain(`${base}/requests/${b.token}`);
      expect(group!.html_body).toContain('<html lang="en" dir="ltr">');
    });

    it('lists the skipped dates of a series with the reason', async () => {
      const room = await aRoom(t.ctx.db);
      const s = await aSeries(t.ctx.db, {
        roomId: room.id,
        dates: ['2026-12-17', '2026-12-24', '2026-12-31'],
        each: { 1: { status: 'skipped', skipReason: 'holiday' } },
      });
      await notifyNow(t, { type: 'request.received', requestId: s.requestId, manageToken: s.token });
      const [group] = await outbox(t);
      expect(group!.text_body).toContain('Donnerstag, 24. Dezember 2026, 19:00–21:00 Uhr');
      expect(group!.text_body).toContain('ausgelassen: Feiertag');
    });

    it('escapes what the group typed in the HTML mail', async () => {
      const b = await aBooking(t.ctx.db, { status: 'pending', title: '<script>alert(1)</script> & "Co"', contactName: '<b>Eve</b>' });
      await notifyNow(t, { type: 'request.received', requestId: b.requestId, manageToken: b.token });
      for (const m of await outbox(t)) {
        expect(m.html_body).not.toContain('<script>');
        expect(m.html_body).not.toContain('<b>Eve');
        expect(m.html_body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;Co&#34;');
      }
    });
  });

  describe('mails after the first', () => {
    it("confirms an approval with the caretaker's message and one calendar file of the approved dates, without the manage link", async () => {
      const room = await aRoom(t.ctx.db, { name: 'Saal A' });
      const s = await aSeries(t.ctx.db, { roomId: room.id, dates: ['2027-03-18', '2027-03-25', '2027-04-01'] });
      const approved = [s.bookingIds[0]!, s.bookingIds[2]!];
      await setStatus(t, approved, 'approved');
      await notifyNow(t, { type: 'bookings.approved', requestId: s.requestId, bookingIds: approved, message: 'Schlüssel bitte\nbeim Hausmeister abholen.' });
      const mails = await outbox(t);
      expect(mails).toHaveLength(1);
      const [m] = mails;
      expect(m!.to_address).toBe('chor@example.org');
      expect(m!.subject).toBe(`${s.reference}: Ihre Buchung ist bestätigt`);
      expect(m!.text_body).toContain('> Schlüssel bitte\n> beim Hausmeister abholen.');
      expect(m!.text_body).toContain('Donnerstag, 18. März 2027, 19:00–21:00 Uhr – Saal A');
      expect(m!.text_body).toContain('Donnerstag, 1. April 2027, 19:00–21:00 Uhr – Saal A');
      expect(m!.text_body).not.toContain('25. März 2027');
      expect(m!.text_body).toContain('Über weitere Termine Ihrer Anfrage entscheiden wir noch.');
      expect(m!.text_body).not.toContain('/requests/');
      expect(m!.text_body).toContain('Link aus Ihrer Eingangsbestätigung');
      expect(m!.text_body).toContain(s.reference);
      expect(m!.text_body).toContain(HOUSE_PHONE);

      const ics = icsOf(m!);
      expect(ics.match(/BEGIN:VCALENDAR/g)).toHaveLength(1);
      const { comp, events } = icsEvents(ics);
      expect(comp.getFirstPropertyValue('method')).toBe('PUBLISH');
      const rows = await t.ctx.db.selectFrom('bookings').selectAll().where('id', 'in', approved).orderBy('start_at').execute();
      expect(events.map((e) => e.uid)).toEqual(rows.map((r) => `booking-${r.id}@localhost`));
      expect(events.map((e) => e.startDate.toJSDate().getTime())).toEqual(rows.map((r) => r.start_at));
      expect(events.map((e) => e.endDate.toJSDate().getTime())).toEqual(rows.map((r) => r.end_at));
      expect(events.every((e) => e.summary === 'Chorprobe')).toBe(true);
      // Across the change to summer time (2027-03-28) the local time stays 19:00 and the UTC time moves.
      expect(events.map((e) => e.startDate.toJSDate().toISOString())).toEqual(['2027-03-18T18:00:00.000Z', '2027-04-01T17:00:00.000Z']);
    });

    it('confirms an approval in English', async () => {
      const b = await aBooking(t.ctx.db, { status: 'approved' });
      await setLanguage(t, b.requestId, 'en');
      await notifyNow(t, { type: 'bookings.approved', requestId: b.requestId, bookingIds: [b.bookingId], message: '' });
      const [m] = await outbox(t);
      expect(m!.subject).toBe(`${b.reference}: Your booking is confirmed`);
      // Confirmed: the link can still cancel, but no longer change.
      expect(m!.text_body).toContain('cancel each of them until it begins. You can no longer change the request there');
      expect(m!.text_body).not.toMatch(/change or cancel/);
      expect(m!.text_body).toContain('Questions? Call us: ' + HOUSE_PHONE);
      expect(m!.text_body).not.toContain('Message from the house');
      expect(icsEvents(icsOf(m!)).events).toHaveLength(1);
    });

    it("tells the group a rejection with the caretaker's message, in German and in English", async () => {
      const de = await aBooking(t.ctx.db, { status: 'rejected' });
      const en = await aBooking(t.ctx.db, { status: 'rejected', date: '2026-12-02' });
      await setLanguage(t, en.requestId, 'en');
      await notifyNow(t, {
        type: 'bookings.rejected',
        requestId: de.requestId,
        bookingIds: [de.bookingId],
        message: 'Der Saal ist an dem Tag schon vergeben.',
      });
      await notifyNow(t, { type: 'bookings.rejected', requestId: en.requestId, bookingIds: [en.bookingId], message: 'The hall is taken that day.' });
      const [m1, m2] = await outbox(t);
      expect(m1!.subject).toBe(`${de.reference}: Ihre Anfrage wurde abgelehnt`);
      expect(m1!.text_body).toContain('Nachricht vom Haus:\n> Der Saal ist an dem Tag schon vergeben.');
      expect(m1!.html_body).toContain('Der Saal ist an dem Tag schon vergeben.');
      expect(m2!.subject).toBe(`${en.reference}: Your request was declined`);
      expect(m2!.text_body).toContain('Message from the house:\n> The hall is taken that day.');
      expect(m2!.text_body).toContain('Wednesday, 2 December 2026');
    });

    it("confirms the group's cancellation of one date of a series, keeps the rest, and tells the staff when it was approved", async () => {
      const room = await aRoom(t.ctx.db);
      const s = await aSeries(t.ctx.db, { roomId: room.id, dates: ['2026-12-03', '2026-12-10'], status: 'approved' });
      await setStatus(t, [s.bookingIds[0]!], 'cancelled');
      await notifyNow(t, { type: 'bookings.cancelled', requestId: s.requestId, bookingIds: [s.bookingIds[0]!], by: 'group', wasApproved: true });
      const [group, admin, kim] = await outbox(t);
      expect(group!.subject).toBe(`${s.reference}: Ihre Absage ist eingegangen`);
      expect(group!.text_body).toContain('Donnerstag, 3. Dezember 2026');
      expect(group!.text_body).not.toContain('10. Dezember 2026');
      expect(group!.text_body).toContain('Ihre übrigen Termine bleiben bestehen.');
      expect(admin!.subject).toBe(`Abgesagt ${s.reference}: Chorprobe`);
      expect(admin!.text_body).toContain('wieder frei');
      expect(kim!.subject).toBe(`Cancelled ${s.reference}: Chorprobe`);
    });

    it('tells the group that the whole request is cancelled, and the staff nothing when no approved date was freed', async () => {
      const b = await aBooking(t.ctx.db, { status: 'cancelled' });
      await setLanguage(t, b.requestId, 'en');
      await notifyNow(t, { type: 'bookings.cancelled', requestId: b.requestId, bookingIds: [b.bookingId], by: 'group', wasApproved: false });
      const mails = await outbox(t);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.subject).toBe(`${b.reference}: Your cancellation has been received`);
      expect(mails[0]!.text_body).toContain('This cancels your whole request.');
    });

    it("tells the group when the house cancels, with the house's message, and writes no staff mail", async () => {
      const b = await aBooking(t.ctx.db, { status: 'cancelled' });
      await notifyNow(t, {
        type: 'bookings.cancelled',
        requestId: b.requestId,
        bookingIds: [b.bookingId],
        by: 'house',
        message: 'Wasserschaden im Saal.',
        wasApproved: true,
      });
      const mails = await outbox(t);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.subject).toBe(`${b.reference}: Ihre Buchung wurde abgesagt`);
      expect(mails[0]!.text_body).toContain('> Wasserschaden im Saal.');
      expect(mails[0]!.text_body).toContain('Damit ist Ihre gesamte Anfrage abgesagt.');
      // Nothing left to change or cancel: no promise of either.
      expect(mails[0]!.text_body).not.toContain('ändern');
    });

    it('promises only what the manage link can do, and says "absagen", never "stornieren"', async () => {
      const pending = await aBooking(t.ctx.db, { status: 'pending' });
      await notifyNow(t, { type: 'request.updated', requestId: pending.requestId });
      await notifyNow(t, { type: 'request.received', requestId: pending.requestId, manageToken: 'x'.repeat(43) });
      const mails = (await outbox(t)).filter((m) => m.to_address === 'erika@example.org');
      const updated = mails.find((m) => m.kind === 'request.updated')!;
      expect(updated.text_body).toContain('Solange das Haus noch nicht entschieden hat, können Sie Ihre Anfrage');
      const received = mails.find((m) => m.kind === 'request.received')!;
      expect(received.text_body).not.toContain('jederzeit ansehen, ändern');
      expect(received.text_body).toContain(
        'Ändern können Sie sie dort, solange das Haus noch nicht entschieden hat; absagen können Sie jeden Termin, bis er beginnt.',
      );
      for (const m of await outbox(t)) expect(`${m.subject}\n${m.text_body}`).not.toMatch(/storn/i);
    });

    it('sends a changed booking with its new time and an updated calendar file', async () => {
      const b = await aBooking(t.ctx.db, { status: 'approved' });
      const r = await import('../../src/time/index.js');
      const start = r.localToInstant('2026-12-01', '14:00', 'Europe/Berlin');
      const end = r.localToInstant('2026-12-01', '16:00', 'Europe/Berlin');
      if (!start.ok || !end.ok) throw new Error('bad time');
      await t.ctx.db.updateTable('bookings').set({ start_at: start.instant, end_at: end.instant, sequence: 1 }).where('id', '=', b.bookingId).execute();
      await notifyNow(t, { type: 'bookings.changed', requestId: b.requestId, bookingIds: [b.bookingId], message: 'Neue Uhrzeit wegen Reinigung.' });
      const [m] = await outbox(t);
      expect(m!.subject).toBe(`${b.reference}: Ihre Buchung wurde geändert`);
      expect(m!.text_body).toContain('14:00–16:00 Uhr');
      const [e] = icsEvents(icsOf(m!)).events;
      expect(e!.startDate.toJSDate().getTime()).toBe(start.instant);
      expect(e!.sequence).toBe(1);
    });

    it('confirms an edit of a pending request to the group and tells the staff', async () => {
      const b = await aBooking(t.ctx.db, { status: 'pending' });
      await notifyNow(t, { type: 'request.updated', requestId: b.requestId });
      const [group, admin, kim] = await outbox(t);
      expect(group!.subject).toBe(`${b.reference}: Ihre Änderung ist eingegangen`);
      expect(group!.text_body).not.toContain(b.token);
      expect(admin!.subject).toContain(`Anfrage geändert ${b.reference}`);
      expect(kim!.subject).toContain(`Request changed ${b.reference}`);
    });
  });

  it("writes every kind of group mail in the request's language", async () => {
    const subjects: Record<'de' | 'en', string[]> = { de: [], en: [] };
    for (const lang of ['de', 'en'] as const) {
      const b = await aBooking(t.ctx.db, { status: 'approved', date: lang === 'de' ? '2026-12-01' : '2026-12-02' });
      await setLanguage(t, b.requestId, lang);
      const ids = [b.bookingId];
      const before = (await outbox(t)).length;
      await notifyNow(t, { type: 'request.received', requestId: b.requestId, manageToken: b.token });
      await notifyNow(t, { type: 'request.updated', requestId: b.requestId });
      await notifyNow(t, { type: 'bookings.approved', requestId: b.requestId, bookingIds: ids, message: 'ok' });
      await notifyNow(t, { type: 'bookings.changed', requestId: b.requestId, bookingIds: ids, message: 'neu' });
      await notifyNow(t, { type: 'bookings.rejected', requestId: b.requestId, bookingIds: ids, message: 'nein' });
      await notifyNow(t, { type: 'bookings.cancelled', requestId: b.requestId, bookingIds: ids, by: 'house', wasApproved: true });
      await notifyNow(t, { type: 'bookings.cancelled', requestId: b.requestId, bookingIds: ids, by: 'group', wasApproved: false });
      const mine = (await outbox(t)).slice(before).filter((m) => m.to_address === 'erika@example.org');
      expect(mine.map((m) => m.kind)).toEqual([
        'request.received',
        'request.updated',
        'bookings.approved',
        'bookings.changed',
        'bookings.rejected',
        'bookings.cancelled.house',
        'bookings.cancelled.group',
      ]);
      expect(mine.every((m) => m.language === lang)).toBe(true);
      subjects[lang] = mine.map((m) => m.subject.replace(/^[^:]+: /, ''));
    }
    expect(subjects.de).toEqual([
      'Ihre Anfrage ist eingegangen',
      'Ihre Änderung ist eingegangen',
      'Ihre Buchung ist bestätigt',
      'Ihre Buchung wurde geändert',
      'Ihre Anfrage wurde abgelehnt',
      'Ihre Buchung wurde abgesagt',
      'Ihre Absage ist eingegangen',
    ]);
    expect(subjects.en).toEqual([
      'Your request has been received',
      'Your change has been received',
      'Your booking is confirmed',
      'Your booking has been changed',
      'Your request was declined',
      'Your booking has been cancelled',
      'Your cancellation has been received',
    ]);
  });

  it("never shows another group's data in any mail", async () => {
    const room = await aRoom(t.ctx.db);
    const mine = await aBooking(t.ctx.db, {
      roomId: room.id,
      status: 'pending',
      date: '2026-12-01',
      title: 'Nähcafé',
      contactName: 'Anna Alpha',
      email: 'anna@alpha.example',
      organisation: 'Alpha e. V.',
      phone: '0111 000111',
    });
    const theirs = await aBooking(t.ctx.db, {
      roomId: room.id,
      status: 'approved',
      date: '2026-12-01',
      start: '14:00',
      end: '16:00',
      title: 'Geheimtreffen Zeta',
      contactName: 'Zoe Zeta',
      email: 'zoe@zeta.example',
      organisation: 'Zeta GmbH',
      phone: '0999 999999',
    });
    await notifyNow(t, { type: 'request.received', requestId: mine.requestId, manageToken: mine.token });
    await setStatus(t, [mine.bookingId], 'approved');
    // A caller that passes a foreign date by mistake still gets only its own request's dates.
    await notifyNow(t, { type: 'bookings.approved', requestId: mine.requestId, bookingIds: [mine.bookingId, theirs.bookingId], message: '' });
    await setStatus(t, [mine.bookingId], 'cancelled');
    await notifyNow(t, {
      type: 'bookings.cancelled',
      requestId: mine.requestId,
      bookingIds: [mine.bookingId, theirs.bookingId],
      by: 'group',
      wasApproved: true,
    });
    const mails = await outbox(t);
    expect(mails.length).toBeGreaterThanOrEqual(5);
    for (const m of mails) {
      const all = [m.subject, m.text_body, m.html_body, m.attachments].join('\n');
      for (const secret of [
        'Zoe Zeta',
        'zoe@zeta.example',
        'Zeta GmbH',
        '0999 999999',
        'Geheimtreffen',
        theirs.reference,
        `booking-${theirs.bookingId}@`,
        theirs.token,
        '14:00',
      ]) {
        expect(all).not.toContain(secret);
      }
      expect(m.to_address).not.toBe('zoe@zeta.example');
    }
  });
});
