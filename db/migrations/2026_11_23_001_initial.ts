// The initial schema: everything PRODUCT.md lists. Frozen: never edit, add a new migration instead.
import { sql, type Kysely } from 'kysely';

// Rooms a booking or block in room X also occupies: X, its parts, and the wholes it is part of.
const related = (roomExpr: string) => `(
  SELECT ${roomExpr} AS id
  UNION SELECT part_id FROM room_parts WHERE whole_id = ${roomExpr}
  UNION SELECT whole_id FROM room_parts WHERE part_id = ${roomExpr}
)`;

const insertBookingOccupancy = (b: string) => `
  INSERT INTO occupancy (room_id, start_at, end_at, kind, booking_id)
  SELECT ${b}.room_id,
         ${b}.start_at - (SELECT buffer_before_min FROM rooms WHERE id = ${b}.room_id) * 60000,
         ${b}.end_at + (SELECT buffer_after_min FROM rooms WHERE id = ${b}.room_id) * 60000,
         'booking', ${b}.id
  WHERE ${b}.status = 'approved';`;

// A whole-house block gets a row under every room; a room's block a row under that room.
const insertBlockOccupancy = (b: string) => `
  INSERT INTO occupancy (room_id, start_at, end_at, kind, blocked_time_id)
  SELECT id, ${b}.start_at, ${b}.end_at, 'block', ${b}.id
  FROM rooms WHERE ${b}.room_id IS NULL OR id = ${b}.room_id;`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('settings')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('house_name', 'text', (c) => c.notNull())
    .addColumn('reference_prefix', 'text', (c) => c.notNull().defaultTo('HdB'))
    .addColumn('street', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('postal_code', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('city', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('contact_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('contact_email', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('contact_phone', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('Europe/Berlin'))
    .addColumn('federal_state', 'text', (c) => c.notNull().defaultTo('BE'))
    .addColumn('default_language', 'text', (c) =>
      c
        .notNull()
        .defaultTo('de')
        .check(sql`default_language IN ('de','en')`),
    )
    .addColumn('about_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('rules_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('rules_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('privacy_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('privacy_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('imprint_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('opening_hours', 'text', (c) => c.notNull())
    .addColumn('lead_time_days', 'integer', (c) => c.notNull().defaultTo(2))
    .addColumn('horizon_months', 'integer', (c) => c.notNull().defaultTo(12))
    .addColumn('retention_months', 'integer', (c) => c.notNull().defaultTo(6))
    .addColumn('session_secret', 'text')
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('document_versions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('rules','privacy')`))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addUniqueConstraint('document_versions_kind_version', ['kind', 'version'])
    .execute();

  await db.schema
    .createTable('rooms')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('capacity', 'integer', (c) => c.notNull().check(sql`capacity >= 1`))
    .addColumn('size_m2', 'real')
    .addColumn('equipment', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('accessible', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('accessibility_notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('floor', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('buffer_before_min', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`buffer_before_min >= 0`),
    )
    .addColumn('buffer_after_min', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`buffer_after_min >= 0`),
    )
    .addColumn('public_bookable', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('room_parts')
    .addColumn('whole_id', 'integer', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
    .addColumn('part_id', 'integer', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('room_parts_pk', ['whole_id', 'part_id'])
    .addCheckConstraint('room_parts_not_self', sql`whole_id <> part_id`)
    .execute();
  await db.schema.createIndex('room_parts_part').on('room_parts').column('part_id').execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('email', 'text', (c) =>
      c
        .notNull()
        .unique()
        .modifyEnd(sql`COLLATE NOCASE`),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role IN ('caretaker','admin')`))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('de'))
    .addColumn('feed_token_hash', 'text', (c) => c.unique())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addColumn('last_login_at', 'integer')
    .execute();

  await db.schema
    .createTable('requests')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('room_id', 'integer', (c) => c.notNull().references('rooms.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('public_title', 'text')
    .addColumn('show_public_title', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('organisation', 'text')
    .addColumn('contact_name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('category', 'text', (c) => c.notNull().check(sql`category IN ('education','culture','social','integration','sports','celebration','other')`))
    .addColumn('attendees', 'integer', (c) => c.notNull().check(sql`attendees >= 1`))
    .addColumn('equipment', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('de'))
    .addColumn('rules_version', 'integer', (c) => c.notNull())
    .addColumn('privacy_version', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source IN ('public','house')`))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('repeat_weeks', 'integer', (c) => c.check(sql`repeat_weeks IS NULL OR repeat_weeks BETWEEN 1 AND 4`))
    .addColumn('first_date', 'text', (c) => c.notNull())
    .addColumn('last_date', 'text')
    .addColumn('start_time', 'text', (c) => c.notNull())
    .addColumn('end_time', 'text', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addColumn('anonymized_at', 'integer')
    .execute();
  await db.schema.createIndex('requests_email').on('requests').column('email').execute();
  await db.schema.createIndex('requests_created').on('requests').column('created_at').execute();

  await db.schema
    .createTable('bookings')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('request_id', 'integer', (c) => c.notNull().references('requests.id').onDelete('cascade'))
    .addColumn('room_id', 'integer', (c) => c.notNull().references('rooms.id'))
    .addColumn('local_date', 'text', (c) => c.notNull())
    .addColumn('start_at', 'integer', (c) => c.notNull())
    .addColumn('end_at', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('pending','approved','rejected','cancelled','skipped')`))
    .addColumn('skip_reason', 'text', (c) => c.check(sql`skip_reason IS NULL OR skip_reason IN ('holiday','closure','clash')`))
    .addColumn('detached', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('decided_by', 'integer', (c) => c.references('users.id'))
    .addColumn('decided_at', 'integer')
    .addColumn('decision_message', 'text')
    .addColumn('cancelled_by', 'text', (c) => c.check(sql`cancelled_by IS NULL OR cancelled_by IN ('group','house')`))
    .addColumn('cancelled_at', 'integer')
    .addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addCheckConstraint('bookings_end_after_start', sql`end_at > start_at`)
    .execute();
  await db.schema.createIndex('bookings_room_start').on('bookings').columns(['room_id', 'start_at']).execute();
  await db.schema.createIndex('bookings_start').on('bookings').columns(['start_at']).execute();
  await db.schema.createIndex('bookings_status_start').on('bookings').columns(['status', 'start_at']).execute();
  await db.schema.createIndex('bookings_request').on('bookings').columns(['request_id', 'local_date']).execute();

  await db.schema
    .createTable('blocked_times')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('room_id', 'integer', (c) => c.references('rooms.id').onDelete('cascade'))
    .addColumn('start_at', 'integer', (c) => c.notNull())
    .addColumn('end_at', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason IN ('holiday','closure','renovation','house_event')`))
    .addColumn('label', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addCheckConstraint('blocked_end_after_start', sql`end_at > start_at`)
    .execute();
  await db.schema.createIndex('blocked_times_range').on('blocked_times').columns(['end_at', 'start_at']).execute();

  await db.schema
    .createTable('occupancy')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('room_id', 'integer', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
    .addColumn('start_at', 'integer', (c) => c.notNull())
    .addColumn('end_at', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('booking','block')`))
    .addColumn('booking_id', 'integer', (c) => c.references('bookings.id').onDelete('cascade'))
    .addColumn('blocked_time_id', 'integer', (c) => c.references('blocked_times.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('occupancy_room_end').on('occupancy').columns(['room_id', 'end_at', 'start_at']).execute();
  await db.schema.createIndex('occupancy_booking').on('occupancy').column('booking_id').execute();
  await db.schema.createIndex('occupancy_block').on('occupancy').column('blocked_time_id').execute();

  // The guard: a booking's interval may overlap neither another booking nor a block in the room itself,
  // its parts or the wholes it is part of (blocks may overlap each other). Half-open: touching ends do not clash.
  await sql
    .raw(
      `
    CREATE TRIGGER occupancy_no_overlap BEFORE INSERT ON occupancy
    WHEN EXISTS (
      SELECT 1 FROM occupancy o
      WHERE o.room_id IN ${related('NEW.room_id')}
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

  // A new room is closed whenever the whole house is.
  await sql
    .raw(
      `CREATE TRIGGER rooms_house_blocks AFTER INSERT ON rooms BEGIN
    INSERT INTO occupancy (room_id, start_at, end_at, kind, blocked_time_id)
    SELECT NEW.id, start_at, end_at, 'block', id FROM blocked_times WHERE room_id IS NULL; END;`,
    )
    .execute(db);

  // Changed buffers re-widen the room's approved bookings (aborts if that creates a clash).
  await sql
    .raw(
      `CREATE TRIGGER rooms_buffers_update AFTER UPDATE OF buffer_before_min, buffer_after_min ON rooms BEGIN
    DELETE FROM occupancy WHERE booking_id IN (SELECT id FROM bookings WHERE room_id = NEW.id AND status = 'approved');
    INSERT INTO occupancy (room_id, start_at, end_at, kind, booking_id)
    SELECT NEW.id, b.start_at - NEW.buffer_before_min * 60000, b.end_at + NEW.buffer_after_min * 60000, 'booking', b.id
    FROM bookings b WHERE b.room_id = NEW.id AND b.status = 'approved'; END;`,
    )
    .execute(db);

  // Joining rooms into a whole: refused when the whole's and the part's occupancy already overlap.
  await sql
    .raw(
      `CREATE TRIGGER room_parts_no_overlap BEFORE INSERT ON room_parts
    WHEN EXISTS (
      SELECT 1 FROM occupancy x JOIN occupancy y
        ON x.room_id = NEW.whole_id AND y.room_id = NEW.part_id
       AND x.end_at > y.start_at AND x.start_at < y.end_at AND (x.kind = 'booking' OR y.kind = 'booking')
    )
    BEGIN SELECT RAISE(ABORT, 'RAUMBUCH_CLASH'); END;`,
    )
    .execute(db);

  await db.schema
    .createTable('sessions')
    .addColumn('sid', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('at', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('actor', 'text', (c) => c.notNull().check(sql`actor IN ('user','group','system')`))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer')
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
  await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['entity', 'entity_id']).execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('de'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text', (c) => c.notNull())
    .addColumn('attachments', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status IN ('pending','sent','failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'integer')
    .addColumn('request_id', 'integer', (c) => c.references('requests.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();

  await db.schema
    .createTable('message_templates')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('approve','reject','cancel')`))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('reference_counters')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('last', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('The initial migration cannot be undone; restore a backup instead.');
}
