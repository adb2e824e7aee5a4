// Production runs the compiled JavaScript (issue 11.4): `npm run build` emits dist/ with source maps, and the
// compiled server starts a demo house, answers pages and stops cleanly on SIGTERM, without tsx.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startServer, type RunningServer } from '../helpers/server.js';

describe('the compiled build', () => {
  let server: RunningServer;
  beforeAll(async () => {
    // Builds only when a source is newer than dist/ (what `npm start` does first).
    const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'built.mjs')], { cwd: ROOT, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    server = await startServer({ production: true, nodeArgs: ['--enable-source-maps'] });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    server?.cleanup();
  });

  it('holds every entry point with its source map', () => {
    for (const f of ['dist/src/server.js', 'dist/src/server.js.map', 'dist/scripts/admin.js', 'dist/scripts/backup.js', 'dist/scripts/restore.js']) {
      expect(existsSync(join(ROOT, f)), f).toBe(true);
    }
  });

  it('serves the demo house from dist/ under NODE_ENV=production, without tsx loaded', async () => {
    const week = await fetch(`${server.url}/week?date=2026-12-07`);
    expect(week.status).toBe(200);
    expect(await week.text()).toContain('Großer Saal');
    const health = await (await fetch(`${server.url}/healthz`)).json();
    expect(health.status).toBe('ok');
    expect(server.output()).not.toMatch(/tsx/);
  });

  it('stops cleanly on SIGTERM', async () => {
    await server.stop();
    expect(server.proc.exitCode).toBe(0);
  });
});
