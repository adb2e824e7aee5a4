// Property-based tests of rule 5: the overlap logic (overlap.ts) and the database guard (occupancy triggers),
// each on its own, against a model that knows rooms only as plain sets of physical spaces (overlap-model.ts)
// over random layouts: nested wholes, a part in several wholes, wholes sharing a part, buffers.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findClashes, type Occupant } from '../../src/bookings/overlap.js';
import { isClashError, openDatabase, type OpenedDatabase, sqliteHandleForTests } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import {
  MIN,
  buffersArb,
  itemArb,
  layoutArb,
  modelClash,
  place,
  shapesOf,
  writeLayout,
  type Buffers,
  type Item,
  type Layout,
  type RawItem,
} from '../helpers/overlap-model.js';

describe('the overlap logic (findClashes) against the model of rooms as sets of spaces', () => {
  it('finds exactly the occupants the model says clash, in any layout, with buffers', () => {
    fc.assert(
      fc.property(
        layoutArb,
        buffersArb,
        itemArb(fc.constant('booking')),
        fc.array(itemArb(fc.constantFrom('booking', 'block')), { maxLength: 12 }),
        (layout, buffers, rawCandidate, rawOthers) => {
          const candidate = place(rawCandidate, layout);
          const others = rawOthers.map((o) => place(o, layout));
          const occupants: Occupant[] = others.map((o, i) => ({ kind: o.kind, roomId: o.roomId, id: i, start: o.startMin * MIN, end: o.endMin * MIN }));
          const found = findClashes(
            { roomId: candidate.roomId!, start: candidate.startMin * MIN, end: candidate.endMin * MIN },
            occupants,
            shapesOf(layout, buffers),
            layout.links,
          )
            .map((o) => o.id)
            .sort((a, b) => a - b);
          const expected = others.map((o, i) => (modelClash(layout, candidate, o, buffers) ? i : -1)).filter((i) => i >= 0);
          expect(found).toEqual(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('sees the clash the one-step logic missed: Großer Saal (Saal A + Saal B) and "Saal A + Küche"', () => {
    // 1 Saal A, 2 Saal B, 3 Lehrküche, 4 Großer Saal = 1 + 2, 5 Saal A + Küche = 1 + 3, 6 everything = 4 + 3.
    const links = [
      { wholeId: 4, partId: 1 },
      { wholeId: 4, partId: 2 },
      { wholeId: 5, partId: 1 },
      { wholeId: 5, partId: 3 },
      { wholeId: 6, partId: 4 },
      { wholeId: 6, partId: 3 },
    ];
    const shapes = new Map([1, 2, 3, 4, 5, 6].map((id) => [id, { id, bufferBeforeMin: 0, bufferAfterMin: 0 }]));
    const at = (roomId: number): Occupant => ({ kind: 'booking', roomId, id: roomId, start: 0, end: 60 * MIN });
    const clashIds = (roomId: number, occupants: Occupant[]) => findClashes({ roomId, start: 0, end: 60 * MIN }, occupants, shapes, links).map((o) => o.id);
    expect(clashIds(5, [at(4)])).toEqual([4]);
    expect(clashIds(4, [at(5)])).toEqual([5]);
    expect(clashIds(2, [at(5)])).toEqual([]);
    expect(clashIds(6, [at(1), at(2), at(3)])).toEqual([1, 2, 3]);
    expect(clashIds(3, [at(6), at(4)])).toEqual([6]);
  });
});

describe('the database guard alone against the model of rooms as sets of spaces', () => {
  let opened: OpenedDatabase;
  const BASE = Date.UTC(2026, 11, 1, 8);

  beforeAll(async () => {
    opened = openDatabase(':memory:');
    await migrateToLatest(opened.db);
  });
  afterAll(async () => {
    await opened.db.destroy();
  });

  it('accepts an approved booking or blocked time exactly when the model says it clashes with nothing accepted', () => {
    const raw = sqliteHandleForTests(opened);
    const insertBooking = raw.prepare(`INSERT INTO bookings (request_id, room_id, local_date, start_at, end_at, status, created_at, updated_at)
      VALUES (1, ?, '2026-12-01', ?, ?, ?, 0, 0)`);
    const approve = raw.prepare(`UPDATE bookings SET status = 'approved' WHERE id = ?`);
    const insertBlock = raw.prepare(`INSERT INTO blocked_times (room_id, start_at, end_at, reason, created_at, updated_at) VALUES (?, ?, ?, 'closure', 0, 0)`);

    fc.assert(
      fc.property(
        layoutArb,
        buffersArb,
        fc.array(fc.tuple(itemArb(fc.constantFrom('booking', 'block')), fc.boolean()), { minLength: 1, maxLength: 15 }),
        (layout, buffers, steps) => {
          writeLayout(raw, layout, buffers);
          expect(raw.prepare('SELECT COUNT(*) AS n FROM occupancy').get()).toEqual({ n: 0 });
          const accepted: Item[] = [];
          for (const [rawItem, viaApproval] of steps) {
            const item = place(rawItem, layout);
            const expectClash = accepted.some((a) => modelClash(layout, item, a, buffers));
            const start = BASE + item.startMin * MIN;
            const end = BASE + item.endMin * MIN;
            let clashed = false;
            try {
              if (item.kind === 'block') {
                insertBlock.run(item.roomId, start, end);
              } else if (viaApproval) {
                // A pending request never clashes; its approval is what the guard checks.
                const id = insertBooking.run(item.roomId, start, end, 'pending').lastInsertRowid;
                try {
                  approve.run(id);
                } catch (err) {
                  raw.prepare('DELETE FROM bookings WHERE id = ?').run(id);
                  throw err;
                }
              } else {
                insertBooking.run(item.roomId, start, end, 'approved');
              }
            } catch (err) {
              if (!isClashError(err)) throw err;
              clashed = true;
            }
            expect(clashed, JSON.stringify({ item, accepted, buffers, links: layout.links })).toBe(expectClash);
            if (!clashed) accepted.push(item);
          }
          const counts = raw.prepare(`SELECT (SELECT COUNT(*) FROM bookings WHERE status = 'approved') AS b, (SELECT COUNT(*) FROM blocked_times) AS t`).get();
          expect(counts).toEqual({ b: accepted.filter((a) => a.kind === 'booking').length, t: accepted.filter((a) => a.kind === 'block').length });
        },
      ),
      { numRuns: 400 },
    );
  });

  /** A fresh layout, then each item written as an approved booking or a blocked time; those the guard let in. */
  function acceptAll(layout: Layout, buffers: Buffers, rawItems: RawItem[]): Item[] {
    const raw = sqliteHandleForTests(opened);
    writeLayout(raw, layout, buffers);
    const insertBooking = raw.prepare(`INSERT INTO bookings (request_id, room_id, local_date, start_at, end_at, status, created_at, updated_at)
      VALUES (1, ?, '2026-12-01', ?, ?, 'approved', 0, 0)`);
    const insertBlock = raw.prepare(`INSERT INTO blocked_times (room_id, start_at, end_at, reason, created_at, updated_at) VALUES (?, ?, ?, 'closure', 0, 0)`);
    const accepted: Item[] = [];
    for (const r of rawItems) {
      const item = place(r, layout);
      try {
        if (item.kind === 'block') insertBlock.run(item.roomId, BASE + item.startMin * MIN, BASE + item.endMin * MIN);
        else insertBooking.run(item.roomId, BASE + item.startMin * MIN, BASE + item.endMin * MIN);
        accepted.push(item);
      } catch (err) {
        if (!isClashError(err)) throw err;
      }
    }
    return accepted;
  }

  it('refuses a change of buffers exactly when the model says it would make accepted bookings and blocked times overlap', () => {
    fc.assert(
      fc.property(
        layoutArb,
        buffersArb,
        fc.array(itemArb(fc.constantFrom('booking', 'booking', 'block')), { minLength: 1, maxLength: 10 }),
        fc.nat(),
        fc.record({ before: fc.integer({ min: 0, max: 90 }), after: fc.integer({ min: 0, max: 90 }) }),
        (layout, buffers, rawItems, pick, next) => {
          const raw = sqliteHandleForTests(opened);
          const accepted = acceptAll(layout, buffers, rawItems);
          const room = layout.roomIds[pick % layout.roomIds.length]!;
          const changed = { ...buffers, [room]: next };
          const expectClash = accepted.some((a, i) => accepted.some((b, j) => i < j && modelClash(layout, a, b, changed)));
          let clashed = false;
          try {
            raw.prepare('UPDATE rooms SET buffer_before_min = ?, buffer_after_min = ? WHERE id = ?').run(next.before, next.after, room);
          } catch (err) {
            if (!isClashError(err)) throw err;
            clashed = true;
          }
          expect(clashed, JSON.stringify({ links: layout.links, room, next, accepted, buffers })).toBe(expectClash);
          const stored = raw.prepare('SELECT buffer_before_min AS before, buffer_after_min AS after FROM rooms WHERE id = ?').get(room);
          expect(stored).toEqual(clashed ? buffers[room] : next);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a change of layout that would put two approved bookings into one space, and keeps the old layout', () => {
    fc.assert(
      fc.property(
        layoutArb,
        buffersArb,
        fc.array(itemArb(fc.constantFrom('booking', 'booking', 'block')), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 31 }),
        (layout, buffers, rawItems, mask) => {
          const raw = sqliteHandleForTests(opened);
          const accepted = acceptAll(layout, buffers, rawItems);
          if (!accepted.some((a) => a.kind === 'booking')) return;
          // A new combined room made of some single-space rooms, then take over one booked room as a part of it:
          // the booked room keeps its own set, so nothing changes — instead, make a booked single-space room
          // *into* a combined room of other spaces (its bookings then sit in those spaces).
          const target = accepted.find((a) => a.kind === 'booking')!.roomId!;
          if (layout.links.some((l) => l.wholeId === target)) return; // only single-space rooms are turned into combined ones
          const newParts = layout.roomIds.filter(
            (id) => id !== target && layout.spaces.get(id)!.size === 1 && (mask & (1 << (id - 1))) !== 0 && !layout.links.some((l) => l.wholeId === id),
          );
          // A room that has the target among its parts cannot become its part (a cycle).
          const above = new Set<number>([target]);
          for (let changed = true; changed;) {
            changed = false;
            for (const l of layout.links)
              if (above.has(l.partId) && !above.has(l.wholeId)) {
                above.add(l.wholeId);
                changed = true;
              }
          }
          const parts = newParts.filter((p) => !above.has(p));
          if (!parts.length) return;
          // The model: the target now covers exactly the spaces of `parts`; every room made of it changes too.
          const newSpaces = new Map(layout.spaces);
          const mine = new Set<string>();
          for (const p of parts) for (const s of layout.spaces.get(p)!) mine.add(s);
          newSpaces.set(target, mine);
          for (const id of layout.roomIds) {
            if (id <= target) continue;
            const set = new Set<string>();
            for (const l of layout.links.filter((x) => x.wholeId === id)) for (const s of newSpaces.get(l.partId)!) set.add(s);
            if (set.size) newSpaces.set(id, set);
          }
          const next = { ...layout, spaces: newSpaces };
          const expectClash = accepted.some((a, i) => accepted.some((b, j) => i < j && modelClash(next, a, b, buffers)));
          const before = raw.prepare('SELECT room_id, space_id FROM room_spaces ORDER BY 1, 2').all();
          let clashed = false;
          try {
            raw.transaction(() => {
              for (const p of parts) raw.prepare('INSERT INTO room_parts (whole_id, part_id) VALUES (?, ?)').run(target, p);
            })();
          } catch (err) {
            if (!isClashError(err)) throw err;
            clashed = true;
          }
          expect(clashed, JSON.stringify({ links: layout.links, target, parts, accepted })).toBe(expectClash);
          if (clashed) expect(raw.prepare('SELECT room_id, space_id FROM room_spaces ORDER BY 1, 2').all()).toEqual(before);
        },
      ),
      { numRuns: 300 },
    );
  });
});
