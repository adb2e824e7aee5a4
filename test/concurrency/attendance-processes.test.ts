// Several Node processes run the attendance mails on one database file at the same moment: every ended date gets
// exactly one mail (and one link), because each is recorded under a UNIQUE constraint in the BEGIN IMMEDIATE
// transaction that queues its mail.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { ensureSettings } from '../../src/settings/repository.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { runWorker } from '../helpers/workers.js';

describe('attendance mails from several processes at once', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'raumbuch-attend-proc-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('queues each date’s mail exactly once', async () => {
    const file = join(dir, 'house.sqlite');
    const ctx = createContext(testConfig({ databasePath: file }));
    await migrateToLatest(ctx.db);
    await ensureSettings(ctx.db, ctx.clock);
    const room = await aRoom(ctx.db, { name: 'Saal' });
    const dates = [];
    for (const [date, start, end] of [
      ['2026-11-22', '10:00', '11:00'],
      ['2026-11-22', '18:00', '20:00'],
      ['2026-11-23', '08:00', '09:00'],
      ['2026-11-23', '09:00', '10:00'],
    ] as const) {
      dates.push(await aBooking(ctx.db, { roomId: room.id, date, start, end, email: `${date}-${start}@example.org` }));
    }
    await ctx.destroy();

    const startAt = String(Date.now() + 5000);
    const results = await Promise.all([1, 2, 3].map(() => runWorker('concurrency/attendance-worker.ts', [file, '2026-11-23T10:00:00+01:00', startAt])));
    for (const r of results) expect(r.code, r.err).toBe(0);
    expect(results.reduce((s, r) => s + (JSON.parse(r.out) as { sent: number }).sent, 0)).toBe(4);

    const check = createContext(testConfig({ databasePath: file }));
    const mails = await check.db.selectFrom('outbox').select(['kind', 'request_id']).where('kind', '=', 'attendance.group').execute();
    expect(mails.map((m) => m.request_id).sort()).toEqual(dates.map((d) => d.requestId).sort());
    const links = await check.db.selectFrom('attendance_links').select('booking_id').execute();
    expect(links.map((l) => l.booking_id).sort()).toEqual(dates.map((d) => d.bookingId).sort());
    await check.destroy();
  }, 60_000);
});
