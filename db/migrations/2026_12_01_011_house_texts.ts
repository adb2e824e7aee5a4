// The house's own texts in other languages (issue 14): one table of translations of the texts the house writes
// (about text, house rules, privacy notice, imprint; a room's description, floor and accessibility notes; a
// closure's public label), German (the house language) staying where it was as the source and fallback. Each
// translation keeps the hash of the source text it was made from, so a later change of the source marks it
// outdated, and its own version, raised on every save. A request records in which language (and which
// translation version) the group was shown the house rules and the privacy notice it accepted.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('house_text_translations')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    // 'media' is allowed already for the pictures' alt texts, which still keep their German and English columns
    // (media.alt_de, media.alt_en): moving them here later needs no rebuild of this table.
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('house', 'room', 'block', 'media')`))
    // The room's or blocked time's id; 0 for the house's own texts (a NULL would not be unique in SQLite).
    .addColumn('owner_id', 'integer', (c) => c.notNull().check(sql`owner_id >= 0`))
    .addColumn('field', 'text', (c) => c.notNull().check(sql`length(field) BETWEEN 1 AND 40`))
    .addColumn('lang', 'text', (c) => c.notNull().check(sql`length(lang) BETWEEN 2 AND 20`))
    .addColumn('text', 'text', (c) => c.notNull().check(sql`length(text) BETWEEN 1 AND 60000`))
    // SHA-256 (hex) of the source text the translation was made from.
    .addColumn('source_hash', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`version >= 1`),
    )
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addUniqueConstraint('house_text_translations_one', ['kind', 'owner_id', 'field', 'lang'])
    .execute();
  // A removed blocked time takes its translations along (rooms are deactivated, never deleted).
  await sql`CREATE TRIGGER house_text_translations_block_gone AFTER DELETE ON blocked_times BEGIN
    DELETE FROM house_text_translations WHERE kind = 'block' AND owner_id = OLD.id;
  END`.execute(db);
  await sql`CREATE TRIGGER house_text_translations_room_gone AFTER DELETE ON rooms BEGIN
    DELETE FROM house_text_translations WHERE kind = 'room' AND owner_id = OLD.id;
  END`.execute(db);
  // What the group was shown when it accepted: every request before this was shown the German texts.
  await sql`ALTER TABLE requests ADD COLUMN rules_lang TEXT NOT NULL DEFAULT 'de' CHECK (length(rules_lang) BETWEEN 2 AND 20)`.execute(db);
  await sql`ALTER TABLE requests ADD COLUMN rules_translation_version INTEGER CHECK (rules_translation_version IS NULL OR rules_translation_version >= 1)`.execute(
    db,
  );
  await sql`ALTER TABLE requests ADD COLUMN privacy_lang TEXT NOT NULL DEFAULT 'de' CHECK (length(privacy_lang) BETWEEN 2 AND 20)`.execute(db);
  await sql`ALTER TABLE requests ADD COLUMN privacy_translation_version INTEGER CHECK (privacy_translation_version IS NULL OR privacy_translation_version >= 1)`.execute(
    db,
  );
  // A house whose language is not German was showing its texts in its own language.
  await sql`UPDATE requests SET rules_lang = (SELECT default_language FROM settings WHERE id = 1), privacy_lang = (SELECT default_language FROM settings WHERE id = 1)
    WHERE EXISTS (SELECT 1 FROM settings WHERE id = 1)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const c of ['privacy_translation_version', 'privacy_lang', 'rules_translation_version', 'rules_lang'])
    await sql`ALTER TABLE requests DROP COLUMN ${sql.ref(c)}`.execute(db);
  await sql`DROP TRIGGER house_text_translations_room_gone`.execute(db);
  await sql`DROP TRIGGER house_text_translations_block_gone`.execute(db);
  await db.schema.dropTable('house_text_translations').execute();
}
