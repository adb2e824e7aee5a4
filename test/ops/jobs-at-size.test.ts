// The jobs and list-taking queries at a real house's size: 200,000 bookings, 40,000 requests, 10,000
// distinct addresses (years of history). Each must finish, in bounded batches, and do exactly its job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/login.js';
import { BIG, bigAddress, seedBigHouse, type BigHouse } from '../helpers/big-house.js';
import { retentionCutoff, runRetention } from '../../src/ops/retention.js';
import { eraseAddress, findStoredData } from '../../src/privacy/service.js';
import { findOccupancyClashes } from '../../src/bookings/occupancy-clashes.js';

let t: TestApp;
let house: BigHouse;
beforeAll(async () => {
  t = await makeTestApp({ now: '2026-11-23T10:00:00+01:00' });
  house = seedBigHouse(t.ctx, '2026-11-20');
});
afterAll(() => t?.close());

const count = async (table: 'bookings' | 'requests' | 'outbox' | 'audit_log') =>
  Number(
    (
      await t.ctx.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('a house with 200,000 bookings and 10,000 addresses', () => {
  it('has the size it claims', async () => {
    expect(await count('bookings')).toBe(200_000);
    expect(await count('requests')).toBe(40_000);
    const addresses = await t.ctx.db
      .selectFrom('requests')
      .select((eb) => eb.fn.count('email').distinct().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(addresses.n)).toBe(10_000);
  });

  it('exports three years of bookings as CSV, every row once', async () => {
    const admin = await loginAs(t, 'admin');
    const from = '2023-11-23';
    const to = '2026-11-22';
    const expected = Number(
      (
        await t.ctx.db
          .selectFrom('bookings')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('local_date', '>=', from)
          .where('local_date', '<=', to)
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(expected).toBeGreaterThan(30_000);
    const res = await admin.agent
      .get(`/admin/export?from=${from}&to=${to}&status=all`)
      .buffer(true)
      .parse((r, cb) => {
        let s = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (s += c));
        r.on('end', () => cb(null, s));
      });
    expect(res.status).toBe(200);
    const lines = (res.body as string).split('\r\n').filter(Boolean);
    expect(lines.length).toBe(expected + 1);
    const refs = lines.slice(1).map((l) => l.split(';')[0]);
    // Time order across the batches: the first and last rows are the earliest and latest bookings of the range.
    expect(lines[1]).toContain(from.slice(0, 4));
    expect(new Set(lines.slice(1)).size).toBe(expected);
    expect(refs.every((r) => r!.startsWith('HdB-BIG-'))).toBe(true);
  });

  it('names every approved booking a house-wide block over the whole history would meet', async () => {
    const approved = Number(
      (
        await t.ctx.db
          .selectFrom('bookings')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('status', '=', 'approved')
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(approved).toBeGreaterThan(40_000);
    const clashes = await findOccupancyClashes(t.ctx.db, {
      roomId: null,
      kind: 'block',
      start: Date.parse(`${house.firstDate}T00:00:00Z`) - 86_400_000,
      end: Date.parse(`${house.lastDate}T00:00:00Z`) + 2 * 86_400_000,
    });
    expect(clashes.filter((c) => c.kind === 'booking')).toHaveLength(approved);
  });

  it('finds and exports everything stored about one address', async () => {
    const email = bigAddress(1234);
    const data = await findStoredData(t.ctx.db, email);
    expect(data.requests.map((r) => r.reference)).toEqual(['HdB-BIG-1234', 'HdB-BIG-11234', 'HdB-BIG-21234', 'HdB-BIG-31234']);
    expect(data.requests.every((r) => r.bookings.length === BIG.datesPerRequest)).toBe(true);
    expect(data.mails).toHaveLength(4);
    expect(data.audit.filter((e) => e.action === 'request.create')).toHaveLength(4);
  });

  it('erases one address completely and leaves the other 9,999 alone', async () => {
    const email = bigAddress(4321);
    const before = await count('outbox');
    const result = await eraseAddress(t.ctx.db, email, { userId: 1, now: t.clock().getTime() });
    expect(result.requests).toBe(4);
    const after = await findStoredData(t.ctx.db, email);
    expect(after.requests.every((r) => r.email === '' && r.contact_name === '')).toBe(true);
    expect(after.mails).toHaveLength(0);
    expect(after.audit.some((e) => e.details.includes(email) || e.details.includes('Kontakt 4321'))).toBe(false);
    expect(await count('outbox')).toBe(before - 4);
  });

  it('runs the retention job in bounded batches and anonymises exactly the expired requests', async () => {
    const cutoff = retentionCutoff(t.clock(), 'Europe/Berlin', 6);
    // The model: a request expires when its last date ended before the cutoff (the erased ones are done already).
    const erased = new Set((await t.ctx.db.selectFrom('requests').select('id').where('anonymized_at', 'is not', null).execute()).map((r) => r.id));
    const expired = [...house.lastEnd].filter(([id, end]) => end < cutoff && !erased.has(id)).map(([id]) => id);
    const kept = [...house.lastEnd].filter(([, end]) => end >= cutoff).map(([id]) => id);
    expect(expired.length).toBeGreaterThan(35_000);
    expect(kept.length).toBeGreaterThan(500);

    const batches: number[] = [];
    const started = Date.now();
    const result = await runRetention(t.ctx.db, t.clock, {
      onBatch: async (n) => {
        batches.push(n);
        // Between two batches no write transaction is open: another writer gets in at once.
        await t.ctx.db
          .insertInto('sessions')
          .values({ sid: `between-${batches.length}`, expires_at: 0, data: '{}' })
          .execute();
      },
    });
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(result.anonymized).toBe(expired.length);
    expect(batches.length).toBeGreaterThan(10);
    expect(Math.max(...batches)).toBeLessThanOrEqual(1000);

    const left = await t.ctx.db.selectFrom('requests').select(['id', 'email', 'anonymized_at']).execute();
    const expiredSet = new Set(expired);
    for (const r of left) {
      if (expiredSet.has(r.id) || erased.has(r.id)) expect(r.email).toBe('');
      else expect(r.email).toBe(house.emailOf.get(r.id));
    }
    // The mails of expired requests are gone; those of current requests (of the same addresses, too) stay.
    const mails = await t.ctx.db.selectFrom('outbox').select(['request_id', 'to_address']).execute();
    expect(mails.every((m) => m.request_id !== null && !expiredSet.has(m.request_id))).toBe(true);
    expect(mails.length).toBe(kept.length - [...erased].filter((id) => kept.includes(id)).length);
    // No decision message or audit text of an expired request names its person any more.
    const messages = await t.ctx.db.selectFrom('bookings').select('request_id').where('decision_message', 'is not', null).execute();
    expect(messages.every((m) => !expiredSet.has(m.request_id))).toBe(true);
    const entries = await t.ctx.db.selectFrom('audit_log').select(['entity_id', 'details']).where('entity', '=', 'request').execute();
    for (const e of entries) {
      if (e.entity_id !== null && expiredSet.has(e.entity_id)) expect(e.details).not.toMatch(/Kontakt|@/);
    }
    // The anonymous facts stay for statistics.
    expect(await count('bookings')).toBe(200_000);
    // A second run finds nothing left to do.
    expect((await runRetention(t.ctx.db, t.clock)).anonymized).toBe(0);
  });
});
