// Runs the migrations in db/migrations with Kysely's Migrator.
import BetterSqlite3 from 'better-sqlite3';
import { Migrator } from 'kysely';
import { migrations } from '../../db/migrations/index.js';
import type { DB } from './database.js';

export class MigrationError extends Error {}

export async function migrateToLatest(db: DB): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const msg = error instanceof Error ? error.message : String(error);
    // A database written by a newer Raumbuch has migrations this version does not know.
    throw new MigrationError(`Database migration failed: ${msg}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of migrations this code knows that the database has not run yet (for /healthz). */
export async function pendingMigrations(db: DB): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const all = await migrator.getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}

/**
 * Runs `fn` while holding a lock that other Raumbuch processes on the same database file wait for: the
 * exclusive lock of a small SQLite file next to it (`<database>.startup-lock`). Kysely runs SQLite migrations
 * outside a transaction, so two processes starting at once on a new database would both run them; under this
 * lock the second finds them done. The operating system releases the lock if a process dies holding it.
 */
export async function withStartupLock<T>(databasePath: string, fn: () => Promise<T>): Promise<T> {
  if (databasePath === ':memory:' || databasePath === '') return fn();
  const lock = new BetterSqlite3(`${databasePath}.startup-lock`);
  try {
    // Waits (blocking: nothing else runs yet at startup) while another process migrates.
    lock.pragma('busy_timeout = 300000');
    lock.exec('BEGIN EXCLUSIVE');
    try {
      return await fn();
    } finally {
      lock.exec('COMMIT');
    }
  } finally {
    lock.close();
  }
}
