// The caretaker's inbox: pending requests, the soonest first, each date marked with what it clashes with
// (approved bookings, blocked times) and which other pending requests compete for the same time.
import type { Conn } from '../db/database.js';
import { inSlices } from '../db/batches.js';
import type { BlockReason, BookingRequest, Category } from '../db/schema.js';
import { rhythmOf } from './series.js';
import { maxBufferMs } from './overlap.js';
import { buildClashIndex } from './clash-index.js';
import { listOccupants, type CalendarOccupant } from './occupants.js';
import { loadRoomGraph } from '../rooms/repository.js';

export interface InboxDate {
  bookingId: number;
  localDate: string;
  start: number;
  end: number;
  roomId: number;
  roomName: string;
  /** Approved bookings and blocked times this date overlaps (approval would be refused). */
  clashBookingIds: number[];
  clashBlockIds: number[];
  /** Other pending requests overlapping this date. */
  competitorRequestIds: number[];
}

export interface InboxRequest {
  id: number;
  reference: string;
  title: string;
  organisation: string | null;
  contactName: string;
  attendees: number;
  category: Category;
  roomId: number;
  roomName: string;
  isSeries: boolean;
  repeatWeeks: number | null;
  /** The request's rhythm and times, for describeRhythm (view.ts). */
  rhythm: Pick<BookingRequest, 'repeat_kind' | 'repeat_weeks' | 'repeat_nth' | 'repeat_dates' | 'first_date' | 'last_date' | 'start_time' | 'end_time'>;
  createdAt: number;
  source: 'public' | 'house';
  pending: InboxDate[];
}

export interface InboxData {
  /** The requests of the asked page (all when no page was asked for), soonest pending date first. */
  requests: InboxRequest[];
  /** Requests with pending dates in all (on every page). */
  total: number;
  /** Details of everything referenced by the marks. */
  clashBookings: Map<number, { requestId: number; reference: string; title: string; roomName: string; start: number; end: number }>;
  clashBlocks: Map<number, { reason: BlockReason; label: string; roomName: string | null; start: number; end: number }>;
  competitors: Map<number, { reference: string; title: string }>;
}

/** A slice of the inbox: `limit` requests after the first `offset` (in the inbox's order). */
export interface InboxPage {
  offset: number;
  limit: number;
}

/**
 * Every request with pending dates, ordered by its soonest pending date; with `page`, only that slice of them is
 * marked and returned (the marks of a date do not depend on the page it is shown on).
 */
