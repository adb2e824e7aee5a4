// Migrating an existing database to rooms as sets of spaces (2026_12_01_001_room_spaces): every booking and
// blocked time is kept unchanged, a double booking the old one-step guard let through is reported in the audit
// log instead of failing the update, and from then on the guard holds per physical space.
import { describe, expect, it } from 'vitest';
import { isClashError } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { useDatabaseBefore } from '../helpers/migration.js';

describe('the migration to rooms as sets of spaces', () => {
  const old = useDatabaseBefore('2026_11_23_003_auth');

  const H = 3_600_000;
  const T = Date.UTC(2026, 11, 1, 17);

  function seedOldLayout() {
    const raw = old.raw();
    const room = raw.prepare(
      `INSERT INTO rooms (id, slug, name, capacity, buffer_before_min, buffer_after_min, created_at, updated_at) VALUES (?, ?, ?, 10, ?, 0, 0, 0)`,
    );
    room.run(1, 'saal-a', 'Saal A', 0);
    room.run(2, 'saal-b', 'Saal B', 0);
    room.run(3, 'kueche', 'Lehrküche', 0);
    room.run(4, 'grosser-saal', 'Großer Saal', 15);
    room.run(5, 'saal-a-kueche', 'Saal A + Küche', 0);
    for (const [w, p] of [
      [4, 1],
      [4, 2],
      [5, 1],
      [5, 3],
    ])
      raw.prepare('INSERT INTO room_parts (whole_id, part_id) VALUES (?, ?)').run(w, p);
    raw
      .prepare(
        `INSERT INTO requests (id, reference, token_hash, room_id, title, contact_name, email, category, attendees,
      rules_version, privacy_version, source, first_date, start_time, end_time, created_at, updated_at)
      VALUES (1, 'HdB-2026-0001', 'h', 4, 't', 'n', 'e@example.org', 'other', 1, 1, 1, 'public', '2026-12-01', '18:00', '20:00', 0, 0)`,
      )
      .run();
    const booking = raw.prepare(
      `INSERT INTO bookings (request_id, room_id, local_date, start_at, end_at, status, created_at, updated_at) VALUES (1, ?, '2026-12-01', ?, ?, ?, 0, 0)`,
    );
    // The old guard looked one step from the booked room: these two both take Saal A, and it let them in.
    booking.run(4, T, T + 2 * H, 'approved');
    booking.run(5, T + H, T + 3 * H, 'approved');
    booking.run(2, T + 5 * H, T + 6 * H, 'approved');
    booking.run(1, T, T + H, 'pending');
    raw
      .prepare(`INSERT INTO blocked_times (room_id, start_at, end_at, reason, created_at, updated_at) VALUES (NULL, ?, ?, 'closure', 0, 0)`)
      .run(T + 24 * H, T + 48 * H);
  }

  it('keeps every booking and blocked time as it was and reports the old double booking in the audit log', async () => {
    seedOldLayout();
    const raw = old.raw();
    const before = {
      bookings: raw.prepare('SELECT * FROM bookings ORDER BY id').all(),
      blocks: raw.prepare('SELECT * FROM blocked_times ORDER BY id').all(),
      parts: raw.prepare('SELECT * FROM room_parts ORDER BY 1, 2').all(),
    };
    await migrateToLatest(old.db);
    expect(raw.prepare('SELECT * FROM bookings ORDER BY id').all()).toEqual(before.bookings);
    expect(raw.prepare('SELECT * FROM blocked_times ORDER BY id').all()).toEqual(before.blocks);
    expect(raw.prepare('SELECT * FROM room_parts ORDER BY 1, 2').all()).toEqual(before.parts);

    const found = raw.prepare(`SELECT action, entity, entity_id, details FROM audit_log WHERE action = 'booking.clash_found'`).all() as {
      entity_id: number;
      details: string;
    }[];
    expect(found).toHaveLength(1);
    expect(found[0]!.entity_id).toBe(1);
    expect(JSON.parse(found[0]!.details)).toEqual({ bookingId: 2, spaceRoomId: 1 });

    // Each approved booking sits in each space of its room, widened by its room's buffers; the closure in every space.
    const occ = raw
      .prepare(`SELECT space_id, kind, booking_id, blocked_time_id, start_at FROM occupancy ORDER BY kind, booking_id, blocked_time_id, space_id`)
      .all();
    expect(occ).toEqual([
      { space_id: 1, kind: 'block', booking_id: null, blocked_time_id: 1, start_at: T + 24 * H },
      { space_id: 2, kind: 'block', booking_id: null, blocked_time_id: 1, start_at: T + 24 * H },
      { space_id: 3, kind: 'block', booking_id: null, blocked_time_id: 1, start_at: T + 24 * H },
      { space_id: 1, kind: 'booking', booking_id: 1, blocked_time_id: null, start_at: T - 15 * 60_000 },
      { space_id: 2, kind: 'booking', booking_id: 1, blocked_time_id: null, start_at: T - 15 * 60_000 },
      { space_id: 1, kind: 'booking', booking_id: 2, blocked_time_id: null, start_at: T + H },
      { space_id: 3, kind: 'booking', booking_id: 2, blocked_time_id: null, start_at: T + H },
      { space_id: 2, kind: 'booking', booking_id: 3, blocked_time_id: null, start_at: T + 5 * H },
    ]);
  });

  it('guards per space from then on: the pending Saal A date cannot be approved over either whole', async () => {
    seedOldLayout();
    await migrateToLatest(old.db);
    const raw = old.raw();
    let error: unknown;
    try {
      raw.prepare(`UPDATE bookings SET status = 'approved' WHERE id = 4`).run();
    } catch (err) {
      error = err;
    }
    expect(isClashError(error)).toBe(true);
    // The kitchen alone is free after the "Saal A + Küche" booking ends.
    raw
      .prepare(
        `INSERT INTO bookings (request_id, room_id, local_date, start_at, end_at, status, created_at, updated_at) VALUES (1, 3, '2026-12-01', ?, ?, 'approved', 0, 0)`,
      )
      .run(T + 3 * H, T + 4 * H);
  });

  it('leaves the database as it was when the update fails half-way (a full disk), guard included, and runs again later', async () => {
    seedOldLayout();
    const raw = old.raw();
    const triggers = () => raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`).all();
    const before = { triggers: triggers(), occupancy: raw.prepare('SELECT * FROM occupancy ORDER BY id').all() };
    // The disk is full: not one more page.
    raw.pragma(`max_page_count = ${Number(raw.pragma('page_count', { simple: true }))}`);
    await expect(migrateToLatest(old.db)).rejects.toThrow(/full/i);
    expect(triggers()).toEqual(before.triggers);
    expect(raw.prepare('SELECT * FROM occupancy ORDER BY id').all()).toEqual(before.occupancy);
    expect(raw.prepare(`SELECT name FROM sqlite_master WHERE name = 'room_spaces'`).all()).toEqual([]);
    raw.pragma('max_page_count = 1073741823');
    await migrateToLatest(old.db);
    expect(raw.prepare(`SELECT COUNT(*) AS n FROM room_spaces`).get()).toEqual({ n: 7 });
  });

  it('migrates a house with 200,000 bookings, keeping them all and finding the one old double booking', async () => {
    seedOldLayout();
    const raw = old.raw();
    const insert = raw.prepare(
      `INSERT INTO bookings (request_id, room_id, local_date, start_at, end_at, status, created_at, updated_at) VALUES (1, ?, '2020-01-01', ?, ?, ?, 0, 0)`,
    );
    const past = Date.UTC(1980, 0, 1); // 200,000 two-hour slots end in 2025, before the seeded dates
    raw.transaction(() => {
      // Years of history: two-hour slots, one room after the other, most approved.
      for (let i = 0; i < 200_000; i++) insert.run([1, 2, 3, 4, 5][i % 5], past + i * 2 * H, past + i * 2 * H + H, i % 8 ? 'approved' : 'cancelled');
    })();
    await migrateToLatest(old.db);
    expect(raw.prepare(`SELECT COUNT(*) AS n FROM bookings`).get()).toEqual({ n: 200_004 });
    expect(raw.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'booking.clash_found'`).get()).toEqual({ n: 1 });
    // Every approved booking sits in each space of its room: 1, 2, 3 one space each, 4 and 5 two each.
    const approved = raw.prepare(`SELECT SUM(CASE WHEN room_id IN (4, 5) THEN 2 ELSE 1 END) AS n FROM bookings WHERE status = 'approved'`).get() as {
      n: number;
    };
    expect(raw.prepare(`SELECT COUNT(*) AS n FROM occupancy WHERE kind = 'booking'`).get()).toEqual({ n: approved.n });
  }, 120_000);

  it('migrates a database without parts or bookings (a new house) without a report', async () => {
    await migrateToLatest(old.db);
    expect(old.raw().prepare(`SELECT COUNT(*) AS n FROM audit_log`).get()).toEqual({ n: 0 });
    const raw = old.raw();
    raw.prepare(`INSERT INTO rooms (slug, name, capacity, created_at, updated_at) VALUES ('x', 'X', 5, 0, 0)`).run();
    expect(raw.prepare(`SELECT room_id, space_id FROM room_spaces`).all()).toEqual([{ room_id: 1, space_id: 1 }]);
    // A whole-house closure covers a room added after it, and a room given parts leaves its own space.
    raw.prepare(`INSERT INTO blocked_times (room_id, start_at, end_at, reason, created_at, updated_at) VALUES (NULL, ?, ?, 'closure', 0, 0)`).run(T, T + H);
    raw.prepare(`INSERT INTO rooms (slug, name, capacity, created_at, updated_at) VALUES ('y', 'Y', 5, 0, 0)`).run();
    raw.prepare(`INSERT INTO rooms (slug, name, capacity, created_at, updated_at) VALUES ('xy', 'X + Y', 5, 0, 0)`).run();
    expect(raw.prepare(`SELECT space_id FROM occupancy ORDER BY space_id`).all()).toEqual([{ space_id: 1 }, { space_id: 2 }, { space_id: 3 }]);
    raw.prepare(`INSERT INTO room_parts (whole_id, part_id) VALUES (3, 1), (3, 2)`).run();
    expect(raw.prepare(`SELECT room_id, space_id FROM room_spaces ORDER BY 1, 2`).all()).toEqual([
      { room_id: 1, space_id: 1 },
      { room_id: 2, space_id: 2 },
      { room_id: 3, space_id: 1 },
      { room_id: 3, space_id: 2 },
    ]);
    expect(raw.prepare(`SELECT space_id FROM occupancy ORDER BY space_id`).all()).toEqual([{ space_id: 1 }, { space_id: 2 }]);
    // And a cycle is refused by the database itself.
    expect(() => raw.prepare(`INSERT INTO room_parts (whole_id, part_id) VALUES (1, 3)`).run()).toThrow(/RAUMBUCH_PARTS_CYCLE/);
  });
});
