import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBooking } from '../helpers/factories.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { aHouse, icsEvents, notifyNow, outbox } from '../helpers/mail.js';
import { isPermanentRefusal, startMailWorker } from '../../src/mail/worker.js';
import { BACKOFF_MS, LEASE_MS, MAX_ATTEMPTS, claimMail, enqueueMail, resendMail } from '../../src/mail/outbox.js';
import { createContext } from '../../src/context.js';

const MIN = 60_000;

async function someMails(t: TestApp, n: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(
      await enqueueMail(
        t.ctx.db,
        {
          to: `group${i}@example.org`,
          language: 'de',
          kind: 'test',
          subject: `Nachricht ${i} für Müller`,
          text: `Text ${i}`,
          html: `<p>Text ${i}</p>`,
        },
        t.clock().getTime(),
      ),
    );
  }
  return ids;
}

describe('the outbox worker without SMTP', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp()));
  afterEach(() => t.close());

  it('does not send, keeps the outbox and says so at start', async () => {
    const info = vi.spyOn(t.ctx.logger, 'info');
    await someMails(t, 2);
    const w = startMailWorker(t.ctx);
    expect(w.sending).toBe(false);
    expect(info).toHaveBeenCalledWith('mail: not sending (no SMTP_URL), see /admin/outbox');
    expect(await w.runOnce()).toBe(0);
    await w.stop();
    expect((await outbox(t)).map((m) => m.status)).toEqual(['pending', 'pending']);
  });
});

