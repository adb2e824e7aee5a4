// The health report for monitoring: process up, database reachable and writable, migrations current, outbox
// backlog. Counts and states only: never personal data.
import { open, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sql } from 'kysely';
import { promptReadsOf, writeQueueBusy, type DB, type DatabaseStore } from '../db/database.js';
import { storageFailure, type StorageFailure } from '../errors.js';
import { missingMigrations } from '../db/migrate.js';

export interface Health {
  status: 'ok' | 'error';
  db: 'ok' | 'error';
  /** Can the database be written: 'full' (disk or database full), 'readonly', or another I/O 'error'. */
  storage: 'ok' | StorageFailure;
  migrations: 'current' | 'pending' | 'unknown';
  outbox: { pending: number; failed: number } | null;
  uptimeSeconds: number;
}

/** Bytes the probe writes: more than a few database pages, so a database that cannot grow says so. */
const PROBE_BYTES = 64 * 1024;

const FS_FAILURES: Record<string, StorageFailure> = { ENOSPC: 'full', EDQUOT: 'full', EROFS: 'readonly', EACCES: 'readonly', EPERM: 'readonly' };

/**
 * Writes and removes a little data, committed, in the database (a scratch row that needs new pages) and next
 * to its file (the disk itself: SQLite may still fit small commits into an existing WAL file on a full disk).
 * Reading works on a full disk, so only a write shows it; the answer follows the disk, so it is "ok" again by
 * itself once there is space.
 */
async function probeStorage(db: DB, databasePath: string | undefined): Promise<'ok' | StorageFailure> {
  try {
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('storage_probe').execute();
      await trx
        .insertInto('storage_probe')
        .values({ id: 1, data: sql<Buffer>`zeroblob(${PROBE_BYTES})` })
        .execute();
      await trx.deleteFrom('storage_probe').execute();
    });
  } catch (err) {
    return storageFailure(err) ?? 'error';
  }
  if (databasePath && databasePath !== ':memory:') {
    const file = join(dirname(databasePath), `.raumbuch-healthz-${process.pid}.tmp`);
    try {
      const fh = await open(file, 'w');
      try {
        await fh.write(Buffer.alloc(PROBE_BYTES));
        await fh.sync();
      } finally {
        await fh.close();
      }
    } catch (err) {
      return FS_FAILURES[(err as NodeJS.ErrnoException).code ?? ''] ?? 'error';
    } finally {
      await rm(file, { force: true }).catch(() => undefined);
    }
  }
  return 'ok';
}

/**
 * How long a successful write probe stands for: the probe is a committed write with an fsync under the write
 * lock, and a monitor (or a load balancer) polling /healthz often must not queue behind the bookings. A
 * failed probe is never reused as "ok": while it stands, each call probes again (or, during a burst, reports
 * the failure and probes in the background), so "ok again" shows as soon as there is space.
 */
export const PROBE_OK_FOR_MS = 10_000;

interface ProbeState {
  /** The last finished probe: when it ran and what it found. */
  last?: { at: number; storage: 'ok' | StorageFailure };
  /** A probe waiting for its turn behind queued transactions, started by a health call that did not wait. */
  pending?: Promise<'ok' | StorageFailure>;
}
const probes = new WeakMap<DB, ProbeState>();

/**
 * The storage part of the answer. A probe runs when the last one is stale (or failed). When transactions hold
 * or wait for the connection (a burst of bookings), the call does not queue behind them: it answers with the
 * last probe's result and leaves a probe in the queue, whose result the next call reports. Only the very first
 * probe of a process waits its turn (there is nothing to report yet).
 */
async function storageState(db: DB, databasePath: string | undefined, now: number): Promise<'ok' | StorageFailure> {
  let state = probes.get(db);
  if (!state) probes.set(db, (state = {}));
  const last = state.last;
  if (last?.storage === 'ok' && now >= last.at && now - last.at < PROBE_OK_FOR_MS) return 'ok';
  const run = () => {
    const probe = probeStorage(db, databasePath).then((storage) => {
      state.last = { at: now, storage };
      if (state.pending === probe) state.pending = undefined;
      return storage;
    });
    state.pending = probe;
    return probe;
  };
  if (last && writeQueueBusy(db)) {
    if (!state.pending) void run();
    return last.storage;
  }
  return state.pending ?? run();
}

/**
 * What /healthz proves, cheaply enough to be polled during a burst of bookings: the database answers a read
 * (the outbox counts), every migration this code knows is recorded (read from the migration table, not through
 * the migrator's table list), and it can be written (the probe, at most every PROBE_OK_FOR_MS while it succeeds).
 * Nothing queues behind waiting write transactions: the reads go past them (promptReadsOf), and the probe is
 * left in the queue while the call reports the last probe's result (storageState).
 */
export async function checkHealth(
  db: DB,
  uptimeSeconds: number,
  opts: { databasePath?: string; now?: number; store?: Pick<DatabaseStore, 'executedMigrations'> } = {},
): Promise<Health> {
  const health: Health = { status: 'ok', db: 'ok', storage: 'ok', migrations: 'unknown', outbox: null, uptimeSeconds: Math.round(uptimeSeconds) };
  const reads = promptReadsOf(db);
  try {
    await sql`SELECT 1`.execute(reads);
  } catch {
    return { ...health, status: 'error', db: 'error', storage: 'error' };
  }
  try {
    const executed = opts.store
      ? opts.store.executedMigrations()
      : (
          await reads
            .selectFrom('kysely_migration' as never)
            .select('name' as never)
            .execute()
        ).map((r) => (r as { name: string }).name);
    health.migrations = missingMigrations(executed).length ? 'pending' : 'current';
  } catch {
    health.migrations = 'unknown';
  }
  try {
    const rows = await reads
      .selectFrom('outbox')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', 'in', ['pending', 'failed'])
      .groupBy('status')
      .execute();
    health.outbox = {
      pending: Number(rows.find((r) => r.status === 'pending')?.n ?? 0),
      failed: Number(rows.find((r) => r.status === 'failed')?.n ?? 0),
    };
  } catch {
    health.db = 'error';
  }
  // Only with the migrations in place (the probe's table is one of them).
  if (health.migrations === 'current') {
    health.storage = await storageState(db, opts.databasePath, opts.now ?? Date.now());
  }
  if (health.db !== 'ok' || health.storage !== 'ok' || health.migrations !== 'current') health.status = 'error';
  return health;
}
