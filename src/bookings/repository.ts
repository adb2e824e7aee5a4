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

/**
 * The dates the group itself cancelled with "absagen" on its manage page (from the audit log, written in
 * the same transaction as each cancellation). Dates an edit dropped from the series are cancelled too, but
 * are not in this set: a later edit that plans them again brings them back.
 */
export async function datesCancelledByGroup(db: Conn, requestId: number): Promise<Set<number>> {
  const rows = await db.selectFrom('audit_log').select('details')
    .where('entity', '=', 'request').where('entity_id', '=', requestId)
    .where('action', '=', 'booking.cancel').where('actor', '=', 'group')
    .execute();
  const ids = new Set<number>();
  for (const r of rows) {
    const details = JSON.parse(r.details) as { bookingIds?: unknown };
    if (Array.isArray(details.bookingIds)) for (const id of details.bookingIds) if (typeof id === 'number') ids.add(id);
  }
  return ids;
}
