// Queries of the pictures: one stored size to serve, a room's photos, the house's logo and floor plan, and the
// index of every picture's sizes (no bytes) that public pages read, reused until the next commit.
import type { Conn, DB } from '../db/database.js';
import type { MediaFormat, MediaKind } from '../db/schema.js';
import { versioned } from '../db/versioned.js';
import type { Variant } from './images.js';

export interface MediaSize {
  name: string;
  format: MediaFormat;
  width: number;
  height: number;
}

export interface MediaItem {
  id: number;
  kind: MediaKind;
  roomId: number | null;
  position: number;
  /** The alt text in the house language; its translations are house texts (src/house-texts, kind 'media'). */
  altDe: string;
  width: number;
  height: number;
  sizes: MediaSize[];
}

export interface MediaIndex {
  logo: MediaItem | null;
  floorPlan: MediaItem | null;
  /** Photos of active rooms by the room's slug, in their order. */
  photosBySlug: ReadonlyMap<string, MediaItem[]>;
}

/** The bytes of one size of a picture, with what the response needs. */
export async function findVariant(db: Conn, mediaId: number, name: string) {
  return db.selectFrom('media_variants').select(['format', 'etag', 'bytes']).where('media_id', '=', mediaId).where('name', '=', name).executeTakeFirst();
}

async function items(db: Conn, filter: { roomId?: number; kinds?: MediaKind[]; ids?: number[] }): Promise<MediaItem[]> {
  let q = db.selectFrom('media').selectAll();
  if (filter.roomId !== undefined) q = q.where('room_id', '=', filter.roomId);
  if (filter.kinds) q = q.where('kind', 'in', filter.kinds);
  if (filter.ids) q = q.where('id', 'in', filter.ids);
  const rows = await q.orderBy('room_id').orderBy('position').orderBy('id').execute();
  if (!rows.length) return [];
  const sizes = await db
    .selectFrom('media_variants')
    .select(['media_id', 'name', 'format', 'width', 'height'])
    .where(
      'media_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('media_id')
    .orderBy('width')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    roomId: r.room_id,
    position: r.position,
    altDe: r.alt_de,
    width: r.width,
    height: r.height,
    sizes: sizes.filter((s) => s.media_id === r.id).map(({ name, format, width, height }) => ({ name, format, width, height })),
  }));
}

export function listRoomPhotos(db: Conn, roomId: number): Promise<MediaItem[]> {
  return items(db, { roomId, kinds: ['room_photo'] });
}

export async function findMedia(db: Conn, id: number): Promise<MediaItem | undefined> {
  return (await items(db, { ids: [id] }))[0];
}

export async function houseImages(db: Conn): Promise<{ logo: MediaItem | null; floorPlan: MediaItem | null }> {
  const list = await items(db, { kinds: ['logo', 'floor_plan'] });
  return { logo: list.find((m) => m.kind === 'logo') ?? null, floorPlan: list.find((m) => m.kind === 'floor_plan') ?? null };
}

/** Every picture's sizes for the public pages and the header; read again after any commit. */
export function mediaIndex(ctx: { db: DB; dataVersion(): string }): Promise<MediaIndex> {
  return versioned(ctx, 'media', async () => {
    const house = await houseImages(ctx.db);
    const rooms = await ctx.db.selectFrom('rooms').select(['id', 'slug']).where('active', '=', 1).execute();
    const photos = await items(ctx.db, { kinds: ['room_photo'] });
    const photosBySlug = new Map<string, MediaItem[]>();
    for (const room of rooms) {
      const list = photos.filter((p) => p.roomId === room.id);
      if (list.length) photosBySlug.set(room.slug, list);
    }
    return { ...house, photosBySlug };
  });
}

export async function countRoomPhotos(db: Conn, roomId: number): Promise<number> {
  const row = await db
    .selectFrom('media')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('room_id', '=', roomId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertMedia(
  db: Conn,
  m: { kind: MediaKind; roomId: number | null; altDe: string; width: number; height: number; now: number },
  variants: Variant[],
): Promise<number> {
  const last =
    m.roomId === null
      ? undefined
      : await db
          .selectFrom('media')
          .select((eb) => eb.fn.max('position').as('p'))
          .where('room_id', '=', m.roomId)
          .executeTakeFirst();
  const position = last?.p === null || last?.p === undefined ? 0 : Number(last.p) + 1;
  const row = await db
    .insertInto('media')
    .values({ kind: m.kind, room_id: m.roomId, position, alt_de: m.altDe, width: m.width, height: m.height, created_at: m.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const v of variants) {
    await db
      .insertInto('media_variants')
      .values({ media_id: row.id, name: v.name, format: v.format, width: v.width, height: v.height, etag: v.etag, bytes: v.bytes })
      .execute();
  }
  return row.id;
}

export async function deleteMedia(db: Conn, id: number): Promise<void> {
  await db.deleteFrom('media').where('id', '=', id).execute();
}

export async function updateMediaAlt(db: Conn, id: number, altDe: string): Promise<void> {
  await db.updateTable('media').set({ alt_de: altDe }).where('id', '=', id).execute();
}

export async function setMediaPosition(db: Conn, id: number, position: number): Promise<void> {
  await db.updateTable('media').set({ position }).where('id', '=', id).execute();
}
