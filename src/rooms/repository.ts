// Rooms and their parts: queries.
import type { Conn } from '../db/database.js';
import type { Room } from '../db/schema.js';
import type { PartLink, RoomShape } from '../bookings/overlap.js';
import { versioned } from '../db/versioned.js';

export async function listRooms(db: Conn, opts: { includeInactive?: boolean } = {}): Promise<Room[]> {
  let q = db.selectFrom('rooms').selectAll().orderBy('sort_order').orderBy('name');
  if (!opts.includeInactive) q = q.where('active', '=', 1);
  return q.execute();
}

export async function findRoomBySlug(db: Conn, slug: string): Promise<Room | undefined> {
  return db.selectFrom('rooms').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function findRoomById(db: Conn, id: number): Promise<Room | undefined> {
  return db.selectFrom('rooms').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listPartLinks(db: Conn): Promise<PartLink[]> {
  const rows = await db.selectFrom('room_parts').select(['whole_id', 'part_id']).execute();
  return rows.map((r) => ({ wholeId: r.whole_id, partId: r.part_id }));
}

export function roomShape(r: Room): RoomShape {
  return { id: r.id, bufferBeforeMin: r.buffer_before_min, bufferAfterMin: r.buffer_after_min };
}

/** Everything the overlap rule needs about the rooms, in one load. */
export async function loadRoomGraph(db: Conn): Promise<{ rooms: Map<number, Room>; shapes: Map<number, RoomShape>; links: PartLink[] }> {
  const [all, links] = await Promise.all([listRooms(db, { includeInactive: true }), listPartLinks(db)]);
  return {
    rooms: new Map(all.map((r) => [r.id, r])),
    shapes: new Map(all.map((r) => [r.id, roomShape(r)])),
    links,
  };
}

export function parseEquipment(json: string): string[] {
  try {
    const v = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** The room graph for pages, reused until the next commit (see db/versioned.ts). Read-only. */
export function roomGraph(ctx: { db: Conn; dataVersion(): string }): ReturnType<typeof loadRoomGraph> {
  return versioned(ctx, 'roomGraph', () => loadRoomGraph(ctx.db));
}
