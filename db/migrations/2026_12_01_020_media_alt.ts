// Pictures' alt texts in every language (issue 14's leftovers): the house language's text stays in media.alt_de
// (the source, as the German texts of rooms and settings stay where they were), every other language becomes a
// translation of kind 'media' (field 'alt') in house_text_translations, edited on /admin/translations with the
// other house texts. The English column's texts are copied over as translations made from the current source,
// and the column is dropped. A removed picture takes its translations along.
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

const hashOf = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export async function up(db: Kysely<any>): Promise<void> {
  const { rows: settings } = await sql<{ default_language: string }>`SELECT default_language FROM settings WHERE id = 1`.execute(db);
  const houseLang = settings[0]?.default_language ?? 'de';
  const { rows } = await sql<{ id: number; alt_de: string; alt_en: string }>`SELECT id, alt_de, alt_en FROM media WHERE alt_en != ''`.execute(db);
  const now = Date.now();
  for (const r of rows) {
    if (houseLang === 'en') {
      // A house writing in English had its source text in alt_en: it becomes the source, the German one a translation.
      if (!r.alt_en) continue;
      await db.updateTable('media').set({ alt_de: r.alt_en }).where('id', '=', r.id).execute();
      if (r.alt_de) await insert(db, r.id, 'de', r.alt_de, hashOf(r.alt_en), now);
    } else if (r.alt_en) {
      await insert(db, r.id, 'en', r.alt_en, hashOf(r.alt_de), now);
    }
  }
  await sql`CREATE TRIGGER house_text_translations_media_gone AFTER DELETE ON media BEGIN
    DELETE FROM house_text_translations WHERE kind = 'media' AND owner_id = OLD.id;
  END`.execute(db);
  await sql`ALTER TABLE media DROP COLUMN alt_en`.execute(db);
}

async function insert(db: Kysely<any>, mediaId: number, lang: string, text: string, sourceHash: string, now: number) {
  await db
    .insertInto('house_text_translations')
    .values({ kind: 'media', owner_id: mediaId, field: 'alt', lang, text, source_hash: sourceHash, version: 1, updated_at: now, updated_by: null })
    .onConflict((oc) => oc.columns(['kind', 'owner_id', 'field', 'lang']).doNothing())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE media ADD COLUMN alt_en text not null default '' check (length(alt_en) <= 300)`.execute(db);
  await sql`UPDATE media SET alt_en = coalesce((SELECT substr(text, 1, 300) FROM house_text_translations t
    WHERE t.kind = 'media' AND t.owner_id = media.id AND t.field = 'alt' AND t.lang = 'en'), '')`.execute(db);
  await sql`DROP TRIGGER house_text_translations_media_gone`.execute(db);
  await db.deleteFrom('house_text_translations').where('kind', '=', 'media').execute();
}
