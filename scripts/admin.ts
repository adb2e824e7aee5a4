// Command line for accounts, for the first admin or when nobody can log in any more:
//   npm run admin -- create --email a@example.org --name "Vorname Name" [--role admin|caretaker]
//   npm run admin -- reset-password --email a@example.org
// Opens DATABASE_PATH, runs the migrations and prints a one-time password (changed at first login).
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../src/config.js';
import { createContext, type AppContext } from '../src/context.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { audit } from '../src/audit/log.js';
import { generatePassword, hashPassword } from '../src/auth/passwords.js';
import { endSessionsOf, findUserByEmail, insertUser } from '../src/auth/users.js';
import { clearAccountFailures } from '../src/auth/login-limit.js';

const USAGE = `Usage:
  npm run admin -- create --email <address> --name <name> [--role admin|caretaker]
  npm run admin -- reset-password --email <address>`;

class UsageError extends Error {}

const emailSchema = z.string().trim().max(254).pipe(z.email());

function parse(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) throw new UsageError('');
  // The command first: without a known one, an error about --email would point at the wrong problem.
  const command = positionals[0];
  if (command !== 'create' && command !== 'reset-password') {
    throw new UsageError(command ? `Unknown command "${command}" (known: create, reset-password).` : 'A command is missing (create or reset-password).');
  }
  if (positionals.length > 1) throw new UsageError(`Unexpected argument "${positionals[1]}".`);
  const email = emailSchema.safeParse(values.email ?? '');
  if (!email.success) throw new UsageError('--email must be a valid e-mail address.');
  if (command === 'create') {
    const name = (values.name ?? '').trim();
    if (!name || name.length > 120) throw new UsageError('--name is required (at most 120 characters).');
    const role = values.role ?? 'admin';
    if (role !== 'admin' && role !== 'caretaker') throw new UsageError('--role must be admin or caretaker.');
    return { command, email: email.data, name, role } as const;
  }
  return { command, email: email.data } as const;
}

async function run(ctx: AppContext, cmd: ReturnType<typeof parse>): Promise<{ message: string; password: string }> {
  const now = ctx.clock().getTime();
  const password = generatePassword();
  const hash = await hashPassword(password);
  if (cmd.command === 'create') {
    const id = await ctx.db.transaction().execute(async (trx) => {
      if (await findUserByEmail(trx, cmd.email)) return null;
      const newId = await insertUser(trx, { email: cmd.email, name: cmd.name, role: cmd.role, mustChangePassword: true }, hash, now);
      await audit(trx, {
        at: now,
        actor: 'system',
        action: 'user.created',
        entity: 'user',
        entityId: newId,
        details: { email: cmd.email, role: cmd.role, via: 'cli' },
      });
      return newId;
    });
    if (id === null) throw new UsageError(`An account for ${cmd.email} exists already; use reset-password.`);
    return { message: `Account created (${cmd.role}).`, password };
  }
  const done = await ctx.db.transaction().execute(async (trx) => {
    const user = await findUserByEmail(trx, cmd.email);
    if (!user) return false;
    // The recovery path: the account is active again, its sessions end and its failed logins are forgotten.
    await trx.updateTable('users').set({ password_hash: hash, must_change_password: 1, active: 1, updated_at: now }).where('id', '=', user.id).execute();
    await endSessionsOf(trx, user.id);
    await clearAccountFailures(trx, cmd.email);
    await audit(trx, { at: now, actor: 'system', action: 'user.password_reset', entity: 'user', entityId: user.id, details: { via: 'cli' } });
    return true;
  });
  if (!done) throw new UsageError(`There is no account for ${cmd.email}; use create.`);
  return { message: 'Password reset; the account is active.', password };
}

async function main(): Promise<number> {
  let cmd: ReturnType<typeof parse>;
  try {
    cmd = parse(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError || (e instanceof Error && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))) {
      if (e.message) console.error(e.message);
      console.error(USAGE);
      return 2;
    }
    throw e;
  }
  let config;
  try {
    config = { ...loadConfig(), logLevel: 'warn' as const };
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
  if (config.databasePath !== ':memory:') mkdirSync(dirname(resolve(config.databasePath)), { recursive: true });
  const ctx = createContext(config);
  try {
    await migrateToLatest(ctx.db);
    const { message, password } = await run(ctx, cmd);
    // Printed to the console only, once; it is stored nowhere but as a hash.
    console.log(`${message}\n  E-mail:             ${cmd.email}\n  One-time password:  ${password}\nIt must be changed at the first login.`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  } finally {
    await ctx.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
