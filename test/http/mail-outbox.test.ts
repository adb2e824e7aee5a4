import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csrfFrom, makeTestApp, type TestApp } from '../helpers/app.js';
import { aBooking } from '../helpers/factories.js';
import { loginAs } from '../helpers/login.js';
import { aHouse, notifyNow, outbox } from '../helpers/mail.js';
import { MAX_ATTEMPTS } from '../../src/mail/outbox.js';

describe('the outbox page', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
    await aHouse(t);
  });
  afterEach(() => t.close());

  async function aFailedMail() {
    const b = await aBooking(t.ctx.db, { status: 'pending' });
    await notifyNow(t, { type: 'request.received', requestId: b.requestId, manageToken: b.token });
    const [m] = await outbox(t);
    await t.ctx.db
      .updateTable('outbox')
      .set({ status: 'failed', attempts: MAX_ATTEMPTS, last_error: '550 mailbox unavailable' })
      .where('id', '=', m!.id)
      .execute();
    return { mail: m, booking: b };
  }

  it('sends anonymous visitors to the login and refuses caretakers', async () => {
    const anon = await t.request.get('/admin/outbox');
    expect(anon.status).toBe(303);
    expect(anon.headers.location).toMatch(/^\/login/);
    const { mail } = await aFailedMail();
    const caretaker = await loginAs(t, 'caretaker');
    expect((await caretaker.agent.get('/admin/outbox')).status).toBe(403);
    expect((await caretaker.agent.get(`/admin/outbox/${mail!.id}`)).status).toBe(403);
    const token = await caretaker.csrf();
    expect((await caretaker.agent.post(`/admin/outbox/${mail!.id}/resend`).type('form').send({ _csrf: token })).status).toBe(403);
    expect((await outbox(t))[0]!.status).toBe('failed');
  });

  it('refuses a bad filter, an unknown mail and a resend without CSRF token or of a mail that did not fail', async () => {
    const admin = await loginAs(t, 'admin');
    const { mail } = await aFailedMail();
    expect((await admin.agent.get('/admin/outbox?status=lost')).status).toBe(400);
    expect((await admin.agent.get('/admin/outbox/99999')).status).toBe(404);
    expect((await admin.agent.get('/admin/outbox/abc')).status).toBe(404);
    expect((await admin.agent.post(`/admin/outbox/${mail!.id}/resend`).type('form').send({})).status).toBe(403);
    const staffMail = (await outbox(t)).find((m) => m.status === 'pending')!;
    const token = await admin.csrf('/admin/outbox');
    expect((await admin.agent.post(`/admin/outbox/${staffMail.id}/resend`).type('form').send({ _csrf: token })).status).toBe(409);
  });

  it('lists every mail with status, attempts, last error, recipient and subject, and says mail is not being sent', async () => {
    const admin = await loginAs(t, 'admin');
    const { mail, booking } = await aFailedMail();
    const res = await admin.agent.get('/admin/outbox');
    expect(res.status).toBe(200);
    expect(res.text).toContain('kein SMTP-Server eingestellt');
    expect(res.text).toContain('erika@example.org');
    expect(res.text).toContain(`${booking.reference}: Ihre Anfrage ist eingegangen`);
    expect(res.text).toContain('fehlgeschlagen');
    expect(res.text).toContain('550 mailbox unavailable');
    expect(res.text).toContain(`<td>${MAX_ATTEMPTS}</td>`);
    expect(res.text).toContain(`href="/admin/outbox/${mail!.id}"`);

    const failed = await admin.agent.get('/admin/outbox?status=failed');
    expect(failed.text).toContain('erika@example.org');
    expect(failed.text).not.toContain('admin@example.org</td>');
  });

  it("shows one mail without the group's manage link", async () => {
    const admin = await loginAs(t, 'admin');
    const { mail, booking } = await aFailedMail();
    const res = await admin.agent.get(`/admin/outbox/${mail!.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Guten Tag Erika Mustermann');
    expect(res.text).toContain('/requests/…');
    expect(res.text).not.toContain(booking.token);
    expect(res.text).toContain('Erneut senden');
  });

  it('puts a failed mail back in the queue, due now, and records who did it', async () => {
    const admin = await loginAs(t, 'admin');
    const { mail } = await aFailedMail();
    t.clock.advance(3600_000);
    const page = await admin.agent.get(`/admin/outbox/${mail!.id}`);
    const res = await admin.agent
      .post(`/admin/outbox/${mail!.id}/resend`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/outbox/${mail!.id}`);
    const after = await admin.agent.get(`/admin/outbox/${mail!.id}`);
    expect(after.text).toContain('Die E-Mail wird erneut gesendet.');
    const row = (await outbox(t)).find((m) => m.id === mail!.id)!;
    expect(row).toMatchObject({ status: 'pending', attempts: 0, next_attempt_at: t.clock().getTime() });
    const log = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'outbox.resend').execute();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ entity: 'outbox', entity_id: mail!.id, user_id: admin.user.id });
  });

  it('does not say mail is off when SMTP is configured', async () => {
    const t2 = await makeTestApp({ config: { smtpUrl: 'smtp://127.0.0.1:1' } });
    try {
      const admin = await loginAs(t2, 'admin');
      const res = await admin.agent.get('/admin/outbox?lang=en');
      expect(res.status).toBe(200);
      expect(res.text).toContain('Outbox');
      expect(res.text).not.toContain('no SMTP server is configured');
      expect(res.text).toContain('No e-mails.');
    } finally {
      await t2.close();
    }
  });
});
