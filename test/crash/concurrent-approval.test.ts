// Rule 7 under real concurrency: five processes approve 50 competing requests on one database file at once.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { bootstrap } from '../../src/bootstrap.js';
import { aBooking, aRoom, aWholeRoom } from '../helpers/factories.js';
import { ROOT, cleanupDir, tempDir } from '../helpers/server.js';

const PROCESSES = 5;
const PER_PROCESS = 10;

interface Outcome {
  requestId: number;
  approved?: number;
  refused?: number;
  notPending?: number;
  clashesWith?: number[];
  error?: string;
}

function runWorker(databasePath: string, ids: number[], userId: number) {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/crash/approve-worker.ts', databasePath, JSON.stringify(ids), String(userId)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  const ready = new Promise<void>((res, rej) => {
    proc.stdout.on('data', (d) => {
      out += d;
      if (out.includes('ready\n')) res();
    });
    proc.once('exit', (c) => rej(new Error(`worker exited early (${c}): ${err}`)));
  });
  const done = new Promise<Outcome[]>((res, rej) => {
    proc.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('['));
      if (code !== 0 || !line) rej(new Error(`worker failed (${code}): ${err}\n${out}`));
      else res(JSON.parse(line) as Outcome[]);
    });
  });
  return { go: () => proc.stdin.end('go\n'), ready, done };
}

describe('approving competing requests from several processes at once', () => {
  let dir: string;
  let dbPath: string;
  let ctx: AppContext;
  let userId: number;
  const requestIds: number[] = [];

  beforeAll(async () => {
    dir = tempDir();
    dbPath = join(dir, 'shared.sqlite');
    ctx = createContext(
      loadConfig({ DATABASE_PATH: dbPath, DEMO: '0', LOG_LEVEL: 'silent', ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'admin-password-123' }),
    );
    await bootstrap(ctx);
    userId = (await ctx.db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id;
    // Half the requests are for a part (Saal A), half for the whole (Großer Saal); every one covers 11:00–11:15,
    // so any two of them clash, directly or through the whole and its part.
    const part = await aRoom(ctx.db, { slug: 'saal-a-x' });
    const other = await aRoom(ctx.db, { slug: 'saal-b-x' });
    const whole = await aWholeRoom(ctx.db, [part.id, other.id], { slug: 'grosser-saal-x' });
    for (let i = 0; i < PROCESSES * PER_PROCESS; i++) {
      const starts = ['10:00', '10:30', '11:00'];
      const ends = ['11:15', '12:00', '13:00'];
      const b = await aBooking(ctx.db, {
        roomId: i % 2 ? whole.id : part.id,
        date: '2026-12-03',
        start: starts[i % 3],
        end: ends[(i >> 1) % 3],
        status: 'pending',
      });
      requestIds.push(b.requestId);
    }
    await ctx.destroy();
  });
  afterAll(() => cleanupDir(dir));

  it('approves exactly one of 50 competing requests and refuses the others naming the clash', async () => {
    // Interleave so each process holds requests for both rooms.
    const shares = Array.from({ length: PROCESSES }, (_, p) => requestIds.filter((_, i) => i % PROCESSES === p));
    const workers = shares.map((ids) => runWorker(dbPath, ids, userId));
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.go();
    const outcomes = (await Promise.all(workers.map((w) => w.done))).flat();

    expect(outcomes.filter((o) => o.error)).toEqual([]);
    expect(outcomes).toHaveLength(50);
    expect(outcomes.reduce((n, o) => n + (o.approved ?? 0), 0)).toBe(1);
    expect(outcomes.reduce((n, o) => n + (o.refused ?? 0), 0)).toBe(49);
    // Every refusal names the one approved request as the clash.
    const winner = outcomes.find((o) => o.approved === 1)!.requestId;
    for (const o of outcomes.filter((x) => x.refused)) expect(o.clashesWith, `request ${o.requestId}`).toEqual([winner]);

    const check = createContext(loadConfig({ DATABASE_PATH: dbPath, DEMO: '0', LOG_LEVEL: 'silent' }));
    try {
      const statuses = await check.db.selectFrom('bookings').select(['status']).execute();
      expect(statuses.filter((s) => s.status === 'approved')).toHaveLength(1);
      expect(statuses.filter((s) => s.status === 'pending')).toHaveLength(49);
      // The winner alone occupies space: one row per physical space of its room (Saal A, or both parts of the whole).
      const occ = await check.db.selectFrom('occupancy').select(['booking_id', 'space_id']).where('kind', '=', 'booking').execute();
      const approved = await check.db.selectFrom('bookings').select(['id', 'room_id']).where('status', '=', 'approved').executeTakeFirstOrThrow();
      const spaces = await check.db.selectFrom('room_spaces').select('space_id').where('room_id', '=', approved.room_id).execute();
      expect(occ.map((o) => o.booking_id)).toEqual(spaces.map(() => approved.id));
      expect(occ.map((o) => o.space_id).sort()).toEqual(spaces.map((s) => s.space_id).sort());
      expect(check.store.integrityCheck()).toBe('ok');
    } finally {
      await check.destroy();
    }
  }, 60_000);
});
