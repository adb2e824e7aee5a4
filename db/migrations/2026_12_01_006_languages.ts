// The house's default language is no longer limited to ('de','en') by a CHECK: the language registry
// (src/i18n/languages.ts) is the one list, and code validates against it, so adding a language needs no migration.
// SQLite cannot drop a CHECK, so the settings table is rebuilt: same columns in the same order, the row copied,
// nothing references it (no foreign keys, triggers or indexes on settings). Written out, not read from
// sqlite_master, so that this migration stays what it is when later ones change the table.
import { sql, type Kysely } from 'kysely';

function settingsTable(name: string, languageCheck: string): string {
  return `CREATE TABLE "${name}" ("id" integer primary key check (id = 1), "house_name" text not null,
    "reference_prefix" text default 'HdB' not null, "street" text default '' not null, "postal_code" text default '' not null,
    "city" text default '' not null, "contact_name" text default '' not null, "contact_email" text default '' not null,
    "contact_phone" text default '' not null, "timezone" text default 'Europe/Berlin' not null,
    "federal_state" text default 'BE' not null, "default_language" text default 'de' not null check (${languageCheck}),
    "about_text" text default '' not null, "rules_text" text default '' not null, "rules_version" integer default 1 not null,
    "privacy_text" text default '' not null, "privacy_version" integer default 1 not null, "imprint_text" text default '' not null,
    "opening_hours" text not null, "lead_time_days" integer default 2 not null, "horizon_months" integer default 12 not null,
    "retention_months" integer default 6 not null, "session_secret" text, "updated_at" integer not null)`;
}

const COLUMNS = `id, house_name, reference_prefix, street, postal_code, city, contact_name, contact_email, contact_phone, timezone,
  federal_state, default_language, about_text, rules_text, rules_version, privacy_text, privacy_version, imprint_text,
  opening_hours, lead_time_days, horizon_months, retention_months, session_secret, updated_at`;

async function rebuild(db: Kysely<any>, languageCheck: string): Promise<void> {
  await sql.raw(settingsTable('settings_rebuilt', languageCheck)).execute(db);
  await sql.raw(`INSERT INTO settings_rebuilt (${COLUMNS}) SELECT ${COLUMNS} FROM settings`).execute(db);
  await sql.raw(`DROP TABLE settings`).execute(db);
  await sql.raw(`ALTER TABLE settings_rebuilt RENAME TO settings`).execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  // Only the shape of a language code (a BCP 47 tag such as 'de' or 'pt-BR'); which ones exist is the registry's.
  await rebuild(db, `length(default_language) BETWEEN 2 AND 35`);
}

export async function down(db: Kysely<any>): Promise<void> {
  await rebuild(db, `default_language IN ('de','en')`);
}
