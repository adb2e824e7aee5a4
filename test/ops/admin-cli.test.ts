// npm run admin without a command or with an unknown one: it names the command problem and shows the usage,
// and touches no database.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanupDir, ROOT, tempDir } from '../helpers/server.js';

const run = promisify(execFile);

let dir: string;
beforeEach(() => {
  dir = tempDir('raumbuch-admin-cli-');
});
afterEach(() => cleanupDir(dir));

async function admin(...args: string[]) {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_PATH: join(dir, 'raumbuch.sqlite'), LOG_LEVEL: 'silent' };
  return run(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], { cwd: ROOT, env }).then(
    (r) => ({ code: 0, ...r }),
    (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
  );
}

describe('npm run admin with a command problem', () => {
  it('says the command is missing and prints the usage, not an e-mail complaint', async () => {
    const r = await admin();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^A command is missing \(create or reset-password\)\.\nUsage:/);
    expect(r.stderr).toContain('npm run admin -- reset-password --email <address>');
    expect(r.stderr).not.toContain('--email must be');
    expect(existsSync(join(dir, 'raumbuch.sqlite'))).toBe(false);
  });

  it('names an unknown command (a typo) and the known ones, and prints the usage', async () => {
    const typo = await admin('resetpassword');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^Unknown command "resetpassword" \(known: create, reset-password\)\.\nUsage:/);
    expect(typo.stderr).not.toContain('--email must be');
    const withEmail = await admin('delete', '--email', 'a@example.org');
    expect(withEmail.code).toBe(2);
    expect(withEmail.stderr).toMatch(/^Unknown command "delete"/);
    expect(existsSync(join(dir, 'raumbuch.sqlite'))).toBe(false);
  });

  it('refuses a stray argument (an unquoted name) instead of ignoring it', async () => {
    const r = await admin('create', '--email', 'a@example.org', '--name', 'Frau', 'Lindner');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Unexpected argument "Lindner"\.\nUsage:/);
    expect(existsSync(join(dir, 'raumbuch.sqlite'))).toBe(false);
  });
});
