// Backups: consistent while writes go on (in-process and with `npm run backup` from another process),
// checked before a restore, restored with a copy of the replaced database; daily backups keep the last N.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { openDatabase, type DB } from '../../src/db/database.js';
import { bootstrap } from '../../src/bootstrap.js';
import { newManageToken } from '../../src/bookings/reference.js';
import { backupPace, backupTo, BackupCheckError, checkBackupFile, dailyBackup, restoreFrom } from '../../src/ops/backup.js';
import { startJobs } from '../../src/ops/jobs.js';
import { fixedClock } from '../helpers/app.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { cleanupDir, ROOT, startServer, tempDir } from '../helpers/server.js';

const run = promisify(execFile);
/** Only what the scripts need: the test runner's own variables (vitest sets BASE_URL='/') stay out. */
const scriptEnv = (databasePath: string) => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_PATH: databasePath, LOG_LEVEL: 'silent' });

let dir: string;
let ctx: AppContext;
let roomId: number;

beforeEach(async () => {
  dir = tempDir('raumbuch-backup-');
  ctx = createContext(testConfig({ databasePath: join(dir, 'raumbuch.sqlite') }), { clock: fixedClock('2026-11-23T10:00:00+01:00') });
  await bootstrap(ctx);
  roomId = (await aRoom(ctx.db)).id;
});
afterEach(async () => {
  await ctx.destroy();
  cleanupDir(dir);
});

let n = 0;
/** One request with its one date, in one transaction: a consistent copy always has as many of each. */
async function writeOne(db: DB = ctx.db): Promise<void> {
  const k = ++n;
  await db.transaction().execute(async (trx) => {
    const req = await trx
      .insertInto('requests')
      .values({
        reference: `T-${k}`,
        token_hash: newManageToken().hash,
        room_id: roomId,
        title: `Treffen ${k}`,
        public_title: null,
        show_public_title: 0,
        organisation: null,
        contact_name: `Person ${k}`,
        email: `p${k}@example.org`,
        phone: null,
        category: 'social',
        attendees: 3,
        equipment: '[]',
        notes: 'x'.repeat(2000),
        language: 'de',
        rules_version: 1,
        privacy_version: 1,
        source: 'public',
        created_by: null,
        repeat_weeks: null,
        first_date: '2027-01-01',
        last_date: null,
        start_time: '10:00',
        end_time: '11:00',
        sequence: 0,
        created_at: k,
        updated_at: k,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('bookings')
      .values({
        request_id: req.id,
        room_id: roomId,
        local_date: '2027-01-01',
        start_at: k * 1000,
        end_at: k * 1000 + 500,
        status: 'pending',
        skip_reason: null,
        detached: 0,
        decided_by: null,
        decided_at: null,
        decision_message: null,
        cancelled_by: null,
        cancelled_at: null,
        sequence: 0,
        created_at: k,
        updated_at: k,
      })
      .execute();
  });
}

/** Writes until `done` resolves; returns how many were written meanwhile. */
async function writeWhile(done: Promise<unknown>, db: DB = ctx.db): Promise<number> {
  let finished = false;
  const finish = () => (finished = true);
  done.then(finish, finish);
  let count = 0;
  while (!finished) {
    await writeOne(db);
    count++;
    await new Promise((r) => setImmediate(r));
  }
  return count;
}

function rows(file: string) {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return {
      requests: db.prepare('SELECT id, reference, email, contact_name FROM requests ORDER BY id').all() as { id: number; reference: string }[],
      bookings: db.prepare('SELECT id, request_id, start_at FROM bookings ORDER BY id').all() as { request_id: number }[],
    };
  } finally {
    db.close();
  }
}

describe('checking a backup before a restore', () => {
  it('refuses a file that is not a database', () => {
    const file = join(dir, 'junk.sqlite');
    writeFileSync(file, 'this is not sqlite at all, just text'.repeat(100));
    expect(() => checkBackupFile(file)).toThrow(BackupCheckError);
  });

  it('refuses a database that is not Raumbuch', () => {
    const file = join(dir, 'other.sqlite');
    const db = new BetterSqlite3(file);
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY)');
    db.close();
    expect(() => checkBackupFile(file)).toThrow(/not a Raumbuch database/);
  });

  it('refuses a backup from a newer version, and restore leaves the database alone', async () => {
    await aBooking(ctx.db, { roomId });
    const file = join(dir, 'newer.sqlite');
    await backupTo(ctx.store, file);
    const db = new BetterSqlite3(file);
    db.prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)').run('2099_01_01_001_future', new Date().toISOString());
    db.close();
    expect(() => checkBackupFile(file)).toThrow(/newer Raumbuch version/);
    const target = join(dir, 'target.sqlite');
    await backupTo(ctx.store, target);
    await expect(restoreFrom(file, target, new Date())).rejects.toThrow(BackupCheckError);
    expect(readdirSync(dir).some((f) => f.includes('before-restore'))).toBe(false);
    expect(rows(target).requests).toHaveLength(1);
  });
});

