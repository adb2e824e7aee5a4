// Trying a write inside a transaction that the database guard may refuse (a clash), and going on either way.
// SQLite lets a transaction continue after a failed statement; PostgreSQL aborts the whole transaction. A
// SAVEPOINT around the attempt works in both: on a clash only the attempt is rolled back, the rest stays.
import { sql } from 'kysely';
import { isClashError, type Trx } from './database.js';

export type Attempt<T> = { ok: true; value: T } | { ok: false; clash: true };

let counter = 0;

/**
 * Runs `fn` inside a savepoint of the transaction `trx`. A clash (the guard's RAUMBUCH_CLASH) rolls back what
 * `fn` wrote and comes back as `{ ok: false, clash: true }`; the transaction goes on. Any other error rolls
 * back to the savepoint too and is thrown on. Attempts nest (each has its own savepoint).
 */
export async function attempt<T>(trx: Trx, fn: (trx: Trx) => Promise<T>): Promise<Attempt<T>> {
  const name = sql.id(`attempt_${++counter}`);
  await sql`SAVEPOINT ${name}`.execute(trx);
  let value: T;
  try {
    value = await fn(trx);
  } catch (err) {
    try {
      await sql`ROLLBACK TO SAVEPOINT ${name}`.execute(trx);
      await sql`RELEASE SAVEPOINT ${name}`.execute(trx);
    } catch {
      // The database already rolled back the whole transaction (a full disk, an I/O error): the first error
      // says what went wrong, not the missing savepoint.
      throw err;
    }
    if (isClashError(err)) return { ok: false, clash: true };
    throw err;
  }
  await sql`RELEASE SAVEPOINT ${name}`.execute(trx);
  return { ok: true, value };
}
