// The languages the house offers (issue 14): the public languages switched off in the house settings, as their
// codes separated by spaces ('' = every registered language on). Kept as the ones switched off, so a language
// added to the registry later is offered without touching the database; German is always offered.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE settings ADD COLUMN disabled_languages TEXT NOT NULL DEFAULT '' CHECK (length(disabled_languages) <= 400)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE settings DROP COLUMN disabled_languages`.execute(db);
}
