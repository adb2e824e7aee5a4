// Rooms as bookable combinations of physical spaces (issue 10.1). A room with no parts is one physical space;
// a room made of parts covers the union of its parts' spaces at any depth (a part in two wholes, a whole of
// wholes). room_spaces holds these sets, kept by triggers from room_parts, and the occupancy guard checks per
// space: two rooms clash exactly when their sets of spaces intersect. The old guard looked only one step from
// the booked room, so "Saal A + Küche" and "Großer Saal" could both take Saal A.
// Existing bookings and blocked times are kept as they are; a double booking the old guard let through is
// not refused here (the migration must not lose a booking) but written to the audit log for the caretaker.
import { sql, type Kysely } from 'kysely';

/** Every room's physical spaces, from room_parts (recursive; UNION stops on a cycle, which is refused anyway). */
const CLOSURE = `SELECT room_id, node AS space_id FROM (
  WITH RECURSIVE reach(room_id, node) AS (
    SELECT id, id FROM rooms
    UNION SELECT reach.room_id, p.part_id FROM reach JOIN room_parts p ON p.whole_id = reach.node
  )
  SELECT room_id, node FROM reach WHERE node NOT IN (SELECT whole_id FROM room_parts)
)`;

/** Brings room_spaces in line with room_parts: removes what no longer holds first, then adds what is new. */
const SYNC_SPACES = `
  DELETE FROM room_spaces WHERE (room_id, space_id) NOT IN (${CLOSURE});
  INSERT OR IGNORE INTO room_spaces (room_id, space_id) ${CLOSURE};`;

/** An approved booking occupies each space of its room, widened by its room's buffers. */
const insertBookingOccupancy = (b: string) => `
  INSERT INTO occupancy (space_id, start_at, end_at, kind, booking_id)
  SELECT rs.space_id, ${b}.start_at - r.buffer_before_min * 60000, ${b}.end_at + r.buffer_after_min * 60000, 'booking', ${b}.id
  FROM room_spaces rs JOIN rooms r ON r.id = rs.room_id
  WHERE rs.room_id = ${b}.room_id AND ${b}.status = 'approved';`;

/** A blocked time occupies each space of its room; a whole-house one (room_id NULL) every space. */
const insertBlockOccupancy = (b: string) => `
  INSERT INTO occupancy (space_id, start_at, end_at, kind, blocked_time_id)
  SELECT DISTINCT space_id, ${b}.start_at, ${b}.end_at, 'block', ${b}.id
  FROM room_spaces WHERE ${b}.room_id IS NULL OR room_id = ${b}.room_id;`;

