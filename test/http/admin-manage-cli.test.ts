// npm run admin: create and reset-password against a real database file, in a child process.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { verifyPassword } from '../../src/auth/passwords.js';

const ROOT = join(import.meta.dirname, '..', '..');

function admin(dbPath: string, ...args: string[]) {
  const r = spawnSync('npx', ['tsx', 'scripts/admin.ts', ...args], {
    cwd: ROOT,
    // A clean environment: vitest puts Vite's variables (e.g. BASE_URL=/) into process.env.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_PATH: dbPath, DEMO: '0', LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr, password: r.stdout.match(/One-time password:\s+(\S+)/)?.[1] };
}

describe('npm run admin', () => {
  let dir: string;
  let dbPath: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'raumbuch-cli-'));
    dbPath = join(dir, 'sub', 'raumbuch.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const user = (email: string) => {
    const db = new Database(dbPath, { readonly: true });
    try {
      return db.prepare('SELECT * FROM users WHERE email = ?').get(email) as Record<string, unknown> | undefined;
    } finally {
      db.close();
    }
  };

  it('refuses a missing or bad argument with usage and exit code 2', () => {
    const r = admin(dbPath, 'create', '--email', 'not-an-address', '--name', 'X');
    expect(r.code).toBe(2);
    expect(r.err).toContain('Usage:');
    expect(admin(dbPath, 'create', '--email', 'a@example.org').code).toBe(2);
    expect(admin(dbPath, 'create', '--email', 'a@example.org', '--name', 'A', '--role', 'root').code).toBe(2);
  }, 120_000);

  it('creates an admin in a new database file with a one-time password, refuses a second create, and resets it', async () => {
    const created = admin(dbPath, 'create', '--email', 'lindner@example.org', '--name', 'Frau Lindner');
    expect(created.code, created.err).toBe(0);
    expect(created.password).toMatch(/^[A-Za-z0-9]{16}$/);
    const row = user('lindner@example.org')!;
    expect(row).toMatchObject({ name: 'Frau Lindner', role: 'admin', active: 1, must_change_password: 1 });
    expect(await verifyPassword(row.password_hash as string, created.password!)).toBe(true);

    const again = admin(dbPath, 'create', '--email', 'LINDNER@example.org', '--name', 'Noch mal', '--role', 'caretaker');
    expect(again.code).toBe(1);
    expect(again.err).toContain('exists already');

    const reset = admin(dbPath, 'reset-password', '--email', 'lindner@example.org');
    expect(reset.code).toBe(0);
    const after = user('lindner@example.org')!;
    expect(await verifyPassword(after.password_hash as string, reset.password!)).toBe(true);
    expect(await verifyPassword(after.password_hash as string, created.password!)).toBe(false);

    const db = new Database(dbPath, { readonly: true });
    const log = db.prepare('SELECT action, actor, details FROM audit_log ORDER BY id').all() as { action: string; actor: string; details: string }[];
    db.close();
    expect(log.map((l) => [l.action, l.actor])).toEqual([
      ['user.created', 'system'],
      ['user.password_reset', 'system'],
    ]);
    expect(JSON.stringify(log)).not.toContain(created.password!);

    expect(admin(dbPath, 'reset-password', '--email', 'nobody@example.org').code).toBe(1);
  }, 120_000);

  it('creates a caretaker with --role caretaker', () => {
    const r = admin(dbPath, 'create', '--email', 'hv@example.org', '--name', 'Hausverwaltung', '--role', 'caretaker');
    expect(r.code, r.err).toBe(0);
    expect(user('hv@example.org')).toMatchObject({ role: 'caretaker' });
  }, 120_000);
});
