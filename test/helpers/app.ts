// Test app factory: a fresh in-memory database with the real migrations and a settable clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { afterEach } from 'vitest';
import type { Logger } from 'pino';
import supertest from 'supertest';
import { testConfig, type Config } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { bootstrap } from '../../src/bootstrap.js';
import { createApp } from '../../src/app.js';

export interface TestClock {
  (): Date;
  set(iso: string): void;
  advance(ms: number): void;
}

/** A clock fixed at `iso` (an instant, e.g. '2026-11-23T10:00:00+01:00') until set or advanced. */
export function fixedClock(iso: string): TestClock {
  let now = new Date(iso).getTime();
  const clock = (() => new Date(now)) as TestClock;
  clock.set = (v: string) => (now = new Date(v).getTime());
  clock.advance = (ms: number) => (now += ms);
  return clock;
}

export interface TestApp {
  app: Express;
  ctx: AppContext;
  clock: TestClock;
  request: ReturnType<typeof supertest>;
  close(): Promise<void>;
}

export const DEFAULT_NOW = '2026-11-23T10:00:00+01:00';

export async function makeTestApp(opts: { now?: string; demo?: boolean; config?: Partial<Config>; logger?: Logger } = {}): Promise<TestApp> {
  const clock = fixedClock(opts.now ?? DEFAULT_NOW);
  const config = testConfig({ demo: opts.demo ?? false, adminEmail: 'admin@example.org', adminPassword: 'admin-password-123', ...opts.config });
  const ctx = createContext(config, { clock, logger: opts.logger });
  const boot = await bootstrap(ctx);
  const app = createApp(ctx, { sessionSecret: boot.sessionSecret });
  return { app, ctx, clock, request: supertest(app), close: () => ctx.destroy() };
}

/** Reads the CSRF token from a page's form. */
export function csrfFrom(html: string): string {
  const m = html.match(/name="_csrf" value="([^"]+)"/);
  if (!m) throw new Error('no CSRF token in page');
  return m[1]!;
}

/** How many sessions are stored. */
export async function sessionRows(t: TestApp): Promise<number> {
  const row = await t.ctx.db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Test apps on a database file of their own (another process may open the same file), closed and removed after
 * each test. Call in a describe block; `open` makes the app for one test.
 */
export function appsOnFiles(prefix: string): { open(config?: Partial<Config>): Promise<{ t: TestApp; file: string }> } {
  let t: TestApp | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    t = dir = undefined;
  });
  return {
    async open(config = {}) {
      dir = mkdtempSync(join(tmpdir(), prefix));
      const file = join(dir, 'db.sqlite');
      t = await makeTestApp({ config: { databasePath: file, ...config } });
      return { t, file };
    },
  };
}
