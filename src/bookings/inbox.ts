// The caretaker's inbox as a compact list: one row per request (a series is one row), filtered, searched,
// sorted and cut into pages, each row with its flags (clash with an approved booking or a blocked time,
// competing pending request, public holiday skipped, first request of this e-mail address). The filters are
// plain data (parsed in inbox-schema.ts); the clash and competition marks use the same index as findClashes.
import type { Conn } from '../db/database.js';
import { sql } from 'kysely';
import { inSlices } from '../db/batches.js';
import { keptByVersion } from '../db/versioned.js';
import type { BlockReason, BookingRequest, Language } from '../db/schema.js';
import { rhythmOf } from './series.js';
import { maxBufferMs } from './overlap.js';
import { buildClashIndex } from './clash-index.js';
import { listOccupants, type CalendarOccupant } from './occupants.js';
import { loadRoomGraph } from '../rooms/repository.js';

export const INBOX_SORTS = ['date', 'age', 'room', 'group'] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];
export const INBOX_STATUSES = ['open', 'decided', 'approved', 'rejected', 'cancelled', 'all'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];
export const INBOX_KINDS = ['all', 'single', 'series'] as const;
export type InboxKind = (typeof INBOX_KINDS)[number];
export const INBOX_FLAGS = ['all', 'any', 'clash', 'competing', 'holiday', 'first'] as const;
export type InboxFlagFilter = (typeof INBOX_FLAGS)[number];

export interface InboxFilter {
  sort: InboxSort;
  dir: 'asc' | 'desc';
  /** A room id: requests for it or with a date in it. */
  room: number | null;
  /** Local dates 'YYYY-MM-DD': requests with a date (an open one, for status open) in [from, to]. */
  from: string | null;
  to: string | null;
  kind: InboxKind;
  status: InboxStatus;
  flag: InboxFlagFilter;
  /** Search in reference, title, organisation, contact name and e-mail address (any case). */
  q: string;
}

export const DEFAULT_FILTER: InboxFilter = { sort: 'date', dir: 'asc', room: null, from: null, to: null, kind: 'all', status: 'open', flag: 'all', q: '' };

export interface InboxFlags {
  /** References of approved bookings a pending date overlaps, and whether a blocked time does. */
  clashes: { requestId: number; reference: string }[];
  /** Blocked times a pending date falls into: their reason and label. */
  blocks: { reason: BlockReason; label: string }[];
  /** Other pending requests for an overlapping time. */
  competitors: { requestId: number; reference: string }[];
  holidaySkipped: boolean;
  /** No earlier request from the same e-mail address (any case, spaces trimmed); never for a request without one. */
  firstRequest: boolean;
}

export interface InboxRow {
  id: number;
  reference: string;
  title: string;
  organisation: string | null;
  contactName: string;
  email: string;
  attendees: number;
  language: Language;
  roomId: number;
  roomName: string;
  isSeries: boolean;
  rhythm: Pick<BookingRequest, 'repeat_kind' | 'repeat_weeks' | 'repeat_nth' | 'repeat_dates' | 'first_date' | 'last_date' | 'start_time' | 'end_time'>;
  createdAt: number;
  source: 'public' | 'house';
  counts: { pending: number; approved: number; rejected: number; cancelled: number };
  /** The soonest open date, else the first date that is not skipped (the "first date" the list sorts by). */
  first: { start: number; end: number } | null;
  flags: InboxFlags;
}

export interface InboxList {
  rows: InboxRow[];
  /** Requests matching the filter, on every page. */
  total: number;
}

interface Aggregate {
  id: number;
  reference: string;
  title: string;
  organisation: string | null;
  contact_name: string;
  email: string;
  attendees: number;
  language: Language;
  room_id: number;
  room_name: string;
  repeat_kind: BookingRequest['repeat_kind'];
  repeat_weeks: number | null;
  repeat_nth: number | null;
  repeat_dates: string | null;
  first_date: string;
  last_date: string | null;
  start_time: string;
  end_time: string;
  created_at: number;
  source: 'public' | 'house';
  pending: number;
  approved: number;
  rejected: number;
  cancelled: number;
  holidays: number;
  next_start: number | null;
  next_end: number | null;
  first_start: number | null;
  first_end: number | null;
  first_of_group: number;
}

function statusMatches(a: Aggregate, status: InboxStatus): boolean {
  switch (status) {
    case 'open':
      return a.pending > 0;
    case 'decided':
      return a.pending === 0;
    case 'approved':
      return a.pending === 0 && a.approved > 0;
    case 'rejected':
      return a.pending === 0 && a.approved === 0 && a.rejected > 0;
    case 'cancelled':
      return a.pending === 0 && a.approved === 0 && a.rejected === 0 && a.cancelled > 0;
    case 'all':
      return true;
  }
}

