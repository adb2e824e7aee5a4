// A visitor who only reads pages leaves nothing on the server: CSRF tokens are signed double-submit cookies,
// not session rows. Every form still needs its token; sessions exist only for logged-in staff.
import supertest from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csrfFrom, makeTestApp, sessionRows, type TestApp } from '../helpers/app.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { formAgent, tokenFrom, validFields } from '../helpers/request-form.js';
import { loginAs } from '../helpers/login.js';
import { SESSION_COOKIE } from '../../src/app.js';

describe('visitors without a server-side session', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
    await aRoom(t.ctx.db, { slug: 'gruppenraum', name: 'Gruppenraum', capacity: 20 });
  });
  afterEach(() => t.close());

  const sessions = () => sessionRows(t);
  const setCookies = (res: supertest.Response) => ([] as string[]).concat(res.headers['set-cookie'] ?? []);

  it('creates no session row and no session cookie however many pages anonymous visitors read', async () => {
    const { token } = await aBooking(t.ctx.db, { status: 'pending' });
    const pages = [
      '/',
      '/week',
      '/requests/new',
      '/requests/new?room=gruppenraum',
      '/login',
      '/rooms',
      '/rooms/gruppenraum',
      '/rooms/gruppenraum/month',
      '/rules',
      '/privacy',
      '/imprint',
      '/how-to-book',
      `/requests/${token}`,
      `/requests/${token}/edit`,
      '/admin',
    ];
    for (let visitor = 0; visitor < 5; visitor++) {
      const agent = supertest.agent(t.app);
      for (const p of pages) {
        const res = await agent.get(p);
        expect(res.status, p).toBeLessThan(400);
        expect(
          setCookies(res).filter((c) => c.startsWith(`${SESSION_COOKIE}=`)),
          p,
        ).toEqual([]);
      }
    }
    expect(await sessions()).toBe(0);
  });

  it('sends a request with a valid form and shows its confirmation once, still without a session row', async () => {
    const f = formAgent(t);
    const res = await f.post('/requests', validFields('gruppenraum'));
    expect(res.status).toBe(303);
    const token = tokenFrom(res);
    const confirmation = await f.get(`/requests/${token}?created=1`);
    expect(confirmation.status).toBe(200);
    expect(confirmation.text).toContain(`/requests/${token}`);
    // A reload (or a forwarded link) goes on to the plain manage link.
    const again = await f.get(`/requests/${token}?created=1`);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(`/requests/${token}`);
    // Another browser never sees the confirmation.
    expect((await t.request.get(`/requests/${token}?created=1`)).status).toBe(303);
    expect(await sessions()).toBe(0);
  });

  it('refuses a post without a token, with a made-up token, or with a token from another browser', async () => {
    const count = async () =>
      Number(
        (
          await t.ctx.db
            .selectFrom('requests')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const agent = supertest.agent(t.app);
    const page = await agent.get('/login');
    const token = csrfFrom(page.text);
    const login = { email: 'admin@example.org', password: 'admin-password-123' };
    // No token at all.
    expect((await agent.post('/login').type('form').send(login)).status).toBe(403);
    // A token with one character changed.
    const forged = token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a');
    expect(
      (
        await agent
          .post('/login')
          .type('form')
          .send({ ...login, _csrf: forged })
      ).status,
    ).toBe(403);
    // A valid token, but the cookie of another browser (or none).
    const other = supertest.agent(t.app);
    await other.get('/login');
    expect(
      (
        await other
          .post('/login')
          .type('form')
          .send({ ...login, _csrf: token })
      ).status,
    ).toBe(403);
    expect(
      (
        await t.request
          .post('/login')
          .type('form')
          .send({ ...login, _csrf: token })
      ).status,
    ).toBe(403);
    // The right pair works.
    expect(
      (
        await agent
          .post('/login')
          .type('form')
          .send({ ...login, _csrf: token })
      ).status,
    ).toBe(303);
    // The request form refuses a post without its token and stores nothing.
    const noToken = await t.request
      .post('/requests')
      .type('form')
      .send(new URLSearchParams(validFields('gruppenraum') as Record<string, string>).toString());
    expect(noToken.status).toBe(403);
    expect(await count()).toBe(0);
  });

  it('ties a staff token to the staff session: it stops counting at logout', async () => {
    const staff = await loginAs(t, 'caretaker');
    expect(await sessions()).toBe(1);
    const token = await staff.csrf('/admin/templates/new');
    expect((await staff.agent.post('/logout').type('form').send({ _csrf: token })).status).toBe(303);
    expect(await sessions()).toBe(0);
    // The same browser, the same cookie and token: no longer a staff member's, so refused.
    const res = await staff.agent.post('/admin/templates').type('form').send({ _csrf: token, kind: 'approve', label: 'x', body: 'y' });
    expect(res.status).not.toBe(303);
    expect(await t.ctx.db.selectFrom('message_templates').selectAll().execute()).toEqual([]);
  });
});
