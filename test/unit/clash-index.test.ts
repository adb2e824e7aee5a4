// The caretaker inbox answers its clash and competition marks from an index (clash-index.ts) instead of comparing
// every pending date with every occupant. On random houses (nested wholes, shared parts, buffers, whole-house
// blocks, long and short intervals) the index must name exactly the occupants the model of rule 5 names, and
// in the same order as findClashes over the whole list.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildClashIndex } from '../../src/bookings/clash-index.js';
import { findClashes, type Occupant } from '../../src/bookings/overlap.js';
import { MIN, buffersArb, layoutArb, modelClash, place, shapesOf, type RawItem } from '../helpers/overlap-model.js';

/** Mostly short items, some long ones (a blocked week among evening bookings), spread so most pairs are far apart. */
const rawItem = (kind: fc.Arbitrary<'booking' | 'block'>): fc.Arbitrary<RawItem> =>
  fc.record({
    kind,
    room: fc.integer({ min: 0, max: 30 }),
    startMin: fc.integer({ min: 0, max: 3000 }),
    length: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 120 }) }, { weight: 1, arbitrary: fc.integer({ min: 121, max: 2500 }) }),
  });

describe('the clash index of the caretaker inbox', () => {
  it('names exactly the occupants the model says clash, in the order findClashes names them', () => {
    fc.assert(
      fc.property(
        layoutArb,
        buffersArb,
        fc.array(rawItem(fc.constantFrom('booking', 'block')), { maxLength: 60 }),
        fc.array(rawItem(fc.constant('booking')), { minLength: 1, maxLength: 20 }),
        (layout, buffers, rawOthers, rawCandidates) => {
          const others = rawOthers.map((o) => place(o, layout)).sort((a, b) => a.startMin - b.startMin || a.endMin - b.endMin);
          const occupants: Occupant[] = others.map((o, i) => ({ kind: o.kind, roomId: o.roomId, id: i, start: o.startMin * MIN, end: o.endMin * MIN }));
          const shapes = shapesOf(layout, buffers);
          const index = buildClashIndex(occupants, shapes, layout.links);
          for (const raw of rawCandidates) {
            const c = place(raw, layout);
            const candidate = { roomId: c.roomId!, start: c.startMin * MIN, end: c.endMin * MIN };
            const found = index.clashes(candidate).map((o) => o.id);
            const expected = others.flatMap((o, i) => (modelClash(layout, c, o, buffers) ? [i] : []));
            expect(found).toEqual(expected);
            expect(found).toEqual(findClashes(candidate, occupants, shapes, layout.links).map((o) => o.id));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a candidate in a room it does not know, as findClashes does', () => {
    const index = buildClashIndex([], new Map(), []);
    expect(() => index.clashes({ roomId: 7, start: 0, end: MIN })).toThrow(/unknown room 7/);
  });
});
