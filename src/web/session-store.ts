// express-session store in the database (never the memory store), so sessions survive restarts
// and are shared by several processes on one database file.
import session from 'express-session';
import type { DB } from '../db/database.js';
import { storageFailure } from '../errors.js';
import type { Clock } from '../time/index.js';

/** A stored session as set() wrote it (its data as JSON): an object, else no session. */
function parseSession(data: string): session.SessionData | null {
  const v: unknown = JSON.parse(data);
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as session.SessionData) : null;
}

const DEFAULT_TTL_MS = 8 * 3600_000;
/**
 * Prolonging a session (rolling idle timeout) is a write with an fsync on every page a signed-in account opens;
 * under ten parallel staff requests those writes queue behind each other. A session whose stored expiry is less
 * than this much behind the new one is not written again: the idle timeout may end up to a minute early.
 */
export const TOUCH_SLACK_MS = 60_000;
/** Expiries remembered per session id (read or written by this process); forgotten past this many. */
const KNOWN_LIMIT = 10_000;
/** The session cookie's name. */
export const SESSION_COOKIE_NAME = 'rb.sid';

export class KyselySessionStore extends session.Store {
  #writes = 0;
  /** The expiry each session id has in the database, as this process last read or wrote it. */
  readonly #known = new Map<string, number>();
  constructor(
    private readonly db: DB,
    private readonly clock: Clock,
  ) {
    super();
  }

  // The idle timeout counts on the app's clock (not the cookie's wall-clock expiry), so tests that
  // set the clock see sessions expire exactly as production does.
  #expiry(sess: session.SessionData): number {
    const maxAge = sess.cookie?.originalMaxAge;
    return this.clock().getTime() + (typeof maxAge === 'number' && maxAge > 0 ? maxAge : DEFAULT_TTL_MS);
  }

  override get(sid: string, cb: (err: unknown, session?: session.SessionData | null) => void): void {
    this.db
      .selectFrom('sessions')
      .select(['data', 'expires_at'])
      .where('sid', '=', sid)
      .executeTakeFirst()
      .then((row) => {
        if (row) this.#remember(sid, row.expires_at);
        cb(null, row && row.expires_at > this.clock().getTime() ? parseSession(row.data) : null);
      }, cb);
  }

  #remember(sid: string, expiresAt: number): void {
    if (this.#known.size >= KNOWN_LIMIT && !this.#known.has(sid)) this.#known.clear();
    this.#known.set(sid, expiresAt);
  }

  override set(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    const row = { sid, expires_at: this.#expiry(sess), data: JSON.stringify(sess) };
    this.db
      .insertInto('sessions')
      .values(row)
      .onConflict((oc) => oc.column('sid').doUpdateSet({ expires_at: row.expires_at, data: row.data }))
      .execute()
      .then(() => this.#remember(sid, row.expires_at))
      .then(() => (++this.#writes % 200 === 0 ? this.prune() : undefined))
      .then(
        () => cb?.(),
        (e) => cb?.(unlessStorage(e)),
      );
  }

  override touch(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    const expiresAt = this.#expiry(sess);
    const known = this.#known.get(sid);
    if (known !== undefined && expiresAt >= known && expiresAt - known < TOUCH_SLACK_MS) {
      cb?.();
      return;
    }
    this.db
      .updateTable('sessions')
      .set({ expires_at: expiresAt })
      .where('sid', '=', sid)
      .execute()
      .then(
        () => {
          this.#remember(sid, expiresAt);
          cb?.();
        },
        (e) => cb?.(unlessStorage(e)),
      );
  }

  override destroy(sid: string, cb?: (err?: unknown) => void): void {
    this.#known.delete(sid);
    this.db
      .deleteFrom('sessions')
      .where('sid', '=', sid)
      .execute()
      .then(
        () => cb?.(),
        (e) => cb?.(e),
      );
  }

  /** Removes expired sessions. */
  async prune(): Promise<void> {
    await this.db.deleteFrom('sessions').where('expires_at', '<=', this.clock().getTime()).execute();
  }
}

/**
 * Saving or prolonging a session happens while the answer is already on its way (express-session waits for it
 * before ending the response). When the disk is full or the database read-only, the answer itself already
 * says so (the 503 page); failing here as well would break that answer off half-sent. The session is then
 * simply not prolonged.
 */
function unlessStorage(e: unknown): unknown {
  return storageFailure(e) ? undefined : e;
}