export async function loadInbox(db: Conn, page?: InboxPage): Promise<InboxData> {
  const all = await db
    .selectFrom('bookings as b')
    .innerJoin('requests as r', 'r.id', 'b.request_id')
    .innerJoin('rooms as rm', 'rm.id', 'b.room_id')
    .select([
      'b.id',
      'b.request_id',
      'b.room_id',
      'b.local_date',
      'b.start_at',
      'b.end_at',
      'r.reference',
      'r.title',
      'r.organisation',
      'r.contact_name',
      'r.attendees',
      'r.category',
      'r.repeat_weeks',
      'r.repeat_kind',
      'r.repeat_nth',
      'r.repeat_dates',
      'r.first_date',
      'r.last_date',
      'r.start_time',
      'r.end_time',
      'r.created_at',
      'r.source',
      'r.room_id as request_room_id',
      'rm.name as room_name',
    ])
    .where('b.status', '=', 'pending')
    .orderBy('b.start_at')
    .orderBy('b.id')
    .execute();
  // Requests in the inbox's order (by their soonest pending date), and the ones on the asked page.
  const order: number[] = [];
  const names = new Map<number, { reference: string; title: string }>();
  for (const r of all) {
    if (names.has(r.request_id)) continue;
    names.set(r.request_id, { reference: r.reference, title: r.title });
    order.push(r.request_id);
  }
  const shown = new Set(page ? order.slice(page.offset, page.offset + page.limit) : order);
  const rows = page ? all.filter((r) => shown.has(r.request_id)) : all;
  const data: InboxData = { requests: [], total: order.length, clashBookings: new Map(), clashBlocks: new Map(), competitors: new Map() };
  if (rows.length === 0) return data;

  const graph = await loadRoomGraph(db);
  const pad = maxBufferMs(graph.shapes.values()) * 2;
  let from = Infinity;
  let to = -Infinity;
  for (const r of rows) {
    from = Math.min(from, r.start_at - pad);
    to = Math.max(to, r.end_at + pad);
  }
  const occupants = await listOccupants(db, { from, to, includePending: true });
  const firm: CalendarOccupant[] = occupants.filter((o) => o.kind === 'block' || o.status === 'approved');
  const pending = occupants.filter((o): o is Extract<CalendarOccupant, { kind: 'booking' }> => o.kind === 'booking' && o.status === 'pending');
  // Each pending date is compared only with the occupants near it in its rooms (the same answers as findClashes).
  const firmIndex = buildClashIndex(firm, graph.shapes, graph.links);
  const pendingIndex = buildClashIndex(pending, graph.shapes, graph.links);

  const byRequest = new Map<number, InboxRequest>();
  const clashBookingIds = new Set<number>();
  for (const r of rows) {
    let req = byRequest.get(r.request_id);
    if (!req) {
      req = {
        id: r.request_id,
        reference: r.reference,
        title: r.title,
        organisation: r.organisation,
        contactName: r.contact_name,
        attendees: r.attendees,
        category: r.category,
        roomId: r.request_room_id,
        roomName: graph.rooms.get(r.request_room_id)?.name ?? r.room_name,
        isSeries: rhythmOf(r) !== null,
        repeatWeeks: r.repeat_weeks,
        rhythm: {
          repeat_kind: r.repeat_kind,
          repeat_weeks: r.repeat_weeks,
          repeat_nth: r.repeat_nth,
          repeat_dates: r.repeat_dates,
          first_date: r.first_date,
          last_date: r.last_date,
          start_time: r.start_time,
          end_time: r.end_time,
        },
        createdAt: r.created_at,
        source: r.source,
        pending: [],
      };
      byRequest.set(r.request_id, req);
      data.requests.push(req);
    }
    const cand = { roomId: r.room_id, start: r.start_at, end: r.end_at };
    const clashes = firmIndex.clashes(cand);
    const rivals = pendingIndex.clashes(cand).filter((o) => o.requestId !== r.request_id);
    const date: InboxDate = {
      bookingId: r.id,
      localDate: r.local_date,
      start: r.start_at,
      end: r.end_at,
      roomId: r.room_id,
      roomName: r.room_name,
      clashBookingIds: clashes.filter((c) => c.kind === 'booking').map((c) => c.id),
      clashBlockIds: clashes.filter((c) => c.kind === 'block').map((c) => c.id),
      competitorRequestIds: [...new Set(rivals.map((o) => o.requestId))],
    };
    date.clashBookingIds.forEach((id) => clashBookingIds.add(id));
    for (const c of clashes) {
      if (c.kind === 'block') {
        data.clashBlocks.set(c.id, {
          reason: c.reason,
          label: c.label,
          roomName: c.roomId === null ? null : (graph.rooms.get(c.roomId)?.name ?? ''),
          start: c.start,
          end: c.end,
        });
      }
    }
    req.pending.push(date);
  }

  // A competitor may be on another page: its name comes from every pending row.
  for (const r of data.requests)
    for (const d of r.pending)
      for (const id of d.competitorRequestIds) {
        const name = names.get(id);
        if (name) data.competitors.set(id, name);
      }
  if (clashBookingIds.size) {
    const details = await inSlices([...clashBookingIds], (slice) =>
      db
        .selectFrom('bookings as b')
        .innerJoin('requests as r', 'r.id', 'b.request_id')
        .select(['b.id', 'b.request_id', 'b.room_id', 'b.start_at', 'b.end_at', 'r.reference', 'r.title'])
        .where('b.id', 'in', slice)
        .execute(),
    );
    for (const d of details) {
      data.clashBookings.set(d.id, {
        requestId: d.request_id,
        reference: d.reference,
        title: d.title,
        roomName: graph.rooms.get(d.room_id)?.name ?? '',
        start: d.start_at,
        end: d.end_at,
      });
    }
  }
  return data;
}
