// A staff member's private feed address: creating (or replacing) and revoking it, each with its audit entry,
// in one transaction. Only the token's hash is stored; the route shows the token once.
import type { DB } from '../db/database.js';
import { audit } from '../audit/log.js';
import { setFeedTokenHash } from './repository.js';

export async function createFeedToken(db: DB, userId: number, tokenHash: string, replaced: boolean, now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await setFeedTokenHash(trx, userId, tokenHash, now);
    await audit(trx, { at: now, userId, actor: 'user', action: 'feed.token.create', entity: 'user', entityId: userId, details: { replaced } });
  });
}

export async function revokeFeedToken(db: DB, userId: number, now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await setFeedTokenHash(trx, userId, null, now);
    await audit(trx, { at: now, userId, actor: 'user', action: 'feed.token.revoke', entity: 'user', entityId: userId });
  });
}
