// Queries for the regular groups ("Stammgruppen").
import type { Conn } from '../db/database.js';
import type { RegularGroup, RegularGroupsTable } from '../db/schema.js';
import type { Insertable } from 'kysely';
import { normaliseMatch } from './rules.js';

export async function listRegularGroups(db: Conn): Promise<RegularGroup[]> {
  return db.selectFrom('regular_groups').selectAll().orderBy('label').orderBy('id').execute();
}

export async function findRegularGroup(db: Conn, id: number): Promise<RegularGroup | undefined> {
  return db.selectFrom('regular_groups').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The group a request's sender belongs to: by e-mail first, else by organisation; undefined when none. */
export async function findMatchingGroup(db: Conn, sender: { email: string; organisation: string | null }): Promise<RegularGroup | undefined> {
  const email = normaliseMatch(sender.email);
  const org = sender.organisation ? normaliseMatch(sender.organisation) : '';
  const rows = await db
    .selectFrom('regular_groups')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('match_kind', '=', 'email'), eb('match_value', '=', email)]),
        ...(org ? [eb.and([eb('match_kind', '=', 'organisation'), eb('match_value', '=', org)])] : []),
      ]),
    )
    .execute();
  return rows.find((r) => r.match_kind === 'email') ?? rows[0];
}

/** Another group with the same match (the list holds each address or organisation once). */
export async function findByMatch(db: Conn, kind: RegularGroup['match_kind'], value: string): Promise<RegularGroup | undefined> {
  return db.selectFrom('regular_groups').selectAll().where('match_kind', '=', kind).where('match_value', '=', value).executeTakeFirst();
}

export async function insertRegularGroup(db: Conn, row: Insertable<RegularGroupsTable>): Promise<number> {
  const r = await db.insertInto('regular_groups').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateRegularGroup(db: Conn, id: number, row: Partial<Insertable<RegularGroupsTable>>): Promise<void> {
  await db.updateTable('regular_groups').set(row).where('id', '=', id).execute();
}

export async function deleteRegularGroup(db: Conn, id: number): Promise<boolean> {
  const r = await db.deleteFrom('regular_groups').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}
