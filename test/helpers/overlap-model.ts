// The model of rule 5 shared by the property tests, written without the implementation's notion of parts and
// wholes: a random house is a handful of physical spaces, and every room is a plain set of them. Two things
// clash when their sets of spaces meet and they share a painted minute (bookings widened by their own room's
// buffers, blocks as they are, a whole-house block everywhere; blocks never clash with blocks).
// The implementation is only ever shown room_parts rows *derived* from those sets (nested wholes, a part in
// several wholes, wholes sharing a part), so the model cannot share its assumptions about how parts combine.
import fc from 'fast-check';
import type { PartLink, RoomShape } from '../../src/rooms/graph.js';

export const MIN = 60_000;

export interface Layout {
  /** Rooms 1..n: first one room per physical space, then the combined rooms. */
  roomIds: number[];
  /** The ground truth: each room's set of physical spaces. */
  spaces: Map<number, Set<string>>;
  /** What the implementation sees: whole → part rows that describe the same sets. */
  links: PartLink[];
}

/** The model's only notion of rooms: do the two sets of spaces meet? */
export function sharesSpace(layout: Layout, a: number, b: number): boolean {
  const sb = layout.spaces.get(b)!;
  for (const s of layout.spaces.get(a)!) if (sb.has(s)) return true;
  return false;
}

/**
 * A random house: 1–5 physical spaces, each a room of its own, and up to 5 combined rooms, each a random set
 * of spaces. A combined room is described to the implementation by parts picked at random among the rooms
 * defined before it whose sets lie inside its own (so other combined rooms can be parts, and parts overlap),
 * until they cover its set.
 */
export const layoutArb: fc.Arbitrary<Layout> = fc
  .record({
    nSpaces: fc.integer({ min: 1, max: 5 }),
    combined: fc.array(fc.record({ mask: fc.integer({ min: 1, max: 31 }), order: fc.array(fc.nat(), { minLength: 10, maxLength: 10 }), extra: fc.boolean() }), {
      maxLength: 5,
    }),
  })
  .map(({ nSpaces, combined }) => {
    const spaces = new Map<number, Set<string>>();
    const links: PartLink[] = [];
    for (let i = 1; i <= nSpaces; i++) spaces.set(i, new Set([`s${i}`]));
    let nextId = nSpaces + 1;
    for (const c of combined) {
      const set = new Set<string>();
      for (let i = 0; i < nSpaces; i++) if (c.mask & (1 << i)) set.add(`s${i + 1}`);
      if (!set.size) continue;
      const id = nextId++;
      const inside = [...spaces.entries()].filter(([, s]) => [...s].every((x) => set.has(x)));
      inside.sort((a, b) => c.order[a[0] % 10]! - c.order[b[0] % 10]! || a[0] - b[0]);
      const covered = new Set<string>();
      for (const [partId, partSet] of inside) {
        const adds = [...partSet].some((x) => !covered.has(x));
        // Now and then a part whose spaces are already covered: redundant, but a layout an admin may save.
        if (!adds && !(c.extra && covered.size)) continue;
        links.push({ wholeId: id, partId });
        for (const x of partSet) covered.add(x);
        if (covered.size === set.size && !c.extra) break;
      }
      spaces.set(id, set);
    }
    return { roomIds: [...spaces.keys()], spaces, links };
  });

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
  return minutes(i.startMin - b!.before, i.endMin + b!.after);
}

/** The model of rule 5: bookings clash with bookings and blocks in shared space; blocks never with blocks. */
export function modelClash(layout: Layout, a: Item, b: Item, buffers: Buffers): boolean {
  if (a.kind === 'block' && b.kind === 'block') return false;
  const space = a.roomId === null || b.roomId === null || sharesSpace(layout, a.roomId, b.roomId);
  return space && shareMinute(painted(a, buffers), painted(b, buffers));
}

/** Buffers for up to 10 rooms (a layout has at most 10). */
export const buffersArb = fc
  .array(fc.record({ before: fc.integer({ min: 0, max: 45 }), after: fc.integer({ min: 0, max: 45 }) }), { minLength: 10, maxLength: 10 })
  .map((list): Buffers => Object.fromEntries(list.map((b, i) => [i + 1, b])));

/** An item whose room is picked from the layout later (`place`), so one arbitrary serves every layout. */
export interface RawItem {
  kind: 'booking' | 'block';
  room: number;
  startMin: number;
  length: number;
}

export const itemArb = (kind: fc.Arbitrary<'booking' | 'block'>): fc.Arbitrary<RawItem> =>
  fc.record({
    kind,
    room: fc.integer({ min: 0, max: 30 }),
    startMin: fc.integer({ min: 0, max: 300 }),
    length: fc.integer({ min: 1, max: 120 }),
  });

/** Puts a raw item into a layout: room 0 of a block is the whole house (bookings always have a room). */
export function place(raw: RawItem, layout: Layout): Item {
  const n = layout.roomIds.length;
  const roomId = raw.kind === 'block' && raw.room === 0 ? null : layout.roomIds[raw.room % n]!;
  return { kind: raw.kind, roomId, startMin: raw.startMin, endMin: raw.startMin + raw.length };
}

export const shapesOf = (layout: Layout, buffers: Buffers) =>
  new Map<number, RoomShape>(layout.roomIds.map((id) => [id, { id, bufferBeforeMin: buffers[id]!.before, bufferAfterMin: buffers[id]!.after }]));

/**
 * Writes a layout into a database through raw SQL (the rooms and room_parts rows an admin's form would save),
 * with one request (id 1) that test bookings can belong to.
 */
export function writeLayout(raw: import('better-sqlite3').Database, layout: Layout, buffers: Buffers): void {
  raw.exec('DELETE FROM bookings; DELETE FROM blocked_times; DELETE FROM requests; DELETE FROM room_parts; DELETE FROM rooms;');
  const insertRoom = raw.prepare(`INSERT INTO rooms (id, slug, name, capacity, buffer_before_min, buffer_after_min, created_at, updated_at)
    VALUES (?, ?, ?, 10, ?, ?, 0, 0)`);
  for (const id of layout.roomIds) insertRoom.run(id, `room-${id}`, `Room ${id}`, buffers[id]!.before, buffers[id]!.after);
  const insertPart = raw.prepare('INSERT INTO room_parts (whole_id, part_id) VALUES (?, ?)');
  for (const l of layout.links) insertPart.run(l.wholeId, l.partId);
  raw
    .prepare(
      `INSERT INTO requests (id, reference, token_hash, room_id, title, contact_name, email, category, attendees,
    rules_version, privacy_version, source, first_date, start_time, end_time, created_at, updated_at)
    VALUES (1, 'T-1', 'h', 1, 't', 'n', 'e@example.org', 'other', 1, 1, 1, 'public', '2026-12-01', '10:00', '11:00', 0, 0)`,
    )
    .run();
}
