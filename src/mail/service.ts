// What staff do with the outbox: put a failed mail back in the queue, with its audit entry, in one transaction.
import type { DB } from '../db/database.js';
import { audit } from '../audit/log.js';
import { resendMail } from './outbox.js';

/** False when the mail is not (or no longer) failed: nothing was changed. */
export async function requeueMail(db: DB, mailId: number, userId: number, now: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await resendMail(trx, mailId, now))) return false;
    await audit(trx, { at: now, userId, actor: 'user', action: 'outbox.resend', entity: 'outbox', entityId: mailId });
    return true;
  });
}
