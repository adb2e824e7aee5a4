// Rooms and their parts: queries.
import type { Conn } from '../db/database.js';
import type { Room } from '../db/schema.js';
import type { PartLink, RoomShape } from './graph.js';
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
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** The room graph for pages, reused until the next commit (see db/versioned.ts). Read-only. */
export function roomGraph(ctx: { db: Conn; dataVersion(): string }): ReturnType<typeof loadRoomGraph> {
  return versioned(ctx, 'roomGraph', () => loadRoomGraph(ctx.db));
}

/** The columns of a room that its form edits. */
export type RoomFields = Omit<Room, 'id' | 'active' | 'created_at' | 'updated_at'>;

export async function slugTaken(db: Conn, slug: string, exceptId: number | null): Promise<boolean> {
  let q = db.selectFrom('rooms').select('id').where('slug', '=', slug);
  if (exceptId !== null) q = q.where('id', '<>', exceptId);
  return !!(await q.executeTakeFirst());
}

export async function insertRoom(db: Conn, row: RoomFields, now: number): Promise<number> {
  return (
    await db
      .insertInto('rooms')
      .values({ ...row, active: 1, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}

export async function updateRoom(db: Conn, id: number, row: Partial<RoomFields> & { active?: number }, now: number): Promise<void> {
  await db
    .updateTable('rooms')
    .set({ ...row, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** The direct parts of a room. */
export async function partIdsOf(db: Conn, wholeId: number): Promise<number[]> {
  return (await db.selectFrom('room_parts').select('part_id').where('whole_id', '=', wholeId).execute()).map((r) => r.part_id);
}

/** Adds and removes direct parts (the database re-derives the spaces and re-checks the bookings). */
export async function changeParts(db: Conn, wholeId: number, added: readonly number[], removed: readonly number[]): Promise<void> {
  if (removed.length)
    await db
      .deleteFrom('room_parts')
      .where('whole_id', '=', wholeId)
      .where('part_id', 'in', [...removed])
      .execute();
  for (const p of added) await db.insertInto('room_parts').values({ whole_id: wholeId, part_id: p }).execute();
}

/** Every approved booking in the rooms (past ones too: the database guard re-checks them all), in time order. */
export async function approvedBookingsIn(db: Conn, roomIds: readonly number[]) {
  return db
    .selectFrom('bookings as b')
    .innerJoin('requests as r', 'r.id', 'b.request_id')
    .select(['b.id', 'b.request_id', 'b.room_id', 'b.start_at', 'b.end_at', 'b.status', 'r.reference', 'r.title'])
    .where('b.status', '=', 'approved')
    .where('b.room_id', 'in', [...roomIds])
    .orderBy('b.start_at')
    .execute();
}

/** The blocked times of the rooms and the whole-house ones (those sit under every room). */
export async function blocksIn(db: Conn, roomIds: readonly number[]) {
  return db
    .selectFrom('blocked_times')
    .selectAll()
    .where((eb) => eb.or([eb('room_id', 'in', [...roomIds]), eb('room_id', 'is', null)]))
    .execute();
}

export interface UpcomingBooking {
  bookingId: number;
  requestId: number;
  reference: string;
  title: string;
  status: 'approved' | 'pending';
  start: number;
  end: number;
  localDate: string;
  email: string;
}

/** The room's dates that still lie ahead (or are running) and still take place: approved or pending. */
export async function upcomingBookings(db: Conn, roomId: number, now: number): Promise<UpcomingBooking[]> {
  const rows = await db
    .selectFrom('bookings as b')
    .innerJoin('requests as r', 'r.id', 'b.request_id')
    .select(['b.id', 'b.request_id', 'r.reference', 'r.title', 'b.status', 'b.start_at', 'b.end_at', 'b.local_date', 'r.email'])
    .where('b.room_id', '=', roomId)
    .where('b.status', 'in', ['approved', 'pending'])
    .where('b.end_at', '>', now)
    .orderBy('b.start_at')
    .orderBy('b.id')
    .execute();
  return rows.map((b) => ({
    bookingId: b.id,
    requestId: b.request_id,
    reference: b.reference,
    title: b.title,
    status: b.status as 'approved' | 'pending',
    start: b.start_at,
    end: b.end_at,
    localDate: b.local_date,
    email: b.email,
  }));
}

/** How many not-yet-ended approved or pending bookings a room has (shown before deactivating). */
export async function upcomingCount(db: Conn, roomId: number, now: number): Promise<number> {
  const row = await db
    .selectFrom('bookings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('room_id', '=', roomId)
    .where('status', 'in', ['approved', 'pending'])
    .where('end_at', '>', now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
