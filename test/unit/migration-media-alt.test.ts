// Migrating pictures' alt texts onto the house text translations (2026_12_01_020_media_alt): an existing English
// alt text becomes the English translation of the German one (made from it, so "translated", not "outdated"), the
// English column is gone, a removed picture takes its translations along, and the migration goes down again.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { insertHouseSettings, useDatabaseBefore } from '../helpers/migration.js';
import { aRoom } from '../helpers/factories.js';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('the migration of alt texts to translations', () => {
  const old = useDatabaseBefore('2026_12_01_017_api_origins');

  const raw = () => old.raw();
  const settingsRow = (lang: string) => insertHouseSettings(raw(), lang);
  const picture = (roomId: number | null, altDe: string, altEn: string) =>
    Number(
      raw()
        .prepare(`INSERT INTO media (kind, room_id, position, alt_de, alt_en, width, height, created_at) VALUES (?, ?, 0, ?, ?, 800, 600, 0)`)
        .run(roomId === null ? 'floor_plan' : 'room_photo', roomId, altDe, altEn).lastInsertRowid,
    );
  const translations = () =>
    raw().prepare('SELECT kind, owner_id, field, lang, text, source_hash, version FROM house_text_translations ORDER BY owner_id, lang').all();
  const columns = () => (raw().prepare('PRAGMA table_info(media)').all() as { name: string }[]).map((c) => c.name);

  it('copies each English alt text as the English translation of the German one and drops the column', async () => {
    settingsRow('de');
    const room = await aRoom(old.db);
    const hall = picture(room.id, 'Der Saal mit Bühne', 'The hall with its stage');
    const kitchen = picture(room.id, 'Die Küche', '');
    const plan = picture(null, 'Erdgeschoss', 'Ground floor');

    await migrateToLatest(old.db);

    expect(translations()).toEqual([
      { kind: 'media', owner_id: hall, field: 'alt', lang: 'en', text: 'The hall with its stage', source_hash: sha('Der Saal mit Bühne'), version: 1 },
      { kind: 'media', owner_id: plan, field: 'alt', lang: 'en', text: 'Ground floor', source_hash: sha('Erdgeschoss'), version: 1 },
    ]);
    expect(columns()).not.toContain('alt_en');
    expect(raw().prepare('SELECT id, alt_de FROM media ORDER BY id').all()).toEqual([
      { id: hall, alt_de: 'Der Saal mit Bühne' },
      { id: kitchen, alt_de: 'Die Küche' },
      { id: plan, alt_de: 'Erdgeschoss' },
    ]);
    expect(raw().pragma('integrity_check', { simple: true })).toBe('ok');

    // A removed picture takes its translations along, and no other's.
    raw().prepare('DELETE FROM media WHERE id = ?').run(hall);
    expect(translations()).toEqual([expect.objectContaining({ owner_id: plan, lang: 'en' })]);
  });

  it('makes the English text the source in a house that writes in English, the German one its translation', async () => {
    settingsRow('en');
    const room = await aRoom(old.db);
    const id = picture(room.id, 'Der Saal', 'The hall');
    await migrateToLatest(old.db);
    expect(raw().prepare('SELECT alt_de FROM media').get()).toEqual({ alt_de: 'The hall' });
    expect(translations()).toEqual([{ kind: 'media', owner_id: id, field: 'alt', lang: 'de', text: 'Der Saal', source_hash: sha('The hall'), version: 1 }]);
  });

  it('goes down again, the English translations back in their column', async () => {
    settingsRow('de');
    const room = await aRoom(old.db);
    picture(room.id, 'Der Saal', 'The hall');
    await migrateToLatest(old.db);
    await old.migrateBack();
    expect(raw().prepare('SELECT alt_de, alt_en FROM media').get()).toEqual({ alt_de: 'Der Saal', alt_en: 'The hall' });
    expect(translations()).toEqual([]);
  });
});
