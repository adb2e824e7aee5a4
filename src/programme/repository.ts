// The public programme's queries. Privacy by construction: only the request's public title, description, its
// language and category, and the date's room and times are selected — never a name, an address or a note.
// Only approved dates of requests marked public (and not anonymised) are listed.
import type { Conn } from '../db/database.js';
import type { Category } from '../db/schema.js';

export interface ProgrammeEvent {
  /** The booking (date) id: one entry per date, so each date has its own page. */
  id: number;
  requestId: number;
  start: number;
  end: number;
  localDate: string;
  roomSlug: string;
  roomName: string;
  title: string;
  description: string;
  /** The language the description was written in (a code; may be unregistered). */
  language: string;
  category: Category;
  sequence: number;
  updatedAt: number;
}

function base(db: Conn) {
  return db
    .selectFrom('bookings as b')
    .innerJoin('requests as r', 'r.id', 'b.request_id')
    .innerJoin('rooms as m', 'm.id', 'b.room_id')
    .where('b.status', '=', 'approved')
    .where('r.public_event', '=', 1)
    .where('r.anonymized_at', 'is', null)
    .where('r.public_title', 'is not', null)
    .where('m.active', '=', 1)
    .select([
      'b.id',
      'b.request_id',
      'b.start_at',
      'b.end_at',
      'b.local_date',
      'b.sequence as b_sequence',
      'b.updated_at as b_updated',
      'r.sequence as r_sequence',
      'r.updated_at as r_updated',
      'r.public_title',
      'r.public_description',
      'r.public_language',
      'r.language',
      'r.category',
      'm.slug',
      'm.name',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirst']>>;

function toEvent(r: NonNullable<Row>): ProgrammeEvent {
  return {
    id: r.id,
    requestId: r.request_id,
    start: r.start_at,
    end: r.end_at,
    localDate: r.local_date,
    roomSlug: r.slug,
    roomName: r.name,
    title: r.public_title ?? '',
    description: r.public_description ?? '',
    language: r.public_language ?? r.language,
    category: r.category,
    sequence: r.b_sequence + r.r_sequence,
    updatedAt: Math.max(r.b_updated, r.r_updated),
  };
}

/** Public events whose date ends after `from` and starts before `to`, in time order; optionally one kind. */
export async function listProgramme(db: Conn, from: number, to: number, category: Category | null = null, limit = 500): Promise<ProgrammeEvent[]> {
  let q = base(db).where('b.end_at', '>', from).where('b.start_at', '<', to);
  if (category) q = q.where('r.category', '=', category);
  const rows = await q.orderBy('b.start_at').orderBy('b.id').limit(limit).execute();
  return rows.map(toEvent);
}

/** One public date, or undefined when it is not (or no longer) public. */
export async function findProgrammeEvent(db: Conn, bookingId: number): Promise<ProgrammeEvent | undefined> {
  const r = await base(db).where('b.id', '=', bookingId).executeTakeFirst();
  return r ? toEvent(r) : undefined;
}
