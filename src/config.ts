// Every environment variable Raumbuch reads, parsed and validated once at start.
import { z } from 'zod';

export class ConfigError extends Error {}

const boolish = z.enum(['0', '1', 'true', 'false', 'yes', 'no']).transform((v) => v === '1' || v === 'true' || v === 'yes');

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_PATH: z.string().min(1).default('data/raumbuch.sqlite'),
  BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(10).max(128).optional(),
  SESSION_SECRET: z.string().min(32).optional(),
  DEMO: boolish.default(true),
  TRUST_PROXY: z.string().optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().min(3).optional(),
  MAIL_KEY_FILE: z.string().min(1).optional(),
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_KEEP: z.coerce.number().int().min(1).max(365).default(14),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().optional(),
  WEEK_CACHE_WEEKS: z.coerce.number().int().min(0).max(1000).default(48),
  STAFF_LIST_CACHE: z.coerce.number().int().min(0).max(1000).default(50),
});

export type Env = z.infer<typeof schema>;

export interface Config {
  port: number;
  host: string;
  databasePath: string;
  /** Absolute base URL for links in mails, feeds and QR codes; derived from HOST/PORT when unset. */
  baseUrl: string;
  baseUrlConfigured: boolean;
  adminEmail?: string;
  adminPassword?: string;
  sessionSecret?: string;
  demo: boolean;
  trustProxy: boolean | number | string;
  smtpUrl?: string;
  mailFrom: string;
  /** The key that encrypts manage links waiting in the outbox; null: a key in memory (in-memory database). */
  mailKeyFile: string | null;
  backupDir?: string;
  backupKeep: number;
  logLevel: Env['LOG_LEVEL'];
  /** Cookies get the Secure flag when the app is reached over HTTPS. */
  secureCookies: boolean;
  production: boolean;
  /** House weeks kept rendered for visitors the page cache cannot serve (src/calendar/routes.ts); 0: none. */
  weekCacheWeeks: number;
  /** Inbox lists (per filter and page) kept until the next commit, and the desk counts with them; 0: none. */
  staffListCache: number;
}

function parseTrustProxy(v: string | undefined): boolean | number | string {
  if (v === undefined || v === '' || v === '0' || v === 'false') return false;
  if (v === '1' || v === 'true') return 1;
  if (/^\d+$/.test(v)) return Number(v);
  return v; // e.g. "loopback" or a list of addresses, as Express understands it
}

/** Parses the environment; throws ConfigError with one clear line per bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  if ((e.ADMIN_EMAIL && !e.ADMIN_PASSWORD) || (!e.ADMIN_EMAIL && e.ADMIN_PASSWORD)) {
    throw new ConfigError('Invalid configuration: ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }
  const host = e.HOST === '0.0.0.0' || e.HOST === '::' ? 'localhost' : e.HOST;
  const baseUrl = (e.BASE_URL ?? `http://${host}:${e.PORT}`).replace(/\/+$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    databasePath: e.DATABASE_PATH,
    baseUrl,
    baseUrlConfigured: Boolean(e.BASE_URL),
    adminEmail: e.ADMIN_EMAIL,
    adminPassword: e.ADMIN_PASSWORD,
    sessionSecret: e.SESSION_SECRET,
    demo: e.DEMO,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM ?? 'Raumbuch <raumbuch@localhost>',
    mailKeyFile: e.MAIL_KEY_FILE ?? (e.DATABASE_PATH === ':memory:' ? null : `${e.DATABASE_PATH}.key`),
    backupDir: e.BACKUP_DIR,
    backupKeep: e.BACKUP_KEEP,
    logLevel: e.LOG_LEVEL,
    secureCookies: baseUrl.startsWith('https://'),
    production: e.NODE_ENV === 'production',
    weekCacheWeeks: e.WEEK_CACHE_WEEKS,
    staffListCache: e.STAFF_LIST_CACHE,
  };
}

/** A configuration for tests: in-memory database, no demo data. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ DATABASE_PATH: ':memory:', DEMO: '0', LOG_LEVEL: 'silent' }), ...overrides };
}
