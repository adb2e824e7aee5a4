// The writes that finish a login and an own password change, each in one short transaction (the password
// hashing happens before it: it takes a while and needs no lock).
import type { DB } from '../db/database.js';
import { audit } from '../audit/log.js';
import { releaseLoginAttempt, type LoginReservation } from './login-limit.js';
import { endSessionsOf, recordLogin, setPasswordHash } from './users.js';

type Reserved = Extract<LoginReservation, { ok: true }>;

/** A correct password at login: the reserved attempt is released, the login recorded and audited. */
export async function completeLogin(db: DB, reservation: Reserved, email: string, userId: number, now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await releaseLoginAttempt(trx, reservation, email);
    await recordLogin(trx, userId, now);
    await audit(trx, { at: now, userId, actor: 'user', action: 'auth.login', entity: 'user', entityId: userId });
  });
}

/**
 * A user replaced their own password (checked against the current one): the new hash is stored, and every other
 * browser logged in with the old password is logged out (all sessions but `keepSessionId`).
 */
export async function changeOwnPassword(
  db: DB,
  reservation: Reserved,
  user: { id: number; email: string },
  hash: string,
  keepSessionId: string,
  now: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await releaseLoginAttempt(trx, reservation, user.email);
    await setPasswordHash(trx, user.id, hash, false, now);
    await endSessionsOf(trx, user.id, keepSessionId);
    await audit(trx, { at: now, userId: user.id, actor: 'user', action: 'auth.password_changed', entity: 'user', entityId: user.id });
  });
}
