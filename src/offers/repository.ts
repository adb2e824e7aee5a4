// Queries of the offers: an offer by its link's token, its options, the open offers of requests (the inbox mark).
import type { Conn } from '../db/database.js';
import type { OfferOptionsTable, OffersTable } from '../db/schema.js';
import type { Selectable } from 'kysely';
import { hashToken } from '../bookings/reference.js';
import { TOKEN_RE } from '../bookings/repository.js';

export type Offer = Selectable<OffersTable>;
export type OfferOptionRow = Selectable<OfferOptionsTable> & { roomName: string };

export async function findOfferByToken(db: Conn, token: string): Promise<Offer | undefined> {
  if (!TOKEN_RE.test(token)) return undefined;
  return db.selectFrom('offers').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
}

export async function findOffer(db: Conn, offerId: number): Promise<Offer | undefined> {
  return db.selectFrom('offers').selectAll().where('id', '=', offerId).executeTakeFirst();
}

/** An offer's options in their order, with the room's name. */
export async function listOfferOptions(db: Conn, offerId: number): Promise<OfferOptionRow[]> {
  return db
    .selectFrom('offer_options as o')
    .innerJoin('rooms as r', 'r.id', 'o.room_id')
    .selectAll('o')
    .select('r.name as roomName')
    .where('o.offer_id', '=', offerId)
    .orderBy('o.position')
    .execute();
}

/** The newest offer of a request (open, accepted or withdrawn), if any. */
export async function latestOffer(db: Conn, requestId: number): Promise<Offer | undefined> {
  return db.selectFrom('offers').selectAll().where('request_id', '=', requestId).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** Which of these requests have an offer the group has not answered yet and that has not expired. */
export async function requestsWithOpenOffer(db: Conn, requestIds: number[], now: number): Promise<Set<number>> {
  if (!requestIds.length) return new Set();
  const rows = await db
    .selectFrom('offers')
    .select('request_id')
    .where('request_id', 'in', requestIds)
    .where('status', '=', 'open')
    .where('expires_at', '>', now)
    .execute();
  return new Set(rows.map((r) => r.request_id));
}
