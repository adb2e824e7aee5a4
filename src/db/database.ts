// The one module that holds the SQLite handle (better-sqlite3): it opens the file with the pragmas a booking
// system needs and checks them, puts Kysely in front of it, and offers the few things Kysely cannot do as a
// small typed DatabaseStore (online backup, WAL checkpoint, page-cache freshness, the migrations a file has).
// It also copies, checks and replaces database files for backups and restores, and holds the startup lock.
// No other module imports better-sqlite3; moving to another database means replacing this module and the dialect.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve as resolvePath } from 'node:path';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  type Transaction,
} from 'kysely';
import type { Database } from './schema.js';

export type DB = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Either the database or a transaction: every repository function takes this first. */
export type Conn = Kysely<Database>;

/** Counts statements that may have written through this handle (for page caches; see dataVersion). */
interface WriteCounter {
  n: number;
  /** Called after a write became durable (a COMMIT, or a write outside a transaction). */
  committed?: () => void;
}

/** Write commits between two background checkpoints: with ~25 pages a booking request, about 250 pages each. */
export const COMMITS_PER_CHECKPOINT = 10;
/** The checkpoint thread ends after this long without work, so an idle server holds no second thread. */
const CHECKPOINTER_IDLE_MS = 30_000;

/** What the checkpoint thread runs: its own connection, PASSIVE checkpoints on request (CommonJS, eval'd). */
const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 0');
parentPort.on('message', (m) => {
  if (m === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  let result = null;
  try {
    result = db.pragma('wal_checkpoint(PASSIVE)')[0];
  } catch (e) {
    result = { error: String(e && e.message) };
  }
  parentPort.postMessage(result);
});
`;

export interface CheckpointStats {
  /** Checkpoints the background thread ran. */
  runs: number;
  /** WAL frames it copied into the database file (summed over runs). */
  framesCopied: number;
  /** Whether the thread is running now. */
  running: boolean;
}

/**
 * Folds the write-ahead log into the database file on a thread of its own, with its own connection, so the
 * checkpoint's page copies and its fsync of the database file do not run on the event loop. Without it, SQLite
 * checkpoints inside the COMMIT that takes the WAL past 1,000 pages (wal_autocheckpoint): during a burst of
 * booking requests (~25 pages each) that is a stall of one copy and one fsync every ~40 requests, which every
 * other request of the server waits out. PASSIVE checkpoints neither wait for nor block writers or readers; the
 * next write after a complete one starts the WAL from the front again. SQLite's own autocheckpoint stays on as
 * the safety net (it finds little left to copy, or the checkpoint lock taken and skips). The thread starts at
 * the first burst of writes and ends when idle.
 */
class BackgroundCheckpointer {
  #worker?: Worker;
  #commits = 0;
  #inFlight = false;
  #idleTimer?: NodeJS.Timeout;
  #stopped = false;
  readonly stats: CheckpointStats = { runs: 0, framesCopied: 0, running: false };
  #waiters: (() => void)[] = [];

  constructor(private readonly file: string) {}

  committed(): void {
    if (this.#stopped || ++this.#commits < COMMITS_PER_CHECKPOINT || this.#inFlight) return;
    this.#request();
  }

  #request(): void {
    this.#commits = 0;
    this.#inFlight = true;
    clearTimeout(this.#idleTimer);
    this.#ensure().postMessage('checkpoint');
  }

  #ensure(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(CHECKPOINTER_SOURCE, {
      eval: true,
      workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file: this.file },
      // A small thread: it holds one connection and runs one pragma.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });
    worker.unref();
    worker.on('message', (r: { log?: number; checkpointed?: number; error?: string } | null) => {
      this.#inFlight = false;
      this.stats.runs++;
      if (r && typeof r.checkpointed === 'number' && r.checkpointed > 0) this.stats.framesCopied += r.checkpointed;
      for (const w of this.#waiters.splice(0)) w();
      if (this.#stopped) return;
      // Writes that came in meanwhile are picked up at once; otherwise the thread ends after a quiet spell.
      if (this.#commits >= COMMITS_PER_CHECKPOINT) this.#request();
      else this.#idleTimer = setTimeout(() => void this.#end(), CHECKPOINTER_IDLE_MS).unref();
    });
    const gone = () => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#inFlight = false;
      this.stats.running = false;
      for (const w of this.#waiters.splice(0)) w();
    };
    worker.on('error', gone);
    worker.on('exit', gone);
    this.#worker = worker;
    this.stats.running = true;
    return worker;
  }

  /** Resolves when no checkpoint is in flight (for tests). */
  settled(): Promise<void> {
    if (!this.#inFlight) return Promise.resolve();
    return new Promise((r) => this.#waiters.push(r));
  }

  /** Lets the thread close its connection and end. */
  #end(): Promise<void> {
    const worker = this.#worker;
    if (!worker) return Promise.resolve();
    clearTimeout(this.#idleTimer);
    return new Promise<void>((res) => {
      worker.once('exit', () => res());
      worker.postMessage('close');
    });
  }

  /**
   * Ends the thread at once (closing the database): a checkpoint in progress finishes its SQLite call, one not yet
   * begun is dropped (the WAL stays whole; the closing main connection folds it in), a thread still starting is
   * not waited for.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#idleTimer);
    const worker = this.#worker;
    // Referenced again: a process with nothing else left to do must not end before the thread has.
    worker?.ref();
    if (worker) await worker.terminate();
    for (const w of this.#waiters.splice(0)) w();
  }
}

/** A single better-sqlite3 connection with a statement cache. */
class Connection implements DatabaseConnection {
  readonly #cache = new Map<string, BetterSqlite3.Statement>();
  constructor(
    readonly raw: BetterSqlite3.Database,
    private readonly writes: WriteCounter,
  ) {}

  #prepare(sqlText: string): BetterSqlite3.Statement {
    let stmt = this.#cache.get(sqlText);
    if (!stmt) {
      stmt = this.raw.prepare(sqlText);
      if (this.#cache.size > 500) this.#cache.delete(this.#cache.keys().next().value as string);
      this.#cache.set(sqlText, stmt);
    }
    return stmt;
  }

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const stmt = this.#prepare(q.sql);
    const params = q.parameters as unknown[];
    if (stmt.reader && !/^\s*(insert|update|delete|replace)\b/i.test(q.sql)) return { rows: stmt.all(...params) as R[] };
    this.writes.n++;
    if (stmt.reader) {
      const rows = stmt.all(...params) as R[];
      if (!this.raw.inTransaction) this.writes.committed?.();
      return { rows };
    }
    const { changes, lastInsertRowid } = stmt.run(...params);
    if (!this.raw.inTransaction) this.writes.committed?.();
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  async *streamQuery<R>(q: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    for (const row of this.#prepare(q.sql).iterate(...(q.parameters as unknown[]))) yield { rows: [row as R] };
  }
}

/**
 * Kysely's SQLite driver opens transactions with a plain BEGIN, which takes the write lock only at the
 * first write: two processes could then both read "free" and one fail later. BEGIN IMMEDIATE takes the
 * write lock at the start, so the check and the write of a booking happen under one lock.
 */
class ImmediateSqliteDriver implements Driver {
  readonly conn: Connection;
  #lock: Promise<void> = Promise.resolve();
  #release?: () => void;
  /** Callers holding the connection or waiting for it. */
  #queued = 0;

  constructor(
    raw: BetterSqlite3.Database,
    writes: WriteCounter,
    private readonly checkpointer?: BackgroundCheckpointer,
  ) {
    this.conn = new Connection(raw, writes);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    // One connection: queue callers so a transaction has it to itself.
    const previous = this.#lock;
    let release!: () => void;
    this.#lock = new Promise<void>((r) => (release = r));
    const waited = this.#queued++ > 0;
    await previous;
    this.#release = release;
    // A burst of writes (each one fsync on this thread) would otherwise run back to back in one go: the promise
    // chain hands the connection on without returning to the event loop. After waiting, the next one yields
    // once, so requests that arrived meanwhile (a health check, a page) are read and answered between writes.
    // The connection is already this caller's: nobody can slip in, the order stays first come, first served.
    if (waited) await new Promise<void>((r) => setImmediate(r));
    return this.conn;
  }
  /** Is a caller holding the connection or waiting for it? */
  get busy(): boolean {
    return this.#queued > 0;
  }
  #onRelease: (() => void)[] = [];
  /** Resolves when the caller holding the connection now hands it on. */
  released(): Promise<void> {
    return new Promise((r) => this.#onRelease.push(r));
  }
  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    this.#queued--;
    release?.();
    for (const r of this.#onRelease.splice(0)) r();
  }
  async beginTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('BEGIN IMMEDIATE'));
  }
  async commitTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('COMMIT'));
  }
  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    // SQLite has already rolled back by itself after some errors (SQLITE_FULL, SQLITE_IOERR …); a second
    // ROLLBACK would fail and hide the error that says what went wrong.
    if (!this.conn.raw.inTransaction) return;
    await c.executeQuery(CompiledQuery.raw('ROLLBACK'));
  }
  async destroy(): Promise<void> {
    await this.checkpointer?.stop();
    if (this.conn.raw.open) this.conn.raw.close();
  }
}

/**
 * SQLite runs schema changes inside transactions; Kysely's adapter just does not claim it. Claiming it makes the
 * Migrator run all pending migrations and their records in one (BEGIN IMMEDIATE) transaction: a migration that
 * fails half-way (a full disk, a kill) leaves the database exactly as it was, never without its guard triggers.
 */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class ImmediateSqliteDialect implements Dialect {
  constructor(
    private readonly raw: BetterSqlite3.Database,
    private readonly writes: WriteCounter,
    private readonly checkpointer?: BackgroundCheckpointer,
  ) {}
  createAdapter() {
    return new TransactionalSqliteAdapter();
  }
  createDriver() {
    const driver = new ImmediateSqliteDriver(this.raw, this.writes, this.checkpointer);
    this.driver = driver;
    return driver;
  }
  driver?: ImmediateSqliteDriver;
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new SqliteIntrospector(db);
  }
}

/**
 * Single reads that need not queue behind a burst of writes (the health check): each runs at once on the
 * connection when no transaction is open on it (a read outside a transaction sees only committed data). While
 * one is open, it waits for that one to end, not for the whole queue: the next queued transaction yields to the
 * event loop before it begins, and the read runs in between. No transactions: a read-only convenience.
 */
class PromptReadDriver implements Driver {
  constructor(private readonly main: ImmediateSqliteDriver) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new PromptReadConnection(this.main);
  }
  async releaseConnection(): Promise<void> {}
  async beginTransaction(): Promise<void> {
    throw new Error('prompt reads take no transactions');
  }
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async destroy(): Promise<void> {}
}

/** Refuses anything but a read, so the prompt path can never write past the queue. */
class PromptReadConnection implements DatabaseConnection {
  constructor(private readonly main: ImmediateSqliteDriver) {}
  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    if (!/^\s*select\b/i.test(q.sql)) throw new Error('prompt reads only read');
    // Checked right before the statement runs (it runs synchronously): no transaction can begin in between.
    while (this.main.conn.raw.inTransaction && this.main.busy) await this.main.released();
    return this.main.conn.executeQuery<R>(q);
  }
  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('prompt reads do not stream');
  }
}

const promptReads = new WeakMap<DB, DB>();

/**
 * The database for single SELECTs that must not wait behind queued transactions (see PromptReadDriver): the
 * health check. Never for reads that belong to a decision (those take their turn, or run in the transaction).
 */
export function promptReadsOf(db: DB): DB {
  const known = promptReads.get(db);
  if (known) return known;
  const dialect = dialects.get(db);
  const driver = dialect?.driver;
  if (!dialect || !driver) return db;
  const reads = new Kysely<Database>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new PromptReadDriver(driver),
      createQueryCompiler: () => new SqliteQueryCompiler(),
      createIntrospector: (k) => new SqliteIntrospector(k),
    },
  });
  promptReads.set(db, reads);
  return reads;
}
const dialects = new WeakMap<DB, ImmediateSqliteDialect>();

/**
 * Does a caller hold the database's connection or wait for it (a transaction running or queued)? A write that
 * need not happen now (the health check's probe) can then be left for later instead of queueing behind them.
 */
export function writeQueueBusy(db: DB): boolean {
  return dialects.get(db)?.driver?.busy ?? false;
}

/** What the app may do with the database beyond queries: nothing here hands out the SQLite handle. */
export interface DatabaseStore {
  /**
   * Changes whenever the data may have changed: a commit by another connection or process (SQLite's
   * data_version) or a write through this one. Lets page caches know when they are stale.
   */
  dataVersion(): string;
  /**
   * A request has arrived: the next dataVersion reads SQLite's data_version again (see openDatabase). Until then,
   * within one event-loop turn, the value read last is reused.
   */
  requestArrived(): void;
  /**
   * Copies the open database into `file` while the app goes on writing (SQLite's online backup API), through
   * `<file>.partial`, so a half-written copy never carries the name. The copy is one self-contained file (not in
   * WAL mode): opening it later leaves no -wal/-shm beside it. The folder must exist.
   */
  backup(file: string): Promise<void>;
  /** Folds the write-ahead log into the database file and empties it (old page images leave the disk). */
  checkpoint(): void;
  /** Names of the migrations recorded in the database, or null when it has no migration table (a new file). */
  executedMigrations(): string[] | null;
  /** 'ok' or what SQLite's integrity check found. */
  integrityCheck(): string;
  /** The background checkpoints so far (a file database; all zero for ':memory:'). */
  checkpointStats(): CheckpointStats;
  /** Resolves when no background checkpoint is in flight. */
  checkpointSettled(): Promise<void>;
}

export interface OpenedDatabase {
  db: DB;
  store: DatabaseStore;
  /** The same as store.dataVersion (page caches take `{ db, dataVersion }`). */
  dataVersion: () => string;
}

export class DatabaseSetupError extends Error {}

/** Files SQLite keeps beside a database while it is open or after a crash. */
export const SQLITE_SIDE_FILES = ['-wal', '-shm', '-journal'];

const handles = new WeakMap<DB, BetterSqlite3.Database>();

/** SQLite's page cache of the connection, in KiB. */
export const PAGE_CACHE_KIB = 2000;

/** Opens the database file (or ':memory:') and checks the pragmas took effect. */
export function openDatabase(path: string): OpenedDatabase {
  const raw = new BetterSqlite3(path);
  const memory = path === ':memory:';
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  // Deleted and overwritten content (anonymised requests, manage links cut out of mails) is zeroed on disk,
  // not left in free pages where a copy of the file would still hold it.
  raw.pragma('secure_delete = ON');
  // SQLite's own default page cache (2 MiB) instead of the 16 MiB better-sqlite3 builds with: the file is in the
  // system's cache anyway, so a large read (retention, a yearly report) no longer leaves ~15 MB more resident
  // (issue 16: idle at 200,000 bookings 125 -> 109 MB; no measurable cost per page, BENCHMARKS.md "Memory").
  raw.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  const journal = String(raw.pragma('journal_mode', { simple: true }));
  const checks: [string, boolean][] = [
    ['journal_mode=wal', memory ? journal === 'memory' : journal === 'wal'],
    ['synchronous=FULL', raw.pragma('synchronous', { simple: true }) === 2],
    ['foreign_keys=ON', raw.pragma('foreign_keys', { simple: true }) === 1],
    ['busy_timeout', Number(raw.pragma('busy_timeout', { simple: true })) >= 5000],
    ['secure_delete=ON', raw.pragma('secure_delete', { simple: true }) === 1],
  ];
  const failed = checks.filter(([, ok]) => !ok).map(([name]) => name);
  if (failed.length) {
    raw.close();
    throw new DatabaseSetupError(`SQLite pragmas not in effect: ${failed.join(', ')}`);
  }
  const checkpointer = memory ? undefined : new BackgroundCheckpointer(resolvePath(path));
  const writes: WriteCounter = { n: 0, committed: checkpointer && (() => checkpointer.committed()) };
  const dialect = new ImmediateSqliteDialect(raw, writes, checkpointer);
  const db = new Kysely<Database>({ dialect });
  handles.set(db, raw);
  dialects.set(db, dialect);
  // PRAGMA data_version starts a read transaction of its own (a lock on the shared-memory index and a file check:
  // ~10–20 µs of system calls, where a statement inside a transaction costs under 1 µs), and a page asks for the
  // version several times (house settings, texts, pictures, rooms, page and week caches). The value read is kept
  // until the next event-loop turn or the next request (requestArrived, called first thing for every request), so
  // every request still sees every commit made before it arrived, and other code sees another connection's commit
  // from its next turn on. A write through this connection counts at once (writes.n).
  const dataVersionStmt = raw.prepare('PRAGMA data_version').pluck();
  let seen: number | undefined;
  const forget = () => (seen = undefined);
  const dataVersion = () => {
    if (!raw.open) return 'closed';
    if (seen === undefined) {
      seen = dataVersionStmt.get() as number;
      setImmediate(forget);
    }
    return `${seen}:${writes.n}`;
  };
  const store: DatabaseStore = {
    dataVersion,
    requestArrived: forget,
    backup: (file) => backupInto(raw, file),
    checkpoint() {
      if (!memory) raw.pragma('wal_checkpoint(TRUNCATE)');
    },
    executedMigrations: () => executedMigrationsOf(raw),
    integrityCheck: () => String(raw.pragma('integrity_check', { simple: true })),
    checkpointStats: () => ({ ...(checkpointer?.stats ?? { runs: 0, framesCopied: 0, running: false }) }),
    checkpointSettled: () => checkpointer?.settled() ?? Promise.resolve(),
  };
  return { db, store, dataVersion };
}

/**
 * The SQLite handle behind a database, for tests and benchmarks only: raw SQL for setups the app can never make
 * (a double booking from an older version, a full disk, a closed handle, EXPLAIN). App code never calls this.
 */
export function sqliteHandleForTests(opened: { db: DB }): BetterSqlite3.Database {
  const raw = handles.get(opened.db);
  if (!raw) throw new Error('not a database opened by openDatabase');
  return raw;
}

/** Executed migrations of an SQLite database, or null when it has no migration table. */
export function executedMigrationsOf(raw: BetterSqlite3.Database): string[] | null {
  const table = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'").get();
  if (!table) return null;
  return (raw.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as { name: string }[]).map((r) => r.name);
}

async function backupInto(raw: BetterSqlite3.Database, target: string): Promise<void> {
  const partial = `${target}.partial`;
  for (const suffix of ['', ...SQLITE_SIDE_FILES]) rmSync(`${partial}${suffix}`, { force: true });
  await raw.backup(partial, { progress: backupPace() });
  // The copy carries the source's WAL flag in its header; rollback-journal mode keeps it a single file.
  const copy = new BetterSqlite3(partial, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  renameSync(partial, target);
}

/** Pages per step while the copy is not disturbed: the event loop stays free between steps. */
const PAGES_PER_STEP = 100;

/**
 * SQLite restarts a backup whenever another connection (another process, `npm run backup` beside a
 * running app) writes between two steps, so under steady writes a stepwise copy would never finish.
 * Once a restart shows (as many pages left as before or more), the rest is copied in one step: one step
 * is one read transaction, which writers in WAL mode do not disturb.
 */
export function backupPace(): (progress: { totalPages: number; remainingPages: number }) => number {
  let previous = Infinity;
  let restarted = false;
  return ({ remainingPages }) => {
    if (remainingPages >= previous) restarted = true;
    previous = remainingPages;
    return restarted ? 0x7fffffff : PAGES_PER_STEP;
  };
}

// Database files the app does not have open: backup copies to check, a database to replace on restore.

/** A database file could not be used: it does not open, cannot be read, or another process has it open. */
export class DatabaseFileError extends Error {
  constructor(
    readonly reason: 'open' | 'unreadable' | 'in-use',
    message: string,
  ) {
    super(message);
  }
}

export interface DatabaseFileInfo {
  /** 'ok' or what the integrity check found; when not 'ok', nothing else was read. */
  integrity: string;
  tables: string[];
  /** See DatabaseStore.executedMigrations. */
  migrations: string[] | null;
  /** Row counts of the asked tables that exist. */
  rows: Record<string, number>;
}

/** Opens a database file read-only, checks its integrity and reads what a restore needs to know about it. */
export function inspectDatabaseFile(file: string, countTables: readonly string[]): DatabaseFileInfo {
  let raw: BetterSqlite3.Database;
  try {
    raw = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new DatabaseFileError('open', (e as Error).message);
  }
  try {
    let integrity: string;
    try {
      integrity = String(raw.pragma('integrity_check', { simple: true }));
    } catch (e) {
      throw new DatabaseFileError('unreadable', (e as Error).message);
    }
    if (integrity !== 'ok') return { integrity, tables: [], migrations: null, rows: {} };
    const tables = (raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
    const rows: Record<string, number> = {};
    for (const t of countTables.filter((t) => tables.includes(t))) {
      rows[t] = (raw.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n;
    }
    return { integrity, tables, migrations: executedMigrationsOf(raw), rows };
  } finally {
    raw.close();
  }
}

/**
 * Opens the database to be replaced and takes SQLite's exclusive lock on it, held until the handle is
 * closed, or throws DatabaseFileError('in-use'). A running Raumbuch keeps the database open in WAL mode; even
 * idle it holds the WAL index (-shm) open, so `BEGIN EXCLUSIVE` alone would not notice it. Leaving WAL mode
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
    const rawCode = (e as { code?: unknown }).code;
    const code = typeof rawCode === 'string' ? rawCode : '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) throw new DatabaseFileError('in-use', `${target} is in use`);
    throw new DatabaseFileError('open', (e as Error).message);
  }
}

/**
 * Replaces the database file `target` with a copy of `source`, refused (DatabaseFileError 'in-use') while another
 * process has `target` open. When `previousCopy` is given and `target` exists, the database being replaced is
 * copied there first. Both copies go through the backup API, so a -wal beside either file is part of its copy;
 * no -wal/-shm of the old database stays next to the new one.
 */
export async function replaceDatabaseFile(source: string, target: string, previousCopy: string): Promise<boolean> {
  const lock = existsSync(target) ? lockUnusedDatabase(target) : undefined;
  try {
    if (lock) await lock.backup(previousCopy);
    const partial = `${target}.restoring`;
    rmSync(partial, { force: true });
    const backup = new BetterSqlite3(source, { readonly: true, fileMustExist: true });
    try {
      await backup.backup(partial);
    } finally {
      backup.close();
    }
    for (const suffix of SQLITE_SIDE_FILES) rmSync(`${target}${suffix}`, { force: true });
    renameSync(partial, target);
  } finally {
    lock?.close();
  }
  return lock !== undefined;
}

/**
 * Rewrites the text and HTML bodies of sent mails in a database file (a copy, not the open database) with
 * `rewrite`, and wipes the free pages, so what was cut out is not left on disk. A file without an outbox is left as it is.
 */
export function rewriteSentMailsInFile(file: string, rewrite: (text: string) => string): void {
  const copy = new BetterSqlite3(file);
  try {
    const outbox = copy.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'`).get();
    if (!outbox) return;
    copy.pragma('secure_delete = ON');
    copy.function('raumbuch_rewrite', (text: unknown) => (typeof text === 'string' ? rewrite(text) : text));
    copy.prepare(`UPDATE outbox SET text_body = raumbuch_rewrite(text_body), html_body = raumbuch_rewrite(html_body) WHERE status = 'sent'`).run();
    copy.exec('VACUUM');
  } finally {
    copy.close();
  }
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

/** Is this error the database guard refusing an overlapping booking? */
export function isClashError(err: unknown): boolean {
  return err instanceof Error && err.message.includes('RAUMBUCH_CLASH');
}
