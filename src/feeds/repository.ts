// Queries behind the calendar feeds and the caretakers' secret feed tokens.
import type { Conn } from '../db/database.js';
import type { BlockReason, BookingStatus, Category, Language, BookingRequest, SkipReason, User } from '../db/schema.js';
import { MAX_BOOKING_MS } from '../bookings/occupants.js';

/** What the public feed may know of a booking: no requester data is selected. */
export interface PublicFeedBooking {
  id: number;
  roomId: number;
  start: number;
  end: number;
  sequence: number;
  updatedAt: number;
  publicTitle: string | null;
}

export interface FeedBlock {
  id: number;
  roomId: number | null;
  start: number;
  end: number;
  reason: BlockReason;
  label: string;
  isPublic: boolean;
  updatedAt: number;
}

/** A booking with its request's details, for the caretakers' feed, the group's own feed and mails. */
export interface DetailedBooking {
  id: number;
  requestId: number;
  roomId: number;
  localDate: string;
  start: number;
  end: number;
  status: BookingStatus;
  skipReason: SkipReason | null;
  sequence: number;
  updatedAt: number;
  decisionMessage: string | null;
  cancelledBy: 'group' | 'house' | null;
  reference: string;
  title: string;
  organisation: string | null;
  contactName: string;
  email: string;
  phone: string | null;
  category: Category;
  attendees: number;
  notes: string;
  language: Language;
  requestSequence: number;
  requestUpdatedAt: number;
}

/** Approved bookings of the given rooms overlapping [from, to). */
export async function listPublicBookings(db: Conn, roomIds: number[], from: number, to: number): Promise<PublicFeedBooking[]> {
  if (!roomIds.length) return [];
  const rows = await db
    .selectFrom('bookings as b')
    .innerJoin('requests as r', 'r.id', 'b.request_id')
    .select([
      'b.id',
      'b.room_id',
      'b.start_at',
      'b.end_at',
      'b.sequence',
      'b.updated_at',
      'r.sequence as rseq',
      'r.updated_at as rupdated',
      'r.public_title',
      'r.show_public_title',
    ])
    .where('b.status', '=', 'approved')
    .where('b.room_id', 'in', roomIds)
    .where('b.start_at', '<', to)
    .where('b.start_at', '>', from - MAX_BOOKING_MS)
    .where('b.end_at', '>', from)
    .orderBy('b.start_at')
    .orderBy('b.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    roomId: r.room_id,
    start: r.start_at,
    end: r.end_at,
    sequence: r.sequence + r.rseq,
    updatedAt: Math.max(r.updated_at, r.rupdated),
    publicTitle: r.show_public_title && r.public_title ? r.public_title : null,
  }));
}

/** Blocked times overlapping [from, to): of the given rooms and of the whole house (all rooms when roomIds is absent). */
export async function listBlocks(db: Conn, from: number, to: number, roomIds?: number[]): Promise<FeedBlock[]> {
  let q = db
    .selectFrom('blocked_times')
    .select(['id', 'room_id', 'start_at', 'end_at', 'reason', 'label', 'is_public', 'updated_at'])
    .where('end_at', '>', from)
    .where('start_at', '<', to);
  if (roomIds) q = q.where((eb) => eb.or([eb('room_id', 'is', null), eb('room_id', 'in', roomIds.length ? roomIds : [-1])]));
  const rows = await q.orderBy('start_at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    roomId: r.room_id,
    start: r.start_at,
    end: r.end_at,
    reason: r.reason,
    label: r.label,
    isPublic: r.is_public === 1,
    updatedAt: r.updated_at,
  }));
}

function detailedQuery(db: Conn) {
  return db
    .selectFrom('bookings as b')
    .innerJoin('requests as r', 'r.id', 'b.request_id')
    .select([
      'b.id',
      'b.request_id',
      'b.room_id',
      'b.local_date',
      'b.start_at',
      'b.end_at',
      'b.status',
      'b.skip_reason',
      'b.sequence',
      'b.updated_at',
      'b.decision_message',
      'b.cancelled_by',
      'r.reference',
      'r.title',
      'r.organisation',
      'r.contact_name',
      'r.email',
      'r.phone',
      'r.category',
      'r.attendees',
      'r.notes',
      'r.language',
      'r.sequence as rseq',
      'r.updated_at as rupdated',
    ]);
}

type DetailedRow = Awaited<ReturnType<ReturnType<typeof detailedQuery>['execute']>>[number];

function toDetailed(r: DetailedRow): DetailedBooking {
  return {
    id: r.id,
    requestId: r.request_id,
    roomId: r.room_id,
    localDate: r.local_date,
    start: r.start_at,
    end: r.end_at,
    status: r.status,
    skipReason: r.skip_reason,
    sequence: r.sequence,
    updatedAt: r.updated_at,
    decisionMessage: r.decision_message,
    cancelledBy: r.cancelled_by,
    reference: r.reference,
    title: r.title,
    organisation: r.organisation,
    contactName: r.contact_name,
    email: r.email,
    phone: r.phone,
    category: r.category,
    attendees: r.attendees,
    notes: r.notes,
    language: r.language,
    requestSequence: r.rseq,
    requestUpdatedAt: r.rupdated,
  };
}

/** Approved and pending bookings of all rooms overlapping [from, to), with their request's details. */
export async function listStaffBookings(db: Conn, from: number, to: number): Promise<DetailedBooking[]> {
  const rows = await detailedQuery(db)
    .where('b.status', 'in', ['approved', 'pending'])
    .where('b.start_at', '<', to)
    .where('b.start_at', '>', from - MAX_BOOKING_MS)
    .where('b.end_at', '>', from)
    .orderBy('b.start_at')
    .orderBy('b.id')
    .execute();
  return rows.map(toDetailed);
}

/** Every date of one request (including skipped ones), by date. */
export async function listRequestBookings(db: Conn, requestId: number): Promise<DetailedBooking[]> {
  const rows = await detailedQuery(db).where('b.request_id', '=', requestId).orderBy('b.start_at').orderBy('b.id').execute();
  return rows.map(toDetailed);
}

export async function findRequestByTokenHash(db: Conn, tokenHash: string): Promise<BookingRequest | undefined> {
  // The request's own link or a further one from a reminder mail (table manage_tokens); none once anonymised.
  return db
    .selectFrom('requests')
    .selectAll()
    .where('anonymized_at', 'is', null)
    .where((eb) =>
      eb.or([eb('token_hash', '=', tokenHash), eb('id', 'in', eb.selectFrom('manage_tokens').select('request_id').where('token_hash', '=', tokenHash))]),
    )
    .executeTakeFirst();
}

export async function findRequestById(db: Conn, id: number): Promise<BookingRequest | undefined> {
  return db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The active staff user whose feed token has this hash. */
export async function findUserByFeedTokenHash(db: Conn, tokenHash: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('feed_token_hash', '=', tokenHash).where('active', '=', 1).executeTakeFirst();
}

export async function setFeedTokenHash(db: Conn, userId: number, tokenHash: string | null, now: number): Promise<void> {
  await db.updateTable('users').set({ feed_token_hash: tokenHash, updated_at: now }).where('id', '=', userId).execute();
}
