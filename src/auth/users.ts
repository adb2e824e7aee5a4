// Accounts of caretakers and admins: queries.
import { sql } from 'kysely';
import type { Conn } from '../db/database.js';
import type { Role, User } from '../db/schema.js';
import { hashPassword } from './passwords.js';

export async function findUserByEmail(db: Conn, email: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email.trim()).executeTakeFirst();
}

export async function findUserById(db: Conn, id: number): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countAdmins(db: Conn): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface NewUserInput {
  email: string;
  name: string;
  role: Role;
  password: string;
  mustChangePassword?: boolean;
}

export async function createUser(db: Conn, u: NewUserInput, now: number): Promise<number> {
  return insertUser(db, u, await hashPassword(u.password), now);
}

/** Inserts an account with an already computed hash (hash before opening a write transaction: it takes a while). */
export async function insertUser(db: Conn, u: Omit<NewUserInput, 'password'>, password_hash: string, now: number): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({
      email: u.email.trim(),
      name: u.name,
      role: u.role,
      password_hash,
      active: 1,
      must_change_password: u.mustChangePassword ? 1 : 0,
      language: 'de',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Sets a new password (and whether it must be changed at next login) and reactivates the account. */
export async function setPassword(db: Conn, userId: number, password: string, mustChange: boolean, now: number): Promise<void> {
  const password_hash = await hashPassword(password);
  await db
    .updateTable('users')
    .set({ password_hash, must_change_password: mustChange ? 1 : 0, active: 1, updated_at: now })
    .where('id', '=', userId)
    .execute();
}

/** Ends every stored session of a user (after a password reset, deactivation or own password change), except one. */
export async function endSessionsOf(db: Conn, userId: number, exceptSid?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where(sql<number>`json_extract(data, '$.userId')`, '=', userId);
  if (exceptSid) q = q.where('sid', '<>', exceptSid);
  await q.execute();
}

export async function recordLogin(db: Conn, userId: number, now: number): Promise<void> {
  await db.updateTable('users').set({ last_login_at: now }).where('id', '=', userId).execute();
}

export async function listUsers(db: Conn): Promise<User[]> {
  return db.selectFrom('users').selectAll().orderBy('active', 'desc').orderBy('name').execute();
}

/** Stores an already computed password hash (the account's active state is left alone). */
export async function setPasswordHash(db: Conn, userId: number, password_hash: string, mustChange: boolean, now: number): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash, must_change_password: mustChange ? 1 : 0, updated_at: now })
    .where('id', '=', userId)
    .execute();
}
