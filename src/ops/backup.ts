// Backups: where and when they are written (the daily ones in BACKUP_DIR, the one before migrating), their check
// before a restore and the restore itself. The copying and reading of database files is src/db/database.ts's.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { migrations } from '../../db/migrations/index.js';
import {
  backupPace,
  DatabaseFileError,
  inspectDatabaseFile,
  replaceDatabaseFile,
  rewriteSentMailsInFile,
  type DatabaseFileInfo,
  type DatabaseStore,
} from '../db/database.js';

/** Tables a Raumbuch database has from its first migration on. */
const OUR_TABLES = ['settings', 'rooms', 'requests', 'bookings', 'users', 'audit_log', 'outbox', 'kysely_migration'];

export class BackupCheckError extends Error {}

/**
 * Copies the open database into `file` (see DatabaseStore.backup: consistent while writes go on, one
 * self-contained file). The folder must exist (a mistyped path is refused, not created).
 */
export async function backupTo(store: DatabaseStore, file: string): Promise<void> {
  const target = resolve(file);
  const dir = dirname(target);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new BackupCheckError(`the folder ${dir} does not exist`);
  await store.backup(target);
}

export { backupPace };

/** Names of executed migrations in a database that are not part of this code (it is from a newer version). */
export function unknownMigrations(executed: string[]): string[] {
  return executed.filter((name) => !(name in migrations));
}

export interface BackupInfo {
  migrations: string[];
  requests: number;
  bookings: number;
}

/** Checks that `file` is a sound Raumbuch database this version can use; throws BackupCheckError otherwise. */
export function checkBackupFile(file: string): BackupInfo {
  if (!existsSync(file)) throw new BackupCheckError(`${file} does not exist`);
  let found: DatabaseFileInfo;
  try {
    found = inspectDatabaseFile(file, ['requests', 'bookings']);
  } catch (e) {
    if (!(e instanceof DatabaseFileError)) throw e;
    throw new BackupCheckError(
      e.reason === 'open' ? `${file} cannot be opened as a database: ${e.message}` : `${file} is not a readable SQLite database: ${e.message}`,
    );
  }
  if (found.integrity !== 'ok') throw new BackupCheckError(`${file} failed the integrity check: ${found.integrity}`);
  const missing = OUR_TABLES.filter((t) => !found.tables.includes(t));
  if (missing.length) throw new BackupCheckError(`${file} is not a Raumbuch database (missing tables: ${missing.join(', ')})`);
  const executed = found.migrations ?? [];
  if (!executed.length) throw new BackupCheckError(`${file} has no migrations recorded`);
  const unknown = unknownMigrations(executed);
  if (unknown.length) {
    throw new BackupCheckError(`${file} comes from a newer Raumbuch version (unknown migrations: ${unknown.join(', ')})`);
  }
  return { migrations: executed, requests: found.rows.requests ?? 0, bookings: found.rows.bookings ?? 0 };
}

/** '20261123-101500' (UTC) for file names. */
export function fileStamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

export interface RestoreResult {
  info: BackupInfo;
  /** Where the database that was replaced was kept (none when there was none). */
  previousCopy?: string;
}

/** The database to be replaced is open in another process (a running Raumbuch, a backup in progress). */
export class DatabaseInUseError extends BackupCheckError {}

/**
 * Replaces the database at `databasePath` with the backup `file`. Refused while another process has the
 * database open (DatabaseInUseError): a running server would go on writing into the replaced file, and
 * what it wrote would be lost. The backup is checked first; the current database is kept as
 * `<databasePath>.before-restore-<stamp>`; no -wal/-shm of the old database stays next to the new one.
 */
export async function restoreFrom(file: string, databasePath: string, now: Date): Promise<RestoreResult> {
  const source = resolve(file);
  const target = resolve(databasePath);
  if (source === target) throw new BackupCheckError('the backup file is the database itself');
  const info = checkBackupFile(source);
  const previous = `${target}.before-restore-${fileStamp(now)}`;
  try {
    const kept = await replaceDatabaseFile(source, target, previous);
    return { info, previousCopy: kept ? previous : undefined };
  } catch (e) {
    if (!(e instanceof DatabaseFileError)) throw e;
    if (e.reason === 'in-use') {
      throw new DatabaseInUseError(`${target} is in use by another process; stop Raumbuch first (systemctl stop raumbuch)`);
    }
    throw new BackupCheckError(`${target} cannot be opened to make sure nothing uses it (${e.message}); if it is damaged, move it away and restore again`);
  }
}

const DAILY = /^raumbuch-(\d{4}-\d{2}-\d{2})\.sqlite$/;

/** The daily backup file of a local date. */
export function dailyBackupName(date: string): string {
  return `raumbuch-${date}.sqlite`;
}

/** Daily backups in the folder, newest first. */
export function listDailyBackups(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => DAILY.test(f))
    .sort()
    .reverse();
}

/**
 * Makes today's backup (if there is none yet) and removes the oldest daily backups beyond `keep`.
 * Returns the new file, or undefined when today's existed.
 */
export async function dailyBackup(store: DatabaseStore, dir: string, today: string, keep: number): Promise<string | undefined> {
  const file = join(dir, dailyBackupName(today));
  let made: string | undefined;
  if (!existsSync(file)) {
    // BACKUP_DIR is the operator's configured place for backups: it may be created on first use.
    mkdirSync(dir, { recursive: true });
    await backupTo(store, file);
    made = file;
  }
  for (const old of listDailyBackups(dir).slice(keep)) rmSync(join(dir, old), { force: true });
  return made;
}

/**
 * Before pending migrations run on an existing database: a copy into BACKUP_DIR, or next to the
 * database file when no folder is configured. Returns the file written.
 */
export async function backupBeforeMigration(store: DatabaseStore, databasePath: string, backupDir: string | undefined, now: Date): Promise<string> {
  const dir = backupDir ?? dirname(resolve(databasePath));
  const file = join(dir, `${basename(databasePath).replace(/\.sqlite$/, '')}-before-migration-${fileStamp(now)}.sqlite`);
  mkdirSync(dir, { recursive: true });
  await backupTo(store, file);
  scrubSentLinks(file);
  return file;
}

/**
 * Manage links in mails that were already sent are of no use to a restore, but would make this copy hold working
 * links (databases from before the links were encrypted): they are cut out of the copy and its free pages wiped.
 * Mails still waiting keep theirs, so the old version can still send them after a restore.
 */
function scrubSentLinks(file: string): void {
  rewriteSentMailsInFile(file, (text) => text.replace(/(\/requests\/)[A-Za-z0-9_-]{20,}/g, '$1…'));
}

/** Size in bytes, for log lines. */
export function fileSize(file: string): number {
  return statSync(file).size;
}
