// Staff accounts as the admin manages them: the writes of a role change and of (de)activation. Lookups and
// password storage are shared with the login and live in auth/users.ts.
import type { Conn } from '../db/database.js';
import type { Role } from '../db/schema.js';

export async function setUserActive(db: Conn, userId: number, active: boolean, now: number): Promise<void> {
  await db
    .updateTable('users')
    .set({ active: active ? 1 : 0, updated_at: now })
    .where('id', '=', userId)
    .execute();
}

export async function setUserRole(db: Conn, userId: number, role: Role, now: number): Promise<void> {
  await db.updateTable('users').set({ role, updated_at: now }).where('id', '=', userId).execute();
}
