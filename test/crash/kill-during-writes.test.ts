// Durability: the server is killed with SIGKILL while groups are sending requests. After a restart on the
// same file every request that had been answered with success (303 to its manage link) is still there,
// with its dates, and SQLite's integrity check is ok.
import { afterAll, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { startServer, type RunningServer } from '../helpers/server.js';
import { HttpClient } from '../helpers/http-client.js';
import { addDays, todayIn, weekStart, systemClock } from '../../src/time/index.js';

const WRITERS = 4;
const BEFORE_KILL = 25;

describe('a crash while requests are being written', () => {
  const servers: RunningServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.kill();
    servers[0]?.cleanup();
  });

  it('keeps every request that was answered with success, and the database stays intact', async () => {
    // TRUST_PROXY lets each writer look like another address, so the per-address limit on requests does not interfere.
    const first = await startServer({ demo: true, env: { TRUST_PROXY: '1' } });
    servers.push(first);
    const base = {
      room: 'lehrkueche',
      start: '10:00',
      end: '12:00',
      repeat: 'none',
      everyWeeks: '1',
      lastDate: '',
      category: 'education',
      attendees: '6',
      contactName: 'Test Person',
      email: 'crash@example.org',
      acceptRules: 'on',
      acceptPrivacy: 'on',
      action: 'send',
    };
    // A free morning in the teaching kitchen in two weeks (a holiday or closure would refuse every request).
    const probe = new HttpClient(first.url, { 'x-forwarded-for': '10.99.0.1' });
    const probeToken = await probe.csrf('/requests/new');
    let date = '';
    for (let d = 0; d < 14 && !date; d++) {
      const candidate = addDays(weekStart(todayIn(systemClock, 'Europe/Berlin')), 14 + d);
      const r = await probe.post('/requests', { ...base, date: candidate, title: `Probe ${d}`, _csrf: probeToken });
      if (r.status === 303) date = candidate;
    }
    expect(date, 'a date the house accepts requests for').not.toBe('');

    const answered: { title: string; token: string }[] = [];
    const unexpected: number[] = [];
    let stop = false;
    let n = 0;
    const writer = async (w: number) => {
      const client = new HttpClient(first.url);
      const csrf = await client.csrf('/requests/new');
      while (!stop) {
        const i = n++;
        client.headers['x-forwarded-for'] = `10.${w}.${(i >> 8) & 255}.${i & 255}`;
        const title = `Absturztest ${w}-${i}`;
        try {
          const r = await client.post('/requests', { ...base, date, title, _csrf: csrf });
          const token = r.location?.match(/^\/requests\/([A-Za-z0-9_-]+)\?created=1$/)?.[1];
          if (r.status === 303 && token) answered.push({ title, token });
          else unexpected.push(r.status);
        } catch {
          // The connection died with the server: this request may or may not have been stored.
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
    const deadline = Date.now() + 30_000;
    while (answered.length < BEFORE_KILL && Date.now() < deadline && unexpected.length === 0) await new Promise((r) => setTimeout(r, 20));
    await first.kill();
    stop = true;
    await Promise.all(writers);
    expect(unexpected).toEqual([]);
    expect(first.proc.signalCode).toBe('SIGKILL');
    expect(answered.length).toBeGreaterThanOrEqual(BEFORE_KILL);

    const again = await startServer({ databasePath: first.databasePath, demo: true });
    servers.push(again);
    const reader = new HttpClient(again.url);
    for (const a of answered) {
      const page = await reader.get(`/requests/${a.token}`);
      expect(page.status, a.title).toBe(200);
      expect(page.text, a.title).toContain(a.title);
    }
    await again.stop();

    const db = new BetterSqlite3(first.databasePath, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const rows = db
        .prepare(
          `SELECT r.title, count(b.id) AS dates FROM requests r LEFT JOIN bookings b ON b.request_id = r.id WHERE r.title LIKE 'Absturztest %' GROUP BY r.id`,
        )
        .all() as { title: string; dates: number }[];
      const stored = new Map(rows.map((r) => [r.title, r.dates]));
      for (const a of answered) expect(stored.get(a.title), a.title).toBe(1);
    } finally {
      db.close();
    }
  }, 120_000);
});
