// The migration tests' database: in memory, migrated up to the migration before the one under test, with rows
// written as the old schema had them, then migrated to the latest (as a start of the new version does) and down again.
// Call useDatabaseBefore('<name>') in a describe block: each test gets its own database, closed after it.
import type BetterSqlite3 from 'better-sqlite3';
import { Migrator } from 'kysely';
import { afterEach, beforeEach, expect } from 'vitest';
import { migrations } from '../../db/migrations/index.js';
import { openDatabase, sqliteHandleForTests, type DB, type OpenedDatabase } from '../../src/db/database.js';

export interface OldDatabase {
  /** The running test's database (Kysely). */
  readonly db: DB;
  /** Its better-sqlite3 handle: rows as the old schema had them, PRAGMAs, the schema itself. */
  raw(): BetterSqlite3.Database;
  /** Migrates back down to where the test began (the migration under test goes down); fails the test on an error. */
  migrateBack(): Promise<void>;
}

export function useDatabaseBefore(migration: string): OldDatabase {
  let opened: OpenedDatabase | undefined;
  const current = (): OpenedDatabase => {
    if (!opened) throw new Error('useDatabaseBefore: the database exists only inside a test');
    return opened;
  };
  const migrateTo = async () => {
    const migrator = new Migrator({ db: current().db, provider: { getMigrations: async () => migrations } });
    const { error } = await migrator.migrateTo(migration);
    expect(error).toBeUndefined();
  };
  beforeEach(async () => {
    opened = openDatabase(':memory:');
    await migrateTo();
  });
  afterEach(async () => {
    await opened?.db.destroy();
    opened = undefined;
  });
  return {
    get db() {
      return current().db;
    },
    raw: () => sqliteHandleForTests(current()),
    migrateBack: migrateTo,
  };
}

/** The house settings row, in house language `lang`, with the columns the settings had from 2026_12_01_010 to 017. */
export function insertHouseSettings(raw: BetterSqlite3.Database, lang: string): void {
  raw
    .prepare(
      `INSERT INTO settings (id, house_name, reference_prefix, street, postal_code, city, contact_name, contact_email, contact_phone, timezone, federal_state, default_language, about_text, rules_text, rules_version, privacy_text, privacy_version, imprint_text, opening_hours, lead_time_days, horizon_months, retention_months, updated_at)
       VALUES (1, 'Haus', 'HdB', '', '', '', '', '', '', 'Europe/Berlin', 'BE', ?, '', 'Regeln', 2, 'Datenschutz', 1, '', '{}', 2, 12, 6, 0)`,
    )
    .run(lang);
}
