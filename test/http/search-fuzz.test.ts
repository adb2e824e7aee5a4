// Hostile /search parameters: every answer is the page or a 400 with a message, never a 500, a stack trace or
// an unescaped payload, and a search never changes what is stored.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { rawQuery } from '../adversarial/payloads.js';
import { tableCounts } from '../adversarial/counts.js';
import { expectSaneAnswer } from '../adversarial/sane.js';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const PARAMS = ['date', 'weekday', 'start', 'end', 'attendees', 'equipment', 'repeat', 'lastDate', 'lang'];

describe('fuzzing /search', () => {
  let t: TestApp;
  let before: Record<string, number>;
  beforeAll(async () => {
    t = await makeTestApp({ demo: true });
    before = await tableCounts(t);
  });
  afterAll(async () => {
    expect(await tableCounts(t)).toEqual(before);
    await t.close();
  });

  it('never fails on hostile parameters', async () => {
    await fc.assert(
      fc.asyncProperty(rawQuery(PARAMS), async (q) => {
        const res = await t.request.get(`/search?${q}`);
        expectSaneAnswer(res, `/search?${q.slice(0, 200)}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('never fails on well-formed but unlikely wishes (any weekday, time and span)', async () => {
    const time = fc
      .integer({ min: 0, max: 96 })
      .map((q) => (q === 96 ? '24:00' : `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`));
    const date = fc.integer({ min: -400, max: 800 }).map((d) => new Date(Date.UTC(2026, 10, 23 + d)).toISOString().slice(0, 10));
    await fc.assert(
      fc.asyncProperty(date, time, time, fc.boolean(), date, async (first, start, end, weekly, last) => {
        const q = new URLSearchParams({ date: first, start, end, repeat: weekly ? 'weekly' : 'none', lastDate: last });
        const res = await t.request.get(`/search?${q.toString()}`);
        expectSaneAnswer(res, `/search?${q.toString()}`);
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: RUNS },
    );
  });
});
