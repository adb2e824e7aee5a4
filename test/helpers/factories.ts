// Test data builders with overrides; they create missing parents (a booking makes its room and request).
import type { Conn } from '../../src/db/database.js';
import type { BookingStatus, BlockReason, Category } from '../../src/db/schema.js';
import { localToInstant } from '../../src/time/index.js';
import { newManageToken, nextReference } from '../../src/bookings/reference.js';

const ZONE = 'Europe/Berlin';
let seq = 0;

export interface RoomOverrides {
  slug?: string;
  name?: string;
  capacity?: number;
  bufferBeforeMin?: number;
  bufferAfterMin?: number;
  publicBookable?: boolean;
  active?: boolean;
  equipment?: string[];
  accessible?: boolean;
  sortOrder?: number;
}

export async function aRoom(db: Conn, o: RoomOverrides = {}): Promise<{ id: number; slug: string; name: string }> {
  const n = ++seq;
  const slug = o.slug ?? `raum-${n}`;
  const name = o.name ?? `Raum ${n}`;
  const row = await db
    .insertInto('rooms')
    .values({
      slug,
      name,
      description: `Beschreibung ${name}`,
      capacity: o.capacity ?? 20,
      size_m2: 30,
      equipment: JSON.stringify(o.equipment ?? ['chairs_tables']),
      accessible: o.accessible === false ? 0 : 1,
      accessibility_notes: '',
      floor: 'EG',
      buffer_before_min: o.bufferBeforeMin ?? 0,
      buffer_after_min: o.bufferAfterMin ?? 0,
      public_bookable: o.publicBookable === false ? 0 : 1,
      active: o.active === false ? 0 : 1,
      sort_order: o.sortOrder ?? n,
      created_at: 0,
      updated_at: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, slug, name };
}

/** A whole room made of the given parts. */
export async function aWholeRoom(db: Conn, parts: number[], o: RoomOverrides = {}) {
  const whole = await aRoom(db, o);
  for (const p of parts) await db.insertInto('room_parts').values({ whole_id: whole.id, part_id: p }).execute();
  return whole;
}

function instant(date: string, time: string): number {
  const r = localToInstant(date, time, ZONE);
  if (!r.ok) throw new Error(`bad local time ${date} ${time}: ${r.reason}`);
  return r.instant;
}

export interface BookingOverrides {
  roomId?: number;
  date?: string;
  start?: string;
  end?: string;
  status?: BookingStatus;
  title?: string;
  publicTitle?: string | null;
  showPublicTitle?: boolean;
  contactName?: string;
  organisation?: string | null;
  email?: string;
  phone?: string | null;
  category?: Category;
  attendees?: number;
}

/** A single-date request with its one booking. Returns ids and the manage token. */
export async function aBooking(db: Conn, o: BookingOverrides = {}) {
  const roomId = o.roomId ?? (await aRoom(db)).id;
  const date = o.date ?? '2026-12-01';
  const start = o.start ?? '10:00';
  const end = o.end ?? '12:00';
  const { token, hash } = newManageToken();
  const reference = await nextReference(db, 'HdB', Number(date.slice(0, 4)));
  const req = await db
    .insertInto('requests')
    .values({
      reference,
      token_hash: hash,
      room_id: roomId,
      title: o.title ?? 'Gruppentreffen',
      public_title: o.publicTitle ?? null,
      show_public_title: o.showPublicTitle ? 1 : 0,
      organisation: o.organisation === undefined ? 'Verein Geheim e. V.' : o.organisation,
      contact_name: o.contactName ?? 'Erika Mustermann',
      email: o.email ?? 'erika@example.org',
      phone: o.phone === undefined ? '0301234567' : o.phone,
      category: o.category ?? 'social',
      attendees: o.attendees ?? 10,
      equipment: '[]',
      notes: '',
      language: 'de',
      rules_version: 1,
      privacy_version: 1,
      source: 'public',
      created_by: null,
      repeat_weeks: null,
      first_date: date,
      last_date: null,
      start_time: start,
      end_time: end,
      sequence: 0,
      created_at: 0,
      updated_at: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const b = await db
    .insertInto('bookings')
    .values({
      request_id: req.id,
      room_id: roomId,
      local_date: date,
      start_at: instant(date, start),
      end_at: instant(date, end),
      status: o.status ?? 'approved',
      skip_reason: null,
      detached: 0,
      decided_by: null,
      decided_at: null,
      decision_message: null,
      cancelled_by: null,
      cancelled_at: null,
      sequence: 0,
      created_at: 0,
      updated_at: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { requestId: req.id, bookingId: b.id, roomId, token, reference };
}

export interface BlockOverrides {
  roomId?: number | null;
  from?: string;
  fromTime?: string;
  to?: string;
  toTime?: string;
  reason?: BlockReason;
  label?: string;
  isPublic?: boolean;
}

/** A blocked time; by default the whole house for the whole day 2026-12-24. */
export async function aBlockedTime(db: Conn, o: BlockOverrides = {}) {
  const from = o.from ?? '2026-12-24';
  const to = o.to ?? from;
  const row = await db
    .insertInto('blocked_times')
    .values({
      room_id: o.roomId ?? null,
      start_at: instant(from, o.fromTime ?? '00:00'),
      end_at: o.toTime ? instant(to, o.toTime) : instant(addDay(to), '00:00'),
      reason: o.reason ?? 'closure',
      label: o.label ?? 'Schließzeit',
      is_public: o.isPublic === false ? 0 : 1,
      created_by: null,
      created_at: 0,
      updated_at: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id };
}

function addDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
