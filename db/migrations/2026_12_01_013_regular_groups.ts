// Regular groups and absence (issue 13). A regular group ("Stammgruppe") is matched by e-mail address or
// organisation name (both stored normalised: trimmed, lower case, inner spaces collapsed) and may use the listed
// rooms on the listed weekdays inside one local time window, optionally until a last date; a request of it that
// fits and clashes with nothing is approved at once, and the request remembers which group approved it.
// Absence: each account may be marked absent for local dates from–until (both inclusive); the house names a
// deputy account and an alternative public contact shown while an absence marked public runs.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('regular_groups')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('match_kind', 'text', (c) => c.notNull().check(sql`match_kind IN ('email', 'organisation')`))
    .addColumn('match_value', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('room_ids', 'text', (c) => c.notNull())
    .addColumn('weekdays', 'text', (c) => c.notNull())
    .addColumn('start_time', 'text', (c) => c.notNull())
    .addColumn('end_time', 'text', (c) => c.notNull())
    .addColumn('valid_until', 'text')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addUniqueConstraint('regular_groups_match', ['match_kind', 'match_value'])
    .execute();
  // Set when a regular group's allowance approved the request at once; the label as it was then.
  await sql`ALTER TABLE requests ADD COLUMN auto_group_id INTEGER REFERENCES regular_groups(id) ON DELETE SET NULL`.execute(db);
  await sql`ALTER TABLE requests ADD COLUMN auto_group_label TEXT`.execute(db);
  await sql`ALTER TABLE users ADD COLUMN absent_from TEXT`.execute(db);
  await sql`ALTER TABLE users ADD COLUMN absent_until TEXT`.execute(db);
  await sql`ALTER TABLE users ADD COLUMN absence_public INTEGER NOT NULL DEFAULT 1 CHECK (absence_public IN (0, 1))`.execute(db);
  await sql`ALTER TABLE settings ADD COLUMN deputy_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL`.execute(db);
  await sql`ALTER TABLE settings ADD COLUMN absence_contact_phone TEXT NOT NULL DEFAULT ''`.execute(db);
  await sql`ALTER TABLE settings ADD COLUMN absence_contact_email TEXT NOT NULL DEFAULT ''`.execute(db);
  await sql`ALTER TABLE settings ADD COLUMN absence_notice TEXT NOT NULL DEFAULT ''`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const c of ['absence_notice', 'absence_contact_email', 'absence_contact_phone', 'deputy_user_id'])
    await sql`ALTER TABLE settings DROP COLUMN ${sql.ref(c)}`.execute(db);
  for (const c of ['absence_public', 'absent_until', 'absent_from']) await sql`ALTER TABLE users DROP COLUMN ${sql.ref(c)}`.execute(db);
  for (const c of ['auto_group_label', 'auto_group_id']) await sql`ALTER TABLE requests DROP COLUMN ${sql.ref(c)}`.execute(db);
  await db.schema.dropTable('regular_groups').execute();
}
