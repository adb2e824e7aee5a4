// Script payloads typed into a request are shown escaped everywhere they appear: the manage page, the
// caretaker's inbox, request detail and calendar, the public calendars (public title), the feeds and the mails.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import supertest from 'supertest';
import { csrfFrom, makeTestApp, type TestApp } from '../helpers/app.js';

// A real server, a browser or many requests: slower than a unit test, especially on a busy machine.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(2)>';
const RAW = [/<script>alert\(1\)<\/script>/i, /<img src=x onerror=alert\(2\)>/i];

function expectEscaped(html: string, where: string): void {
  for (const re of RAW) expect(html, where).not.toMatch(re);
}

describe('script payloads in a request', () => {
  let t: TestApp;
  let manage: string;
  let requestId: number;
  let admin: ReturnType<typeof supertest.agent>;

  beforeAll(async () => {
    t = await makeTestApp({ demo: true });
    const group = supertest.agent(t.app);
    const form = await group.get('/requests/new');
    const res = await group
      .post('/requests')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        room: 'gruppenraum',
        date: '2026-12-08',
        start: '19:00',
        end: '21:00',
        repeat: 'none',
        everyWeeks: '1',
        lastDate: '',
        title: `Titel ${SCRIPT}`,
        publicTitle: `Öffentlich ${IMG}`,
        showPublicTitle: 'on',
        organisation: `Org ${IMG}`,
        contactName: `Name ${SCRIPT}`,
        email: 'xss@example.org',
        category: 'social',
        attendees: '5',
        notes: `Notiz ${SCRIPT}`,
        acceptRules: 'on',
        acceptPrivacy: 'on',
        action: 'send',
      });
    expect(res.status, [...res.text.matchAll(/class="field-error"[^>]*>([^<]*)/g)].map((m) => m[1]).join(' | ')).toBe(303);
    manage = res.headers.location!.replace(/\?.*$/, '');
    requestId = (await t.ctx.db.selectFrom('requests').select('id').where('email', '=', 'xss@example.org').executeTakeFirstOrThrow()).id;
    admin = supertest.agent(t.app);
    const login = await admin.get('/login');
    expect(
      (
        await admin
          .post('/login')
          .type('form')
          .send({ _csrf: csrfFrom(login.text), email: 'admin@example.org', password: 'admin-password-123' })
      ).status,
    ).toBe(303);
  });
  afterAll(() => t.close());

  it("stores the text as it was typed (escaping is the views' job, not a mangling of the data)", async () => {
    const row = await t.ctx.db.selectFrom('requests').select(['title', 'notes']).where('id', '=', requestId).executeTakeFirstOrThrow();
    expect(row.title).toBe(`Titel ${SCRIPT}`);
    expect(row.notes).toBe(`Notiz ${SCRIPT}`);
  });

  it('shows it escaped on the manage page and the edit form', async () => {
    for (const path of [manage, `${manage}/edit`]) {
      const res = await t.request.get(path);
      expect(res.status, path).toBe(200);
      expect(res.text, path).toContain('Titel &lt;script&gt;alert(1)&lt;/script&gt;');
      expectEscaped(res.text, path);
    }
  });

  it("shows it escaped in the caretaker's inbox, request detail and calendar", async () => {
    for (const path of ['/admin', `/admin/requests/${requestId}`, '/admin/calendar?date=2026-12-08']) {
      const res = await admin.get(path);
      expect(res.status, path).toBe(200);
      expectEscaped(res.text, path);
    }
    const inbox = await admin.get('/admin');
    expect(inbox.text).toContain('Titel &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('shows the approved public title escaped in the public calendars, and the API and feed as data', async () => {
    const page = await admin.get(`/admin/requests/${requestId}`);
    const approve = await admin
      .post(`/admin/requests/${requestId}/approve`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), message: `OK ${SCRIPT}` });
    expect(approve.status).toBeLessThan(400);
    const booking = await t.ctx.db.selectFrom('bookings').select('status').where('request_id', '=', requestId).executeTakeFirstOrThrow();
    expect(booking.status).toBe('approved');
    for (const path of ['/week?date=2026-12-08', '/rooms/gruppenraum?date=2026-12-08', '/rooms/gruppenraum/month?month=2026-12', manage]) {
      const res = await t.request.get(path);
      expect(res.status, path).toBe(200);
      expectEscaped(res.text, path);
    }
    const week = await t.request.get('/week?date=2026-12-08');
    expect(week.text).toContain('Öffentlich &#34;&gt;&lt;img src=x onerror=alert(2)&gt;');
    const api = await t.request.get('/api/v1/availability?from=2026-12-08&to=2026-12-08&room=gruppenraum');
    expect(api.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.stringify(api.body)).not.toContain('Name ');
  });

  it('keeps the payload out of the HTML of every mail', async () => {
    const mails = await t.ctx.db.selectFrom('outbox').select(['kind', 'html_body']).where('request_id', '=', requestId).execute();
    expect(mails.length).toBeGreaterThan(0);
    for (const m of mails) expectEscaped(m.html_body, `mail ${m.kind}`);
  });
});
