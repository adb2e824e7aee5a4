// Two processes with their own app on one database file try wrong passwords for one account at once: the
// limit is counted in the database under one write lock, so together they check no more than the limit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { bootstrap } from '../../src/bootstrap.js';
import { ACCOUNT_LIMIT } from '../../src/auth/login-limit.js';
import { runWorker } from '../helpers/workers.js';

const run = (args: string[]) => runWorker('concurrency/login-worker.ts', args);

describe('login limit across processes', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'raumbuch-login-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lets two processes together check no more passwords than the account limit', async () => {
    const file = join(dir, 'house.sqlite');
    const ctx = createContext(testConfig({ databasePath: file, adminEmail: 'admin@example.org', adminPassword: 'admin-password-123' }));
    await bootstrap(ctx);
    await ctx.destroy();

    const startAt = String(Date.now() + 4000);
    const results = await Promise.all([run([file, '40', startAt]), run([file, '40', startAt])]);
    for (const r of results) expect(r.code, r.err).toBe(0);
    const parsed = results.map((r) => JSON.parse(r.out) as { checked: number; refused: number; other: number[] });
    for (const p of parsed) expect(p.other).toEqual([]);
    const checked = parsed.reduce((s, p) => s + p.checked, 0);
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(ACCOUNT_LIMIT);
    expect(parsed.reduce((s, p) => s + p.refused, 0)).toBe(80 - checked);
  }, 90_000);
});
