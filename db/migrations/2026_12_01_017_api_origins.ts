// The API's CORS setting (issue 15): the origins whose web pages may read /api/v1 from the browser, one per line,
// or '*' for every site (the API's data is public). Empty, the default: same-origin only, as before.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE settings ADD COLUMN api_origins TEXT NOT NULL DEFAULT ''`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE settings DROP COLUMN api_origins`.execute(db);
}
