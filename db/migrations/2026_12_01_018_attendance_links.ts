// Attendance links (issue 15): after each approved date the group gets one mail with a link to report how many
// came. One row per date (UNIQUE booking_id), written in the transaction that queues the mail, so two processes
// or a restart never mail a date twice. Only the link's SHA-256 is kept; an erased request loses its links
// (the reported number itself stays in `attendance`). A switch in the settings turns the mails off.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE settings ADD COLUMN attendance_mails INTEGER NOT NULL DEFAULT 1 CHECK (attendance_mails IN (0, 1))`.execute(db);
  await db.schema
    .createTable('attendance_links')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('booking_id', 'integer', (c) => c.notNull().unique().references('bookings.id').onDelete('cascade'))
    .addColumn('request_id', 'integer', (c) => c.notNull().references('requests.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('sent_at', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .addColumn('outbox_id', 'integer')
    .execute();
  await db.schema.createIndex('attendance_links_request').on('attendance_links').column('request_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('attendance_links').execute();
  await sql`ALTER TABLE settings DROP COLUMN attendance_mails`.execute(db);
}
