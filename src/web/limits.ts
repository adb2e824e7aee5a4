// Limits stored in the database (shared by every process on one database file, kept across restarts), and
// how a refusal tells people when to try again. What people do (sending a request that is stored) and what
// robots do (refused forms, the honeypot, unknown manage links) are counted in separate buckets with their
// own thresholds, so a robot on a shared connection (the house Wi-Fi, an office PC) cannot use up the
// sends of the honest groups behind the same address.
import type { Request, Response } from 'express';
import type { Conn } from '../db/database.js';
import { storageFailure } from '../errors.js';
import { formatTime } from '../time/format.js';
import { NotFoundError, TooManyRequestsError } from './errors.js';

export interface LimitRule {
  bucket: string;
  /** Events per key within the window; the next one is refused. */
  limit: number;
  windowMs: number;
}

/** Requests stored (sent successfully) per client address and hour: what people do. */
export const REQUESTS_SENT: LimitRule = { bucket: 'request.sent', limit: 20, windowMs: 3600_000 };
/** Sends refused (honeypot, form errors, a form shown again after an expired session) per address and hour. */
export const REQUESTS_REFUSED: LimitRule = { bucket: 'request.refused', limit: 20, windowMs: 3600_000 };
/** Series previews per address and hour: they store nothing, but each plans up to a year of dates. */
export const PREVIEWS: LimitRule = { bucket: 'request.preview', limit: 200, windowMs: 3600_000 };
/** Unknown (or malformed) manage links per address and 15 minutes: on the manage pages and request calendars. */
export const UNKNOWN_LINKS: LimitRule = { bucket: 'link.unknown', limit: 20, windowMs: 15 * 60_000 };

/**
 * Failed logins (auth/login-limit.ts) are counted over this sliding window. It lives here, with the other
 * windows, because pruneLimits clears their table too; auth imports it (web never imports auth).
 */
export const LOGIN_WINDOW_MS = 15 * 60_000;

/**
 * When a sliding-window count of `ats` (oldest first, all inside the window) drops below `limit`:
 * the moment the oldest rows that keep it at the limit leave the window.
 */
export function retryTime(ats: number[], limit: number, windowMs: number): number {
  const oldest = ats[ats.length - limit];
  if (oldest === undefined) throw new Error(`retryTime needs at least ${limit} attempts, got ${ats.length}`);
  return oldest + windowMs;
}

/** Rows older than the longest window are of no use: removed, a bounded batch at a time, as new ones come. */
const LONGEST_WINDOW_MS = 3600_000;
const PRUNE_BATCH = 200;

export type Admission = { ok: true; id: number } | { ok: false; retryAt: number };

/** The client address a limit counts by (the real one behind a proxy when TRUST_PROXY is set). */
export const clientKey = (req: Request): string => req.ip ?? 'unknown';

/**
 * Counts one event of `rule` for `key`, or, when the key has used up the rule within the window, counts
 * nothing and says from when it works again. Check and count happen inside one write transaction (the
 * caller's, or a new one), so parallel requests, also from other processes, cannot all pass the check.
 * Refused events are not counted: the limit lifts at the time it names.
 */
export async function admit(db: Conn, rule: LimitRule, key: string, now: number): Promise<Admission> {
  const run = async (trx: Conn): Promise<Admission> => {
    const old = trx
      .selectFrom('rate_events')
      .select('id')
      .where('at', '<=', now - LONGEST_WINDOW_MS)
      .limit(PRUNE_BATCH);
    await trx.deleteFrom('rate_events').where('id', 'in', old).execute();
    const rows = await trx
      .selectFrom('rate_events')
      .select('at')
      .where('bucket', '=', rule.bucket)
      .where('key', '=', key)
      .where('at', '>', now - rule.windowMs)
      .orderBy('at')
      .execute();
    if (rows.length >= rule.limit)
      return {
        ok: false,
        retryAt: retryTime(
          rows.map((r) => r.at),
          rule.limit,
          rule.windowMs,
        ),
      };
    const row = await trx.insertInto('rate_events').values({ bucket: rule.bucket, key, at: now }).returning('id').executeTakeFirstOrThrow();
    return { ok: true, id: row.id };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/**
 * Removes every counted event (and failed login) older than its longest window, in bounded batches: the
 * hourly job calls it, so client addresses are not kept longer than about two hours even when nobody comes.
 */
export async function pruneLimits(db: Conn, now: number): Promise<number> {
  let removed = 0;
  for (const [table, window] of [
    ['rate_events', LONGEST_WINDOW_MS],
    ['login_failures', LOGIN_WINDOW_MS],
  ] as const) {
    for (;;) {
      const old = db
        .selectFrom(table)
        .select('id')
        .where('at', '<=', now - window)
        .limit(PRUNE_BATCH * 5);
      const r = await db.deleteFrom(table).where('id', 'in', old).executeTakeFirst();
      const n = Number(r.numDeletedRows);
      removed += n;
      if (n < PRUNE_BATCH * 5) break;
    }
  }
  return removed;
}

/**
 * The local wall-clock time (HH:mm, house zone) from which a limited action works again, rounded up to the
 * next full minute so that trying at the time shown always works. The catalog adds "Uhr" where it belongs.
 */
export function retryClock(retryAt: number, zone: string): string {
  return formatTime(Math.ceil(retryAt / 60_000) * 60_000, zone);
}

/** Sets Retry-After (seconds) for clients that read it. */
export function setRetryAfter(res: Response, retryAt: number, now: number): void {
  res.set('Retry-After', String(Math.max(1, Math.ceil((retryAt - now) / 1000))));
}

/** The 429 error page naming the time from which it works again. */
export function tooManyUntil(req: Request, res: Response, retryAt: number, now: number): TooManyRequestsError {
  setRetryAfter(res, retryAt, now);
  return new TooManyRequestsError('error.tooMany.links', { time: retryClock(retryAt, req.house.zone) });
}

/**
 * A manage link that matches no request: a plain 404, counted per address; once the address has tried too
 * many unknown links, 429 with the time instead. A group's own (known) link is never refused.
 */
export async function unknownLink(db: Conn, req: Request, res: Response, now: number): Promise<NotFoundError | TooManyRequestsError> {
  let a: Admission;
  try {
    a = await admit(db, UNKNOWN_LINKS, clientKey(req), now);
  } catch (err) {
    // A full disk must not turn a wrong link into an error page: it stays a 404, uncounted.
    if (storageFailure(err)) return new NotFoundError();
    throw err;
  }
  return a.ok ? new NotFoundError() : tooManyUntil(req, res, a.retryAt, now);
}
