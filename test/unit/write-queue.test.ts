// The one SQLite connection is handed out in turn (first come, first served). Issue 16: a burst of booking
// requests (each a transaction with an fsync on the main thread) must not run back to back without the event
// loop in between, and the health check's reads must not wait behind every queued write; neither may change
// what a transaction sees or let a read see what is not committed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, promptReadsOf, type OpenedDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

describe('the write queue and prompt reads', () => {
  let opened: OpenedDatabase;
  beforeEach(async () => {
    opened = openDatabase(':memory:');
    await migrateToLatest(opened.db);
  });
  afterEach(() => opened.db.destroy());

  const rows = async (db = opened.db) => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM storage_probe`.execute(db)).rows[0]!.n);

  /** A write transaction that reads the count, inserts the next row and records what it did. */
  const write = (i: number, log: string[]) =>
    opened.db.transaction().execute(async (trx) => {
      const before = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM storage_probe`.execute(trx)).rows[0]!.n);
      log.push(`write ${i} saw ${before}`);
      await trx
        .insertInto('storage_probe')
        .values({ id: i + 1, data: Buffer.from('x') })
        .execute();
    });

  it('runs queued transactions in arrival order, each alone, with the event loop turning between them', async () => {
    const log: string[] = [];
    const all = Array.from({ length: 6 }, (_, i) => write(i, log));
    // Something that arrives from outside (a request, a timer) while the writes wait.
    setImmediate(() => log.push('event loop'));
    await Promise.all(all);
    const writes = log.filter((l) => l.startsWith('write'));
    expect(writes).toEqual(Array.from({ length: 6 }, (_, i) => `write ${i} saw ${i}`));
    // Without the yield all six would run in one go before anything else could.
    expect(log.indexOf('event loop')).toBeGreaterThan(-1);
    expect(log.indexOf('event loop')).toBeLessThan(log.indexOf('write 5 saw 5'));
    expect(await rows()).toBe(6);
  });

  it('answers a prompt read while writes are queued, with only committed rows', async () => {
    const log: string[] = [];
    const all = Array.from({ length: 6 }, (_, i) => write(i, log));
    const seen = await new Promise<number>((resolve, reject) =>
      setImmediate(() => {
        rows(promptReadsOf(opened.db)).then(resolve, reject);
      }),
    );
    log.push(`read saw ${seen}`);
    await Promise.all(all);
    // The read was answered before the queue was through, and what it saw was a committed state.
    expect(log.indexOf(`read saw ${seen}`)).toBeLessThan(log.indexOf('write 5 saw 5'));
    expect(log).toContain(`write ${seen} saw ${seen}`);
  });

  it('makes a prompt read wait while a transaction is open, so it never sees uncommitted rows', async () => {
    let insideOpen!: () => void;
    const open = new Promise<void>((r) => (insideOpen = r));
    let finish!: () => void;
    const tx = opened.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('storage_probe')
        .values({ id: 1, data: Buffer.from('x') })
        .execute();
      insideOpen();
      // The transaction stays open across turns of the event loop (as one waiting for a file would).
      await new Promise<void>((r) => (finish = r));
    });
    await open;
    const read = rows(promptReadsOf(opened.db));
    let answered = false;
    void read.then(() => (answered = true));
    await new Promise((r) => setImmediate(r));
    expect(answered).toBe(false);
    finish();
    await tx;
    expect(await read).toBe(1);
  });

  it('refuses writes and transactions through the prompt path', async () => {
    const reads = promptReadsOf(opened.db);
    await expect(
      reads
        .insertInto('storage_probe')
        .values({ id: 9, data: Buffer.from('x') })
        .execute(),
    ).rejects.toThrow(/only read/);
    await expect(reads.transaction().execute(async () => undefined)).rejects.toThrow(/no transactions/);
    expect(await rows()).toBe(0);
  });
});
