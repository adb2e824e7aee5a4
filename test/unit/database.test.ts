import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { COMMITS_PER_CHECKPOINT, PAGE_CACHE_KIB, isClashError, openDatabase, type OpenedDatabase, sqliteHandleForTests } from '../../src/db/database.js';
import { migrateToLatest, pendingMigrations } from '../../src/db/migrate.js';
import { aBlockedTime, aBooking, aRoom, aWholeRoom } from '../helpers/factories.js';

describe('the database', () => {
  let opened: OpenedDatabase | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await opened?.db.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
    opened = undefined;
    dir = undefined;
  });

  async function fileDb() {
    dir = mkdtempSync(join(tmpdir(), 'raumbuch-db-'));
    opened = openDatabase(join(dir, 'test.sqlite'));
    await migrateToLatest(opened.db);
    return opened.db;
  }

  it('runs in WAL mode with synchronous=FULL, foreign keys and a busy timeout', async () => {
    await fileDb();
    expect(sqliteHandleForTests(opened!).pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqliteHandleForTests(opened!).pragma('synchronous', { simple: true })).toBe(2);
    expect(sqliteHandleForTests(opened!).pragma('foreign_keys', { simple: true })).toBe(1);
    expect(Number(sqliteHandleForTests(opened!).pragma('busy_timeout', { simple: true }))).toBeGreaterThanOrEqual(5000);
  });

  it('keeps a small page cache (SQLite default 2 MiB, not the 16 MiB better-sqlite3 builds with: issue 16, memory)', async () => {
    await fileDb();
    expect(PAGE_CACHE_KIB).toBeLessThanOrEqual(4000);
    expect(sqliteHandleForTests(opened!).pragma('cache_size', { simple: true })).toBe(-PAGE_CACHE_KIB);
  });

  it('has run every migration', async () => {
    const db = await fileDb();
    expect(await pendingMigrations(db)).toEqual([]);
  });

  it('opens write transactions with BEGIN IMMEDIATE (the write lock is taken at the start)', async () => {
    const db = await fileDb();
    const other = openDatabase(join(dir!, 'test.sqlite'));
    sqliteHandleForTests(other).pragma('busy_timeout = 0');
    try {
      await db.transaction().execute(async (trx) => {
        await sql`SELECT 1`.execute(trx); // no write yet: a plain BEGIN would not hold the lock here
        expect(() => sqliteHandleForTests(other).prepare('BEGIN IMMEDIATE').run()).toThrow(/locked|busy/i);
      });
    } finally {
      sqliteHandleForTests(other).close();
    }
  });

  it('refuses an approved booking that overlaps another in the same room, but not touching ones', async () => {
    const db = await fileDb();
    const room = await aRoom(db);
    await aBooking(db, { roomId: room.id, date: '2026-12-01', start: '10:00', end: '12:00' });
    await aBooking(db, { roomId: room.id, date: '2026-12-01', start: '12:00', end: '14:00' });
    const err = await aBooking(db, { roomId: room.id, date: '2026-12-01', start: '11:00', end: '13:00' }).catch((e) => e);
    expect(isClashError(err)).toBe(true);
  });

  it('widens approved bookings by the room buffers', async () => {
    const db = await fileDb();
    const room = await aRoom(db, { bufferAfterMin: 30 });
    await aBooking(db, { roomId: room.id, date: '2026-12-01', start: '10:00', end: '12:00' });
    const err = await aBooking(db, { roomId: room.id, date: '2026-12-01', start: '12:15', end: '13:00' }).catch((e) => e);
    expect(isClashError(err)).toBe(true);
    await aBooking(db, { roomId: room.id, date: '2026-12-01', start: '12:30', end: '13:00' });
  });

  it('blocks the parts when the whole is booked and the whole when a part is booked', async () => {
    const db = await fileDb();
    const a = await aRoom(db);
    const b = await aRoom(db);
    const whole = await aWholeRoom(db, [a.id, b.id]);
    await aBooking(db, { roomId: a.id, date: '2026-12-01', start: '10:00', end: '12:00' });
    await aBooking(db, { roomId: b.id, date: '2026-12-01', start: '10:00', end: '12:00' }); // the other part is free
    const err = await aBooking(db, { roomId: whole.id, date: '2026-12-01', start: '11:00', end: '13:00' }).catch((e) => e);
    expect(isClashError(err)).toBe(true);
    await aBooking(db, { roomId: whole.id, date: '2026-12-02', start: '11:00', end: '13:00' });
    const err2 = await aBooking(db, { roomId: b.id, date: '2026-12-02', start: '12:00', end: '14:00' }).catch((e) => e);
    expect(isClashError(err2)).toBe(true);
  });

  it('lets pending requests overlap each other and approved bookings, but not a pending one become approved over a clash', async () => {
    const db = await fileDb();
    const room = await aRoom(db);
    await aBooking(db, { roomId: room.id, status: 'approved' });
    const p = await aBooking(db, { roomId: room.id, status: 'pending' });
    await aBooking(db, { roomId: room.id, status: 'pending' });
    const err = await db
      .updateTable('bookings')
      .set({ status: 'approved' })
      .where('id', '=', p.bookingId)
      .execute()
      .catch((e) => e);
    expect(isClashError(err)).toBe(true);
    const row = await db.selectFrom('bookings').select('status').where('id', '=', p.bookingId).executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
  });

  it('frees the slot when an approved booking is cancelled', async () => {
    const db = await fileDb();
    const room = await aRoom(db);
    const first = await aBooking(db, { roomId: room.id });
    await db.updateTable('bookings').set({ status: 'cancelled' }).where('id', '=', first.bookingId).execute();
    await aBooking(db, { roomId: room.id });
  });

  it('refuses a booking in a blocked time, in the whole house and in a room new after the block', async () => {
    const db = await fileDb();
    const room = await aRoom(db);
    await aBlockedTime(db, { from: '2026-12-24' });
    const err = await aBooking(db, { roomId: room.id, date: '2026-12-24' }).catch((e) => e);
    expect(isClashError(err)).toBe(true);
    const later = await aRoom(db);
    const err2 = await aBooking(db, { roomId: later.id, date: '2026-12-24' }).catch((e) => e);
    expect(isClashError(err2)).toBe(true);
    await aBooking(db, { roomId: later.id, date: '2026-12-23' });
  });

  it('refuses a blocked time over an approved booking, but lets blocks overlap each other', async () => {
    const db = await fileDb();
    const room = await aRoom(db);
    await aBooking(db, { roomId: room.id, date: '2026-12-01' });
    const err = await aBlockedTime(db, { roomId: room.id, from: '2026-12-01' }).catch((e) => e);
    expect(isClashError(err)).toBe(true);
    await aBlockedTime(db, { roomId: room.id, from: '2026-12-05' });
    await aBlockedTime(db, { roomId: null, from: '2026-12-05' });
  });

  it('refuses changing buffers when that would make approved bookings overlap', async () => {
    const db = await fileDb();
    const room = await aRoom(db);
    await aBooking(db, { roomId: room.id, start: '10:00', end: '12:00' });
    await aBooking(db, { roomId: room.id, start: '12:00', end: '14:00' });
    const err = await db
      .updateTable('rooms')
      .set({ buffer_after_min: 15 })
      .where('id', '=', room.id)
      .execute()
      .catch((e) => e);
    expect(isClashError(err)).toBe(true);
  });

  it('refuses joining two rooms into a whole when their bookings would then overlap', async () => {
    const db = await fileDb();
    const a = await aRoom(db);
    const whole = await aRoom(db);
    await aBooking(db, { roomId: a.id });
    await aBooking(db, { roomId: whole.id });
    const err = await db
      .insertInto('room_parts')
      .values({ whole_id: whole.id, part_id: a.id })
      .execute()
      .catch((e) => e);
    expect(isClashError(err)).toBe(true);
  });
});

