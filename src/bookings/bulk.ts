// Deciding several requests at once from the inbox list: each request in its own transaction through the one
// decision service (decisions.ts), so a clash refuses that request's dates only and the others go through.
import type { DB } from '../db/database.js';
import { DomainError } from '../errors.js';
import type { BookingDeps } from './events.js';
import { approveDates, rejectDates, type RefusedDate } from './decisions.js';

export interface BulkInput {
  requestIds: number[];
  action: 'approve' | 'reject';
  message: string;
  userId: number;
}

export type BulkOutcome =
  /** Every open date decided. */
  | { requestId: number; kind: 'decided'; count: number }
  /** A series: the free dates approved, the clashing ones stay open. */
  | { requestId: number; kind: 'partly'; count: number; refused: RefusedDate[] }
  /** Nothing approved: every open date clashes; all stay open. */
  | { requestId: number; kind: 'refused'; refused: RefusedDate[] }
  /** Nothing was open any more (decided meanwhile) or the request does not exist. */
  | { requestId: number; kind: 'notPending' }
  | { requestId: number; kind: 'notFound' };

export async function decideMany(db: DB, deps: BookingDeps, input: BulkInput): Promise<BulkOutcome[]> {
  const out: BulkOutcome[] = [];
  for (const requestId of [...new Set(input.requestIds)]) {
    const one = { requestId, bookingIds: [], message: input.message, userId: input.userId };
    try {
      if (input.action === 'reject') {
        const r = await rejectDates(db, deps, one);
        out.push(r.rejected.length ? { requestId, kind: 'decided', count: r.rejected.length } : { requestId, kind: 'notPending' });
        continue;
      }
      const r = await approveDates(db, deps, one);
      if (r.refused.length === 0) out.push(r.approved.length ? { requestId, kind: 'decided', count: r.approved.length } : { requestId, kind: 'notPending' });
      else if (r.approved.length) out.push({ requestId, kind: 'partly', count: r.approved.length, refused: r.refused });
      else out.push({ requestId, kind: 'refused', refused: r.refused });
    } catch (e) {
      if (e instanceof DomainError && e.code === 'not_found') out.push({ requestId, kind: 'notFound' });
      else throw e;
    }
  }
  return out;
}
