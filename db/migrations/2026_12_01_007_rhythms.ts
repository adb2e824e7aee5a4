// Rhythms besides "every 1–4 weeks": a request's series can also be "every first/second/third/fourth/last
// <weekday> of the month" (the weekday of its first date) or a hand-picked list of dates. Three new columns on
// requests: repeat_kind ('weekly', 'monthly', 'dates'; NULL for a single date), repeat_nth (monthly: 1–4, or -1
// for the last one) and repeat_dates (hand-picked: a JSON array of 'YYYY-MM-DD'). Existing weekly series get
// repeat_kind 'weekly' and keep repeat_weeks, first_date and last_date as they were.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('requests')
    .addColumn('repeat_kind', 'text', (c) => c.check(sql`repeat_kind IS NULL OR repeat_kind IN ('weekly', 'monthly', 'dates')`))
    .execute();
  await db.schema
    .alterTable('requests')
    .addColumn('repeat_nth', 'integer', (c) => c.check(sql`repeat_nth IS NULL OR repeat_nth IN (-1, 1, 2, 3, 4)`))
    .execute();
  await db.schema
    .alterTable('requests')
    .addColumn('repeat_dates', 'text', (c) => c.check(sql`repeat_dates IS NULL OR json_valid(repeat_dates)`))
    .execute();
  await sql`UPDATE requests SET repeat_kind = 'weekly' WHERE repeat_weeks IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('requests').dropColumn('repeat_dates').execute();
  await db.schema.alterTable('requests').dropColumn('repeat_nth').execute();
  await db.schema.alterTable('requests').dropColumn('repeat_kind').execute();
}
