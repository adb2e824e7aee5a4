// GET /healthz for monitoring: 200 with the parts when all is well, 503 naming the failing part; no personal data.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBooking } from '../helpers/factories.js';
import { sqliteHandleForTests } from '../../src/db/database.js';
import { checkHealth, PROBE_OK_FOR_MS } from '../../src/ops/health.js';

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

// Issue 16: during a burst of bookings (transactions queued for the one connection) the health check must not
// wait its turn behind them, not even for its write probe, and must still find a database it cannot write.
describe('the health check during a burst of writes', () => {
  /** Six write transactions queued at once for the connection, as a burst of booking requests queues them. */
  function aBurst(log: string[]) {
    const all = Array.from({ length: 6 }, (_, i) =>
      t.ctx.db
        .transaction()
        .execute(async (trx) => {
          await trx.deleteFrom('storage_probe').execute();
          log.push(`transaction ${i + 1} done`);
        })
        // A read-only database refuses even to begin one.
        .catch(() => log.push(`transaction ${i + 1} refused`)),
    );
    return {
      async finish() {
        await Promise.all(all);
        // Anything queued behind them (a probe) has had its turn once a read that queues now is answered.
        await t.ctx.db.selectFrom('outbox').select('id').execute();
      },
    };
  }
  const health = () =>
    checkHealth(t.ctx.db, 1, { now: t.clock().getTime(), store: t.ctx.store }).then((h) => {
      log.push('health answered');
      return h;
    });
  let log: string[];
  beforeEach(() => {
    log = [];
  });

  it('answers before the queued transactions, reporting the last probe, and probes after them', async () => {
    expect((await health()).storage).toBe('ok');
    // The last probe is stale: a probe is due.
    t.clock.advance(PROBE_OK_FOR_MS);
    log = [];
    const burst = aBurst(log);
    const during = await health();
    await burst.finish();
    expect(log.indexOf('health answered'), log.join(', ')).toBeLessThan(2);
    expect(log).toHaveLength(7);
    expect(during).toMatchObject({ status: 'ok', db: 'ok', storage: 'ok', migrations: 'current' });
  });

  it('still finds a database that cannot be written: the probe left in the queue reports it at the next call', async () => {
    expect((await health()).storage).toBe('ok');
    t.clock.advance(PROBE_OK_FOR_MS);
    log = [];
    const burst = aBurst(log);
    // The database turns read-only while the burst waits.
    sqliteHandleForTests(t.ctx).pragma('query_only = ON');
    const during = await health();
    // Not known yet: the last probe (before it broke) is what there is.
    expect(during).toMatchObject({ storage: 'ok' });
    await burst.finish();
    expect(log.indexOf('health answered'), log.join(', ')).toBeLessThan(2);
    const res = await t.request.get('/healthz');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'error', storage: 'readonly' });
    // A failed probe is never reported as ok: during the next burst too it says so, and probes again.
    const again = aBurst([]);
    expect(await health()).toMatchObject({ status: 'error', storage: 'readonly' });
    sqliteHandleForTests(t.ctx).pragma('query_only = OFF');
    await again.finish();
    expect(await health()).toMatchObject({ status: 'ok', storage: 'ok' });
  });
});