export async function up(db: Kysely<any>): Promise<void> {
  for (const t of [
    'occupancy_no_overlap',
    'bookings_occupancy_insert',
    'bookings_occupancy_update',
    'blocked_occupancy_insert',
    'blocked_occupancy_update',
    'rooms_house_blocks',
    'rooms_buffers_update',
    'room_parts_no_overlap',
  ])
    await sql.raw(`DROP TRIGGER IF EXISTS ${t}`).execute(db);

  await sql
    .raw(
      `CREATE TABLE room_spaces (
    room_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    space_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    PRIMARY KEY (room_id, space_id)
  ) WITHOUT ROWID`,
    )
    .execute(db);
  await sql.raw(`CREATE INDEX room_spaces_space ON room_spaces (space_id, room_id)`).execute(db);
  await sql.raw(`INSERT INTO room_spaces (room_id, space_id) ${CLOSURE}`).execute(db);

  await sql.raw(`DROP TABLE occupancy`).execute(db);
  await sql
    .raw(
      `CREATE TABLE occupancy (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    space_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    start_at INTEGER NOT NULL,
    end_at INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('booking','block')),
    booking_id INTEGER REFERENCES bookings(id) ON DELETE CASCADE,
    blocked_time_id INTEGER REFERENCES blocked_times(id) ON DELETE CASCADE
  )`,
    )
    .execute(db);
  await sql.raw(`CREATE INDEX occupancy_space_end ON occupancy (space_id, end_at, start_at)`).execute(db);
  await sql.raw(`CREATE INDEX occupancy_booking ON occupancy (booking_id)`).execute(db);
  await sql.raw(`CREATE INDEX occupancy_block ON occupancy (blocked_time_id)`).execute(db);

  // Fill from what is stored, before the guard exists: nothing stored may be lost by migrating.
  await sql
    .raw(
      `INSERT INTO occupancy (space_id, start_at, end_at, kind, booking_id)
    SELECT rs.space_id, b.start_at - r.buffer_before_min * 60000, b.end_at + r.buffer_after_min * 60000, 'booking', b.id
    FROM bookings b JOIN rooms r ON r.id = b.room_id JOIN room_spaces rs ON rs.room_id = b.room_id
    WHERE b.status = 'approved'`,
    )
    .execute(db);
  await sql
    .raw(
      `INSERT INTO occupancy (space_id, start_at, end_at, kind, blocked_time_id)
    SELECT DISTINCT rs.space_id, t.start_at, t.end_at, 'block', t.id
    FROM blocked_times t JOIN room_spaces rs ON t.room_id IS NULL OR rs.room_id = t.room_id`,
    )
    .execute(db);

  // Double bookings the one-step guard let through: told to the caretaker through the audit log. One sweep per
  // space in time order (years of history: no self-join), keeping only what still reaches the current row.
  type Row = { space_id: number; start_at: number; end_at: number; kind: 'booking' | 'block'; booking_id: number | null; blocked_time_id: number | null };
  const rows = (
    await sql<Row>`SELECT space_id, start_at, end_at, kind, booking_id, blocked_time_id
    FROM occupancy ORDER BY space_id, start_at`.execute(db)
  ).rows;
  const found = new Map<string, { bookingId: number; details: Record<string, number> }>();
  let space: number | null = null;
  let active: Row[] = [];
  for (const r of rows) {
    if (r.space_id !== space) {
      space = r.space_id;
      active = [];
    }
    active = active.filter((a) => a.end_at > r.start_at);
    for (const a of active) {
      if (a.kind === 'block' && r.kind === 'block') continue;
      const [x, y] = a.kind === 'booking' && (r.kind === 'block' || a.booking_id! < r.booking_id!) ? [a, r] : [r, a];
      const details: Record<string, number> =
        y.kind === 'block' ? { blockId: y.blocked_time_id!, spaceRoomId: r.space_id } : { bookingId: y.booking_id!, spaceRoomId: r.space_id };
      const key = `${x.booking_id}|${y.kind}|${y.booking_id ?? y.blocked_time_id}`;
      if (!found.has(key)) found.set(key, { bookingId: x.booking_id!, details });
    }
    active.push(r);
  }
  const now = Date.now();
  for (const c of found.values()) {
    await sql`INSERT INTO audit_log (at, user_id, actor, action, entity, entity_id, details)
      VALUES (${now}, NULL, 'system', 'booking.clash_found', 'booking', ${c.bookingId}, ${JSON.stringify(c.details)})`.execute(db);
  }

  // The guard: per physical space, a booking overlaps neither another booking nor a blocked time (blocks may
  // overlap each other). Half-open: touching ends do not clash.
  await sql
    .raw(
      `
    CREATE TRIGGER occupancy_no_overlap BEFORE INSERT ON occupancy
    WHEN EXISTS (
      SELECT 1 FROM occupancy o
      WHERE o.space_id = NEW.space_id
        AND o.end_at > NEW.start_at AND o.start_at < NEW.end_at
        AND (o.kind = 'booking' OR NEW.kind = 'booking')
    )
    BEGIN SELECT RAISE(ABORT, 'RAUMBUCH_CLASH'); END;`,
    )
    .execute(db);

  await sql
    .raw(
      `CREATE TRIGGER bookings_occupancy_insert AFTER INSERT ON bookings
    BEGIN ${insertBookingOccupancy('NEW')} END;`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER bookings_occupancy_update AFTER UPDATE OF status, start_at, end_at, room_id ON bookings
    BEGIN DELETE FROM occupancy WHERE booking_id = OLD.id; ${insertBookingOccupancy('NEW')} END;`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER blocked_occupancy_insert AFTER INSERT ON blocked_times
    BEGIN ${insertBlockOccupancy('NEW')} END;`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER blocked_occupancy_update AFTER UPDATE OF room_id, start_at, end_at ON blocked_times
    BEGIN DELETE FROM occupancy WHERE blocked_time_id = OLD.id; ${insertBlockOccupancy('NEW')} END;`,
    )
    .execute(db);

  // A new room is a space of its own until it is given parts.
  await sql
    .raw(
      `CREATE TRIGGER rooms_space AFTER INSERT ON rooms
    BEGIN INSERT OR IGNORE INTO room_spaces (room_id, space_id) VALUES (NEW.id, NEW.id); END;`,
    )
    .execute(db);

  // Changed buffers re-widen the room's approved bookings (aborts if that creates a clash).
  await sql
    .raw(
      `CREATE TRIGGER rooms_buffers_update AFTER UPDATE OF buffer_before_min, buffer_after_min ON rooms BEGIN
    DELETE FROM occupancy WHERE booking_id IN (SELECT id FROM bookings WHERE room_id = NEW.id AND status = 'approved');
    INSERT INTO occupancy (space_id, start_at, end_at, kind, booking_id)
    SELECT rs.space_id, b.start_at - NEW.buffer_before_min * 60000, b.end_at + NEW.buffer_after_min * 60000, 'booking', b.id
    FROM bookings b JOIN room_spaces rs ON rs.room_id = b.room_id WHERE b.room_id = NEW.id AND b.status = 'approved'; END;`,
    )
    .execute(db);

  // A room gains a space: its approved bookings and its blocked times take it too, and whole-house blocked
  // times cover a space new to the house (each insert passes the guard, so a layout change that would
  // double-book aborts).
  await sql
    .raw(
      `CREATE TRIGGER room_spaces_insert AFTER INSERT ON room_spaces BEGIN
    INSERT INTO occupancy (space_id, start_at, end_at, kind, booking_id)
    SELECT NEW.space_id, b.start_at - r.buffer_before_min * 60000, b.end_at + r.buffer_after_min * 60000, 'booking', b.id
    FROM bookings b JOIN rooms r ON r.id = b.room_id WHERE b.room_id = NEW.room_id AND b.status = 'approved';
    INSERT INTO occupancy (space_id, start_at, end_at, kind, blocked_time_id)
    SELECT NEW.space_id, t.start_at, t.end_at, 'block', t.id FROM blocked_times t
    WHERE (t.room_id = NEW.room_id OR t.room_id IS NULL)
      AND NOT EXISTS (SELECT 1 FROM occupancy o WHERE o.blocked_time_id = t.id AND o.space_id = NEW.space_id);
  END;`,
    )
    .execute(db);
  // A room loses a space: its bookings and blocked times leave it (and whole-house ones once no room has it).
  await sql
    .raw(
      `CREATE TRIGGER room_spaces_delete AFTER DELETE ON room_spaces BEGIN
    DELETE FROM occupancy WHERE space_id = OLD.space_id
      AND booking_id IN (SELECT id FROM bookings WHERE room_id = OLD.room_id);
    DELETE FROM occupancy WHERE space_id = OLD.space_id
      AND blocked_time_id IN (SELECT id FROM blocked_times WHERE room_id = OLD.room_id);
    DELETE FROM occupancy WHERE space_id = OLD.space_id
      AND blocked_time_id IN (SELECT id FROM blocked_times WHERE room_id IS NULL)
      AND NOT EXISTS (SELECT 1 FROM room_spaces WHERE space_id = OLD.space_id);
  END;`,
    )
    .execute(db);

  // Parts may nest to any depth, but a room can never (through any path) be part of itself.
  await sql
    .raw(
      `CREATE TRIGGER room_parts_no_cycle BEFORE INSERT ON room_parts
    WHEN NEW.whole_id = NEW.part_id OR NEW.whole_id IN (
      SELECT node FROM (
        WITH RECURSIVE down(node) AS (
          SELECT NEW.part_id UNION SELECT p.part_id FROM down JOIN room_parts p ON p.whole_id = down.node
        ) SELECT node FROM down))
    BEGIN SELECT RAISE(ABORT, 'RAUMBUCH_PARTS_CYCLE'); END;`,
    )
    .execute(db);
  for (const [name, event] of [
    ['room_parts_insert', 'AFTER INSERT'],
    ['room_parts_delete', 'AFTER DELETE'],
  ]) {
    await sql.raw(`CREATE TRIGGER ${name} ${event} ON room_parts BEGIN ${SYNC_SPACES} END;`).execute(db);
  }
  // Rows are only ever inserted and deleted (the triggers above keep the guard in step with that); an UPDATE
  // could slip a cycle or an overlap past them, so it is refused.
  for (const table of ['room_parts', 'room_spaces', 'occupancy']) {
    await sql
      .raw(
        `CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
      BEGIN SELECT RAISE(ABORT, 'RAUMBUCH_NO_UPDATE: ${table} rows are inserted and deleted, never changed'); END;`,
      )
      .execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('Rooms as sets of spaces cannot be undone; restore a backup instead.');
}
