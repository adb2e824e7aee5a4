// Queries of the requests area: a request by its manage-link token and the dates it owns.
import type { Conn } from '../db/database.js';
import type { Booking, BookingRequest } from '../db/schema.js';
import { hashToken } from './reference.js';

/** What a manage-link token looks like (newManageToken: 32 random bytes, base64url). */
export const TOKEN_RE = /^[A-Za-z0-9_-]{20,100}$/;

/** The request a manage-link token opens; undefined for a malformed, unknown or anonymised one. */
export async function findRequestByToken(db: Conn, token: string): Promise<BookingRequest | undefined> {
  if (!TOKEN_RE.test(token)) return undefined;
  const hash = hashToken(token);
  // The request's own link, or one of the further links its reminder mails carried (table manage_tokens).
  const row = await db
    .selectFrom('requests')
    .selectAll()
    .where((eb) => eb.or([eb('token_hash', '=', hash), eb('id', 'in', eb.selectFrom('manage_tokens').select('request_id').where('token_hash', '=', hash))]))
    .executeTakeFirst();
  return row && row.anonymized_at === null ? row : undefined;
}

/** Every date of a request, in time order. */
export async function listBookingsOf(db: Conn, requestId: number): Promise<Booking[]> {
  return db.selectFrom('bookings').selectAll().where('request_id', '=', requestId).orderBy('start_at').orderBy('id').execute();
}

/** What the group did to its request, and what the house changed, as the manage page's history shows it. */
export interface RequestEvent {
  at: number;
  action: 'booking.cancel' | 'request.update' | 'request.changed';
  actor: 'user' | 'group' | 'system';
  /** Only the fields the history uses: counts and the house's message to the group; never who at the house. */
  bookingIds: number[];
  cancelledIds: number[];
  message: string | null;
}

const EVENT_ACTIONS = ['booking.cancel', 'request.update', 'request.changed'] as const;

/** The request's own entries of the audit log that the group may see, oldest first. */
export async function listRequestEvents(db: Conn, requestId: number): Promise<RequestEvent[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['at', 'action', 'actor', 'details'])
    .where('entity', '=', 'request')
    .where('entity_id', '=', requestId)
    .where('action', 'in', [...EVENT_ACTIONS])
    .orderBy('at')
    .orderBy('id')
    .execute();
  const ids = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);
  return rows.map((r) => {
    const d = JSON.parse(r.details) as Record<string, unknown>;
    return {
      at: r.at,
      action: r.action as RequestEvent['action'],
      actor: r.actor,
      bookingIds: ids(d.bookingIds),
      cancelledIds: ids(d.cancelledIds),
      message: typeof d.message === 'string' && d.message.trim() ? d.message : null,
    };
  });
}

/**
 * The dates the group itself cancelled with "absagen" on its manage page (from the audit log, written in
 * the same transaction as each cancellation). Dates an edit dropped from the series are cancelled too, but
 * are not in this set: a later edit that plans them again brings them back.
 */
export function datesCancelledByGroup(events: RequestEvent[]): Set<number> {
  return new Set(events.filter((e) => e.action === 'booking.cancel' && e.actor === 'group').flatMap((e) => e.bookingIds));
}
