// Migrating an existing database to house text translations (2026_12_01_011_house_texts): every request sent before
// keeps its data and reads as accepted in the house language (the only one its texts had), the table refuses
// nonsense and duplicates, a removed blocked time takes its translations along, and the migration goes down again.
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { insertHouseSettings, useDatabaseBefore } from '../helpers/migration.js';
import { aBlockedTime, aBooking, aRoom } from '../helpers/factories.js';

describe('the migration to house text translations', () => {
  const old = useDatabaseBefore('2026_12_01_010_attendance');

  const raw = () => old.raw();
  const requests = () => raw().prepare('SELECT * FROM requests ORDER BY id').all() as Record<string, unknown>[];
  const settingsRow = (lang: string) => insertHouseSettings(raw(), lang);

  it('keeps every request and marks the texts it accepted as read in the house language', async () => {
    settingsRow('de');
    const room = await aRoom(old.db);
    await aBooking(old.db, { roomId: room.id, date: '2026-12-01' });
    await aBooking(old.db, { roomId: room.id, date: '2026-12-02' });
    const before = requests();
    const bookingsBefore = raw().prepare('SELECT * FROM bookings ORDER BY id').all();

    await migrateToLatest(old.db);

    const after = requests();
    const newColumns = ['rules_lang', 'rules_translation_version', 'privacy_lang', 'privacy_translation_version'];
    // The columns the rows had keep their values (later migrations' columns are not this one's concern).
    const asBefore = (r: Record<string, unknown>) => Object.fromEntries(Object.keys(before[0]!).map((k) => [k, r[k]]));
    expect(after.map(asBefore)).toEqual(before);
    expect(after.map((r) => newColumns.map((c) => r[c]))).toEqual([
      ['de', null, 'de', null],
      ['de', null, 'de', null],
    ]);
    expect(raw().prepare('SELECT * FROM bookings ORDER BY id').all()).toEqual(bookingsBefore);
    expect(raw().pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('takes an English house’s language for the requests it had', async () => {
    settingsRow('en');
    await aBooking(old.db, {});
    await migrateToLatest(old.db);
    expect(requests().map((r) => [r.rules_lang, r.privacy_lang])).toEqual([['en', 'en']]);
  });

  it('refuses unknown kinds, empty texts and a second translation of one text into one language', async () => {
    await migrateToLatest(old.db);
    const insert = (kind: string, owner: number, text: string) => () =>
      raw()
        .prepare(`INSERT INTO house_text_translations (kind, owner_id, field, lang, text, source_hash, updated_at) VALUES (?, ?, 'label', 'en', ?, 'h', 0)`)
        .run(kind, owner, text);
    expect(insert('poster', 1, 'x')).toThrow(/CHECK/);
    expect(insert('block', 1, '')).toThrow(/CHECK/);
    expect(insert('block', -1, 'x')).toThrow(/CHECK/);
    insert('block', 1, 'x')();
    expect(insert('block', 1, 'y')).toThrow(/UNIQUE/);
    expect(raw().prepare('SELECT version FROM house_text_translations').get()).toEqual({ version: 1 });
  });

  it('removes the translations of a deleted blocked time, and no other', async () => {
    await migrateToLatest(old.db);
    const gone = await aBlockedTime(old.db, { label: 'Weihnachten' });
    const kept = await aBlockedTime(old.db, { from: '2026-12-31', label: 'Silvester' });
    for (const id of [gone.id, kept.id])
      raw()
        .prepare(
          `INSERT INTO house_text_translations (kind, owner_id, field, lang, text, source_hash, updated_at) VALUES ('block', ?, 'label', 'en', 'x', 'h', 0)`,
        )
        .run(id);
    raw()
      .prepare(
        `INSERT INTO house_text_translations (kind, owner_id, field, lang, text, source_hash, updated_at) VALUES ('room', ?, 'floor', 'en', 'x', 'h', 0)`,
      )
      .run(gone.id);
    raw().prepare('DELETE FROM blocked_times WHERE id = ?').run(gone.id);
    expect(raw().prepare('SELECT kind, owner_id FROM house_text_translations ORDER BY id').all()).toEqual([
      { kind: 'block', owner_id: kept.id },
      { kind: 'room', owner_id: gone.id },
    ]);
  });

  it('goes down again', async () => {
    await migrateToLatest(old.db);
    await old.migrateBack();
    const columns = raw().pragma('table_info(requests)') as { name: string }[];
    expect(columns.map((c) => c.name)).not.toContain('rules_lang');
    expect(raw().prepare(`SELECT name FROM sqlite_master WHERE name LIKE 'house_text%'`).all()).toEqual([]);
  });
});
