// The no-double-booking rule (PRODUCT.md rule 5) as plain functions: one place for the overlap logic.
// The database enforces the same rule with triggers on the occupancy table (db/migrations).
// Rooms, their parts and shared spaces are rooms/graph.ts's; this file adds the times.
import { relatedRooms, type PartLink, type RoomShape } from '../rooms/graph.js';

export interface Interval {
  start: number;
  end: number;
}

/** Half-open intervals: [10:00, 12:00) and [12:00, 14:00) do not overlap. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

/** A booking's interval widened by its room's set-up and clean-up buffers. */
export function widen(i: Interval, room: RoomShape): Interval {
  return { start: i.start - room.bufferBeforeMin * 60_000, end: i.end + room.bufferAfterMin * 60_000 };
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

/**
 * The pairs of occupants (by key) that overlap under `shapes` and `links`, where one side is a booking in an
 * `affected` room; each pair once. Years of history: each booking is compared only with the occupants near it
 * in time (sorted by start; both sides may be widened by at most the largest buffer), not with every other one.
 */
export function clashingPairs(
  occupants: (Occupant & { key: string })[],
  shapes: ReadonlyMap<number, RoomShape>,
  links: readonly PartLink[],
  affected: ReadonlySet<number>,
): [string, string][] {
  const sorted = [...occupants].sort((x, y) => x.start - y.start);
  const pad = 2 * maxBufferMs(shapes.values());
  const out: [string, string][] = [];
  const seen = new Set<string>();
  // Earlier occupants that may still reach the current one (long blocked times stay in it as long as they last).
  let earlier: typeof sorted = [];
  for (let i = 0; i < sorted.length; i++) {
    const o = sorted[i]!;
    earlier = earlier.filter((x) => x.end + pad > o.start);
    const mine = o.kind === 'booking' && shapes.has(o.roomId!) && affected.has(o.roomId!);
    const near = [...earlier];
    if (mine) for (let j = i + 1; j < sorted.length && sorted[j]!.start < o.end + pad; j++) near.push(sorted[j]!);
    earlier.push(o);
    if (!mine) continue;
    for (const hit of findClashes({ roomId: o.roomId!, start: o.start, end: o.end }, near, shapes, links)) {
      const pair = [o.key, hit.key].sort().join('|');
      if (seen.has(pair)) continue;
      seen.add(pair);
      out.push([o.key, hit.key]);
    }
  }
  return out;
}
