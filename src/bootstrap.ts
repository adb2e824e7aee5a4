// Brings a database to a usable state: migrations, settings, session secret, first admin, demo house.
import type { AppContext } from './context.js';
import { migrateToLatest } from './db/migrate.js';
import { ensureSettings, sessionSecret } from './settings/repository.js';
import { countAdmins, createUser } from './auth/users.js';
import { generatePassword } from './auth/passwords.js';
import { loadDemo } from '../db/demo.js';

export interface BootstrapResult {
  sessionSecret: string;
  /** Set when a first admin was created with a generated password, to print once. */
  oneTimePassword?: { email: string; password: string };
  demoLoaded: boolean;
}

export async function bootstrap(ctx: AppContext): Promise<BootstrapResult> {
  await migrateToLatest(ctx.db);
  const now = ctx.clock().getTime();
  const isNew = !(await ctx.db.selectFrom('settings').select('id').executeTakeFirst());
  await ensureSettings(ctx.db, ctx.clock);
  const secret = await sessionSecret(ctx.db, ctx.config.sessionSecret);

  let oneTimePassword: BootstrapResult['oneTimePassword'];
  if ((await countAdmins(ctx.db)) === 0) {
    if (ctx.config.adminEmail && ctx.config.adminPassword) {
      await createUser(ctx.db, { email: ctx.config.adminEmail, name: 'Admin', role: 'admin', password: ctx.config.adminPassword }, now);
    } else {
      const email = ctx.config.adminEmail ?? 'admin@localhost';
      const password = generatePassword();
      await createUser(ctx.db, { email, name: 'Admin', role: 'admin', password, mustChangePassword: true }, now);
      oneTimePassword = { email, password };
    }
  }

  let demoLoaded = false;
  if (isNew && ctx.config.demo) {
    await loadDemo(ctx.db, ctx.clock);
    demoLoaded = true;
  }
  return { sessionSecret: secret, oneTimePassword, demoLoaded };
}
