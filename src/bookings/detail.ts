// One request as the caretaker sees it: all its data, every date with its status, its history from the audit log,
// and the other pending requests that compete with it for the same time.
import { sql } from 'kysely';
import type { Conn } from '../db/database.js';
import type { AuditEntry, Booking, BookingRequest } from '../db/schema.js';
import { loadRoomGraph } from '../rooms/repository.js';
import { buildClashIndex } from './clash-index.js';
import { listOccupants, type BookingOccupant } from './occupants.js';
import { maxBufferMs } from './overlap.js';

export interface RequestDetail {
  request: BookingRequest;
  roomName: string;
  dates: (Booking & { roomName: string; deciderName: string | null })[];
  history: (AuditEntry & { userName: string | null })[];
  createdByName: string | null;
}

export async function loadRequestDetail(db: Conn, requestId: number): Promise<RequestDetail | undefined> {
  const request = await db.selectFrom('requests').selectAll().where('id', '=', requestId).executeTakeFirst();
  if (!request) return undefined;
  const [room, dates, creator] = await Promise.all([
    db.selectFrom('rooms').select('name').where('id', '=', request.room_id).executeTakeFirst(),
    db
      .selectFrom('bookings as b')
      .innerJoin('rooms as rm', 'rm.id', 'b.room_id')
      .leftJoin('users as u', 'u.id', 'b.decided_by')
      .selectAll('b')
      .select(['rm.name as roomName', 'u.name as deciderName'])
      .where('b.request_id', '=', requestId)
      .orderBy('b.local_date')
      .orderBy('b.start_at')
      .execute(),
    request.created_by === null ? Promise.resolve(undefined) : db.selectFrom('users').select('name').where('id', '=', request.created_by).executeTakeFirst(),
  ]);
  const bookingIds = dates.map((d) => d.id);
  const history = await db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    .selectAll('a')
    .select('u.name as userName')
    .where((eb) => {
      const byRequest = eb.and([eb('a.entity', '=', 'request'), eb('a.entity_id', '=', requestId)]);
      return bookingIds.length ? eb.or([byRequest, eb.and([eb('a.entity', '=', 'booking'), eb('a.entity_id', 'in', bookingIds)])]) : byRequest;
    })
    .orderBy('a.at')
    .orderBy('a.id')
    .execute();
  return { request, roomName: room?.name ?? '', dates, history, createdByName: creator?.name ?? null };
}

/** Another pending request that wants an overlapping time in a room sharing a physical space with this one. */
export interface Competitor {
  request: BookingRequest;
  roomName: string;
  /** Its pending dates. */
  pendingCount: number;
  /** Its pending dates that overlap one of this request's pending dates. */
  overlapping: { start: number; end: number; roomName: string }[];
  /** No earlier request from the same e-mail address. */
  firstRequest: boolean;
}

/** Whether each request is the first of its group (no request from the same e-mail address came in before it). */
async function firstRequests(db: Conn, requests: Pick<BookingRequest, 'id' | 'email' | 'created_at'>[]): Promise<Map<number, boolean>> {
  const out = new Map<number, boolean>();
  for (const r of requests) {
    const address = r.email.trim().toLowerCase();
    if (!address) {
      out.set(r.id, false);
      continue;
    }
    const earlier = await db
      .selectFrom('requests')
      .select('id')
      .where(sql<string>`lower(trim(email))`, '=', address)
      .where((eb) => eb.or([eb('created_at', '<', r.created_at), eb.and([eb('created_at', '=', r.created_at), eb('id', '<', r.id)])]))
      .limit(1)
      .executeTakeFirst();
    out.set(r.id, !earlier);
  }
  return out;
}

/**
 * The other pending requests competing with this one's pending dates (same room, its parts, its wholes or rooms
 * sharing a part, buffers included: the rule the approval will apply), oldest request first; and whether this
 * request itself is its group's first.
 */
export async function loadCompetitors(db: Conn, requestId: number): Promise<{ firstRequest: boolean; pendingCount: number; competitors: Competitor[] }> {
  const own = await db
    .selectFrom('bookings')
    .select(['id', 'room_id', 'start_at', 'end_at'])
    .where('request_id', '=', requestId)
    .where('status', '=', 'pending')
    .execute();
  const me = await db.selectFrom('requests').select(['id', 'email', 'created_at']).where('id', '=', requestId).executeTakeFirst();
  const mine = me ? await firstRequests(db, [me]) : new Map<number, boolean>();
  const base = { firstRequest: mine.get(requestId) ?? false, pendingCount: own.length };
  if (!own.length) return { ...base, competitors: [] };
  const graph = await loadRoomGraph(db);
  const pad = maxBufferMs(graph.shapes.values()) * 2;
  const from = Math.min(...own.map((b) => b.start_at)) - pad;
  const to = Math.max(...own.map((b) => b.end_at)) + pad;
  const pending = (await listOccupants(db, { from, to, includePending: true })).filter(
    (o): o is BookingOccupant => o.kind === 'booking' && o.status === 'pending' && o.requestId !== requestId,
  );
  if (!pending.length) return { ...base, competitors: [] };
  const index = buildClashIndex(pending, graph.shapes, graph.links);
  const overlapping = new Map<number, Map<number, BookingOccupant>>();
  for (const b of own) {
    for (const o of index.clashes({ roomId: b.room_id, start: b.start_at, end: b.end_at })) {
      const list = overlapping.get(o.requestId) ?? new Map<number, BookingOccupant>();
      list.set(o.id, o);
      overlapping.set(o.requestId, list);
    }
  }
  const ids = [...overlapping.keys()];
  if (!ids.length) return { ...base, competitors: [] };
  const requests = await db.selectFrom('requests').selectAll().where('id', 'in', ids).orderBy('created_at').orderBy('id').execute();
  const counts = await db
    .selectFrom('bookings')
    .select(['request_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('request_id', 'in', ids)
    .where('status', '=', 'pending')
    .groupBy('request_id')
    .execute();
  const countOf = new Map(counts.map((c) => [c.request_id, Number(c.n)]));
  const first = await firstRequests(db, requests);
  return {
    ...base,
    competitors: requests.map((r) => ({
      request: r,
      roomName: graph.rooms.get(r.room_id)?.name ?? '',
      pendingCount: countOf.get(r.id) ?? 0,
      overlapping: [...(overlapping.get(r.id)?.values() ?? [])]
        .sort((a, b) => a.start - b.start)
        .map((o) => ({ start: o.start, end: o.end, roomName: graph.rooms.get(o.roomId)?.name ?? '' })),
      firstRequest: first.get(r.id) ?? false,
    })),
  };
}