/** One row per request with its dates counted: only requests with an open date when status is open. */
async function aggregates(db: Conn, f: InboxFilter): Promise<Aggregate[]> {
  // The soonest open date and the first date that is not skipped, with their ends, in one pass over the dates.
  const rows = await db
    .selectFrom('requests as r')
    .innerJoin('bookings as b', 'b.request_id', 'r.id')
    .innerJoin('rooms as rm', 'rm.id', 'r.room_id')
    .select([
      'r.id',
      'r.reference',
      'r.title',
      'r.organisation',
      'r.contact_name',
      'r.email',
      'r.attendees',
      'r.language',
      'r.room_id',
      'rm.name as room_name',
      'r.repeat_kind',
      'r.repeat_weeks',
      'r.repeat_nth',
      'r.repeat_dates',
      'r.first_date',
      'r.last_date',
      'r.start_time',
      'r.end_time',
      'r.created_at',
      'r.source',
      sql<number>`sum(b.status = 'pending')`.as('pending'),
      sql<number>`sum(b.status = 'approved')`.as('approved'),
      sql<number>`sum(b.status = 'rejected')`.as('rejected'),
      sql<number>`sum(b.status = 'cancelled')`.as('cancelled'),
      sql<number>`sum(b.status = 'skipped' and b.skip_reason = 'holiday')`.as('holidays'),
      sql<number | null>`min(case when b.status = 'pending' then b.start_at end)`.as('next_start'),
      sql<number | null>`min(case when b.status <> 'skipped' then b.start_at end)`.as('first_start'),
      // An address's first request: none earlier (by time received, then id) with the same address.
      sql<number>`(r.email <> '' and not exists (select 1 from requests e where lower(trim(e.email)) = lower(trim(r.email))
        and (e.created_at < r.created_at or (e.created_at = r.created_at and e.id < r.id))))`.as('first_of_group'),
    ])
    .$if(f.status === 'open', (q) => q.where('r.id', 'in', (eb) => eb.selectFrom('bookings').select('request_id').where('status', '=', 'pending')))
    .$if(f.room !== null, (q) =>
      q.where((eb) =>
        eb.or([
          eb('r.room_id', '=', f.room!),
          eb.exists(eb.selectFrom('bookings as x').select('x.id').whereRef('x.request_id', '=', 'r.id').where('x.room_id', '=', f.room!)),
        ]),
      ),
    )
    .$if(f.from !== null || f.to !== null, (q) =>
      q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('bookings as x')
            .select('x.id')
            .whereRef('x.request_id', '=', 'r.id')
            .where('x.status', f.status === 'open' ? '=' : '<>', f.status === 'open' ? 'pending' : 'skipped')
            .$if(f.from !== null, (s) => s.where('x.local_date', '>=', f.from!))
            .$if(f.to !== null, (s) => s.where('x.local_date', '<=', f.to!)),
        ),
      ),
    )
    .groupBy('r.id')
    .execute();
  // The ends of the soonest open and the first dates come later, for the shown rows only (endsOf).
  return rows.map((r) => ({ ...r, next_end: null, first_end: null }));
}

/** The end of the dates named by `first`: one small query for the rows of a page. */
async function endsOf(db: Conn, rows: Aggregate[]): Promise<void> {
  const ids = rows.map((r) => r.id);
  if (!ids.length) return;
  const dates = await inSlices(ids, (slice) =>
    db
      .selectFrom('bookings')
      .select(['request_id', 'start_at', 'end_at', 'status'])
      .where('request_id', 'in', slice)
      .where('status', '<>', 'skipped')
      .execute(),
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const d of dates) {
    const r = byId.get(d.request_id);
    if (!r) continue;
    if (d.status === 'pending' && d.start_at === r.next_start) r.next_end = Math.max(r.next_end ?? 0, d.end_at);
    if (d.start_at === r.first_start) r.first_end = Math.max(r.first_end ?? 0, d.end_at);
  }
}

const noFlags = (): InboxFlags => ({ clashes: [], blocks: [], competitors: [], holidaySkipped: false, firstRequest: false });

