// Checks before the server does anything: a writable database folder and a database this version knows.
// Each failure is one clear line for the operator; the server then exits without having started.
import { accessSync, constants, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { DatabaseStore } from '../db/database.js';
import { unknownMigrations } from './backup.js';
import { migrations } from '../../db/migrations/index.js';

export class StartupError extends Error {}

/** The folder of the database must exist (it is created) and take new files (SQLite writes -wal and -shm there). */
export function checkDatabaseFolder(databasePath: string): void {
  if (databasePath === ':memory:') return;
  const file = resolve(databasePath);
  const dir = dirname(file);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new StartupError(`database folder ${dir} cannot be created (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (!statSync(dir).isDirectory()) throw new StartupError(`database folder ${dir} is not a folder`);
  // A real write, not only access(): it also catches read-only mounts, where root passes access checks.
  const probe = join(dir, `.raumbuch-write-test-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (e) {
    throw new StartupError(`database folder ${dir} is not writable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (existsSync(file)) {
    try {
      accessSync(file, constants.R_OK | constants.W_OK);
    } catch {
      throw new StartupError(`database file ${file} is not writable`);
    }
  }
}

/** Refuses a database written by a newer Raumbuch (it lists migrations this code does not have). */
export function checkDatabaseVersion(store: Pick<DatabaseStore, 'executedMigrations'>): void {
  const unknown = unknownMigrations(store.executedMigrations() ?? []);
  if (unknown.length) {
    throw new StartupError(
      `the database comes from a newer Raumbuch version (unknown migrations: ${unknown.join(', ')}); update Raumbuch or restore an older backup`,
    );
  }
}

/** True when the database already holds data of an earlier version and migrations are about to change it. */
export function needsBackupBeforeMigration(store: Pick<DatabaseStore, 'executedMigrations'>): boolean {
  const executed = store.executedMigrations();
  if (!executed || executed.length === 0) return false;
  return Object.keys(migrations).some((name) => !executed.includes(name));
}
