// Rate limit for password checks, per account and per client address, counted in the database (so it holds
// across restarts and across several processes sharing one database file). Each check first reserves a row
// for the account and one for the address, inside one write transaction (BEGIN IMMEDIATE): parallel attempts
// queue for that lock, so no more than the limit can pass the check, however many arrive at once. A failed
// check keeps its rows (they are the failures); a successful one removes them.
import type { Conn, DB } from '../db/database.js';
import { LOGIN_WINDOW_MS, retryTime } from '../web/limits.js';
/** Password checks (failed or in progress) per account (e-mail address, known or not) within the window. */
export const ACCOUNT_LIMIT = 5;
/** Password checks (failed or in progress) per client address within the window (a shared office network needs some room). */
export const IP_LIMIT = 20;
/** Old rows removed per reservation: enough to keep the table small, never a long delete. */
const PRUNE_BATCH = 200;

export interface LoginKeys {
  email: string;
  ip: string;
}

export type LoginReservation =
  | { ok: true; ids: number[] }
  /** Locked: no password may be checked before `retryAt` (epoch ms). */
  | { ok: false; retryAt: number };

const accountKey = (email: string) => email.trim().toLowerCase();

/** Epoch ms of the rows in the window, oldest first. */
async function times(db: Conn, scope: 'account' | 'ip', key: string, since: number): Promise<number[]> {
  const rows = await db
    .selectFrom('login_failures')
    .select('at')
    .where('scope', '=', scope)
    .where('key', '=', key)
    .where('at', '>', since)
    .orderBy('at')
    .execute();
  return rows.map((r) => r.at);
}

/**
 * Reserves one password check for the account and the address, or says until when they are locked.
 * Takes the database (not a transaction): it opens its own short write transaction.
 */
export async function reserveLoginAttempt(db: DB, k: LoginKeys, now: number): Promise<LoginReservation> {
  const since = now - LOGIN_WINDOW_MS;
  return db.transaction().execute(async (trx) => {
    const old = trx.selectFrom('login_failures').select('id').where('at', '<=', since).limit(PRUNE_BATCH);
    await trx.deleteFrom('login_failures').where('id', 'in', old).execute();
    const byIp = await times(trx, 'ip', k.ip, since);
    const byAccount = await times(trx, 'account', accountKey(k.email), since);
    const waits: number[] = [];
    if (byIp.length >= IP_LIMIT) waits.push(retryTime(byIp, IP_LIMIT, LOGIN_WINDOW_MS));
    if (byAccount.length >= ACCOUNT_LIMIT) waits.push(retryTime(byAccount, ACCOUNT_LIMIT, LOGIN_WINDOW_MS));
    if (waits.length) return { ok: false as const, retryAt: Math.max(...waits) };
    const ids = await trx
      .insertInto('login_failures')
      .values([
        { scope: 'account', key: accountKey(k.email), at: now },
        { scope: 'ip', key: k.ip, at: now },
      ])
      .returning('id')
      .execute();
    return { ok: true as const, ids: ids.map((r) => r.id) };
  });
}

/** The password was right: its reservation does not count, and the account's earlier failures are forgotten (not the address's). */
export async function releaseLoginAttempt(db: Conn, reservation: { ids: number[] }, email: string): Promise<void> {
  await db.deleteFrom('login_failures').where('id', 'in', reservation.ids).execute();
  await clearAccountFailures(db, email);
}

/** Forgets an account's failures (after a successful login, or when an admin resets the password). */
export async function clearAccountFailures(db: Conn, email: string): Promise<void> {
  await db.deleteFrom('login_failures').where('scope', '=', 'account').where('key', '=', accountKey(email)).execute();
}
