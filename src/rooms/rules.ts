// The rules of a room layout (pure): no room is part of itself at any depth, and which rooms a change of parts
// touches. Which existing occupants would overlap under a proposed layout is the overlap rule's
// (bookings/overlap.ts clashingPairs).
import { relatedRooms, type PartLink } from './graph.js';

/** Why a room change is refused; `params.room` names the part that would close a cycle. */
export type RoomRefusalCode = 'slug_taken' | 'part_self' | 'part_unknown' | 'part_cycle' | 'clash';
export interface RoomRefusal {
  code: RoomRefusalCode;
  params?: { room: string };
}

/** Is `inner` among the parts of `outer`, at any depth? */
export function containsRoom(outer: number, inner: number, links: readonly PartLink[]): boolean {
  const seen = new Set<number>();
  const todo = [outer];
  while (todo.length) {
    const r = todo.pop()!;
    for (const l of links) {
      if (l.wholeId !== r || seen.has(l.partId)) continue;
      if (l.partId === inner) return true;
      seen.add(l.partId);
      todo.push(l.partId);
    }
  }
  return false;
}

/**
 * A room is a set of physical spaces: one of its own, or the spaces of the rooms it is made of, at any depth
 * (a part may belong to several wholes, a whole may be made of wholes). The only layout that cannot be
 * described so is a cycle: no room may be, through any path, part of itself. The database refuses it too.
 * `roomId` null: a new room (nothing can contain it yet).
 */
export function partsRefusal(
  roomId: number | null,
  parts: readonly number[],
  rooms: ReadonlyMap<number, { name: string }>,
  links: readonly PartLink[],
): RoomRefusal | null {
  if (parts.length === 0) return null;
  if (roomId !== null && parts.includes(roomId)) return { code: 'part_self' };
  for (const p of parts) if (!rooms.has(p)) return { code: 'part_unknown' };
  if (roomId === null) return null;
  for (const p of parts) {
    if (containsRoom(p, roomId, links)) return { code: 'part_cycle', params: { room: rooms.get(p)!.name } };
  }
  return null;
}

/** The rooms whose set of spaces changes with room `id`'s parts: itself and every room made of it, at any depth. */
export function roomsMadeOf(id: number, links: readonly PartLink[]): Set<number> {
  const affected = new Set<number>([id]);
  for (let grew = true; grew;) {
    grew = false;
    for (const l of links)
      if (affected.has(l.partId) && !affected.has(l.wholeId)) {
        affected.add(l.wholeId);
        grew = true;
      }
  }
  return affected;
}

/** Every room that shares a space with one of `rooms` under `links`. */
export function roomsSharingWith(rooms: Iterable<number>, links: readonly PartLink[]): Set<number> {
  const involved = new Set<number>();
  for (const r of rooms) for (const x of relatedRooms(r, links)) involved.add(x);
  return involved;
}
