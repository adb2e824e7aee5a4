// A signed-in account's session is prolonged by every page it opens (rolling idle timeout), but not written to the
// database on each of them: within a minute of the last write the stored expiry stays (one fsync less per staff
// page). The idle timeout still holds: active use keeps the session, SESSION_IDLE_MS of silence ends it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/login.js';
import { SESSION_IDLE_MS } from '../../src/app.js';
import { TOUCH_SLACK_MS } from '../../src/web/session-store.js';

describe('prolonging a session', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp()));
  afterEach(() => t.close());

  const expiries = async () => (await t.ctx.db.selectFrom('sessions').select('expires_at').execute()).map((s) => s.expires_at);

  it('writes the session again only when its expiry moves by a minute or more', async () => {
    const { agent } = await loginAs(t, 'caretaker');
    const [stored] = await expiries();
    t.clock.advance(TOUCH_SLACK_MS / 2);
    for (let i = 0; i < 5; i++) expect((await agent.get('/admin/password')).status).toBe(200);
    expect(await expiries()).toEqual([stored]);

    t.clock.advance(TOUCH_SLACK_MS);
    expect((await agent.get('/admin/password')).status).toBe(200);
    expect(await expiries()).toEqual([t.clock().getTime() + SESSION_IDLE_MS]);
  });

  it('keeps a caretaker signed in who opens a page every 50 seconds for longer than the idle timeout', async () => {
    const { agent } = await loginAs(t, 'caretaker');
    const until = t.clock().getTime() + SESSION_IDLE_MS + 30 * 60_000;
    while (t.clock().getTime() < until) {
      t.clock.advance(50_000);
      expect((await agent.get('/admin/password')).status).toBe(200);
    }
    // Silence for the whole timeout (the last write may lie up to a minute back): signed out.
    t.clock.advance(SESSION_IDLE_MS);
    expect((await agent.get('/admin/password')).status).toBe(303);
  });
});
