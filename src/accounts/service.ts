// The admin's changes to staff accounts, each in one transaction with its audit entry: create with a one-time
// password, change role, deactivate, reactivate, reset the password. Never yourself, never the last active admin.
import type { Conn, DB } from '../db/database.js';
import type { Role, User } from '../db/schema.js';
import type { MessageKey } from '../i18n/index.js';
import { DomainError } from '../errors.js';
import { audit } from '../audit/log.js';
import { generatePassword, hashPassword } from '../auth/passwords.js';
import { countAdmins, endSessionsOf, findUserByEmail, findUserById, insertUser, setPasswordHash } from '../auth/users.js';
import { setUserActive, setUserRole } from './repository.js';
import type { NewAccountInput } from './schema.js';

type Actor = { userId: number; now: number };

/** Why a change to an account is refused; each is a conflict with the accounts as they are. */
export type AccountRefusalCode = 'email_taken' | 'self' | 'last_admin';

/** The refusal's catalog text (the page shows it; `status` is the conflict the page answers with). */
const REFUSALS: Record<AccountRefusalCode, MessageKey> = {
  email_taken: 'users.error.emailTaken',
  self: 'users.error.self',
  last_admin: 'users.error.lastAdmin',
};

export type AccountResult = { ok: true; password?: string; user: User } | { ok: false; code: AccountRefusalCode; key: MessageKey; status: 409 };

const refused = (code: AccountRefusalCode): AccountResult => ({ ok: false, code, key: REFUSALS[code], status: 409 });

/** Creates an account with a generated one-time password that must be changed at first login. */
export async function createAccount(db: DB, input: NewAccountInput, actor: Actor): Promise<AccountResult> {
  const password = generatePassword();
  const hash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    if (await findUserByEmail(trx, input.email)) return refused('email_taken');
    const id = await insertUser(trx, { ...input, mustChangePassword: true }, hash, actor.now);
    await audit(trx, {
      at: actor.now,
      userId: actor.userId,
      actor: 'user',
      action: 'user.created',
      entity: 'user',
      entityId: id,
      details: { email: input.email, role: input.role },
    });
    return { ok: true, password, user: (await findUserById(trx, id))! };
  });
}

/**
 * The checks of every change to another account, inside the write transaction so two admins acting at once
 * cannot both remove an admin: not yourself, and the last active admin stays an active admin.
 */
async function guarded(
  db: DB,
  targetId: number,
  actor: Actor,
  removesAdmin: (u: User) => boolean,
  change: (trx: Conn, u: User) => Promise<AccountResult>,
): Promise<AccountResult> {
  return db.transaction().execute(async (trx) => {
    const user = await findUserById(trx, targetId);
    if (!user) throw new DomainError('not_found');
    if (user.id === actor.userId) return refused('self');
    if (removesAdmin(user) && (await countAdmins(trx)) <= 1) return refused('last_admin');
    return change(trx, user);
  });
}

export function setAccountActive(db: DB, targetId: number, active: boolean, actor: Actor): Promise<AccountResult> {
  return guarded(
    db,
    targetId,
    actor,
    (u) => !active && u.role === 'admin' && u.active === 1,
    async (trx, u) => {
      await setUserActive(trx, u.id, active, actor.now);
      if (!active) await endSessionsOf(trx, u.id);
      await audit(trx, {
        at: actor.now,
        userId: actor.userId,
        actor: 'user',
        action: active ? 'user.reactivated' : 'user.deactivated',
        entity: 'user',
        entityId: u.id,
      });
      return { ok: true, user: u };
    },
  );
}

export function changeRole(db: DB, targetId: number, role: Role, actor: Actor): Promise<AccountResult> {
  return guarded(
    db,
    targetId,
    actor,
    (u) => u.role === 'admin' && role !== 'admin' && u.active === 1,
    async (trx, u) => {
      if (u.role !== role) {
        await setUserRole(trx, u.id, role, actor.now);
        await audit(trx, {
          at: actor.now,
          userId: actor.userId,
          actor: 'user',
          action: 'user.role_changed',
          entity: 'user',
          entityId: u.id,
          details: { from: u.role, to: role },
        });
      }
      return { ok: true, user: u };
    },
  );
}

/** A new one-time password (the account keeps its active state); its sessions end. */
export async function resetAccountPassword(db: DB, targetId: number, actor: Actor): Promise<AccountResult> {
  const password = generatePassword();
  const password_hash = await hashPassword(password);
  return guarded(
    db,
    targetId,
    actor,
    () => false,
    async (trx, u) => {
      await setPasswordHash(trx, u.id, password_hash, true, actor.now);
      await endSessionsOf(trx, u.id);
      await audit(trx, { at: actor.now, userId: actor.userId, actor: 'user', action: 'user.password_reset', entity: 'user', entityId: u.id });
      return { ok: true, password, user: u };
    },
  );
}
