// Backups with SQLite's online backup API (consistent while the app writes), their check before a
// restore, the restore itself, and the daily backups kept in BACKUP_DIR.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { migrations } from '../../db/migrations/index.js';
import { backupPace, executedMigrationsOf, SQLITE_SIDE_FILES, type DatabaseStore } from '../db/database.js';

/** Tables a Raumbuch database has from its first migration on. */
const OUR_TABLES = ['settings', 'rooms', 'requests', 'bookings', 'users', 'audit_log', 'outbox', 'kysely_migration'];

export class BackupCheckError extends Error {}

/** Files SQLite keeps beside a database while it is open or after a crash. */
const SIDE_FILES = SQLITE_SIDE_FILES;

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
  let raw: BetterSqlite3.Database;
  try {
    raw = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new BackupCheckError(`${file} cannot be opened as a database: ${(e as Error).message}`);
  }
  try {
    let integrity: string;
    try {
      integrity = String(raw.pragma('integrity_check', { simple: true }));
    } catch (e) {
      throw new BackupCheckError(`${file} is not a readable SQLite database: ${(e as Error).message}`);
    }
    if (integrity !== 'ok') throw new BackupCheckError(`${file} failed the integrity check: ${integrity}`);
    const tables = new Set(
      (raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name),
    );
    const missing = OUR_TABLES.filter((t) => !tables.has(t));
    if (missing.length) throw new BackupCheckError(`${file} is not a Raumbuch database (missing tables: ${missing.join(', ')})`);
    const executed = executedMigrationsOf(raw) ?? [];
    if (!executed.length) throw new BackupCheckError(`${file} has no migrations recorded`);
    const unknown = unknownMigrations(executed);
    if (unknown.length) {
      throw new BackupCheckError(`${file} comes from a newer Raumbuch version (unknown migrations: ${unknown.join(', ')})`);
    }
    const count = (t: string) => (raw.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    return { migrations: executed, requests: count('requests'), bookings: count('bookings') };
  } finally {
    raw.close();
  }
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
 * Opens the database to be replaced and takes SQLite's exclusive lock on it, held until the handle is
 * closed, or throws DatabaseInUseError. A running Raumbuch keeps the database open in WAL mode; even idle
 * it holds the WAL index (-shm) open, so `BEGIN EXCLUSIVE` alone would not notice it. Leaving WAL mode
 * needs every other connection gone, and fails with SQLITE_BUSY (busy timeout 0: no waiting) otherwise.
 */
function lockUnusedDatabase(target: string): BetterSqlite3.Database {
  let conn: BetterSqlite3.Database | undefined;
  try {
    conn = new BetterSqlite3(target, { fileMustExist: true, timeout: 0 });
    conn.pragma('locking_mode = EXCLUSIVE');
    const mode = String(conn.pragma('journal_mode = DELETE', { simple: true }));
    if (mode !== 'delete') throw Object.assign(new Error(`journal mode stays ${mode}`), { code: 'SQLITE_BUSY' });
    // In exclusive locking mode the lock taken here is kept until close: nobody opens it meanwhile.
    conn.exec('BEGIN EXCLUSIVE');
    conn.exec('COMMIT');
    return conn;
  } catch (e) {
    conn?.close();
    const code = String((e as { code?: unknown }).code ?? '');
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      throw new DatabaseInUseError(`${target} is in use by another process; stop Raumbuch first (systemctl stop raumbuch)`);
    }
    throw new BackupCheckError(
      `${target} cannot be opened to make sure nothing uses it (${(e as Error).message}); if it is damaged, move it away and restore again`,
    );
  }
}

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
  const lock = existsSync(target) ? lockUnusedDatabase(target) : undefined;
  let previousCopy: string | undefined;
  try {
    if (lock) {
      previousCopy = `${target}.before-restore-${fileStamp(now)}`;
      // Through the backup API from the locked handle: the -wal it folded in on opening is part of the copy.
      await lock.backup(previousCopy);
    }
    // Through the backup API as well, so a backup with its own -wal beside it is copied whole.
    const partial = `${target}.restoring`;
    rmSync(partial, { force: true });
    const backup = new BetterSqlite3(source, { readonly: true, fileMustExist: true });
    try {
      await backup.backup(partial);
    } finally {
      backup.close();
    }
    for (const suffix of SIDE_FILES) rmSync(`${target}${suffix}`, { force: true });
    renameSync(partial, target);
  } finally {
    lock?.close();
  }
  return { info, previousCopy };
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
  const copy = new BetterSqlite3(file);
  try {
    const outbox = copy.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'`).get();
    if (!outbox) return;
    copy.pragma('secure_delete = ON');
    copy.function('raumbuch_unlink', (text: unknown) => (typeof text === 'string' ? text.replace(/(\/requests\/)[A-Za-z0-9_-]{20,}/g, '$1…') : text));
    copy.prepare(`UPDATE outbox SET text_body = raumbuch_unlink(text_body), html_body = raumbuch_unlink(html_body) WHERE status = 'sent'`).run();
    copy.exec('VACUUM');
  } finally {
    copy.close();
  }
}

/** Size in bytes, for log lines. */
export function fileSize(file: string): number {
  return statSync(file).size;
}
