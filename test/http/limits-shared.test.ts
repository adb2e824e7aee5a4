// The public limits live in the database: two app instances (processes) on one database file share them,
// a restart (a new app on the same file) keeps them, parallel sends cannot get past them, and old rows are
// pruned in bounded batches.
import { join } from 'node:path';
import supertest from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { bootstrap } from '../../src/bootstrap.js';
import { createApp } from '../../src/app.js';
import { REQUEST_POST_LIMIT, TOKEN_FAILURE_LIMIT } from '../../src/bookings/routes.js';
import { admit, REQUESTS_SENT } from '../../src/web/limits.js';
import { startJobs } from '../../src/ops/jobs.js';
import { csrfFrom, DEFAULT_NOW, fixedClock, makeTestApp, type TestApp, type TestClock } from '../helpers/app.js';
import { aRoom } from '../helpers/factories.js';
import { validFields } from '../helpers/request-form.js';
import { cleanupDir, tempDir } from '../helpers/server.js';

interface Instance {
  ctx: AppContext;
  agent: ReturnType<typeof supertest.agent>;
}

async function instance(file: string, clock: TestClock): Promise<Instance> {
  const ctx = createContext(testConfig({ databasePath: file }), { clock });
  const boot = await bootstrap(ctx);
  return { ctx, agent: supertest.agent(createApp(ctx, { sessionSecret: boot.sessionSecret })) };
}

async function send(i: Instance, o: Record<string, string> = {}) {
  const token = csrfFrom((await i.agent.get('/requests/new')).text);
  return i.agent
    .post('/requests')
    .type('form')
    .send({ ...validFields('gruppenraum', o), _csrf: token });
}

describe('limits shared through the database', () => {
  let dir: string;
  let file: string;
  const open: Instance[] = [];
  beforeEach(() => {
    dir = tempDir('raumbuch-limits-');
    file = join(dir, 'house.sqlite');
  });
  afterEach(async () => {
    for (const i of open.splice(0)) await i.ctx.destroy();
    cleanupDir(dir);
  });

  it('counts sends from two app instances on one database file together', async () => {
    const clock = fixedClock(DEFAULT_NOW);
    const a = await instance(file, clock);
    const b = await instance(file, clock);
    open.push(a, b);
    await aRoom(a.ctx.db, { slug: 'gruppenraum' });
    for (let n = 0; n < REQUEST_POST_LIMIT; n++) expect((await send(n % 2 ? a : b)).status).toBe(303);
    expect((await send(a)).status).toBe(429);
    expect((await send(b)).status).toBe(429);
    for (let n = 0; n < TOKEN_FAILURE_LIMIT; n++) expect((await (n % 2 ? a : b).agent.get(`/requests/${'Q'.repeat(40)}${n}`)).status).toBe(404);
    expect((await a.agent.get(`/requests/${'Q'.repeat(43)}`)).status).toBe(429);
    expect((await b.agent.get(`/requests/${'Q'.repeat(43)}`)).status).toBe(429);
  });

  it('keeps the limits across a restart (a new app on the same file)', async () => {
    const clock = fixedClock(DEFAULT_NOW);
    const first = await instance(file, clock);
    await aRoom(first.ctx.db, { slug: 'gruppenraum' });
    for (let n = 0; n < REQUEST_POST_LIMIT; n++) expect((await send(first)).status).toBe(303);
    for (let n = 0; n < TOKEN_FAILURE_LIMIT; n++) await first.agent.get(`/requests/${'Q'.repeat(40)}${n}`);
    await first.ctx.destroy();

    clock.advance(30 * 60_000);
    const second = await instance(file, clock);
    open.push(second);
    const limited = await send(second);
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('ab 11:00 Uhr');
    // The link window (15 minutes) has passed by now; the send window (an hour) has not.
    expect((await second.agent.get(`/requests/${'Q'.repeat(43)}`)).status).toBe(404);
  });
});

describe('limits under parallel sends', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp()));
  afterEach(() => t.close());

  it('stores no more than the limit when many valid sends arrive at once', async () => {
    await aRoom(t.ctx.db, { slug: 'gruppenraum' });
    const agent = supertest.agent(t.app);
    const token = csrfFrom((await agent.get('/requests/new')).text);
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () =>
        agent
          .post('/requests')
          .type('form')
          .send({ ...validFields('gruppenraum'), _csrf: token })
          .then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 303)).toHaveLength(REQUEST_POST_LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - REQUEST_POST_LIMIT);
    expect((await t.ctx.db.selectFrom('requests').select('id').execute()).length).toBe(REQUEST_POST_LIMIT);
  });

  it('removes rows older than an hour in bounded batches as new ones come in', async () => {
    const now = t.clock().getTime();
    const old = Array.from({ length: 450 }, (_, i) => ({ bucket: 'link.unknown', key: `10.0.${i >> 8}.${i & 255}`, at: now - 2 * 3600_000 }));
    await t.ctx.db.insertInto('rate_events').values(old).execute();
    const left = async () => (await t.ctx.db.selectFrom('rate_events').select('id').where('at', '<', now).execute()).length;
    await admit(t.ctx.db, REQUESTS_SENT, 'x', now);
    expect(await left()).toBe(250);
    await admit(t.ctx.db, REQUESTS_SENT, 'x', now);
    await admit(t.ctx.db, REQUESTS_SENT, 'x', now);
    expect(await left()).toBe(0);
  });

  it('the hourly job removes counted addresses once their window has passed, even when nobody comes', async () => {
    const now = t.clock().getTime();
    const old = Array.from({ length: 1200 }, (_, i) => ({ bucket: 'request.sent', key: `10.1.${i >> 8}.${i & 255}`, at: now - 3600_000 }));
    await t.ctx.db
      .insertInto('rate_events')
      .values([...old, { bucket: 'request.sent', key: 'fresh', at: now - 60_000 }])
      .execute();
    await t.ctx.db
      .insertInto('login_failures')
      .values([
        { scope: 'ip', key: '10.9.9.9', at: now - 16 * 60_000 },
        { scope: 'ip', key: '10.9.9.8', at: now - 60_000 },
      ])
      .execute();
    const jobs = startJobs(t.ctx, { background: false });
    await jobs.runDue();
    await jobs.stop();
    expect(await t.ctx.db.selectFrom('rate_events').select('key').execute()).toEqual([{ key: 'fresh' }]);
    expect(await t.ctx.db.selectFrom('login_failures').select('key').execute()).toEqual([{ key: '10.9.9.8' }]);
  });
});