/** The clash and competition marks of the open dates of these requests (same answers as findClashes). */
async function markPending(db: Conn, ids: number[], flags: Map<number, InboxFlags>): Promise<void> {
  if (!ids.length) return;
  const pendingRows = await inSlices(ids, (slice) =>
    db
      .selectFrom('bookings')
      .select(['id', 'request_id', 'room_id', 'start_at', 'end_at'])
      .where('request_id', 'in', slice)
      .where('status', '=', 'pending')
      .execute(),
  );
  if (!pendingRows.length) return;
  const graph = await loadRoomGraph(db);
  const pad = maxBufferMs(graph.shapes.values()) * 2;
  let from = Infinity;
  let to = -Infinity;
  for (const r of pendingRows) {
    from = Math.min(from, r.start_at - pad);
    to = Math.max(to, r.end_at + pad);
  }
  const occupants = await listOccupants(db, { from, to, includePending: true });
  const firm: CalendarOccupant[] = occupants.filter((o) => o.kind === 'block' || o.status === 'approved');
  const pending = occupants.filter((o): o is Extract<CalendarOccupant, { kind: 'booking' }> => o.kind === 'booking' && o.status === 'pending');
  const firmIndex = buildClashIndex(firm, graph.shapes, graph.links);
  const pendingIndex = buildClashIndex(pending, graph.shapes, graph.links);
  const clashBookings = new Map<number, number[]>();
  const rivals = new Map<number, Set<number>>();
  for (const r of pendingRows) {
    const f = flags.get(r.request_id);
    if (!f || !graph.shapes.has(r.room_id)) continue;
    const cand = { roomId: r.room_id, start: r.start_at, end: r.end_at };
    for (const c of firmIndex.clashes(cand)) {
      if (c.kind === 'block') {
        if (!f.blocks.some((b) => b.reason === c.reason && b.label === c.label)) f.blocks.push({ reason: c.reason, label: c.label });
      } else clashBookings.set(r.request_id, [...(clashBookings.get(r.request_id) ?? []), c.id]);
    }
    for (const o of pendingIndex.clashes(cand)) {
      if (o.requestId === r.request_id) continue;
      let set = rivals.get(r.request_id);
      if (!set) rivals.set(r.request_id, (set = new Set()));
      set.add(o.requestId);
    }
  }
  // References of what is named: the approved bookings' requests and the rivals.
  const bookingIds = [...new Set([...clashBookings.values()].flat())];
  const bookingRequest = new Map<number, number>();
  if (bookingIds.length) {
    const found = await inSlices(bookingIds, (slice) => db.selectFrom('bookings').select(['id', 'request_id']).where('id', 'in', slice).execute());
    for (const b of found) bookingRequest.set(b.id, b.request_id);
  }
  const requestIds = [...new Set([...bookingRequest.values(), ...[...rivals.values()].flatMap((s) => [...s])])];
  const refs = new Map<number, string>();
  if (requestIds.length) {
    const found = await inSlices(requestIds, (slice) => db.selectFrom('requests').select(['id', 'reference']).where('id', 'in', slice).execute());
    for (const r of found) refs.set(r.id, r.reference);
  }
  for (const [requestId, list] of clashBookings) {
    const f = flags.get(requestId)!;
    const seen = new Set<number>();
    for (const b of list) {
      const other = bookingRequest.get(b);
      if (other === undefined || seen.has(other)) continue;
      seen.add(other);
      f.clashes.push({ requestId: other, reference: refs.get(other) ?? '' });
    }
  }
  for (const [requestId, set] of rivals) {
    flags.get(requestId)!.competitors = [...set].sort((a, b) => a - b).map((id) => ({ requestId: id, reference: refs.get(id) ?? '' }));
  }
}

const hasFlag = (f: InboxFlags, which: InboxFlagFilter): boolean => {
  switch (which) {
    case 'all':
      return true;
    case 'any':
      return f.clashes.length > 0 || f.blocks.length > 0 || f.competitors.length > 0 || f.holidaySkipped || f.firstRequest;
    case 'clash':
      return f.clashes.length > 0 || f.blocks.length > 0;
    case 'competing':
      return f.competitors.length > 0;
    case 'holiday':
      return f.holidaySkipped;
    case 'first':
      return f.firstRequest;
  }
};

/** Lower-cased for comparing, in every script (SQLite's lower() knows ASCII only). */
const fold = (s: string | null) => (s ?? '').toLocaleLowerCase('de');

/**
 * The inbox list: every request the filter matches, sorted, and the rows of the asked slice with their flags.
 * The sort key "date" is the soonest open date (else the first date that is not skipped); ties by reference.
 */
