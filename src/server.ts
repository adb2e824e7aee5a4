// Process entry: read config, check the database folder and version, back up before migrating, migrate,
// listen, run the background jobs, and shut down cleanly on a signal. Every refusal to start is one line
// on stderr and a non-zero exit, before anything listens.
import { ConfigError, loadConfig } from './config.js';
import { createContext, type AppContext } from './context.js';
import { bootstrap } from './bootstrap.js';
import { createApp } from './app.js';
import { createHttpServer } from './web/http-objects.js';
import { startMailWorker, type MailWorker } from './mail/worker.js';
import { checkDatabaseFolder, checkDatabaseVersion, needsBackupBeforeMigration, StartupError } from './ops/startup.js';
import { backupBeforeMigration } from './ops/backup.js';
import { startJobs, type Jobs } from './ops/jobs.js';

function refuse(message: string, code = 1): never {
  console.error(`Raumbuch could not start: ${message.replace(/\s*\n\s*/g, ' ')}`);
  process.exit(code);
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) refuse(e.message, 2);
    throw e;
  }
  checkDatabaseFolder(config.databasePath);
  const ctx = createContext(config);
  try {
    checkDatabaseVersion(ctx.store);
    if (needsBackupBeforeMigration(ctx.store)) {
      const file = await backupBeforeMigration(ctx.store, config.databasePath, config.backupDir, ctx.clock());
      ctx.logger.info({ file }, 'backup before migrating written');
      console.log(`Backup before migrating: ${file}`);
    }
  } catch (e) {
    await ctx.destroy();
    throw e;
  }
  const result = await bootstrap(ctx);
  if (result.oneTimePassword) {
    // Printed once, to the console only (not to the log): the admin must change it at first login.
    console.log(
      `\nFirst admin account created.\n  E-mail:   ${result.oneTimePassword.email}\n  Password: ${result.oneTimePassword.password}\n` +
        'This password is shown only now; you will be asked to change it at the first login.\n',
    );
  }
  const app = createApp(ctx, { sessionSecret: result.sessionSecret });
  let mailWorker: MailWorker | undefined;
  let jobs: Jobs | undefined;
  // Requests and responses made with Express's prototypes from the start (src/web/http-objects.ts).
  const server = createHttpServer(app);
  server.listen(config.port, config.host, () => {
    ctx.logger.info({ url: config.baseUrl, database: config.databasePath, demo: result.demoLoaded }, 'Raumbuch is running');
    console.log(`Raumbuch is running on ${config.baseUrl}`);
    mailWorker = startMailWorker(ctx);
    jobs = startJobs(ctx);
  });
  server.on('error', (e: NodeJS.ErrnoException) => {
    // Port taken or not allowed: nothing has been served yet, so close the database and refuse.
    void ctx.destroy().finally(() => refuse(`cannot listen on ${config.host}:${config.port} (${e.code ?? e.message})`));
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.logger.info({ signal }, 'shutting down');
    // Stop accepting; requests in flight finish, then their connections close.
    server.close(() => void shutdown(ctx, mailWorker, jobs));
    server.closeIdleConnections();
    // A keep-alive connection whose request finishes after this point becomes idle: close it then too.
    setInterval(() => server.closeIdleConnections(), 250).unref();
    setTimeout(() => {
      console.error('Raumbuch: requests did not finish within 10 s, exiting');
      process.exit(1);
    }, 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** After the last request: the jobs and the mail worker finish their current run, then the database closes. */
async function shutdown(ctx: AppContext, mailWorker: MailWorker | undefined, jobs: Jobs | undefined): Promise<void> {
  try {
    await Promise.all([jobs?.stop(), mailWorker?.stop()]);
    await ctx.destroy();
    ctx.logger.info('stopped');
    process.exit(0);
  } catch (e) {
    console.error(`Raumbuch: error while shutting down: ${(e as Error).message}`);
    process.exit(1);
  }
}

main().catch((e) => {
  refuse(e instanceof StartupError || e instanceof Error ? e.message : String(e));
});
