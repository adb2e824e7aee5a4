// Rooms as physical spaces (pure): a room's buffers, which rooms are made of which (room_parts), the spaces each
// room covers and which rooms share one. Bookings build on this (bookings/overlap.ts, the no-double-booking rule);
// this file knows nothing of bookings, so the arrow points from bookings to rooms only.

export interface RoomShape {
  id: number;
  bufferBeforeMin: number;
  bufferAfterMin: number;
}

/** whole → parts, as rows of room_parts. */
export interface PartLink {
  wholeId: number;
  partId: number;
}

/**
 * The physical spaces each room covers: a room with no parts is one space of its own; a room made of parts
 * covers the union of its parts' spaces, at any depth (a part may sit in several wholes, a whole may be made
 * of wholes). The database keeps the same sets in room_spaces (db/migrations/2026_12_01_001_room_spaces.ts).
 */
export function roomSpaces(links: readonly PartLink[]): (roomId: number) => ReadonlySet<number> {
  const cached = spaceCache.get(links);
  if (cached) return cached;
  const parts = new Map<number, number[]>();
  for (const l of links) parts.set(l.wholeId, [...(parts.get(l.wholeId) ?? []), l.partId]);
  const memo = new Map<number, Set<number>>();
  const visit = (roomId: number, path: Set<number>): Set<number> => {
    const known = memo.get(roomId);
    if (known) return known;
    const mine = parts.get(roomId);
    if (!mine) return new Set([roomId]);
    const out = new Set<number>();
    path.add(roomId);
    // A cycle (which the database refuses) would otherwise recurse for ever: a room on the path adds nothing.
    for (const p of mine) if (!path.has(p)) for (const s of visit(p, path)) out.add(s);
    path.delete(roomId);
    if (!out.size) out.add(roomId);
    memo.set(roomId, out);
    return out;
  };
  const lookup = (roomId: number) => visit(roomId, new Set());
  spaceCache.set(links, lookup);
  return lookup;
}
const spaceCache = new WeakMap<readonly PartLink[], (roomId: number) => ReadonlySet<number>>();

/** Do two rooms share a physical space? */
export function shareSpace(a: number, b: number, links: readonly PartLink[]): boolean {
  if (a === b) return true;
  const spaces = roomSpaces(links);
  const sb = spaces(b);
  for (const s of spaces(a)) if (sb.has(s)) return true;
  return false;
}

/**
 * The rooms a booking in `roomId` shares a physical space with (itself included): its parts, the wholes it is
 * part of, and every room that shares a part with it, at any depth. Rooms named in no link are spaces of
 * their own and share space only with themselves and the rooms made of them, so the links are all we need.
 */
export function relatedRooms(roomId: number, links: readonly PartLink[]): Set<number> {
  const out = new Set([roomId]);
  for (const l of links) {
    for (const r of [l.wholeId, l.partId]) if (!out.has(r) && shareSpace(roomId, r, links)) out.add(r);
  }
  return out;
}
