// Approving and rejecting pending dates. Approval re-checks rule 5 inside the write transaction that sets the
// status (BEGIN IMMEDIATE, compare-and-swap on status='pending'); the occupancy guard aborts a clashing update.
import type { DB, Trx } from '../db/database.js';
import { attempt } from '../db/attempt.js';
import { audit } from '../audit/log.js';
import type { BookingDeps } from './events.js';
import { DomainError } from '../errors.js';
import { findOccupancyClashes, type Clash } from './occupancy-clashes.js';

export interface DecisionInput {
  requestId: number;
  /** The dates to decide; empty: every pending date of the request. */
  bookingIds: number[];
  message: string;
  userId: number;
}

export interface RefusedDate {
  bookingId: number;
  localDate: string;
  clashes: Clash[];
}

export interface ApproveResult {
  approved: { bookingId: number; localDate: string }[];
  /** Dates the guard refused (they stay pending), each with what it clashes with. */
  refused: RefusedDate[];
  /** Dates that were no longer pending (decided meanwhile by someone else, or never pending). */
  notPending: { bookingId: number; localDate: string }[];
}

export interface RejectResult {
  rejected: { bookingId: number; localDate: string }[];
  notPending: { bookingId: number; localDate: string }[];
}

/** The dates of a request a decision is about; ids that are not the request's own are a bad request. */
async function targetDates(trx: Trx, requestId: number, bookingIds: number[]) {
  const request = await trx.selectFrom('requests').select(['id', 'reference', 'email']).where('id', '=', requestId).executeTakeFirst();
  if (!request) throw new DomainError('not_found');
  const all = await trx
    .selectFrom('bookings')
    .select(['id', 'room_id', 'local_date', 'start_at', 'end_at', 'status'])
    .where('request_id', '=', requestId)
    .orderBy('start_at')
    .execute();
  if (bookingIds.length === 0) return { request, dates: all.filter((b) => b.status === 'pending') };
  const own = new Set(all.map((b) => b.id));
  if (bookingIds.some((id) => !own.has(id))) throw new DomainError('foreign_date');
  const wanted = new Set(bookingIds);
  return { request, dates: all.filter((b) => wanted.has(b.id)) };
}

/**
 * Approves the chosen pending dates. For a series every free date is approved and each clashing date is
 * reported and stays pending (the caretaker decides those one by one).
 */
export async function approveDates(db: DB, deps: BookingDeps, input: DecisionInput): Promise<ApproveResult> {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock().getTime();
    const { request, dates } = await targetDates(trx, input.requestId, input.bookingIds);
    const result: ApproveResult = { approved: [], refused: [], notPending: [] };
    for (const b of dates) {
      if (b.status !== 'pending') {
        result.notPending.push({ bookingId: b.id, localDate: b.local_date });
        continue;
      }
      const tried = await attempt(trx, (t) =>
        t
          .updateTable('bookings')
          .set((eb) => ({
            status: 'approved',
            decided_by: input.userId,
            decided_at: now,
            decision_message: input.message,
            sequence: eb('sequence', '+', 1),
            updated_at: now,
          }))
          .where('id', '=', b.id)
          .where('status', '=', 'pending')
          .executeTakeFirst(),
      );
      if (tried.ok) {
        if (Number(tried.value.numUpdatedRows) === 1) result.approved.push({ bookingId: b.id, localDate: b.local_date });
        else result.notPending.push({ bookingId: b.id, localDate: b.local_date });
      } else {
        // The attempt was rolled back, the transaction goes on: name what the guard saw.
        const clashes = await findOccupancyClashes(trx, {
          roomId: b.room_id,
          start: b.start_at,
          end: b.end_at,
          kind: 'booking',
          excludeBookingIds: [b.id],
        });
        result.refused.push({ bookingId: b.id, localDate: b.local_date, clashes });
      }
    }
    await recordDecision(trx, deps, input, request, 'approved', result.approved, now);
    if (result.refused.length) {
      await audit(trx, {
        at: now,
        userId: input.userId,
        actor: 'user',
        action: 'request.approval_refused',
        entity: 'request',
        entityId: request.id,
        details: {
          bookingIds: result.refused.map((r) => r.bookingId),
          dates: result.refused.map((r) => r.localDate),
          clashesWith: result.refused.flatMap((r) => r.clashes.map((c) => c.reference ?? `block:${c.blockId}`)),
        },
      });
    }
    return result;
  });
}

/** Rejects the chosen pending dates with a message to the group. */
export async function rejectDates(db: DB, deps: BookingDeps, input: DecisionInput): Promise<RejectResult> {
  return db.transaction().execute((trx) => rejectDatesIn(trx, deps, input));
}

/** The same inside a transaction the caller holds (a blocked time saved with the requests it rejects). */
export async function rejectDatesIn(trx: Trx, deps: BookingDeps, input: DecisionInput): Promise<RejectResult> {
  const now = deps.clock().getTime();
  const { request, dates } = await targetDates(trx, input.requestId, input.bookingIds);
  const result: RejectResult = { rejected: [], notPending: [] };
  for (const b of dates) {
    const res = await trx
      .updateTable('bookings')
      .set((eb) => ({
        status: 'rejected',
        decided_by: input.userId,
        decided_at: now,
        decision_message: input.message,
        sequence: eb('sequence', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', b.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 1) result.rejected.push({ bookingId: b.id, localDate: b.local_date });
    else result.notPending.push({ bookingId: b.id, localDate: b.local_date });
  }
  await recordDecision(trx, deps, input, request, 'rejected', result.rejected, now);
  return result;
}

/**
 * After dates were decided: the request's sequence moves on (calendar apps see the change), the decision goes
 * into the audit log, and the group gets its mail (when it left an address). Nothing when no date was decided.
 */
async function recordDecision(
  trx: Trx,
  deps: BookingDeps,
  input: DecisionInput,
  request: { id: number; email: string | null },
  decision: 'approved' | 'rejected',
  decided: { bookingId: number; localDate: string }[],
  now: number,
): Promise<void> {
  if (decided.length === 0) return;
  await trx
    .updateTable('requests')
    .set((eb) => ({ sequence: eb('sequence', '+', 1), updated_at: now }))
    .where('id', '=', request.id)
    .execute();
  const bookingIds = decided.map((d) => d.bookingId);
  await audit(trx, {
    at: now,
    userId: input.userId,
    actor: 'user',
    action: decision === 'approved' ? 'request.approved' : 'request.rejected',
    entity: 'request',
    entityId: request.id,
    details: { bookingIds, dates: decided.map((d) => d.localDate), message: input.message },
  });
  if (request.email) {
    await deps.notify(trx, {
      type: decision === 'approved' ? 'bookings.approved' : 'bookings.rejected',
      requestId: request.id,
      bookingIds,
      message: input.message,
    });
  }
}
