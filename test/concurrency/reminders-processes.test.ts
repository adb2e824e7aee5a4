// Several Node processes run the reminders job on one database file at the same moment: every due date gets
// exactly one reminder and every account one daily summary, because each is recorded under a UNIQUE
// constraint in the BEGIN IMMEDIATE transaction that queues its mail.
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

describe('reminders from several processes at once', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'raumbuch-remind-proc-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('queues each reminder and each summary exactly once', async () => {
    const file = join(dir, 'house.sqlite');
    const ctx = createContext(testConfig({ databasePath: file }));
    await migrateToLatest(ctx.db);
    await ensureSettings(ctx.db, ctx.clock);
    for (const email of ['hv@example.org', 'admin@example.org']) {
      await ctx.db
        .insertInto('users')
        .values({ email, name: 'HV', role: 'caretaker', password_hash: 'x', active: 1, must_change_password: 0, language: 'de', created_at: 0, updated_at: 0 })
        .execute();
    }
    const room = await aRoom(ctx.db, { name: 'Saal' });
    const dates = [];
    for (const [date, start] of [
      ['2026-11-24', '10:00'],
      ['2026-11-24', '18:00'],
      ['2026-11-25', '09:00'],
      ['2026-11-25', '19:00'],
    ] as const) {
      dates.push(await aBooking(ctx.db, { roomId: room.id, date, start, end: `${String(Number(start.slice(0, 2)) + 1).padStart(2, '0')}:00` }));
    }
    await ctx.destroy();

    const startAt = String(Date.now() + 5000);
    const results = await Promise.all([1, 2, 3].map(() => runWorker('concurrency/reminders-worker.ts', [file, '2026-11-23T10:00:00+01:00', startAt])));
    for (const r of results) expect(r.code, r.err).toBe(0);
    const counts = results.map((r) => JSON.parse(r.out) as { reminders: number; summaries: number });
    expect(counts.reduce((s, c) => s + c.reminders, 0)).toBe(4);
    expect(counts.reduce((s, c) => s + c.summaries, 0)).toBe(2);

    const check = createContext(testConfig({ databasePath: file }));
    const mails = await check.db.selectFrom('outbox').select(['kind', 'to_address', 'request_id']).execute();
    const reminders = mails.filter((m) => m.kind === 'reminder.group');
    expect(reminders.map((m) => m.request_id).sort()).toEqual(dates.map((d) => d.requestId).sort());
    expect(
      mails
        .filter((m) => m.kind === 'reminder.summary')
        .map((m) => m.to_address)
        .sort(),
    ).toEqual(['admin@example.org', 'hv@example.org']);
    expect(await check.db.selectFrom('reminders').selectAll().execute()).toHaveLength(4);
    await check.destroy();
  }, 60_000);
});