export async function loadInboxList(db: Conn, f: InboxFilter, page: { offset: number; limit: number }): Promise<InboxList> {
  let rows = (await aggregates(db, f)).filter((a) => statusMatches(a, f.status));
  if (f.kind !== 'all') rows = rows.filter((a) => (rhythmOf(a) !== null) === (f.kind === 'series'));
  if (f.q) {
    const needle = fold(f.q);
    rows = rows.filter((a) => [a.reference, a.title, a.organisation, a.contact_name, a.email].some((v) => fold(v).includes(needle)));
  }
  const flags = new Map<number, InboxFlags>();
  for (const a of rows) flags.set(a.id, { ...noFlags(), holidaySkipped: a.holidays > 0, firstRequest: a.first_of_group === 1 });
  // Clash and competition marks for every candidate when the list is filtered by them, else for the page only.
  const needsMarksFirst = f.flag === 'any' || f.flag === 'clash' || f.flag === 'competing';
  if (needsMarksFirst) {
    await markPending(
      db,
      rows.filter((a) => a.pending > 0).map((a) => a.id),
      flags,
    );
    rows = rows.filter((a) => hasFlag(flags.get(a.id)!, f.flag));
  } else if (f.flag !== 'all') {
    rows = rows.filter((a) => hasFlag(flags.get(a.id)!, f.flag));
  }
  const dateKey = (a: Aggregate) => a.next_start ?? a.first_start ?? Number.MAX_SAFE_INTEGER;
  const groupKey = (a: Aggregate) => fold(a.organisation || a.contact_name);
  const sign = f.dir === 'asc' ? 1 : -1;
  const byKey: Record<InboxSort, (a: Aggregate, b: Aggregate) => number> = {
    date: (a, b) => dateKey(a) - dateKey(b),
    // Age ascending: the youngest request first.
    age: (a, b) => b.created_at - a.created_at,
    room: (a, b) => a.room_name.localeCompare(b.room_name, 'de'),
    group: (a, b) => groupKey(a).localeCompare(groupKey(b), 'de'),
  };
  rows.sort((a, b) => sign * byKey[f.sort](a, b) || dateKey(a) - dateKey(b) || a.reference.localeCompare(b.reference));
  const shown = rows.slice(page.offset, page.offset + page.limit);
  await endsOf(db, shown);
  if (!needsMarksFirst) {
    await markPending(
      db,
      shown.filter((a) => a.pending > 0).map((a) => a.id),
      flags,
    );
  }
  return {
    total: rows.length,
    rows: shown.map((a) => {
      const start = a.next_start ?? a.first_start;
      const end = a.next_start !== null ? a.next_end : a.first_end;
      return {
        id: a.id,
        reference: a.reference,
        title: a.title,
        organisation: a.organisation,
        contactName: a.contact_name,
        email: a.email,
        attendees: a.attendees,
        language: a.language,
        roomId: a.room_id,
        roomName: a.room_name,
        isSeries: rhythmOf(a) !== null,
        rhythm: {
          repeat_kind: a.repeat_kind,
          repeat_weeks: a.repeat_weeks,
          repeat_nth: a.repeat_nth,
          repeat_dates: a.repeat_dates,
          first_date: a.first_date,
          last_date: a.last_date,
          start_time: a.start_time,
          end_time: a.end_time,
        },
        createdAt: a.created_at,
        source: a.source,
        counts: { pending: a.pending, approved: a.approved, rejected: a.rejected, cancelled: a.cancelled },
        first: start !== null && end !== null ? { start, end } : null,
        flags: flags.get(a.id)!,
      };
    }),
  };
}

/**
 * The inbox lists of one app, each (filter and page) read again only after a commit by any process
 * (keptByVersion): at most `max` of them, 0 keeps none. What a list holds never depends on the clock.
 */
export function keptInboxLists(ctx: { db: Conn; dataVersion(): string }, max: number) {
  const kept = keptByVersion<InboxList>(ctx, max);
  return (f: InboxFilter, page: { offset: number; limit: number }): Promise<InboxList> => kept(JSON.stringify([f, page]), () => loadInboxList(ctx.db, f, page));
}

/** The references of requests, for naming them after a bulk decision. */
export async function referencesOf(db: Conn, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows = await inSlices(ids, (slice) => db.selectFrom('requests').select(['id', 'reference']).where('id', 'in', slice).execute());
  return new Map(rows.map((r) => [r.id, r.reference]));
}

/** How far back the inbox names the requests a regular group's allowance approved at once. */
export const AUTO_APPROVED_DAYS = 7;
/** How many of them the inbox lists (newest first); the rest are counted. */
export const AUTO_APPROVED_SHOWN = 5;

export interface AutoApprovedRow {
  id: number;
  reference: string;
  title: string;
  group: string;
  firstDate: string;
  approvedAt: number;
}

/**
 * Requests approved at once for a regular group (src/bookings/auto-approve.ts) since `since`, newest first: they
 * never were pending, so the inbox names them for the staff to see what went through without them.
 */
export async function recentAutoApproved(db: Conn, since: number, limit = AUTO_APPROVED_SHOWN): Promise<{ total: number; rows: AutoApprovedRow[] }> {
  const base = db.selectFrom('requests').where('auto_group_label', 'is not', null).where('anonymized_at', 'is', null).where('created_at', '>=', since);
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    base
      .select(['id', 'reference', 'title', 'auto_group_label', 'first_date', 'created_at'])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute(),
  ]);
  return {
    total: Number(count.n),
    rows: rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      title: r.title,
      group: r.auto_group_label!,
      firstDate: r.first_date,
      approvedAt: r.created_at,
    })),
  };
}