describe('the outbox worker over SMTP', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  beforeEach(async () => {
    smtp = await startSmtp();
    t = await makeTestApp({ config: { smtpUrl: smtp.url, mailFrom: 'Haus der Begegnung <raumbuch@haus.example>' } });
    await aHouse(t);
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
  });

  it('keeps a refused mail, retries it with growing waits and delivers it exactly once when the server accepts again', async () => {
    const [id] = await someMails(t, 1);
    const w = startMailWorker(t.ctx, { background: false });
    smtp.refuse('Mailbox busy, try later');

    expect(await w.runOnce()).toBe(0);
    let [m] = await outbox(t);
    expect(m).toMatchObject({ id, status: 'pending', attempts: 1 });
    expect(m!.last_error).toMatch(/451/);
    expect(m!.next_attempt_at).toBe(t.clock().getTime() + BACKOFF_MS[0]!);

    // Not due yet: no attempt at all.
    t.clock.advance(BACKOFF_MS[0]! - 1000);
    expect(await w.runOnce()).toBe(0);
    expect((await outbox(t))[0]!.attempts).toBe(1);

    t.clock.advance(1000);
    expect(await w.runOnce()).toBe(0);
    [m] = await outbox(t);
    expect(m!.attempts).toBe(2);
    expect(m!.next_attempt_at).toBe(t.clock().getTime() + BACKOFF_MS[1]!);
    expect(BACKOFF_MS[1]).toBeGreaterThan(BACKOFF_MS[0]!);

    smtp.refuse(null);
    t.clock.advance(BACKOFF_MS[1]!);
    expect(await w.runOnce()).toBe(1);
    expect(await w.runOnce()).toBe(0);
    t.clock.advance(24 * 60 * MIN);
    expect(await w.runOnce()).toBe(0);
    await w.stop();

    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.parsed.subject).toBe('Nachricht 0 für Müller');
    [m] = await outbox(t);
    expect(m).toMatchObject({ status: 'sent', attempts: 3, last_error: null, sent_at: t.clock().getTime() - 24 * 60 * MIN });
  });

  it('gives a mail up after the last attempt and shows it as failed', async () => {
    await someMails(t, 1);
    const w = startMailWorker(t.ctx, { background: false });
    smtp.refuse('Mailbox busy');
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await w.runOnce();
      t.clock.advance(24 * 60 * MIN);
    }
    expect(await w.runOnce()).toBe(0);
    await w.stop();
    const [m] = await outbox(t);
    expect(m).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
    expect(smtp.received).toHaveLength(0);
  });

  it('gives a mail up at once when the server refuses it for good (5xx), and the admin can send it again', async () => {
    const [id] = await someMails(t, 1);
    const w = startMailWorker(t.ctx, { background: false });
    smtp.refuse('No such user here', 550);
    expect(await w.runOnce()).toBe(0);
    let [m] = await outbox(t);
    expect(m).toMatchObject({ id, status: 'failed', attempts: 1 });
    expect(m!.last_error).toMatch(/^550 /);
    t.clock.advance(24 * 60 * MIN);
    expect(await w.runOnce()).toBe(0);
    expect((await outbox(t))[0]!.attempts).toBe(1);

    smtp.refuse(null);
    await resendMail(t.ctx.db, id!, t.clock().getTime());
    expect(await w.runOnce()).toBe(1);
    await w.stop();
    [m] = await outbox(t);
    expect(m!.status).toBe('sent');
    expect(smtp.received).toHaveLength(1);
  });

  it("retries a refused login like a network error: the SMTP settings are the house's to fix", () => {
    expect(isPermanentRefusal({ responseCode: 535, code: 'EAUTH' })).toBe(false);
    expect(isPermanentRefusal({ code: 'ECONNECTION' })).toBe(false);
    expect(isPermanentRefusal({ responseCode: 452, code: 'EENVELOPE' })).toBe(false);
    expect(isPermanentRefusal({ responseCode: 554, code: 'EMESSAGE' })).toBe(true);
  });

  it('delivers the mails of a request: subject, sender, text with the manage link, and the .ics of an approval', async () => {
    const b = await aBooking(t.ctx.db, { status: 'pending', title: 'Töpferkurs' });
    await notifyNow(t, { type: 'request.received', requestId: b.requestId, manageToken: b.token });
    await t.ctx.db.updateTable('bookings').set({ status: 'approved' }).where('id', '=', b.bookingId).execute();
    await notifyNow(t, { type: 'bookings.approved', requestId: b.requestId, bookingIds: [b.bookingId], message: 'Viel Freude!' });
    const w = startMailWorker(t.ctx, { background: false });
    expect(await w.runOnce()).toBe(3);
    await w.stop();

    const rows = await outbox(t);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    const toGroup = smtp.received.filter((r) => r.to.includes('erika@example.org'));
    expect(toGroup).toHaveLength(2);
    const [received, approved] = toGroup;
    expect(received!.from).toBe('raumbuch@haus.example');
    expect(received!.parsed.subject).toBe(`${b.reference}: Ihre Anfrage ist eingegangen`);
    expect(received!.parsed.text).toContain(`${t.ctx.config.baseUrl}/requests/${b.token}`);
    expect(received!.parsed.html).toContain('Töpferkurs');
    expect(received!.parsed.headers.get('message-id')).toMatch(new RegExp(`^<outbox-${rows[0]!.id}\\.`));
    expect(received!.parsed.headers.get('auto-submitted')).toBe('auto-generated');

    expect(approved!.parsed.subject).toBe(`${b.reference}: Ihre Buchung ist bestätigt`);
    expect(approved!.parsed.text).toContain('Viel Freude!');
    expect(approved!.parsed.attachments).toHaveLength(1);
    const ics = approved!.parsed.attachments[0];
    expect(ics!.contentType).toBe('text/calendar');
    expect(ics!.filename).toBe(`${b.reference}.ics`);
    const [e] = icsEvents(ics!.content).events;
    const row = await t.ctx.db.selectFrom('bookings').selectAll().where('id', '=', b.bookingId).executeTakeFirstOrThrow();
    expect(e!.startDate.toJSDate().getTime()).toBe(row.start_at);
    expect(e!.summary).toBe('Töpferkurs');

    const toAdmin = smtp.received.filter((r) => r.to.includes('admin@example.org'));
    expect(toAdmin.map((r) => r.parsed.subject)).toEqual([`Neue Anfrage ${b.reference}: Töpferkurs`]);
  });

  it('lets "answer" reach the right person: the house for mails to the group, the group for mails to the staff', async () => {
    const b = await aBooking(t.ctx.db, { status: 'pending', email: 'erika@example.org' });
    await notifyNow(t, { type: 'request.received', requestId: b.requestId, manageToken: b.token });
    await t.ctx.db.updateTable('bookings').set({ status: 'approved' }).where('id', '=', b.bookingId).execute();
    await notifyNow(t, { type: 'bookings.approved', requestId: b.requestId, bookingIds: [b.bookingId], message: '' });
    await t.ctx.db.updateTable('bookings').set({ status: 'cancelled' }).where('id', '=', b.bookingId).execute();
    await notifyNow(t, { type: 'bookings.cancelled', requestId: b.requestId, bookingIds: [b.bookingId], by: 'group', wasApproved: true });
    const r = await aBooking(t.ctx.db, { status: 'rejected', email: 'rita@example.org', date: '2026-12-02' });
    await notifyNow(t, { type: 'bookings.rejected', requestId: r.requestId, bookingIds: [r.bookingId], message: 'Leider nicht.' });
    const w = startMailWorker(t.ctx, { background: false });
    await w.runOnce();
    await w.stop();

    const toGroups = smtp.received.filter((m) => m.to.includes('erika@example.org') || m.to.includes('rita@example.org'));
    expect(toGroups).toHaveLength(4);
    for (const m of toGroups) expect(m.parsed.headers.get('reply-to'), m.parsed.subject).toBe('haus@example.org');
    const toStaff = smtp.received.filter((m) => m.to.includes('admin@example.org'));
    expect(toStaff.map((m) => m.parsed.subject)).toEqual([`Neue Anfrage ${b.reference}: Gruppentreffen`, `Abgesagt ${b.reference}: Gruppentreffen`]);
    for (const m of toStaff) expect(m.parsed.headers.get('reply-to'), m.parsed.subject).toBe('erika@example.org');
  });

  it('sends mails to groups without Reply-To when the house has no contact address', async () => {
    await t.ctx.db.updateTable('settings').set({ contact_email: '' }).where('id', '=', 1).execute();
    const b = await aBooking(t.ctx.db, { status: 'rejected' });
    await notifyNow(t, { type: 'bookings.rejected', requestId: b.requestId, bookingIds: [b.bookingId], message: 'Leider nicht.' });
    const w = startMailWorker(t.ctx, { background: false });
    await w.runOnce();
    await w.stop();
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.parsed.headers.has('reply-to')).toBe(false);
  });

  it('sends each mail once when two workers run at the same time', async () => {
    const ids = await someMails(t, 6);
    const w1 = startMailWorker(t.ctx, { background: false });
    const w2 = startMailWorker(t.ctx, { background: false });
    const [a, b] = await Promise.all([w1.runOnce(), w2.runOnce()]);
    await Promise.all([w1.stop(), w2.stop()]);
    expect(a + b).toBe(6);
    const sentIds = smtp.received.map((r) => Number(r.parsed.headers.get('x-raumbuch-mail'))).sort((x, y) => x - y);
    expect(sentIds).toEqual(ids);
  });

  it('does not send a mail another worker has claimed until its lease runs out', async () => {
    const [id] = await someMails(t, 1);
    // A worker claimed it and then died before sending.
    expect(await claimMail(t.ctx.db, id!, t.clock().getTime())).toBeDefined();
    expect(await claimMail(t.ctx.db, id!, t.clock().getTime())).toBeUndefined();
    const w = startMailWorker(t.ctx, { background: false });
    expect(await w.runOnce()).toBe(0);
    t.clock.advance(LEASE_MS);
    expect(await w.runOnce()).toBe(1);
    await w.stop();
    expect(smtp.received).toHaveLength(1);
  });

  it('polls by itself in the background and stops cleanly', async () => {
    await someMails(t, 2);
    const w = startMailWorker(t.ctx, { pollMs: 20 });
    for (let i = 0; i < 100 && smtp.received.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    await w.stop();
    expect(smtp.received).toHaveLength(2);
    expect((await outbox(t)).every((m) => m.status === 'sent')).toBe(true);
  });
});