describe('an online backup', () => {
  it('is consistent while writes go on, and restores to the same rows', async () => {
    for (let i = 0; i < 200; i++) await writeOne();
    const file = join(dir, 'backup.sqlite');
    const backup = backupTo(ctx.store, file);
    const during = await writeWhile(backup);
    await backup;
    expect(during).toBeGreaterThan(0);

    const info = checkBackupFile(file);
    const copied = rows(file);
    // Every request of the copy has its date: no half-written transaction.
    expect(copied.bookings.length).toBe(copied.requests.length);
    expect(new Set(copied.bookings.map((b) => b.request_id))).toEqual(new Set(copied.requests.map((r) => r.id)));
    expect(info.requests).toBe(copied.requests.length);
    expect(copied.requests.length).toBeGreaterThanOrEqual(200);

    // Restore into another place; the replaced database is kept.
    const target = join(dir, 'restored.sqlite');
    await backupTo(ctx.store, target);
    const live = rows(target);
    const result = await restoreFrom(file, target, new Date('2026-11-23T09:00:00Z'));
    expect(existsSync(`${target}-wal`)).toBe(false);
    expect(result.previousCopy).toBe(`${target}.before-restore-20261123-090000`);
    expect(rows(result.previousCopy!)).toEqual(live);
    expect(rows(target)).toEqual(copied);
  });

  it('finishes while another connection writes between every step of the copy', async () => {
    for (let i = 0; i < 300; i++) await writeOne();
    const other = openDatabase(ctx.config.databasePath);
    try {
      const file = join(dir, 'busy.sqlite');
      const backup = backupTo(ctx.store, file);
      const timeout = new Promise((r) => setTimeout(r, 20_000, 'timed out'));
      const during = writeWhile(Promise.race([backup, timeout]), other.db);
      expect(await Promise.race([backup.then(() => 'finished'), timeout])).toBe('finished');
      expect(await during).toBeGreaterThan(0);
      const copied = rows(file);
      expect(copied.bookings.length).toBe(copied.requests.length);
      expect(copied.requests.length).toBeGreaterThanOrEqual(300);
    } finally {
      await other.db.destroy();
    }
  });

  it('is taken by `npm run backup` from another process while the app writes, and `npm run restore` puts it back', async () => {
    for (let i = 0; i < 100; i++) await writeOne();
    const file = join(dir, 'cli-backup.sqlite');
    const env = scriptEnv(ctx.config.databasePath);
    const child = run(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', file], { cwd: ROOT, env });
    const during = await writeWhile(child);
    const { stdout } = await child;
    expect(stdout).toContain('Backup written');
    expect(during).toBeGreaterThan(0);
    const copied = rows(file);
    expect(copied.bookings.length).toBe(copied.requests.length);

    const target = join(dir, 'cli-target.sqlite');
    const restored = await run(process.execPath, ['--import', 'tsx', 'scripts/restore.ts', file], {
      cwd: ROOT,
      env: scriptEnv(target),
    });
    expect(restored.stdout).toContain('Restored');
    expect(rows(target)).toEqual(copied);
  });

  it('`npm run backup` writes one self-contained file: no -wal, -shm or partial file beside it', async () => {
    await aBooking(ctx.db, { roomId });
    const folder = join(dir, 'manual');
    mkdirSync(folder);
    const file = join(folder, 'manual.sqlite');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', file], { cwd: ROOT, env: scriptEnv(ctx.config.databasePath) });
    expect(stdout).toContain('Backup written');
    expect(readdirSync(folder)).toEqual(['manual.sqlite']);
    // Copied elsewhere alone (as an operator copies it to the NAS), it still holds everything.
    const copy = join(dir, 'copied.sqlite');
    copyFileSync(file, copy);
    expect(checkBackupFile(copy).requests).toBe(1);
    expect(readdirSync(folder)).toEqual(['manual.sqlite']);
  });

  it('`npm run backup` refuses a folder that does not exist with one line and creates nothing', async () => {
    const file = join(dir, 'missing', 'sub', 'x.sqlite');
    const err = await run(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', file], { cwd: ROOT, env: scriptEnv(ctx.config.databasePath) }).catch(
      (e) => e,
    );
    expect(err.code).not.toBe(0);
    expect(err.stderr.trim().split('\n')).toHaveLength(1);
    expect(err.stderr).toMatch(/^Backup failed: the folder .*missing\/sub does not exist/);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });

  it('`npm run restore` refuses a bad file with one line and a non-zero exit', async () => {
    const file = join(dir, 'junk.sqlite');
    writeFileSync(file, 'junk');
    const env = scriptEnv(join(dir, 'x.sqlite'));
    const err = await run(process.execPath, ['--import', 'tsx', 'scripts/restore.ts', file], { cwd: ROOT, env }).catch((e) => e);
    expect(err.code).not.toBe(0);
    expect(err.stderr.trim().split('\n')).toHaveLength(1);
    expect(err.stderr).toMatch(/^Restore refused:/);
    expect(existsSync(join(dir, 'x.sqlite'))).toBe(false);
  });
});

describe('`npm run restore` while the database is in use', () => {
  it('refuses while a running server has the database open, changes nothing, and restores once the server stopped', async () => {
    await aBooking(ctx.db, { roomId, date: '2026-12-01' });
    const file = join(dir, 'older.sqlite');
    await backupTo(ctx.store, file);
    // Confirmed after the backup was taken: restoring the backup while the server runs must not lose it silently.
    await aBooking(ctx.db, { roomId, date: '2026-12-02', status: 'approved' });
    const databasePath = ctx.config.databasePath;
    await ctx.destroy();

    const server = await startServer({ databasePath, demo: false });
    let live: ReturnType<typeof rows>;
    try {
      // The server is idle: it only holds the database open.
      live = rows(databasePath);
      expect(live.requests).toHaveLength(2);
      const err = await run(process.execPath, ['--import', 'tsx', 'scripts/restore.ts', file], { cwd: ROOT, env: scriptEnv(databasePath) }).catch((e) => e);
      expect(err.code).not.toBe(0);
      expect(err.stderr.trim().split('\n')).toHaveLength(1);
      expect(err.stderr).toMatch(/^Restore refused: .*in use by another process; stop Raumbuch first/);
      expect(rows(databasePath)).toEqual(live);
      expect(readdirSync(dir).filter((f) => f.includes('before-restore') || f.endsWith('.restoring'))).toEqual([]);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.stop();
      server.cleanup();
    }

    const ok = await run(process.execPath, ['--import', 'tsx', 'scripts/restore.ts', file], { cwd: ROOT, env: scriptEnv(databasePath) });
    expect(ok.stdout).toContain('Restored');
    // No -wal or -shm of the replaced database is left to be read as part of the restored one.
    expect(readdirSync(dir).filter((f) => f.startsWith('raumbuch.sqlite-'))).toEqual([]);
    expect(rows(databasePath).requests).toHaveLength(1);
    const kept = readdirSync(dir).find((f) => f.startsWith('raumbuch.sqlite.before-restore-'));
    expect(rows(join(dir, kept!))).toEqual(live);
  });

  it('refuses while another connection has the database open, idle between two reads', async () => {
    await aBooking(ctx.db, { roomId });
    const file = join(dir, 'b.sqlite');
    await backupTo(ctx.store, file);
    const target = join(dir, 'target.sqlite');
    await backupTo(ctx.store, target);
    const other = openDatabase(target);
    // As a running server between two requests: it has read, and holds no transaction now.
    await other.db
      .selectFrom('requests')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    try {
      await expect(restoreFrom(file, target, new Date())).rejects.toThrow(/in use by another process/);
    } finally {
      await other.db.destroy();
    }
    await restoreFrom(file, target, new Date());
    expect(rows(target)).toEqual(rows(file));
  });
});

describe('the pace of a backup', () => {
  it('copies 100 pages per step until another connection restarts the copy, then the rest in one step', () => {
    const pace = backupPace();
    expect(pace({ totalPages: 1000, remainingPages: 1000 })).toBe(100);
    expect(pace({ totalPages: 1000, remainingPages: 900 })).toBe(100);
    expect(pace({ totalPages: 1000, remainingPages: 800 })).toBe(100);
    // A write from another process between two steps: SQLite starts over.
    const rest = pace({ totalPages: 1001, remainingPages: 901 });
    expect(rest).toBeGreaterThanOrEqual(1001);
    expect(pace({ totalPages: 1001, remainingPages: 1 })).toBe(rest);
  });
});

describe('daily backups', () => {
  it('write one file per day and keep only the last N', async () => {
    const backups = join(dir, 'backups');
    for (const day of ['2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21']) await dailyBackup(ctx.store, backups, day, 3);
    expect(await dailyBackup(ctx.store, backups, '2026-11-21', 3)).toBeUndefined();
    expect(readdirSync(backups).sort()).toEqual(['raumbuch-2026-11-19.sqlite', 'raumbuch-2026-11-20.sqlite', 'raumbuch-2026-11-21.sqlite']);
    expect(checkBackupFile(join(backups, 'raumbuch-2026-11-21.sqlite')).migrations.length).toBeGreaterThan(0);
  });

  it('are made by the jobs at start when none exists for today, together with the retention run', async () => {
    const backups = join(dir, 'daily');
    const old = await aBooking(ctx.db, { roomId, date: '2026-01-05' });
    const jobCtx = { ...ctx, config: { ...ctx.config, backupDir: backups, backupKeep: 2 } };
    const jobs = startJobs(jobCtx, { background: false });
    await jobs.runDue();
    await jobs.runDue();
    await jobs.stop();
    expect(readdirSync(backups)).toEqual(['raumbuch-2026-11-23.sqlite']);
    const row = await ctx.db.selectFrom('requests').select('anonymized_at').where('id', '=', old.requestId).executeTakeFirstOrThrow();
    expect(row.anonymized_at).not.toBeNull();
  });
});
