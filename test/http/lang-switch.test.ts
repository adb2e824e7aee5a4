// The language switch in the header reloads the page in the other language. On a page that answers a
// POST (a form with errors, a refused decision) it must lead to a page that exists, never to a 404.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/login.js';
import { pageOf } from '../../src/web/routes-index.js';

const switchTarget = (html: string) => html.match(/<form class="lang" method="get" action="([^"]*)">/)![1];

describe('the language switch', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp()));
  afterEach(() => t.close());

  it('keeps the page and its query on an ordinary page', async () => {
    const res = await t.request.get('/week?date=2026-12-07');
    expect(switchTarget(res.text)).toBe('/week');
    expect(res.text).toContain('<input type="hidden" name="date" value="2026-12-07">');
  });

  it('leads from the answer to a POST to the page the form belongs to, which exists', async () => {
    const staff = await loginAs(t, 'admin');
    const sent = await staff.agent
      .post('/admin/bookings')
      .type('form')
      .send({ _csrf: await staff.csrf('/admin/bookings/new'), title: '' });
    expect(sent.status).toBe(400);
    expect(switchTarget(sent.text)).toBe('/admin/bookings/new');
    // None of the posted values ride along into the switch (they would be lost anyway, and may be long).
    expect(sent.text).not.toMatch(/<form class="lang"[^>]*>\s*<input type="hidden"/);
    const switched = await staff.agent.get('/admin/bookings/new?lang=en');
    expect(switched.status).toBe(200);
    expect(switched.text).toContain('<html lang="en" dir="ltr">');
  });

  it("finds the nearest page for the staff area's form actions", async () => {
    expect(pageOf(t.app, '/admin/requests/14/approve')).toBe('/admin/requests/14');
    expect(pageOf(t.app, '/admin/bookings')).toBe('/admin/bookings/new');
    expect(pageOf(t.app, '/admin/users/2/reset-password')).toBe('/admin/users');
    expect(pageOf(t.app, '/nothing/here')).toBe('/');
    const { agent } = await loginAs(t, 'admin');
    expect((await agent.get('/admin/users')).status).toBe(200);
  });
});
