// The no-double-booking rule (PRODUCT.md rule 5) as plain functions: one place for the overlap logic.
// The database enforces the same rule with triggers on the occupancy table (db/migrations).

export interface Interval {
  start: number;
  end: number;
}

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

/** Half-open intervals: [10:00, 12:00) and [12:00, 14:00) do not overlap. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

/** A booking's interval widened by its room's set-up and clean-up buffers. */
export function widen(i: Interval, room: RoomShape): Interval {
  return { start: i.start - room.bufferBeforeMin * 60_000, end: i.end + room.bufferAfterMin * 60_000 };
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

export interface Occupant extends Interval {
  /** A booking (widened by its room's buffers) or a blocked time (roomId null: the whole house). */
  kind: 'booking' | 'block';
  roomId: number | null;
  id: number;
}

export interface Candidate extends Interval {
  roomId: number;
}

/**
 * Which occupants a candidate booking clashes with. `rooms` gives each room's buffers; bookings are
 * widened by their own room's buffers, blocked times are not widened.
 */
export function findClashes<T extends Occupant>(
  candidate: Candidate,
  occupants: readonly T[],
  rooms: ReadonlyMap<number, RoomShape>,
  links: readonly PartLink[],
): T[] {
  const room = rooms.get(candidate.roomId);
  if (!room) throw new Error(`unknown room ${candidate.roomId}`);
  const mine = widen(candidate, room);
  const related = relatedRooms(candidate.roomId, links);
  return occupants.filter((o) => {
    if (o.roomId !== null && !related.has(o.roomId)) return false;
    if (o.kind === 'block') return overlaps(mine, o);
    const theirRoom = rooms.get(o.roomId!);
    return overlaps(mine, theirRoom ? widen(o, theirRoom) : o);
  });
}

/** A blocked time as a candidate: never widened; roomId null is the whole house (every room). */
export interface BlockCandidate extends Interval {
  roomId: number | null;
}

/**
 * Which occupants a candidate blocked time clashes with: only bookings (blocks may overlap each other),
 * in the block's room, its parts and the wholes it is part of (any room for a whole-house block).
 * The bookings are widened by their own room's buffers; the block is not.
 */
export function findBlockClashes<T extends Occupant>(
  block: BlockCandidate,
  occupants: readonly T[],
  rooms: ReadonlyMap<number, RoomShape>,
  links: readonly PartLink[],
): T[] {
  const related = block.roomId === null ? null : relatedRooms(block.roomId, links);
  return occupants.filter((o) => {
    if (o.kind !== 'booking') return false;
    if (related && o.roomId !== null && !related.has(o.roomId)) return false;
    const theirRoom = o.roomId === null ? undefined : rooms.get(o.roomId);
    return overlaps(block, theirRoom ? widen(o, theirRoom) : o);
  });
}

/** The widest buffer of any room, to widen a database search window so no clash is missed. */
export function maxBufferMs(rooms: Iterable<RoomShape>): number {
  let max = 0;
  for (const r of rooms) max = Math.max(max, r.bufferBeforeMin, r.bufferAfterMin);
  return max * 60_000;
}
