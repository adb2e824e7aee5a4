// Events counted by the public limits (request sends, refused forms, series previews, unknown manage links),
// per client address. A table, not a memory counter, so the limits are shared by every process on one
// database file and survive a restart. Rows older than the longest window are pruned as new ones come in.
import { type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_events_key').on('rate_events').columns(['bucket', 'key', 'at']).execute();
  await db.schema.createIndex('rate_events_at').on('rate_events').column('at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_events').execute();
}
