import supertest from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csrfFrom, makeTestApp, type TestApp } from '../helpers/app.js';
import { aRoom } from '../helpers/factories.js';
import { aHouse, icsEvents, outbox } from '../helpers/mail.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { startMailWorker } from '../../src/mail/worker.js';

describe('mails from the request form to the inbox of the group', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  beforeEach(async () => {
    smtp = await startSmtp();
    t = await makeTestApp({ config: { smtpUrl: smtp.url } });
    await aHouse(t);
    await aRoom(t.ctx.db, { slug: 'saal', name: 'Saal' });
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
  });

  async function sendRequest(lang: 'de' | 'en', email: string): Promise<string> {
    const agent = supertest.agent(t.app);
    const form = await agent.get(`/requests/new?lang=${lang}`);
    expect(form.status).toBe(200);
    const res = await agent
      .post('/requests')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        room: 'saal',
        date: '2026-12-01',
        start: '10:00',
        end: '12:00',
        title: 'Nachbarschaftstreff',
        contactName: 'Erika Mustermann',
        email,
        phone: '',
        attendees: '12',
        category: 'social',
        acceptRules: '1',
        acceptPrivacy: '1',
        repeat: 'none',
      });
    expect(res.status).toBe(303);
    const m = res.headers.location!.match(/^\/requests\/([A-Za-z0-9_-]+)\?created=1$/);
    expect(m).not.toBeNull();
    return m![1]!;
  }

  it("a request sent through the form puts the manage link in the group's mail, in its language, and the SMTP server receives it", async () => {
    const token = await sendRequest('en', 'erika@example.org');
    const rows = await outbox(t);
    const group = rows.find((r) => r.to_address === 'erika@example.org')!;
    expect(group.kind).toBe('request.received');
    expect(group.language).toBe('en');
    expect(group.text_body).toContain(`${t.ctx.config.baseUrl}/requests/`);
    expect(group.text_body).not.toContain(token);
    expect(rows.some((r) => r.to_address === 'admin@example.org' && r.kind === 'staff.request.received')).toBe(true);

    const w = startMailWorker(t.ctx, { background: false });
    expect(await w.runOnce()).toBe(rows.length);
    await w.stop();
    const received = smtp.received.find((r) => r.to.includes('erika@example.org'))!;
    expect(received.parsed.subject).toMatch(/: Your request has been received$/);
    expect(received.parsed.text).toContain(`${t.ctx.config.baseUrl}/requests/${token}`);
    expect(received.parsed.html).toContain(`${t.ctx.config.baseUrl}/requests/${token}`);
  });

  it("a cancellation through the manage link is confirmed without the link, and the request's calendar shows it cancelled", async () => {
    const token = await sendRequest('de', 'erika@example.org');
    const agent = supertest.agent(t.app);
    const page = await agent.get(`/requests/${token}`);
    const res = await agent
      .post(`/requests/${token}/cancel`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), confirm: '1' });
    expect(res.status).toBe(303);
    const rows = (await outbox(t)).filter((r) => r.to_address === 'erika@example.org');
    expect(rows.map((r) => r.kind)).toEqual(['request.received', 'bookings.cancelled.group']);
    expect(rows[1]!.text_body).not.toContain(token);
    expect(rows[1]!.text_body).toContain('Damit ist Ihre gesamte Anfrage abgesagt.');
    expect(rows[1]!.subject).toMatch(/: Ihre Absage ist eingegangen$/);
    const ics = await t.request.get(`/requests/${token}/calendar.ics`);
    expect(ics.status).toBe(200);
    const { events } = icsEvents(ics.text);
    expect(events.map((e) => e.component.getFirstPropertyValue('status'))).toEqual(['CANCELLED']);
  });
});
