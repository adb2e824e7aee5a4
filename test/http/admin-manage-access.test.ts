// Role checks on every route of the management half: anonymous and caretaker requests to admin-only routes are refused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { csrfFrom, makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/login.js';
import { aRoom } from '../helpers/factories.js';

type Route = { method: 'GET' | 'POST'; path: string; body?: Record<string, string> };

/** Every admin-only route of accounts, house settings and the audit log. `:id` is another account. */
const ADMIN_ONLY: Route[] = [
  { method: 'GET', path: '/admin/settings' },
  { method: 'POST', path: '/admin/settings', body: { house_name: 'Übernommen' } },
  { method: 'GET', path: '/admin/users' },
  { method: 'POST', path: '/admin/users', body: { name: 'Eindringling', email: 'evil@example.org', role: 'admin' } },
  { method: 'POST', path: '/admin/users/:id/deactivate' },
  { method: 'POST', path: '/admin/users/:id/reactivate' },
  { method: 'POST', path: '/admin/users/:id/reset-password' },
  { method: 'POST', path: '/admin/users/:id/role', body: { role: 'caretaker' } },
  { method: 'GET', path: '/admin/audit' },
  { method: 'GET', path: '/admin/audit?action=auth.login' },
];

/** Routes for caretakers and admins: anonymous requests are refused, a caretaker gets in. */
const STAFF: Route[] = [
  { method: 'GET', path: '/admin/rooms' },
  { method: 'GET', path: '/admin/rooms/new' },
  { method: 'GET', path: '/admin/rooms/:room/edit' },
  { method: 'POST', path: '/admin/rooms', body: { name: 'X' } },
  { method: 'POST', path: '/admin/rooms/:room', body: { name: 'X' } },
  { method: 'POST', path: '/admin/rooms/:room/deactivate' },
  { method: 'POST', path: '/admin/rooms/:room/reactivate' },
  { method: 'GET', path: '/admin/export' },
  { method: 'GET', path: '/admin/export?from=2026-12-01&to=2026-12-31' },
  { method: 'GET', path: '/admin/statistics' },
  { method: 'GET', path: '/admin/statistics/report?period=year&year=2026' },
  { method: 'GET', path: '/admin/statistics/export.xlsx?period=year&year=2026' },
  { method: 'GET', path: '/admin/statistics/attendance' },
  { method: 'GET', path: '/admin/password' },
  { method: 'POST', path: '/admin/password', body: { current_password: 'x' } },
];

describe('role checks of the management routes', () => {
  let t: TestApp;
  let targetId: number;
  let roomId: number;
  beforeEach(async () => {
    t = await makeTestApp();
    targetId = (await loginAs(t, 'admin')).user.id;
    roomId = (await aRoom(t.ctx.db, { name: 'Saal A' })).id;
  });
  afterEach(() => t.close());

  const url = (r: Route) => r.path.replace(':id', String(targetId)).replace(':room', String(roomId));

  async function send(agent: ReturnType<typeof supertest.agent>, r: Route, csrf: string) {
    return r.method === 'GET'
      ? agent.get(url(r))
      : agent
          .post(url(r))
          .type('form')
          .send({ _csrf: csrf, ...(r.body ?? {}) });
  }

  async function snapshot() {
    const [users, settings, rooms, audit] = await Promise.all([
      t.ctx.db.selectFrom('users').selectAll().orderBy('id').execute(),
      t.ctx.db.selectFrom('settings').selectAll().execute(),
      t.ctx.db.selectFrom('rooms').selectAll().orderBy('id').execute(),
      t.ctx.db.selectFrom('audit_log').select(['action']).where('action', 'not like', 'auth.%').execute(),
    ]);
    return JSON.stringify({ users, settings, rooms, audit });
  }

  it('sends anonymous GETs to the login page and refuses anonymous POSTs (even with a valid CSRF token)', async () => {
    const anon = supertest.agent(t.app);
    const csrf = csrfFrom((await anon.get('/login')).text);
    const before = await snapshot();
    for (const r of [...ADMIN_ONLY, ...STAFF]) {
      const res = await send(anon, r, csrf);
      if (r.method === 'GET') {
        expect(res.status, `${r.method} ${r.path}`).toBe(303);
        expect(res.headers.location, `${r.method} ${r.path}`).toMatch(/^\/login\?next=/);
      } else {
        expect(res.status, `${r.method} ${r.path}`).toBe(403);
      }
    }
    expect(await snapshot()).toBe(before);
  });

  it('refuses a caretaker every admin-only route with 403 and changes nothing', async () => {
    const { agent, csrf } = await loginAs(t, 'caretaker');
    const token = await csrf();
    const before = await snapshot();
    for (const r of ADMIN_ONLY) {
      const res = await send(agent, r, token);
      expect(res.status, `${r.method} ${r.path}`).toBe(403);
      expect(res.text, `${r.method} ${r.path}`).toContain('Kein Zugriff');
    }
    expect(await snapshot()).toBe(before);
  });

  it('hides the admin-only links from a caretaker and shows them to an admin', async () => {
    const caretaker = await loginAs(t, 'caretaker');
    const page = await caretaker.agent.get('/admin/rooms');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('href="/admin/settings"');
    const admin = await loginAs(t, 'admin');
    expect((await admin.agent.get('/admin/rooms')).text).toContain('href="/admin/settings"');
  });

  it('lets an admin open every admin-only page', async () => {
    const { agent } = await loginAs(t, 'admin');
    for (const r of ADMIN_ONLY.filter((x) => x.method === 'GET')) {
      expect((await agent.get(url(r))).status, r.path).toBe(200);
    }
  });

  it('lets a caretaker open the rooms, export and password pages', async () => {
    const { agent } = await loginAs(t, 'caretaker');
    for (const r of STAFF.filter((x) => x.method === 'GET')) {
      expect((await agent.get(url(r))).status, r.path).toBe(200);
    }
  });
});
