// The caretaker's changes to rooms, each in one write transaction with its audit entry: create or edit a room
// and its parts (the database re-checks every approved booking against new buffers and parts), deactivate
// (together with cancelling its upcoming dates) and reactivate.
// Why src/room-admin and not src/rooms: these changes touch bookings (cancelling, layout clashes), and bookings
// build on rooms (rooms/graph.ts, rooms/repository.ts). The staff room pages sit above both, so the folders stay a tree.
import type { Conn, DB } from '../db/database.js';
import { isClashError } from '../db/database.js';
import type { Room } from '../db/schema.js';
import { EQUIPMENT } from '../constants.js';
import { DomainError } from '../errors.js';
import { audit } from '../audit/log.js';
import type { BookingDeps } from '../bookings/events.js';
import { clashingPairs, type Occupant } from '../bookings/overlap.js';
import type { PartLink, RoomShape } from '../rooms/graph.js';
import { cancelBookingsOfRequest } from '../bookings/changes.js';
import { blockClash, bookingClash, type Clash } from '../bookings/occupancy-clashes.js';
import {
  approvedBookingsIn,
  blocksIn,
  changeParts,
  findRoomById,
  insertRoom,
  listPartLinks,
  listRooms,
  partIdsOf,
  roomShape,
  slugTaken,
  updateRoom,
  upcomingBookings,
  type RoomFields,
  type UpcomingBooking,
} from '../rooms/repository.js';
import { partsRefusal, roomsMadeOf, roomsSharingWith, type RoomRefusal } from '../rooms/rules.js';
import type { RoomInput } from './schema.js';

export type SaveResult = { ok: true; id: number } | ({ ok: false; clashes?: RoomClash[] } & RoomRefusal);

/** Two occupants that would overlap with the new buffers or parts: the booking, and what it meets. */
export interface RoomClash {
  booking: Clash;
  other: Clash;
}

/** The parts check against the rooms as they are now (see rules.ts partsRefusal). */
export async function checkParts(db: Conn, roomId: number | null, parts: number[]): Promise<RoomRefusal | null> {
  if (parts.length === 0) return null;
  const links = await listPartLinks(db);
  const all = await listRooms(db, { includeInactive: true });
  return partsRefusal(roomId, parts, new Map(all.map((r) => [r.id, r])), links);
}

function roomRow(v: RoomInput): RoomFields {
  return {
    name: v.name,
    slug: v.slug,
    description: v.description,
    capacity: v.capacity,
    size_m2: v.size_m2,
    equipment: JSON.stringify(EQUIPMENT.filter((k) => v.equipment.includes(k))),
    accessible: v.accessible ? 1 : 0,
    accessibility_notes: v.accessibility_notes,
    floor: v.floor,
    buffer_before_min: v.buffer_before_min,
    buffer_after_min: v.buffer_after_min,
    public_bookable: v.public_bookable ? 1 : 0,
    sort_order: v.sort_order,
  };
}

/**
 * Which approved bookings (and blocked times) would overlap if `roomId` had the buffers and parts of `v`:
 * the same overlap rule the database guard applies, run on the proposed shape, so the caretaker is told
 * which dates to move or cancel first.
 */
export async function proposedClashes(db: Conn, roomId: number | null, v: RoomInput): Promise<RoomClash[]> {
  const all = await listRooms(db, { includeInactive: true });
  const id = roomId ?? -1;
  const shapes = new Map<number, RoomShape>(all.map((r) => [r.id, roomShape(r)]));
  shapes.set(id, { id, bufferBeforeMin: v.buffer_before_min, bufferAfterMin: v.buffer_after_min });
  const links: PartLink[] = [...(await listPartLinks(db)).filter((l) => l.wholeId !== id), ...v.parts.map((p) => ({ wholeId: id, partId: p }))];
  // The rooms whose set of spaces changes (this one and every room made of it, at any depth), and every room
  // that shares a space with one of them under the proposed layout.
  const affected = roomsMadeOf(id, links);
  const involved = [...roomsSharingWith(affected, links)];
  const names = new Map(all.map((r) => [r.id, r.name]));
  const bookings = await approvedBookingsIn(db, involved);
  const blocks = await blocksIn(db, involved);
  const asClash = new Map<string, Clash>();
  const occupants: (Occupant & { key: string })[] = [];
  for (const b of bookings) {
    const key = `b${b.id}`;
    occupants.push({ key, kind: 'booking', id: b.id, roomId: b.room_id, start: b.start_at, end: b.end_at });
    asClash.set(key, bookingClash(b, names.get(b.room_id) ?? null));
  }
  for (const t of blocks) {
    const key = `t${t.id}`;
    occupants.push({ key, kind: 'block', id: t.id, roomId: t.room_id, start: t.start_at, end: t.end_at });
    asClash.set(key, blockClash(t, t.room_id === null ? null : (names.get(t.room_id) ?? null)));
  }
  return clashingPairs(occupants, shapes, links, affected).map(([a, b]) => ({ booking: asClash.get(a)!, other: asClash.get(b)! }));
}

