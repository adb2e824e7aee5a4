// GET /healthz for monitoring: 200 with the parts when all is well, 503 naming the failing part; no personal data.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBooking } from '../helpers/factories.js';
import { sqliteHandleForTests } from '../../src/db/database.js';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
});
afterEach(() => t.close());

async function aMail(status: 'pending' | 'sent' | 'failed', to = 'erika@example.org') {
  await t.ctx.db
    .insertInto('outbox')
    .values({
      created_at: 0,
      to_address: to,
      language: 'de',
      kind: 'test',
      subject: 'Betreff',
      text_body: 'x',
      html_body: 'x',
      attachments: '[]',
      status,
      attempts: 0,
      next_attempt_at: 0,
      last_error: null,
      sent_at: null,
      request_id: null,
    })
    .execute();
}

describe('GET /healthz', () => {
  it('answers 503 naming the database when it is unreachable', async () => {
    sqliteHandleForTests(t.ctx).close();
    const res = await t.request.get('/healthz');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'error', db: 'error' });
  });

  it('answers 503 when migrations are pending', async () => {
    await t.ctx.db
      .deleteFrom('kysely_migration' as never)
      .where('name' as never, '=', '2026_11_23_003_auth' as never)
      .execute();
    const res = await t.request.get('/healthz');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'error', db: 'ok', migrations: 'pending' });
  });

  it('answers 200 with the outbox backlog and the uptime, and nothing personal', async () => {
    await aBooking(t.ctx.db, { email: 'erika@example.org' });
    await aMail('pending');
    await aMail('pending');
    await aMail('failed');
    await aMail('sent');
    const res = await t.request.get('/healthz');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      status: 'ok',
      db: 'ok',
      storage: 'ok',
      migrations: 'current',
      outbox: { pending: 2, failed: 1 },
      uptimeSeconds: expect.any(Number),
    });
    expect(res.text).not.toContain('erika');
    // Answered before sessions: no cookie is set.
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});
