// The caretaker's inbox: pending requests, the soonest first, each date marked with what it clashes with
// (approved bookings, blocked times) and which other pending requests compete for the same time.
import type { Conn } from '../db/database.js';
import { inSlices } from '../db/batches.js';
import type { BlockReason, BookingRequest, Category } from '../db/schema.js';
import { rhythmOf } from './series.js';
import { findClashes, maxBufferMs } from './overlap.js';
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
  requests: InboxRequest[];
  /** Details of everything referenced by the marks. */
  clashBookings: Map<number, { requestId: number; reference: string; title: string; roomName: string; start: number; end: number }>;
  clashBlocks: Map<number, { reason: BlockReason; label: string; roomName: string | null; start: number; end: number }>;
  competitors: Map<number, { reference: string; title: string }>;
}

/** Every request with pending dates, ordered by its soonest pending date. */
export async function loadInbox(db: Conn): Promise<InboxData> {
  const rows = await db
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
  const data: InboxData = { requests: [], clashBookings: new Map(), clashBlocks: new Map(), competitors: new Map() };
  if (rows.length === 0) return data;

  const graph = await loadRoomGraph(db);
  const pad = maxBufferMs(graph.shapes.values()) * 2;
  const from = Math.min(...rows.map((r) => r.start_at)) - pad;
  const to = Math.max(...rows.map((r) => r.end_at)) + pad;
  const occupants = await listOccupants(db, { from, to, includePending: true });
  const firm: CalendarOccupant[] = occupants.filter((o) => o.kind === 'block' || o.status === 'approved');
  const pending = occupants.filter((o): o is Extract<CalendarOccupant, { kind: 'booking' }> => o.kind === 'booking' && o.status === 'pending');

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
    const clashes = findClashes(cand, firm, graph.shapes, graph.links);
    const rivals = findClashes(cand, pending, graph.shapes, graph.links).filter((o) => o.requestId !== r.request_id);
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

  const competitorIds = new Set(data.requests.flatMap((r) => r.pending.flatMap((d) => d.competitorRequestIds)));
  for (const r of data.requests) if (competitorIds.has(r.id)) data.competitors.set(r.id, { reference: r.reference, title: r.title });
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
