// Rate limit for failed logins, per account and per client address, counted in the database
// (so it holds across restarts and across several processes sharing one database file).
import type { Conn } from '../db/database.js';

/** Failures are counted over this sliding window. */
export const LOGIN_WINDOW_MS = 15 * 60_000;
/** Failed attempts per account (e-mail address, known or not) within the window. */
export const ACCOUNT_LIMIT = 5;
/** Failed attempts per client address within the window (a shared office network needs some room). */
export const IP_LIMIT = 20;

export interface LoginKeys {
  email: string;
  ip: string;
}

const accountKey = (email: string) => email.trim().toLowerCase();

async function count(db: Conn, scope: 'account' | 'ip', key: string, since: number): Promise<number> {
  const row = await db
    .selectFrom('login_failures').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('scope', '=', scope).where('key', '=', key).where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** True when the account or the address has used up its failed attempts; then no password is checked. */
export async function isLoginLocked(db: Conn, k: LoginKeys, now: number): Promise<boolean> {
  const since = now - LOGIN_WINDOW_MS;
  if ((await count(db, 'ip', k.ip, since)) >= IP_LIMIT) return true;
  return (await count(db, 'account', accountKey(k.email), since)) >= ACCOUNT_LIMIT;
}

export async function recordLoginFailure(db: Conn, k: LoginKeys, now: number): Promise<void> {
  await db.deleteFrom('login_failures').where('at', '<=', now - LOGIN_WINDOW_MS).execute();
  await db
    .insertInto('login_failures')
    .values([
      { scope: 'account', key: accountKey(k.email), at: now },
      { scope: 'ip', key: k.ip, at: now },
    ])
    .execute();
}

/** A successful login forgets the account's failures (not the address's). */
export async function clearAccountFailures(db: Conn, email: string): Promise<void> {
  await db.deleteFrom('login_failures').where('scope', '=', 'account').where('key', '=', accountKey(email)).execute();
}
