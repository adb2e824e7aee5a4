// Migrating an existing database to languages as data (2026_12_01_006_languages): the house settings survive the
// table rebuild unchanged, and the default language is no longer limited to de/en by the database (the language
// registry in code decides), while an empty code is still refused.
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { useDatabaseBefore } from '../helpers/migration.js';

describe('the migration to languages as data', () => {
  const old = useDatabaseBefore('2026_12_01_005_staff');

  const settingsRow = () => old.raw().prepare('SELECT * FROM settings').all();

  it('keeps the house settings as they were and lets the registry, not a CHECK, decide the languages', async () => {
    old
      .raw()
      .prepare(
        `INSERT INTO settings (id, house_name, reference_prefix, street, city, timezone, federal_state, default_language,
      about_text, rules_text, rules_version, privacy_version, opening_hours, lead_time_days, session_secret, updated_at)
      VALUES (1, 'Haus der Begegnung', 'HdB', 'Lindenstraße 5', 'Berlin', 'Europe/Berlin', 'BY', 'en',
      'Über uns', 'Regeln „mit Anführungszeichen“', 3, 2, '{"1":null}', 4, 'geheim', 1700000000000)`,
      )
      .run();
    expect(() => old.raw().prepare(`UPDATE settings SET default_language = 'uk'`).run()).toThrow(/CHECK/);
    const before = settingsRow();

    await migrateToLatest(old.db);

    // Every column the row had keeps its value (columns later migrations add, with defaults, are not this one's business).
    const kept = (settingsRow() as Record<string, unknown>[]).map((r) => Object.fromEntries(Object.keys(before[0] as object).map((k) => [k, r[k]])));
    expect(kept).toEqual(before);
    old.raw().prepare(`UPDATE settings SET default_language = 'uk'`).run();
    expect(old.raw().prepare('SELECT default_language FROM settings').get()).toEqual({ default_language: 'uk' });
    expect(() => old.raw().prepare(`UPDATE settings SET default_language = ''`).run()).toThrow(/CHECK/);
    expect(() => old.raw().prepare(`INSERT INTO settings (id, house_name, opening_hours, updated_at) VALUES (2, 'x', '{}', 0)`).run()).toThrow(/CHECK/);
    expect(old.raw().pragma('foreign_key_check')).toEqual([]);
    expect(old.raw().pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('migrates a database whose house is not set up yet', async () => {
    await migrateToLatest(old.db);
    expect(settingsRow()).toEqual([]);
    const names = (old.raw().prepare(`SELECT name FROM sqlite_master WHERE name LIKE 'settings%'`).all() as { name: string }[]).map((r) => r.name);
    expect(names).toEqual(['settings']);
  });
});
