// Reported attendance of an approved date (issue 15): how many came, or that the date did not take place
// (a no-show). One row per reported date; a date without a row has no reported numbers, so the statistics can
// say honestly how many dates have them. No personal data: a number, a flag and who entered it.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('attendance')
    .addColumn('booking_id', 'integer', (c) => c.primaryKey().references('bookings.id').onDelete('cascade'))
    // null when the date did not take place
    .addColumn('attended', 'integer', (c) => c.check(sql`attended IS NULL OR (attended >= 0 AND attended <= 100000)`))
    .addColumn('took_place', 'integer', (c) => c.notNull().check(sql`took_place IN (0, 1)`))
    // 'staff' (entered on the statistics pages) or 'group' (the attendance mail's link, a later step)
    .addColumn('reported_by', 'text', (c) => c.notNull().check(sql`reported_by IN ('staff', 'group')`))
    .addColumn('reported_at', 'integer', (c) => c.notNull())
    .addCheckConstraint('attendance_consistent', sql`(took_place = 1 AND attended IS NOT NULL) OR (took_place = 0 AND attended IS NULL)`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('attendance').execute();
}
