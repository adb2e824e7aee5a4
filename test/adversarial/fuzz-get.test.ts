// Every public GET parameter fuzzed: an answer is a valid page or a 4xx with a message in the user's
// language, never a 500 or a stack trace, and a GET never changes what is stored.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { rawQuery, rawValue } from './payloads.js';
import { tableCounts } from './counts.js';
import { expectSaneAnswer } from './sane.js';

// A real server, a browser or many requests: slower than a unit test, especially on a busy machine.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

describe('fuzzing the public GET parameters', () => {
  let t: TestApp;
  let before: Record<string, number>;
  beforeAll(async () => {
    t = await makeTestApp({ demo: true });
    before = await tableCounts(t);
  });
  afterAll(async () => {
    // Forms (the request form) start a session for their CSRF token, and the link limit counts unknown
    // manage links (rate_events); nothing else may change.
    const after = await tableCounts(t);
    for (const table of ['sessions', 'rate_events']) {
      delete after[table];
      delete before[table];
    }
    expect(after).toEqual(before);
    await t.close();
  });

  it('answers the pages with valid parameters (so the fuzzing reaches real routes)', async () => {
    for (const url of [
      '/week?date=2026-12-01',
      '/rooms/gruppenraum?date=2026-12-01',
      '/rooms/gruppenraum/month?month=2026-12',
      '/api/v1/availability?from=2026-12-01&to=2026-12-07&room=gruppenraum',
      '/requests/new?room=gruppenraum&date=2026-12-01&start=18:00&end=20:00',
    ]) {
      const res = await t.request.get(url);
      expect(res.status, url).toBe(200);
    }
  });

  it('refuses an impossible date with a 400 naming it', async () => {
    for (const url of ['/week?date=2026-02-30', '/week?date=2027-02-29', '/rooms/gruppenraum/month?month=2026-13']) {
      const res = await t.request.get(url);
      expect(res.status, url).toBe(400);
      expectSaneAnswer(res, url);
    }
  });

  const targets: [string, string, string[]][] = [
    ['house week', '/week', ['date', 'lang']],
    ['start page', '/', ['lang', 'date']],
    ['rooms', '/rooms', ['lang']],
    ['room week', '/rooms/gruppenraum', ['date', 'lang']],
    ['room month', '/rooms/gruppenraum/month', ['month', 'lang']],
    ['availability API', '/api/v1/availability', ['from', 'to', 'room']],
    ['request form prefill', '/requests/new', ['room', 'date', 'start', 'end', 'repeat', 'lang']],
    ['login page', '/login', ['next', 'lang']],
  ];
  for (const [name, path, params] of targets) {
    it(`never fails on hostile ${name} parameters (${params.join(', ')})`, async () => {
      await fc.assert(
        fc.asyncProperty(rawQuery(params), async (q) => {
          const res = await t.request.get(`${path}?${q}`);
          expectSaneAnswer(res, `${path}?${q.slice(0, 200)}`);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('never fails on hostile path segments (room slug, month, manage token, feed)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/rooms/', '/requests/', '/rooms/gruppenraum/', '/api/v1/'), rawValue, async (prefix, v) => {
        const url = prefix + v.replace(/%2F/gi, '/').slice(0, 4_000);
        const res = await t.request.get(url);
        expectSaneAnswer(res, url.slice(0, 200));
      }),
      { numRuns: RUNS },
    );
  });
});