// Issue 16: SQLite's own checkpoint runs inside the COMMIT that takes the WAL past 1,000 pages, on the event
// loop; during a burst of bookings the server stalls for its page copies and fsync. A thread of its own does it.
describe('the background checkpoint', () => {
  let opened: OpenedDatabase | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await opened?.db.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
    opened = undefined;
    dir = undefined;
  });

  async function fileDb() {
    dir = mkdtempSync(join(tmpdir(), 'raumbuch-ckpt-'));
    opened = openDatabase(join(dir, 'test.sqlite'));
    await migrateToLatest(opened.db);
    return opened.db;
  }

  const aWrite = (db: OpenedDatabase['db'], i: number) =>
    db.transaction().execute(async (trx) => {
      await trx
        .insertInto('storage_probe')
        .values({ id: i, data: Buffer.alloc(8192, i % 251) })
        .execute();
    });

  it('folds the write-ahead log into the database file off the event loop during a burst of writes', async () => {
    const db = await fileDb();
    // Whatever SQLite would fold in by itself is left to the thread (the safety net would otherwise do it).
    sqliteHandleForTests(opened!).pragma('wal_autocheckpoint = 0');
    expect(opened!.store.checkpointStats()).toMatchObject({ runs: 0, framesCopied: 0 });
    for (let i = 1; i <= 3 * COMMITS_PER_CHECKPOINT; i++) await aWrite(db, i);
    await opened!.store.checkpointSettled();
    const stats = opened!.store.checkpointStats();
    expect(stats.runs).toBeGreaterThanOrEqual(1);
    expect(stats.framesCopied).toBeGreaterThan(0);
    // What the thread copied is in the file: another connection reads every row, each intact.
    const other = openDatabase(join(dir!, 'test.sqlite'));
    try {
      const rows = await other.db.selectFrom('storage_probe').select(['id', 'data']).orderBy('id').execute();
      expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 3 * COMMITS_PER_CHECKPOINT }, (_, i) => i + 1));
      expect(rows.every((r) => Buffer.from(r.data).equals(Buffer.alloc(8192, r.id % 251)))).toBe(true);
    } finally {
      await other.db.destroy();
    }
  });

  it('ends its thread when the database closes', async () => {
    const db = await fileDb();
    for (let i = 1; i <= COMMITS_PER_CHECKPOINT; i++) await aWrite(db, i);
    expect(opened!.store.checkpointStats().running).toBe(true);
    await db.destroy();
    expect(opened!.store.checkpointStats().running).toBe(false);
    opened = undefined;
  });

  it('runs no thread for an in-memory database', async () => {
    opened = openDatabase(':memory:');
    await migrateToLatest(opened.db);
    for (let i = 1; i <= 2 * COMMITS_PER_CHECKPOINT; i++) await aWrite(opened.db, i);
    expect(opened.store.checkpointStats()).toEqual({ runs: 0, framesCopied: 0, running: false });
  });
});