describe('the outbox across processes and restarts', () => {
  let dir: string;
  let smtp: TestSmtp;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'raumbuch-mail-'));
    smtp = await startSmtp();
  });
  afterEach(async () => {
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('two processes on one database file send each mail once, and a restart loses none', async () => {
    const path = join(dir, 'raumbuch.sqlite');
    const first = await makeTestApp({ config: { databasePath: path, smtpUrl: smtp.url } });
    const ids = await someMails(first, 8);
    await first.close();

    // Restart: the committed mails are still there and go out once.
    const a = await makeTestApp({ config: { databasePath: path, smtpUrl: smtp.url } });
    const other = createContext(a.ctx.config, { clock: a.clock });
    const w1 = startMailWorker(a.ctx, { background: false });
    const w2 = startMailWorker(other, { background: false });
    const [n1, n2] = await Promise.all([w1.runOnce(), w2.runOnce()]);
    await Promise.all([w1.stop(), w2.stop()]);
    expect(n1 + n2).toBe(8);
    expect(await w1.runOnce()).toBe(0);
    await other.destroy();
    await a.close();
    const sentIds = smtp.received.map((r) => Number(r.parsed.headers.get('x-raumbuch-mail'))).sort((x, y) => x - y);
    expect(sentIds).toEqual(ids);
  });
});
