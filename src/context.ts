// What every part of the app is handed: no globals (tests build their own with an in-memory database).
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import { openDatabase, type DatabaseStore, type DB } from './db/database.js';
import { systemClock, type Clock } from './time/index.js';
import { loadMailKey } from './mail/secrets.js';
import { mailNotifier } from './mail/notify.js';
import type { Notifier } from './bookings/events.js';

export interface AppContext {
  db: DB;
  /** Backup, checkpoint and the like (src/db/database.ts); the SQLite handle itself stays there. */
  store: DatabaseStore;
  /** See DatabaseStore.dataVersion. */
  dataVersion(): string;
  config: Config;
  clock: Clock;
  logger: Logger;
  /** Encrypts the manage links of mails waiting in the outbox (src/mail/secrets.ts); never stored in the database. */
  mailKey: Buffer;
  /** Handed to the booking services: writes each event's mails to the outbox (src/mail/notify.ts). */
  notify: Notifier;
  destroy(): Promise<void>;
}

export function createLogger(level: Config['logLevel']): Logger {
  // Never log request bodies, cookies or authorization: they can hold personal data and tokens.
  return pino({ level, base: undefined, redact: { paths: ['req.headers.cookie', 'req.headers.authorization'], remove: true } });
}

export function createContext(config: Config, opts: { clock?: Clock; logger?: Logger; mailKey?: Buffer } = {}): AppContext {
  const mailKey = opts.mailKey ?? loadMailKey(config.mailKeyFile);
  const { db, store, dataVersion } = openDatabase(config.databasePath);
  const clock = opts.clock ?? systemClock;
  return {
    db,
    store,
    dataVersion,
    config,
    clock,
    logger: opts.logger ?? createLogger(config.logLevel),
    mailKey,
    notify: mailNotifier({ baseUrl: config.baseUrl, clock, mailKey }),
    async destroy() {
      await db.destroy();
    },
  };
}
