// Queries of the requests area: a request by its manage-link token and the dates it owns.
import type { Conn } from '../db/database.js';
import type { Booking, Request } from '../db/schema.js';
import { hashToken } from './reference.js';

/** What a manage-link token looks like (newManageToken: 32 random bytes, base64url). */
export const TOKEN_RE = /^[A-Za-z0-9_-]{20,100}$/;

/** The request a manage-link token opens; undefined for a malformed, unknown or anonymised one. */
export async function findRequestByToken(db: Conn, token: string): Promise<Request | undefined> {
  if (!TOKEN_RE.test(token)) return undefined;
  const row = await db.selectFrom('requests').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
  return row && row.anonymized_at === null ? row : undefined;
}

/** Every date of a request, in time order. */
export async function listBookingsOf(db: Conn, requestId: number): Promise<Booking[]> {
  return db.selectFrom('bookings').selectAll().where('request_id', '=', requestId).orderBy('start_at').orderBy('id').execute();
}
