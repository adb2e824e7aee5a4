// Runs the migrations in db/migrations with Kysely's Migrator.
import { Migrator } from 'kysely';
import { migrations } from '../../db/migrations/index.js';
import type { DB } from './database.js';

export class MigrationError extends Error {}

export async function migrateToLatest(db: DB): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const msg = error instanceof Error ? error.message : JSON.stringify(error);
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

/** Names of migrations this code knows that are not among `executed` (the names a database has recorded). */
export function missingMigrations(executed: readonly string[] | null): string[] {
  const done = new Set(executed ?? []);
  return Object.keys(migrations)
    .sort()
    .filter((name) => !done.has(name));
}

// The lock is a file lock of SQLite's: it lives with the handle in ./database.ts.
export { withStartupLock } from './database.js';
