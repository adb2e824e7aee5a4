// Keeps `npm run bench` runnable, so it cannot rot between the sessions that measure: the whole script at a
// tiny size and one second per line, printing its report without writing BENCHMARKS.md. No figure is judged
// here (speed is measured by the benchmark itself, not by tests); only that every line was measured with
// answers of the expected kind.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/server.js';

/**
 * Runs bench/run.ts with these variables, without blocking this worker (a minute of spawnSync kept vitest's own
 * messages from being answered: "Timeout calling onTaskUpdate").
 */
function runBench(env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts'], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('the benchmark script', () => {
  it('runs end to end at a small size and reports every line without errors', async () => {
    const before = readFileSync(join(ROOT, 'BENCHMARKS.md'), 'utf8');
    const r = await runBench({ BENCH_SIZES: '300', BENCH_DURATION: '1', BENCH_WRITE: '0', BENCH_AUDIT: '2000' });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    for (const line of [
      'reference: Express "hello"',
      'house week /week',
      'house week, rendered (no page cache)',
      'house week, rendered, cold (week cache off)',
      'house week, dense past week',
      '/healthz during the POST burst (1 connection)',
      'room page /rooms/gruppenraum',
      'availability API (one week)',
      'find a free room /search (weekly, 6 months)',
      'POST /requests',
      'staff inbox /admin (300 open requests)',
      'staff inbox, cold (list cache off)',
      'staff inbox, cold (list cache off), 1 connection',
      'staff week, cold (list cache off)',
      'staff week /admin/calendar',
      'staff audit log /admin/audit (2,000 entries)',
      'staff audit log /admin/audit (2,000 entries), filtered (requests, 30 days)',
    ]) {
      const row = r.stdout.split('\n').find((l) => l.startsWith('| 300 |') && l.includes(`| ${line} |`));
      expect(row, line).toBeDefined();
      // The last two columns: answers other than 2xx/3xx, and connection errors.
      expect(
        row!
          .trim()
          .split('|')
          .slice(-3, -1)
          .map((c) => c.trim()),
        line,
      ).toEqual(['0', '0']);
    }
    // Twenty logins at once during the run (the memory peak): every one answered.
    expect(r.stdout).toContain('300 bookings: 20 parallel logins (unknown accounts, each from its own address): 20 of 20 answered');
    // Start time and memory are reported too.
    expect(r.stdout).toMatch(/\| 300 \| \d+ ms \| \d+ MB \| \d+ MB \|/);
    expect(readFileSync(join(ROOT, 'BENCHMARKS.md'), 'utf8')).toBe(before);
  }, 300_000);

  it('compares the house week at the largest size with the smallest in interleaved rounds, and judges the target on them', async () => {
    const r = await runBench({
      BENCH_SIZES: '300,600',
      BENCH_ONLY: 'house week',
      BENCH_DURATION: '1',
      BENCH_ROUNDS: '2',
      BENCH_ROUND_SECONDS: '1',
      BENCH_WRITE: '0',
      BENCH_AUDIT: '100',
    });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toContain('**The house week at 600 against 300 bookings, interleaved**');
    for (const name of ['house week /week', 'house week, rendered (no page cache)', 'house week, rendered, cold (week cache off)']) {
      // what | req/s small | req/s big | ratio | per round (two rounds) | failed
      const row = r.stdout.split('\n').find((l) => l.startsWith(`| ${name} |`) && l.split('|').length === 8);
      expect(row, name).toBeDefined();
      const cells = row!.split('|').map((c) => c.trim());
      expect(Number(cells[2]), name).toBeGreaterThan(0);
      expect(Number(cells[3]), name).toBeGreaterThan(0);
      expect(cells[5]!.split(', '), name).toHaveLength(2);
      expect(cells[6], name).toBe('0');
    }
    // The target lines judge the interleaved figures, not the single runs.
    expect(r.stdout).toMatch(/- house week \/week at 600 bookings runs at \d+ % of its speed at 300, measured interleaved \(target ≥ 90 %\): (met|MISSED)/);
    expect(r.stdout).toMatch(
      /- house week, rendered \(no page cache\) at 600 bookings runs at \d+ % of its speed at 300, measured interleaved \(target ≥ 90 %\)/,
    );
  }, 300_000);
});
