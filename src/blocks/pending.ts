// Pending requests that fall into a blocked time: listed before a block is saved (with the approved bookings in
// its way) and, for blocks already stored, on the blocks page. Rejecting them goes through the one decision
// service (src/bookings/decisions.ts: status compare-and-swap, audit, the group's mail in its language).
import type { Conn, DB, Trx } from '../db/database.js';
import type { BlockReason } from '../db/schema.js';
import type { BookingDeps } from '../bookings/events.js';
import { rejectDatesIn } from '../bookings/decisions.js';
import { bookingClash, relatedRoomIds, type Clash } from '../bookings/occupancy-clashes.js';

/** The pending dates of requests that overlap a (planned) block of one room (with its parts and wholes) or the whole house. */
export async function pendingInside(db: Conn, span: { roomId: number | null; start: number; end: number }): Promise<Clash[]> {
  let q = db
    .selectFrom('bookings as b')
    .innerJoin('requests as r', 'r.id', 'b.request_id')
    .innerJoin('rooms as br', 'br.id', 'b.room_id')
    .select(['b.id', 'b.request_id', 'b.status', 'b.start_at', 'b.end_at', 'r.reference', 'r.title', 'br.name as room'])
    .where('b.status', '=', 'pending')
    .where('b.start_at', '<', span.end)
    .where('b.end_at', '>', span.start);
  if (span.roomId !== null) q = q.where('b.room_id', 'in', await relatedRoomIds(db, span.roomId));
  const rows = await q.orderBy('b.start_at').orderBy('b.id').execute();
  return rows.map((b) => bookingClash(b, b.room));
}

export interface PendingInBlock extends Clash {
  /** The block the date falls into (the first one, when several). */
  blockReason: BlockReason;
}

/** Pending dates inside blocked times that have not ended yet (each date once), for the check on the blocks page. */
export async function pendingInBlocks(db: Conn, now: number): Promise<PendingInBlock[]> {
  const blocks = await db
    .selectFrom('blocked_times')
    .select(['id', 'room_id', 'start_at', 'end_at', 'reason'])
    .where('end_at', '>', now)
    .orderBy('start_at')
    .execute();
  const seen = new Map<number, PendingInBlock>();
  for (const b of blocks) {
    for (const c of await pendingInside(db, { roomId: b.room_id, start: Math.max(b.start_at, now), end: b.end_at })) {
      if (!seen.has(c.bookingId!)) seen.set(c.bookingId!, { ...c, blockReason: b.reason });
    }
  }
  return [...seen.values()].sort((a, b) => a.start - b.start || a.bookingId! - b.bookingId!);
}

/** Rejects the given pending dates, request by request, with one message, in one transaction; answers how many were rejected. */
export async function rejectPendingDates(db: DB, deps: BookingDeps, input: { bookingIds: number[]; message: string; userId: number }): Promise<number> {
  if (input.bookingIds.length === 0) return 0;
  return (await db.transaction().execute((trx) => rejectPendingDatesIn(trx, deps, input))).rejected;
}

/**
 * The same inside a transaction the caller holds (a block saved together with the rejections). `notPending`:
 * the chosen dates that were no longer pending (decided meanwhile); they are left as they are.
 */
export async function rejectPendingDatesIn(
  trx: Trx,
  deps: BookingDeps,
  input: { bookingIds: number[]; message: string; userId: number },
): Promise<{ rejected: number; notPending: number[] }> {
  if (input.bookingIds.length === 0) return { rejected: 0, notPending: [] };
  const rows = await trx.selectFrom('bookings').select(['id', 'request_id', 'status']).where('id', 'in', input.bookingIds).execute();
  const byRequest = new Map<number, number[]>();
  const notPending = input.bookingIds.filter((id) => rows.find((r) => r.id === id)?.status !== 'pending');
  for (const r of rows) if (r.status === 'pending') byRequest.set(r.request_id, [...(byRequest.get(r.request_id) ?? []), r.id]);
  let rejected = 0;
  for (const [requestId, bookingIds] of byRequest) {
    const res = await rejectDatesIn(trx, deps, { requestId, bookingIds, message: input.message, userId: input.userId });
    rejected += res.rejected.length;
    notPending.push(...res.notPending.map((d) => d.bookingId));
  }
  return { rejected, notPending };
}
