// A scratch table for the health check's write probe: /healthz writes and removes one row here to find out
// whether the database can be written at all (disk full, read-only), without touching the house's data.
import { type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('storage_probe')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('data', 'blob', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('storage_probe').execute();
}
