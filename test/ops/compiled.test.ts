// Production runs the compiled JavaScript (issue 11.4): `npm run build` emits dist/ with source maps, and the
// compiled server starts a demo house, answers pages and stops cleanly on SIGTERM, without tsx.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startServer, type RunningServer } from '../helpers/server.js';

/** The Node options and environment the systemd unit starts Raumbuch with (docs/raumbuch.service). */
function unitStart(): { nodeArgs: string[]; env: Record<string, string> } {
  const unit = readFileSync(join(ROOT, 'docs/raumbuch.service'), 'utf8');
  const exec = /^ExecStart=\S+ (.*) dist\/src\/server\.js$/m.exec(unit);
  const env = Object.fromEntries([...unit.matchAll(/^Environment=(\w+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
  return { nodeArgs: exec ? exec[1]!.split(' ') : [], env };
}

describe('the compiled build', () => {
  let server: RunningServer;
  beforeAll(async () => {
    // Builds only when a source is newer than dist/ (what `npm start` does first).
    const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'built.mjs')], { cwd: ROOT, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    // Started as the systemd unit starts it (its Node options and environment: the heap flags of issue 16).
    const unit = unitStart();
    server = await startServer({ production: true, nodeArgs: unit.nodeArgs, env: unit.env });
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

  it('is started with the same memory settings by the systemd unit, npm start and the benchmark (issue 16)', () => {
    const unit = unitStart();
    expect(unit.nodeArgs).toContain('--enable-source-maps');
    // The heap is bounded and the C library gives large blocks back: what the memory figures in BENCHMARKS.md assume.
    expect(unit.nodeArgs.some((a) => /^--max-old-space-size=\d+$/.test(a))).toBe(true);
    expect(unit.nodeArgs.some((a) => /^--max-semi-space-size=\d+$/.test(a))).toBe(true);
    expect(unit.env.MALLOC_MMAP_THRESHOLD_).toBeDefined();
    const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
    const bench = readFileSync(join(ROOT, 'bench/run.ts'), 'utf8');
    for (const arg of unit.nodeArgs) expect(start).toContain(` ${arg}`);
    expect(start).toContain(`MALLOC_MMAP_THRESHOLD_=${unit.env.MALLOC_MMAP_THRESHOLD_}`);
    for (const arg of unit.nodeArgs.filter((a) => a.startsWith('--max-'))) expect(bench).toContain(`'${arg}'`);
    expect(bench).toContain(`MALLOC_MMAP_THRESHOLD_: '${unit.env.MALLOC_MMAP_THRESHOLD_}'`);
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
