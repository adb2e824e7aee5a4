// Staff pages show personal data: no browser, proxy or back-forward cache may keep a copy of any of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { aBlockedTime, aBooking } from '../helpers/factories.js';
import { listRoutes } from '../../src/web/routes-index.js';

describe('Cache-Control on staff pages', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let feedToken: string;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await makeTestApp();
    admin = await loginAs(t, 'admin');
    const b = await aBooking(t.ctx.db, { status: 'pending', email: 'gruppe@example.org', contactName: 'Gerda Gruppe' });
    const block = await aBlockedTime(t.ctx.db, {});
    const group = await t.ctx.db
      .insertInto('regular_groups')
      .values({
        match_kind: 'email',
        match_value: 'gruppe@example.org',
        label: 'Gerda Gruppe',
        room_ids: JSON.stringify([b.roomId]),
        weekdays: '1,2,3,4,5',
        start_time: '08:00',
        end_time: '22:00',
        valid_until: null,
        note: '',
        created_by: null,
        created_at: 0,
        updated_at: 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const tpl = await t.ctx.db
      .insertInto('message_templates')
      .values({ kind: 'approve', label: 'Zusage', body: 'Gern', sort_order: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const mail = await t.ctx.db
      .insertInto('outbox')
      .values({
        created_at: 0,
        to_address: 'gruppe@example.org',
        language: 'de',
        kind: 'test',
        subject: 'Betreff',
        text_body: 'Text',
        html_body: '<p>Text</p>',
        attachments: '[]',
        status: 'pending',
        attempts: 0,
        next_attempt_at: 0,
        last_error: null,
        sent_at: null,
        request_id: b.requestId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    Object.assign(ids, {
      request: String(b.requestId),
      booking: String(b.bookingId),
      block: String(block.id),
      template: String(tpl.id),
      mail: String(mail.id),
      room: String(b.roomId),
      group: String(group.id),
    });
    const feedPage = await admin.agent
      .post('/admin/feed')
      .type('form')
      .send({ _csrf: await admin.csrf('/admin/feed') });
    feedToken = /calendar\.ics\?token=([A-Za-z0-9_-]+)/.exec(feedPage.text)?.[1] ?? '';
  });
  afterAll(() => t.close());

  function url(path: string): string {
    const concrete: Record<string, string> = {
      '/admin/requests/:id': `/admin/requests/${ids.request}`,
      '/admin/requests/:id/edit': `/admin/requests/${ids.request}/edit?booking=${ids.booking}`,
      '/admin/requests/:id/public': `/admin/requests/${ids.request}/public`,
      '/admin/requests/:id/offer': `/admin/requests/${ids.request}/offer`,
      '/admin/translations/:kind/:owner/:field/:lang': '/admin/translations/house/0/about/en',
      '/admin/regular-groups/:id': `/admin/regular-groups/${ids.group}`,
      '/admin/blocks/:id/edit': `/admin/blocks/${ids.block}/edit`,
      '/admin/templates/:id/edit': `/admin/templates/${ids.template}/edit`,
      '/admin/outbox/:id': `/admin/outbox/${ids.mail}`,
      '/admin/rooms/:id/edit': `/admin/rooms/${ids.room}/edit`,
      '/admin/rooms/:id/photos': `/admin/rooms/${ids.room}/photos`,
      '/admin/data': '/admin/data?email=gruppe%40example.org',
      '/admin/data/export': '/admin/data/export?email=gruppe%40example.org',
      '/admin/export': '/admin/export?from=2026-11-01&to=2026-12-31',
      '/admin/statistics/export.csv': '/admin/statistics/export.csv?table=rooms',
      '/admin/calendar.ics': `/admin/calendar.ics?token=${feedToken}`,
    };
    return concrete[path] ?? path;
  }

  it('sends every staff GET route with Cache-Control: no-store', async () => {
    const staffRoutes = listRoutes(t.app).filter((r) => r.method === 'GET' && r.path.startsWith('/admin'));
    expect(staffRoutes.length).toBeGreaterThan(20);
    const answers: string[] = [];
    for (const r of staffRoutes) {
      const res = await admin.agent.get(url(r.path));
      answers.push(`${r.path} ${res.status} ${res.headers['cache-control'] ?? '(none)'}`);
    }
    // Every one of them answered with the page itself (so the header was checked on real personal data) …
    expect(answers.filter((a) => !/ 200 /.test(a))).toEqual([]);
    // … and with no-store.
    expect(answers.filter((a) => !/no-store/.test(a))).toEqual([]);
  });

  it('sends the login redirect and the staff error pages with no-store too', async () => {
    expect((await t.request.get('/admin/requests/1')).headers['cache-control']).toContain('no-store');
    expect((await admin.agent.get('/admin/requests/999999')).headers['cache-control']).toContain('no-store');
  });
});
