// The public programme (issue 15): a request (or a house booking) can be marked a public event with a short
// plain-text description, stored with the language it was written in. Only title, description, room, time and
// kind ever leave the house; names and contact data stay in their own columns and are never selected.
// And the setting of the embeddable programme: which origins may frame /embed/programme.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('requests')
    .addColumn('public_event', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`public_event IN (0, 1)`),
    )
    .execute();
  await db.schema
    .alterTable('requests')
    .addColumn('public_description', 'text', (c) => c.check(sql`public_description IS NULL OR length(public_description) <= 2000`))
    .execute();
  await db.schema.alterTable('requests').addColumn('public_language', 'text').execute();
  // The widget (/embed/programme): the origins allowed to frame it, one per line; empty: embedding is off.
  await db.schema
    .alterTable('settings')
    .addColumn('embed_origins', 'text', (c) =>
      c
        .notNull()
        .defaultTo('')
        .check(sql`length(embed_origins) <= 4000`),
    )
    .execute();
  await db.schema.createIndex('requests_public_event').on('requests').column('public_event').where(sql.ref('public_event'), '=', 1).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('requests_public_event').execute();
  await db.schema.alterTable('settings').dropColumn('embed_origins').execute();
  await db.schema.alterTable('requests').dropColumn('public_language').execute();
  await db.schema.alterTable('requests').dropColumn('public_description').execute();
  await db.schema.alterTable('requests').dropColumn('public_event').execute();
}
