// One request as the caretaker sees it: all its data, every date with its status, and its history from the audit log.
import type { Conn } from '../db/database.js';
import type { AuditEntry, Booking, BookingRequest } from '../db/schema.js';

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
