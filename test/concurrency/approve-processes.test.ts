// Several Node processes approve competing requests on one database file at once: exactly one wins,
// because approval checks and writes under one BEGIN IMMEDIATE lock and the occupancy guard refuses the rest.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { ensureSettings } from '../../src/settings/repository.js';
import { aBooking, aRoom, aWholeRoom } from '../helpers/factories.js';
import { runWorker } from '../helpers/workers.js';

const run = (args: string[]) => runWorker('concurrency/approve-worker.ts', args);

describe('approving competing requests from several processes', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'raumbuch-approve-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lets exactly one of three processes win, in three rooms that share Saal A; the others are refused naming the winner', async () => {
    const file = join(dir, 'house.sqlite');
    const ctx = createContext(testConfig({ databasePath: file }));
    await migrateToLatest(ctx.db);
    await ensureSettings(ctx.db, ctx.clock);
    const user = await ctx.db
      .insertInto('users')
      .values({
        email: 'hv@example.org',
        name: 'HV',
        role: 'caretaker',
        password_hash: 'x',
        active: 1,
        must_change_password: 0,
        language: 'de',
        created_at: 0,
        updated_at: 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Großer Saal = Saal A + Saal B, "Saal A + Küche" = Saal A + Lehrküche, and Saal A itself: one space in common.
    const saalA = await aRoom(ctx.db, { name: 'Saal A' });
    const saalB = await aRoom(ctx.db, { name: 'Saal B' });
    const kueche = await aRoom(ctx.db, { name: 'Lehrküche' });
    const grosserSaal = await aWholeRoom(ctx.db, [saalA.id, saalB.id], { name: 'Großer Saal' });
    const saalAKueche = await aWholeRoom(ctx.db, [saalA.id, kueche.id], { name: 'Saal A + Küche' });
    const competitors = [];
    for (const [roomId, start, end] of [
      [grosserSaal.id, '18:00', '20:00'],
      [saalAKueche.id, '19:00', '21:00'],
      [saalA.id, '17:00', '19:30'],
    ] as const) {
      competitors.push(await aBooking(ctx.db, { roomId, date: '2026-12-03', start, end, status: 'pending' }));
    }
    await ctx.destroy();

    const startAt = String(Date.now() + 2500);
    const results = await Promise.all(competitors.map((c) => run([file, String(c.requestId), String(user.id), startAt])));
    for (const r of results) expect(r.code, r.err).toBe(0);
    const parsed = results.map((r) => JSON.parse(r.out) as { approved: number; refused: string[][] });
    expect(parsed.filter((p) => p.approved === 1)).toHaveLength(1);
    const winner = competitors[parsed.findIndex((p) => p.approved === 1)];
    for (const p of parsed.filter((x) => x.approved === 0)) expect(p.refused).toEqual([[winner!.reference]]);

    const check = createContext(testConfig({ databasePath: file }));
    const rows = await check.db.selectFrom('bookings').select(['id', 'status']).orderBy('id').execute();
    expect(rows.filter((r) => r.status === 'approved').map((r) => r.id)).toEqual([winner!.bookingId]);
    expect(rows.filter((r) => r.status === 'pending')).toHaveLength(2);
    const occ = await check.db.selectFrom('occupancy').select('booking_id').distinct().where('kind', '=', 'booking').execute();
    expect(occ).toEqual([{ booking_id: winner!.bookingId }]);
    await check.destroy();
  }, 60_000);
});
