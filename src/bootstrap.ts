// Brings a database to a usable state: migrations, settings, session secret, first admin, demo house.
import type { AppContext } from './context.js';
import { migrateToLatest, withStartupLock } from './db/migrate.js';
import { ensureSettings, sessionSecret } from './settings/repository.js';
import { countAdmins, insertUser, type NewUserInput } from './auth/users.js';
import { generatePassword, hashPassword } from './auth/passwords.js';
import { loadDemo } from './demo/house.js';
import { sealLegacyLinks, unreadableSecrets } from './mail/outbox.js';

export interface BootstrapResult {
  sessionSecret: string;
  /** Set when a first admin was created with a generated password, to print once. */
  oneTimePassword?: { email: string; password: string };
  demoLoaded: boolean;
}

/**
 * Everything a start writes happens under the startup lock, not only the migrations: a second process starting at
 * the same moment waits for the lock (minutes if need be) and then finds the house made, instead of waiting for
 * the first one's demo house in SQLite's busy handler, whose 5 seconds a busy machine can exceed ("database is
 * locked": one of two starts failed so in CI while the two cores were shared with a benchmark).
 */
export async function bootstrap(ctx: AppContext): Promise<BootstrapResult> {
  return withStartupLock(ctx.config.databasePath, () => bootstrapLocked(ctx));
}

async function bootstrapLocked(ctx: AppContext): Promise<BootstrapResult> {
  const migrated = await migrateToLatest(ctx.db);
  // Mails written before manage links were encrypted: sealed now that the key is at hand.
  const sealed = await sealLegacyLinks(ctx.db, ctx.mailKey);
  // The old page images (with the links) leave the write-ahead log too, not only the database file.
  if (migrated.length || sealed) ctx.store.checkpoint();
  const unreadable = await unreadableSecrets(ctx.db, ctx.mailKey);
  if (unreadable) {
    ctx.logger.error(
      { mails: unreadable, keyFile: ctx.config.mailKeyFile },
      'mail: the mail key does not open the manage links of waiting mails (MAIL_KEY_FILE lost or replaced); they will be marked failed',
    );
  }
  const now = ctx.clock().getTime();

  // Several processes may start at once on a new database: whether it is new, its settings and its first
  // admin are decided in one write transaction, so exactly one of them creates each. The password is
  // hashed before (it takes a while), only when no admin was seen.
  let firstAdmin: { input: NewUserInput; hash: string; generated: boolean } | undefined;
  if ((await countAdmins(ctx.db)) === 0) {
    const generated = !(ctx.config.adminEmail && ctx.config.adminPassword);
    const email = ctx.config.adminEmail ?? 'admin@localhost';
    const password = generated ? generatePassword() : ctx.config.adminPassword!;
    const input: NewUserInput = { email, name: 'Admin', role: 'admin', password, mustChangePassword: generated };
    firstAdmin = { input, hash: await hashPassword(password), generated };
  }
  const { isNew, adminCreated } = await ctx.db.transaction().execute(async (trx) => {
    const isNew = !(await trx.selectFrom('settings').select('id').executeTakeFirst());
    await ensureSettings(trx, ctx.clock);
    let adminCreated = false;
    if (firstAdmin && (await countAdmins(trx)) === 0) {
      await insertUser(trx, firstAdmin.input, firstAdmin.hash, now);
      adminCreated = true;
    }
    return { isNew, adminCreated };
  });
  const secret = await sessionSecret(ctx.db, ctx.config.sessionSecret);

  const oneTimePassword = adminCreated && firstAdmin?.generated ? { email: firstAdmin.input.email, password: firstAdmin.input.password } : undefined;

  let demoLoaded = false;
  if (isNew && ctx.config.demo) {
    await loadDemo(ctx.db, ctx.clock);
    demoLoaded = true;
  }
  return { sessionSecret: secret, oneTimePassword, demoLoaded };
}
