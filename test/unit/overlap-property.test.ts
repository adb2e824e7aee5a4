// Property-based tests of rule 5: the overlap logic (overlap.ts) and the database guard (occupancy
// triggers) against a brute-force model that paints every minute each booking or block occupies.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findClashes, type Occupant } from '../../src/bookings/overlap.js';
import { isClashError, openDatabase, type OpenedDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { LINKS, MIN, ROOM_IDS, buffersArb, itemArb, modelClash, shapesOf, type Item } from '../helpers/overlap-model.js';

describe('the overlap logic (findClashes) against the brute-force model', () => {
  it('finds exactly the occupants the model says clash, with buffers and room parts', () => {
    fc.assert(
      fc.property(
        buffersArb,
        itemArb(fc.constant('booking')),
        fc.array(itemArb(fc.constantFrom('booking', 'block')), { maxLength: 12 }),
        (buffers, candidate, others) => {
          const shapes = shapesOf(buffers);
          const occupants: Occupant[] = others.map((o, i) => ({ kind: o.kind, roomId: o.roomId, id: i, start: o.startMin * MIN, end: o.endMin * MIN }));
          const found = findClashes({ roomId: candidate.roomId!, start: candidate.startMin * MIN, end: candidate.endMin * MIN }, occupants, shapes, LINKS)
            .map((o) => o.id).sort((a, b) => a - b);
          const expected = others.map((o, i) => (modelClash(candidate, o, buffers) ? i : -1)).filter((i) => i >= 0);
          expect(found).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('the database guard against the brute-force model', () => {
  let opened: OpenedDatabase;
  const BASE = Date.UTC(2026, 11, 1, 8);

  beforeAll(async () => {
    opened = openDatabase(':memory:');
    await migrateToLatest(opened.db);
    const raw = opened.raw;
    const insertRoom = raw.prepare(`INSERT INTO rooms (id, slug, name, capacity, created_at, updated_at) VALUES (?, ?, ?, 10, 0, 0)`);
    for (const id of ROOM_IDS) insertRoom.run(id, `room-${id}`, `Room ${id}`);
    for (const l of LINKS) raw.prepare('INSERT INTO room_parts (whole_id, part_id) VALUES (?, ?)').run(l.wholeId, l.partId);
    raw.prepare(`INSERT INTO requests (id, reference, token_hash, room_id, title, contact_name, email, category, attendees,
      rules_version, privacy_version, source, first_date, start_time, end_time, created_at, updated_at)
      VALUES (1, 'T-1', 'h', 1, 't', 'n', 'e@example.org', 'other', 1, 1, 1, 'public', '2026-12-01', '10:00', '11:00', 0, 0)`).run();
  });
  afterAll(async () => {
    await opened.db.destroy();
  });

  it('accepts an approved booking or blocked time exactly when the model says it clashes with nothing accepted', () => {
    const raw = opened.raw;
    const setBuffers = raw.prepare('UPDATE rooms SET buffer_before_min = ?, buffer_after_min = ? WHERE id = ?');
    const insertBooking = raw.prepare(`INSERT INTO bookings (request_id, room_id, local_date, start_at, end_at, status, created_at, updated_at)
      VALUES (1, ?, '2026-12-01', ?, ?, ?, 0, 0)`);
    const approve = raw.prepare(`UPDATE bookings SET status = 'approved' WHERE id = ?`);
    const insertBlock = raw.prepare(`INSERT INTO blocked_times (room_id, start_at, end_at, reason, created_at, updated_at) VALUES (?, ?, ?, 'closure', 0, 0)`);

    fc.assert(
      fc.property(
        buffersArb,
        fc.array(fc.tuple(itemArb(fc.constantFrom('booking', 'block')), fc.boolean()), { minLength: 1, maxLength: 15 }),
        (buffers, steps) => {
          raw.exec('DELETE FROM bookings; DELETE FROM blocked_times;');
          expect(raw.prepare('SELECT COUNT(*) AS n FROM occupancy').get()).toEqual({ n: 0 });
          for (const id of ROOM_IDS) setBuffers.run(buffers[id].before, buffers[id].after, id);
          const accepted: Item[] = [];
          for (const [item, viaApproval] of steps) {
            const expectClash = accepted.some((a) => modelClash(item, a, buffers));
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
            expect(clashed, JSON.stringify({ item, accepted, buffers })).toBe(expectClash);
            if (!clashed) accepted.push(item);
          }
          const counts = raw.prepare(`SELECT (SELECT COUNT(*) FROM bookings WHERE status = 'approved') AS b, (SELECT COUNT(*) FROM blocked_times) AS t`).get();
          expect(counts).toEqual({ b: accepted.filter((a) => a.kind === 'booking').length, t: accepted.filter((a) => a.kind === 'block').length });
        },
      ),
      { numRuns: 300 },
    );
  });
});
