// The server process: it refuses to start with one line on stderr and a non-zero exit (bad configuration,
// unwritable database folder, database from a newer version), backs up before migrating an existing
// database, and on SIGTERM finishes the request in flight, closes the database and exits 0.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Migrator } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { bootstrap } from '../../src/bootstrap.js';
import { migrations } from '../../db/migrations/index.js';
import { cleanupDir, freePort, ROOT, startServer, tempDir } from '../helpers/server.js';

let dir: string;
beforeEach(() => {
  dir = tempDir('raumbuch-server-');
});
afterEach(() => cleanupDir(dir));

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `src/server.ts` with only these variables and waits for it to end (it must refuse, so it ends). */
function runServer(env: Record<string, string>, timeoutMs = 30_000): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', DEMO: '0', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`server did not exit:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function migrationNames(file: string): string[] {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return (db.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}

/** A database file as this version leaves it after its first start. */
async function currentDatabase(file: string): Promise<void> {
  const ctx = createContext(testConfig({ databasePath: file }));
  await bootstrap(ctx);
  await ctx.destroy();
}

describe('starting the server', () => {
  it('refuses a bad configuration value', async () => {
    const res = await runServer({ PORT: 'abc', DATABASE_PATH: join(dir, 'db.sqlite') });
    expect(res.code).not.toBe(0);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/could not start: .*PORT/);
    expect(existsSync(join(dir, 'db.sqlite'))).toBe(false);
  });

  it('refuses a database folder it cannot write', async () => {
    // A path below a regular file can never be created (this holds for root too, unlike file modes).
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, '');
    const port = String(await freePort());
    const res = await runServer({ PORT: port, DATABASE_PATH: join(blocker, 'data', 'raumbuch.sqlite') });
    expect(res.code).not.toBe(0);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/could not start: database folder .* cannot be created/);
    expect(res.stdout).not.toContain('is running');
  });

  it('refuses a database from a newer version before running any migration', async () => {
    const file = join(dir, 'raumbuch.sqlite');
    await currentDatabase(file);
    const db = new BetterSqlite3(file);
    const known = Object.keys(migrations);
    // It lacks our latest migration and has one we do not know: nothing may run on it.
    db.prepare('DELETE FROM kysely_migration WHERE name = ?').run(known[known.length - 1]);
    db.prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)').run('2099_01_01_001_future', new Date().toISOString());
    db.close();
    const before = migrationNames(file);
    const res = await runServer({ PORT: String(await freePort()), DATABASE_PATH: file });
    expect(res.code).not.toBe(0);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/newer Raumbuch version.*2099_01_01_001_future/);
    expect(migrationNames(file)).toEqual(before);
  });

  it('backs up an existing database before migrating it, then runs', async () => {
    const file = join(dir, 'raumbuch.sqlite');
    const first = Object.keys(migrations)[0]!;
    {
      // A database of the first release: only the first migration.
      const ctx = createContext(testConfig({ databasePath: file }));
      const migrator = new Migrator({ db: ctx.db, provider: { getMigrations: async () => ({ [first]: migrations[first]! }) } });
      const { error } = await migrator.migrateToLatest();
      expect(error).toBeUndefined();
      await ctx.destroy();
    }
    const backups = join(dir, 'backups');
    const server = await startServer({ databasePath: file, demo: false, env: { BACKUP_DIR: backups, LOG_LEVEL: 'warn' } });
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      const files = readdirSync(backups);
      const before = files.find((f) => /^raumbuch-before-migration-\d{8}-\d{6}\.sqlite$/.test(f));
      expect(before).toBeDefined();
      expect(migrationNames(join(backups, before!))).toEqual([first]);
      expect(migrationNames(file)).toEqual(Object.keys(migrations).sort());
    } finally {
      await server.stop();
    }
  });
});

describe('stopping the server', () => {
  it('finishes the request in flight on SIGTERM, closes the database and exits 0', async () => {
    const server = await startServer({ demo: false, env: { LOG_LEVEL: 'warn' } });
    try {
      // A request whose body is still arriving when the signal comes.
      const socket = connect(server.port, '127.0.0.1');
      await new Promise<void>((r) => socket.once('connect', () => r()));
      let answer = '';
      socket.on('data', (d) => (answer += String(d)));
      const body = 'email=someone%40example.org&password=x';
      socket.write(
        `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
          `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
      );
      await new Promise((r) => setTimeout(r, 300));
      const exited = new Promise<number | null>((r) => server.proc.once('exit', (code) => r(code)));
      server.proc.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
      // Not accepting any more.
      await expect(fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
      socket.write(body.slice(10));
      const code = await exited;
      await new Promise((r) => setTimeout(r, 50));
      expect(answer).toMatch(/^HTTP\/1\.1 \d{3} /);
      expect(code).toBe(0);
      expect(server.output()).not.toMatch(/error/i);

      const db = new BetterSqlite3(server.databasePath, { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    } finally {
      await server.stop();
      server.cleanup();
    }
  });
});
