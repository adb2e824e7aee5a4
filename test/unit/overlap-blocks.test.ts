// Property-based tests of rule 5 for a blocked time as the candidate (findBlockClashes in overlap.ts, and
// findClashIdsFor in clashes.ts against the database) compared with the model of rooms as plain sets of
// physical spaces over random layouts (overlap-model.ts), painting every minute each booking or block occupies.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findClashIdsFor, type AnyCandidate } from '../../src/bookings/clashes.js';
import { findBlockClashes, type Occupant } from '../../src/bookings/overlap.js';
import { isClashError, openDatabase, type OpenedDatabase, sqliteHandleForTests } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { MIN, buffersArb, itemArb, layoutArb, modelClash, place, shapesOf, writeLayout, type Item } from '../helpers/overlap-model.js';

// The fixed layout of the hand-written cases: 1 and 2 are the parts of 3 (Saal A, Saal B, Großer Saal), 4 stands
// alone, 5 is made of 4 and 2.
const LINKS = [
  { wholeId: 3, partId: 1 },
  { wholeId: 3, partId: 2 },
  { wholeId: 5, partId: 4 },
  { wholeId: 5, partId: 2 },
];

describe('a blocked time as the candidate (findBlockClashes) against the brute-force model', () => {
  it('finds exactly the bookings the model says clash: bookings widened, the block not, whole house = every room', () => {
    fc.assert(
      fc.property(
        layoutArb,
        buffersArb,
        itemArb(fc.constant('block')),
        fc.array(itemArb(fc.constantFrom('booking', 'block')), { maxLength: 12 }),
        (layout, buffers, rawBlock, rawOthers) => {
          const block = place(rawBlock, layout);
          const others = rawOthers.map((o) => place(o, layout));
          const occupants: Occupant[] = others.map((o, i) => ({ kind: o.kind, roomId: o.roomId, id: i, start: o.startMin * MIN, end: o.endMin * MIN }));
          const found = findBlockClashes(
            { roomId: block.roomId, start: block.startMin * MIN, end: block.endMin * MIN },
            occupants,
            shapesOf(layout, buffers),
            layout.links,
          )
            .map((o) => o.id)
            .sort((a, b) => a - b);
          const expected = others.map((o, i) => (modelClash(layout, block, o, buffers) ? i : -1)).filter((i) => i >= 0);
          expect(found).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("never reports a block, and ignores the block's own buffers-free edges (half-open)", () => {
    const shapes = new Map([1, 2, 3, 4, 5].map((id) => [id, { id, bufferBeforeMin: id === 1 ? 30 : 0, bufferAfterMin: id === 1 ? 30 : 0 }]));
    const occupants: Occupant[] = [
      { kind: 'block', roomId: 1, id: 1, start: 0, end: 100 * MIN },
      { kind: 'block', roomId: null, id: 2, start: 0, end: 100 * MIN },
      // Booking 10:00–11:00 in room 1 (30 min buffers) occupies 09:30–11:30.
      { kind: 'booking', roomId: 1, id: 3, start: 600 * MIN, end: 660 * MIN },
      { kind: 'booking', roomId: 4, id: 4, start: 600 * MIN, end: 660 * MIN },
    ];
    const ids = (roomId: number | null, s: number, e: number) =>
      findBlockClashes({ roomId, start: s * MIN, end: e * MIN }, occupants, shapes, LINKS).map((o) => o.id);
    expect(ids(1, 0, 100)).toEqual([]);
    expect(ids(1, 540, 570)).toEqual([]); // ends where the buffer starts
    expect(ids(1, 560, 571)).toEqual([3]); // only the set-up buffer
    expect(ids(1, 690, 700)).toEqual([]); // starts where the clean-up buffer ends
    expect(ids(3, 600, 601)).toEqual([3]); // the whole of room 1
    expect(ids(2, 600, 601)).toEqual([]); // a sibling part
    expect(ids(5, 600, 601)).toEqual([4]); // a room that shares no space with room 1
    expect(ids(null, 600, 601)).toEqual([3, 4]); // the whole house
  });
});

describe('findClashIdsFor against the database guard and the brute-force model', () => {
  let opened: OpenedDatabase;
  const BASE = Date.UTC(2026, 11, 1, 8);

  beforeAll(async () => {
    opened = openDatabase(':memory:');
    await migrateToLatest(opened.db);
  });
  afterAll(async () => {
    await opened.db.destroy();
  });

  it('names, by id, exactly what the model says a candidate booking or blocked time clashes with (and what the guard would refuse)', async () => {
    const raw = sqliteHandleForTests(opened);
    const insertBooking = raw.prepare(`INSERT INTO bookings (request_id, room_id, local_date, start_at, end_at, status, created_at, updated_at)
      VALUES (1, ?, '2026-12-01', ?, ?, ?, 0, 0)`);
    const insertBlock = raw.prepare(`INSERT INTO blocked_times (room_id, start_at, end_at, reason, created_at, updated_at) VALUES (?, ?, ?, 'closure', 0, 0)`);

    await fc.assert(
      fc.asyncProperty(
        layoutArb,
        buffersArb,
        fc.array(fc.tuple(itemArb(fc.constantFrom('booking', 'block')), fc.boolean()), { maxLength: 12 }),
        itemArb(fc.constantFrom('booking', 'block')),
        fc.nat(),
        async (layout, buffers, rawSteps, rawCandidate, pick) => {
          writeLayout(raw, layout, buffers);
          const steps = rawSteps.map(([r, pending]) => [place(r, layout), pending] as const);
          const candidate = place(rawCandidate, layout);
          // Accepted: approved bookings and blocks the guard let in; pending bookings never occupy anything.
          const accepted: { item: Item; id: number }[] = [];
          for (const [item, pending] of steps) {
            const start = BASE + item.startMin * MIN;
            const end = BASE + item.endMin * MIN;
            try {
              if (item.kind === 'block') accepted.push({ item, id: Number(insertBlock.run(item.roomId, start, end).lastInsertRowid) });
              else if (pending) insertBooking.run(item.roomId, start, end, 'pending');
              else accepted.push({ item, id: Number(insertBooking.run(item.roomId, start, end, 'approved').lastInsertRowid) });
            } catch (err) {
              if (!isClashError(err)) throw err;
            }
          }
          // Sometimes exclude one accepted booking or block (as when approving or changing it).
          const excluded = accepted.length && pick % 3 === 0 ? accepted[pick % accepted.length] : undefined;
          const opts = excluded ? (excluded.item.kind === 'booking' ? { excludeBookingIds: [excluded.id] } : { excludeBlockId: excluded.id }) : {};
          const cand: AnyCandidate =
            candidate.kind === 'block'
              ? { kind: 'block', roomId: candidate.roomId, start: BASE + candidate.startMin * MIN, end: BASE + candidate.endMin * MIN }
              : { roomId: candidate.roomId!, start: BASE + candidate.startMin * MIN, end: BASE + candidate.endMin * MIN };
          const [found] = await findClashIdsFor(opened.db, [cand], opts);
          const key = (kind: string, id: number) => `${kind}:${id}`;
          const got = found!.clashes.map((c) => (c.kind === 'booking' ? key('booking', c.bookingId) : key('block', c.blockId))).sort();
          const expected = accepted
            .filter((a) => a !== excluded && modelClash(layout, candidate, a.item, buffers))
            .map((a) => key(a.item.kind, a.id))
            .sort();
          expect(got, JSON.stringify({ candidate, accepted, buffers, excluded })).toEqual(expected);
          // In the order the occupied (widened) intervals start, as the guard's table would list them.
          const starts = found!.clashes.map((c) => c.occupied.start);
          expect(starts).toEqual([...starts].sort((a, b) => a - b));
        },
      ),
      { numRuns: 200 },
    );
  });
});