/**
 * Creates or updates a room and its parts in one write transaction. Changed buffers or parts re-check the
 * approved bookings (database triggers); a clash aborts the whole change (RAUMBUCH_CLASH) and nothing is stored.
 */
export async function saveRoom(db: DB, roomId: number | null, v: RoomInput, actor: { userId: number; now: number }): Promise<SaveResult> {
  try {
    return await db.transaction().execute(async (trx): Promise<SaveResult> => {
      if (await slugTaken(trx, v.slug, roomId)) return { ok: false, code: 'slug_taken' };
      const refusal = await checkParts(trx, roomId, v.parts);
      if (refusal) return { ok: false, ...refusal };
      const row = roomRow(v);
      let id: number;
      let changes: Record<string, unknown> = {};
      if (roomId === null) {
        id = await insertRoom(trx, row, actor.now);
        changes = { ...row };
      } else {
        const before = await findRoomById(trx, roomId);
        if (!before) throw new DomainError('not_found');
        for (const [k, val] of Object.entries(row)) {
          if (before[k as keyof Room] !== val) changes[k] = { from: before[k as keyof Room], to: val };
        }
        await updateRoom(trx, roomId, row, actor.now);
        id = roomId;
      }
      const oldParts = await partIdsOf(trx, id);
      const wanted = [...new Set(v.parts)];
      const removed = oldParts.filter((p) => !wanted.includes(p));
      const added = wanted.filter((p) => !oldParts.includes(p));
      await changeParts(trx, id, added, removed);
      if (removed.length || added.length) changes.parts = { from: oldParts, to: wanted };
      await audit(trx, {
        at: actor.now,
        userId: actor.userId,
        actor: 'user',
        action: roomId === null ? 'room.created' : 'room.updated',
        entity: 'room',
        entityId: id,
        details: changes,
      });
      return { ok: true, id };
    });
  } catch (err) {
    if (isClashError(err)) return { ok: false, code: 'clash', clashes: await proposedClashes(db, roomId, v) };
    throw err;
  }
}

export type SetActiveResult =
  | { ok: true; cancelled: number[] }
  /** Upcoming approved or pending dates in the room that the caretaker has not (yet) agreed to cancel. */
  | { ok: false; bookings: UpcomingBooking[] };

/**
 * Deactivates or reactivates a room. A deactivated room leaves the calendars and forms, so its upcoming
 * dates would be left approved but invisible: it is deactivated only together with cancelling them (each group
 * gets the message), in the same transaction, and only those the caretaker was shown.
 */
export async function setRoomActive(
  db: DB,
  deps: BookingDeps,
  roomId: number,
  active: boolean,
  actor: { userId: number; now: number; cancelBookingIds?: number[]; message?: string },
): Promise<SetActiveResult> {
  return db.transaction().execute(async (trx) => {
    const room = await findRoomById(trx, roomId);
    if (!room) throw new DomainError('not_found');
    if ((room.active === 1) === active) return { ok: true as const, cancelled: [] };
    const cancelled: number[] = [];
    if (!active) {
      const upcoming = await upcomingBookings(trx, roomId, actor.now);
      const agreed = new Set(actor.cancelBookingIds ?? []);
      if (upcoming.some((b) => !agreed.has(b.bookingId))) return { ok: false as const, bookings: upcoming };
      const byRequest = new Map<number, UpcomingBooking[]>();
      for (const b of upcoming) byRequest.set(b.requestId, [...(byRequest.get(b.requestId) ?? []), b]);
      for (const [requestId, list] of byRequest) {
        cancelled.push(
          ...(await cancelBookingsOfRequest(trx, deps, {
            requestId,
            email: list[0]!.email,
            message: actor.message ?? '',
            userId: actor.userId,
            now: actor.now,
            reason: 'room_deactivated',
            bookings: list.map((b) => ({ id: b.bookingId, status: b.status, local_date: b.localDate })),
          })),
        );
      }
    }
    await updateRoom(trx, roomId, { active: active ? 1 : 0 }, actor.now);
    await audit(trx, {
      at: actor.now,
      userId: actor.userId,
      actor: 'user',
      action: active ? 'room.reactivated' : 'room.deactivated',
      entity: 'room',
      entityId: roomId,
      ...(cancelled.length ? { details: { cancelledBookingIds: cancelled } } : {}),
    });
    return { ok: true as const, cancelled };
  });
}
