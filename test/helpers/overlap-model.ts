// The brute-force model of rule 5 shared by the property tests: rooms with parts, buffers, and a painter
// that marks every minute a booking (widened by its room's buffers) or a block occupies.
import fc from 'fast-check';
import type { PartLink, RoomShape } from '../../src/bookings/overlap.js';

export const MIN = 60_000;

// Rooms 1 and 2 are the parts of whole 3 (Saal A, Saal B, Großer Saal); 4 stands alone; 5 is made of 4 and 2
// (a room can be part of two wholes).
export const ROOM_IDS = [1, 2, 3, 4, 5];
export const LINKS: PartLink[] = [
  { wholeId: 3, partId: 1 }, { wholeId: 3, partId: 2 }, { wholeId: 5, partId: 4 }, { wholeId: 5, partId: 2 },
];

/** Brute force: do the two rooms share space (same room, or one is a part of the other)? */
export function sharesSpace(a: number, b: number): boolean {
  return a === b || LINKS.some((l) => (l.wholeId === a && l.partId === b) || (l.wholeId === b && l.partId === a));
}

/** Brute force: the set of minutes an interval covers (half-open). */
export function minutes(startMin: number, endMin: number): Set<number> {
  const s = new Set<number>();
  for (let m = startMin; m < endMin; m++) s.add(m);
  return s;
}

export function shareMinute(a: Set<number>, b: Set<number>): boolean {
  for (const m of a) if (b.has(m)) return true;
  return false;
}

export interface Item {
  kind: 'booking' | 'block';
  /** null: a whole-house block. */
  roomId: number | null;
  startMin: number;
  endMin: number;
}

export type Buffers = Record<number, { before: number; after: number }>;

/** The minutes an item occupies: a booking widened by its room's buffers, a block as it is. */
export function painted(i: Item, buffers: Buffers): Set<number> {
  if (i.kind === 'block') return minutes(i.startMin, i.endMin);
  const b = buffers[i.roomId!];
  return minutes(i.startMin - b.before, i.endMin + b.after);
}

/** The model of rule 5: bookings clash with bookings and blocks in shared space; blocks never with blocks. */
export function modelClash(a: Item, b: Item, buffers: Buffers): boolean {
  if (a.kind === 'block' && b.kind === 'block') return false;
  const space = a.roomId === null || b.roomId === null || sharesSpace(a.roomId, b.roomId);
  return space && shareMinute(painted(a, buffers), painted(b, buffers));
}

export const buffersArb = fc.tuple(...ROOM_IDS.map(() => fc.record({ before: fc.integer({ min: 0, max: 45 }), after: fc.integer({ min: 0, max: 45 }) })))
  .map((list): Buffers => Object.fromEntries(list.map((b, i) => [ROOM_IDS[i], b])));

export const itemArb = (kind: fc.Arbitrary<'booking' | 'block'>) =>
  fc.record({
    kind,
    room: fc.integer({ min: 0, max: ROOM_IDS.length }),
    startMin: fc.integer({ min: 0, max: 300 }),
    length: fc.integer({ min: 1, max: 120 }),
  }).map(({ kind: k, room, startMin, length }): Item => ({
    kind: k,
    // Index 0 is a whole-house block (bookings always have a room).
    roomId: room === 0 ? (k === 'block' ? null : ROOM_IDS[0]) : ROOM_IDS[room - 1],
    startMin,
    endMin: startMin + length,
  }));

export const shapesOf = (buffers: Buffers) =>
  new Map<number, RoomShape>(ROOM_IDS.map((id) => [id, { id, bufferBeforeMin: buffers[id].before, bufferAfterMin: buffers[id].after }]));
