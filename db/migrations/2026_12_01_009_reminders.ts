// Reminders (issue 13): the settings for reminder mails and the staff's daily summary, each account's switch
// for the summary, and the record of what was sent. A reminder is recorded once per date and kind, a summary
// once per account and local day (UNIQUE): two processes or a restart can never send one twice. Reminder
// mails carry a manage link of their own; only its hash is kept (manage_tokens), like the request's own link.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE settings ADD COLUMN reminder_days INTEGER NOT NULL DEFAULT 2 CHECK (reminder_days BETWEEN 0 AND 30)`.execute(db);
  await sql`ALTER TABLE settings ADD COLUMN key_pickup_text TEXT NOT NULL DEFAULT ''`.execute(db);
  await sql`ALTER TABLE settings ADD COLUMN summary_hour INTEGER NOT NULL DEFAULT 7 CHECK (summary_hour BETWEEN 0 AND 23)`.execute(db);
  await sql`ALTER TABLE users ADD COLUMN daily_summary INTEGER NOT NULL DEFAULT 1 CHECK (daily_summary IN (0, 1))`.execute(db);
  await db.schema
    .createTable('reminders')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('booking_id', 'integer', (c) => c.notNull().references('bookings.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'integer', (c) => c.notNull())
    .addColumn('outbox_id', 'integer')
    .addUniqueConstraint('reminders_booking_kind', ['booking_id', 'kind'])
    .execute();
  await db.schema
    .createTable('daily_summaries')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('local_date', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'integer', (c) => c.notNull())
    .addColumn('outbox_id', 'integer')
    .addUniqueConstraint('daily_summaries_user_date', ['user_id', 'local_date'])
    .execute();
  await db.schema
    .createTable('manage_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'integer', (c) => c.notNull().references('requests.id').onDelete('cascade'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('manage_tokens_request').on('manage_tokens').column('request_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('manage_tokens').execute();
  await db.schema.dropTable('daily_summaries').execute();
  await db.schema.dropTable('reminders').execute();
  await sql`ALTER TABLE users DROP COLUMN daily_summary`.execute(db);
  for (const c of ['summary_hour', 'key_pickup_text', 'reminder_days']) await sql`ALTER TABLE settings DROP COLUMN ${sql.ref(c)}`.execute(db);
}
