// Indexes for the per-address and per-request lookups of the privacy jobs (retention, access, erasure), so
// they stay index searches at 200,000 bookings instead of one table scan per address.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('requests_email_normalised')
    .on('requests')
    .expression(sql`lower(trim(email))`)
    .execute();
  await db.schema.createIndex('outbox_request').on('outbox').column('request_id').execute();
  await db.schema
    .createIndex('outbox_address_normalised')
    .on('outbox')
    .expression(sql`lower(trim(to_address))`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbox_address_normalised').execute();
  await db.schema.dropIndex('outbox_request').execute();
  await db.schema.dropIndex('requests_email_normalised').execute();
}
