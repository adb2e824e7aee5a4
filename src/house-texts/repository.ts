// Queries of the house texts: their sources (the house language's texts, where they have always lived: the
// settings row, the rooms, the blocked times) and their translations (house_text_translations).
import type { Conn } from '../db/database.js';
import type { HouseTextKind } from '../db/schema.js';

/** One translatable text in the house language, where it lives. */
export interface SourceText {
  kind: HouseTextKind;
  ownerId: number;
  field: string;
  text: string;
  /** What it belongs to, for the staff list: the room's name, the blocked time's start; '' for the house. */
  ownerName: string;
  /** A blocked time's start and end (for the staff list); 0 otherwise. */
  startAt: number;
  endAt: number;
  /** 0 for a deactivated room (its texts are still kept and shown on old links). */
  active: boolean;
  /** A picture's alt text: a room's photo (its room and place, 1 the first) or the floor plan. */
  picture?: { kind: 'room_photo' | 'floor_plan'; roomId: number | null; n: number };
}

export interface TranslationRow {
  kind: HouseTextKind;
  ownerId: number;
  field: string;
  lang: string;
  text: string;
  sourceHash: string;
  version: number;
  updatedAt: number;
}

export const HOUSE_FIELDS = ['about', 'rules', 'privacy', 'imprint', 'key_pickup'] as const;
export const ROOM_FIELDS = ['description', 'floor', 'accessibility_notes'] as const;
export const BLOCK_FIELDS = ['label'] as const;
export const MEDIA_FIELDS = ['alt'] as const;
export type HouseField = (typeof HOUSE_FIELDS)[number];

/** Every source text: the house's five (with the key pickup note), each room's three, each public blocked time's label (when it
 *  has one), each room photo's and the floor plan's alt text. */
export async function findSources(db: Conn): Promise<SourceText[]> {
  const s = await db
    .selectFrom('settings')
    .select(['about_text', 'rules_text', 'privacy_text', 'imprint_text', 'key_pickup_text'])
    .where('id', '=', 1)
    .executeTakeFirst();
  const out: SourceText[] = [];
  const base = { ownerName: '', startAt: 0, endAt: 0, active: true };
  if (s) {
    const byField: Record<HouseField, string> = {
      about: s.about_text,
      rules: s.rules_text,
      privacy: s.privacy_text,
      imprint: s.imprint_text,
      // Where and when to pick up the key, in the reminder mail to the group (src/reminders).
      key_pickup: s.key_pickup_text.trim(),
    };
    for (const field of HOUSE_FIELDS) out.push({ ...base, kind: 'house', ownerId: 0, field, text: byField[field] });
  }
  const rooms = await db
    .selectFrom('rooms')
    .select(['id', 'name', 'description', 'floor', 'accessibility_notes', 'active'])
    .orderBy('sort_order')
    .orderBy('name')
    .execute();
  for (const r of rooms)
    for (const field of ROOM_FIELDS) out.push({ ...base, kind: 'room', ownerId: r.id, field, text: r[field], ownerName: r.name, active: r.active === 1 });
  const blocks = await db
    .selectFrom('blocked_times')
    .select(['id', 'label', 'start_at', 'end_at'])
    .where('is_public', '=', 1)
    .where('label', '!=', '')
    .orderBy('start_at')
    .execute();
  for (const b of blocks) out.push({ ...base, kind: 'block', ownerId: b.id, field: 'label', text: b.label, startAt: b.start_at, endAt: b.end_at });
  // The pictures' alt texts (the logo's is the house name, never written): each room's photos in their order, the plan.
  const pictures = await db
    .selectFrom('media')
    .select(['id', 'kind', 'room_id', 'alt_de'])
    .where('kind', 'in', ['room_photo', 'floor_plan'])
    .orderBy('room_id')
    .orderBy('position')
    .orderBy('id')
    .execute();
  const roomOf = new Map(rooms.map((r) => [r.id, r]));
  const places = new Map<number, number>();
  for (const p of pictures) {
    if (p.kind === 'logo') continue;
    const room = p.room_id === null ? undefined : roomOf.get(p.room_id);
    const n = (places.get(p.room_id ?? 0) ?? 0) + 1;
    places.set(p.room_id ?? 0, n);
    out.push({
      ...base,
      kind: 'media',
      ownerId: p.id,
      field: 'alt',
      text: p.alt_de,
      ownerName: room?.name ?? '',
      active: room ? room.active === 1 : true,
      picture: { kind: p.kind, roomId: p.room_id, n },
    });
  }
  return out;
}

/** Every translation (all languages): a few per text, read once per data version. */
export async function findTranslations(db: Conn): Promise<TranslationRow[]> {
  const rows = await db
    .selectFrom('house_text_translations')
    .select(['kind', 'owner_id', 'field', 'lang', 'text', 'source_hash', 'version', 'updated_at'])
    .execute();
  return rows.map((r) => ({
    kind: r.kind,
    ownerId: r.owner_id,
    field: r.field,
    lang: r.lang,
    text: r.text,
    sourceHash: r.source_hash,
    version: r.version,
    updatedAt: r.updated_at,
  }));
}

export interface TextKey {
  kind: HouseTextKind;
  ownerId: number;
  field: string;
  lang: string;
}

export async function findTranslation(db: Conn, k: TextKey): Promise<{ text: string; sourceHash: string; version: number } | undefined> {
  const r = await db
    .selectFrom('house_text_translations')
    .select(['text', 'source_hash', 'version'])
    .where('kind', '=', k.kind)
    .where('owner_id', '=', k.ownerId)
    .where('field', '=', k.field)
    .where('lang', '=', k.lang)
    .executeTakeFirst();
  return r && { text: r.text, sourceHash: r.source_hash, version: r.version };
}

export async function upsertTranslation(
  db: Conn,
  k: TextKey,
  v: { text: string; sourceHash: string; version: number; now: number; userId: number },
): Promise<void> {
  await db
    .insertInto('house_text_translations')
    .values({
      kind: k.kind,
      owner_id: k.ownerId,
      field: k.field,
      lang: k.lang,
      text: v.text,
      source_hash: v.sourceHash,
      version: v.version,
      updated_at: v.now,
      updated_by: v.userId,
    })
    .onConflict((oc) =>
      oc
        .columns(['kind', 'owner_id', 'field', 'lang'])
        .doUpdateSet({ text: v.text, source_hash: v.sourceHash, version: v.version, updated_at: v.now, updated_by: v.userId }),
    )
    .execute();
}

export async function deleteTranslation(db: Conn, k: TextKey): Promise<void> {
  await db
    .deleteFrom('house_text_translations')
    .where('kind', '=', k.kind)
    .where('owner_id', '=', k.ownerId)
    .where('field', '=', k.field)
    .where('lang', '=', k.lang)
    .execute();
}

/** The house language (the language of the source texts). */
export async function findHouseLanguage(db: Conn): Promise<string> {
  const s = await db.selectFrom('settings').select('default_language').where('id', '=', 1).executeTakeFirst();
  return s?.default_language ?? 'de';
}
