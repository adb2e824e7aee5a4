// Two server processes started at the same moment on a new database file both come up, and the database
// holds what one start would have made: one first admin, one set of settings, the demo house once.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { bootstrap } from '../../src/bootstrap.js';
import { cleanupDir, startServer, tempDir, type RunningServer } from '../helpers/server.js';

let dir: string;
const running: RunningServer[] = [];
beforeEach(() => {
  dir = tempDir('raumbuch-race-');
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  cleanupDir(dir);
});

async function demoRoomCount(): Promise<number> {
  const ctx = createContext(testConfig({ demo: true }));
  await bootstrap(ctx);
  const n = (await ctx.db.selectFrom('rooms').select('id').execute()).length;
  await ctx.destroy();
  return n;
}

describe('two processes starting at once on a new database', () => {
  it('both come up, every time, and the first admin and the demo house exist once', async () => {
    const rooms = await demoRoomCount();
    for (const round of [1, 2, 3, 4]) {
      const databasePath = join(dir, `round-${round}.sqlite`);
      // Odd rounds: a generated one-time password (the path that failed); even rounds: ADMIN_PASSWORD set.
      const env = round % 2 ? ({ ADMIN_EMAIL: undefined, ADMIN_PASSWORD: undefined } as unknown as Record<string, string>) : {};
      const started = await Promise.allSettled([startServer({ databasePath, env }), startServer({ databasePath, env })]);
      for (const s of started) if (s.status === 'fulfilled') running.push(s.value);
      const failures = started.filter((s) => s.status === 'rejected').map((s) => String(s.reason));
      expect(failures, `round ${round}`).toEqual([]);
      for (const s of running) expect((await fetch(`${s.url}/healthz`)).status, `round ${round}`).toBe(200);
      await Promise.all(running.splice(0).map((s) => s.stop()));

      const check = createContext(testConfig({ databasePath }));
      const admins = await check.db.selectFrom('users').select(['email', 'must_change_password']).execute();
      expect(admins, `round ${round}`).toHaveLength(1);
      expect(admins[0]!.must_change_password).toBe(round % 2 ? 1 : 0);
      expect((await check.db.selectFrom('rooms').select('id').execute()).length, `round ${round}`).toBe(rooms);
      await check.destroy();
    }
  }, 300_000);
});
