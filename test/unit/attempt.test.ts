// The savepoint helper: a clash inside a transaction undoes only the attempt, and the transaction goes on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type OpenedDatabase, type Trx } from '../../src/db/database.js';
import { attempt } from '../../src/db/attempt.js';

let opened: OpenedDatabase;

beforeEach(async () => {
  opened = openDatabase(':memory:');
  // A stand-in for the booking guard: a negative value is refused exactly as an overlapping booking is.
  await sql`CREATE TABLE items (value INTEGER NOT NULL)`.execute(opened.db);
  await sql`CREATE TRIGGER items_guard BEFORE INSERT ON items WHEN NEW.value < 0
    BEGIN SELECT RAISE(ABORT, 'RAUMBUCH_CLASH'); END`.execute(opened.db);
  await sql`CREATE TRIGGER items_broken BEFORE INSERT ON items WHEN NEW.value = 999
    BEGIN SELECT RAISE(ABORT, 'something else'); END`.execute(opened.db);
});
afterEach(async () => {
  await opened.db.destroy();
});

const put = (trx: Trx, value: number) => sql`INSERT INTO items (value) VALUES (${value})`.execute(trx);
const stored = async () => (await sql<{ value: number }>`SELECT value FROM items ORDER BY rowid`.execute(opened.db)).rows.map((r) => r.value);

describe('attempt', () => {
  it('reports a clash, undoes what the attempt wrote and lets the transaction go on', async () => {
    const result = await opened.db.transaction().execute(async (trx) => {
      await put(trx, 1);
      const r = await attempt(trx, async (t) => {
        await put(t, 2);
        await put(t, -1);
        return 'never';
      });
      await put(trx, 3);
      return r;
    });
    expect(result).toEqual({ ok: false, clash: true });
    expect(await stored()).toEqual([1, 3]);
  });

  it('returns the value and keeps the writes when there is no clash', async () => {
    const result = await opened.db.transaction().execute(async (trx) => {
      const r = await attempt(trx, async (t) => {
        await put(t, 2);
        return 'done';
      });
      await put(trx, 3);
      return r;
    });
    expect(result).toEqual({ ok: true, value: 'done' });
    expect(await stored()).toEqual([2, 3]);
  });

  it('throws any other error on, and the transaction it escapes from stores nothing', async () => {
    await expect(
      opened.db.transaction().execute(async (trx) => {
        await put(trx, 1);
        await attempt(trx, async (t) => {
          await put(t, 999);
        });
      }),
    ).rejects.toThrow('something else');
    expect(await stored()).toEqual([]);
  });

  it('undoes the attempt on another error when the caller catches it and goes on', async () => {
    await opened.db.transaction().execute(async (trx) => {
      await put(trx, 1);
      await expect(
        attempt(trx, async (t) => {
          await put(t, 2);
          await put(t, 999);
        }),
      ).rejects.toThrow('something else');
      await put(trx, 3);
    });
    expect(await stored()).toEqual([1, 3]);
  });

  it('nests: an inner clash undoes only the inner attempt, an outer clash undoes both', async () => {
    const results = await opened.db.transaction().execute(async (trx) => {
      const first = await attempt(trx, async (t) => {
        await put(t, 1);
        const inner = await attempt(t, async (u) => {
          await put(u, 2);
          await put(u, -2);
        });
        await put(t, 3);
        return inner;
      });
      const second = await attempt(trx, async (t) => {
        await put(t, 4);
        const inner = await attempt(t, async (u) => put(u, 5));
        expect(inner.ok).toBe(true);
        await put(t, -4);
      });
      return { first, second };
    });
    expect(results.first).toEqual({ ok: true, value: { ok: false, clash: true } });
    expect(results.second).toEqual({ ok: false, clash: true });
    expect(await stored()).toEqual([1, 3]);
  });
});
