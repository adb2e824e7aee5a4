// Approval at once for a regular group ("Stammgruppe"): a new public request whose sender is on the list, whose
// every date lies inside the group's allowance and which clashes with nothing — no approved booking or blocked
// time (rule 5) and no pending request of another group (a competitor stays the caretaker's decision) — is
// approved in the transaction that stored it, with the house's first approval template as its message.
// All dates or none: a series with one date outside the allowance, skipped as taken or competing stays pending
// whole. The database guard still has the last word: the approval runs in a SAVEPOINT (attempt), and a clash
// there leaves the request pending.
import type { Trx } from '../db/database.js';
import { attempt } from '../db/attempt.js';
import { audit } from '../audit/log.js';
import { findMatchingGroup } from '../regular-groups/repository.js';
import { allowanceOf, fitsAllowance, type DateToFit } from '../regular-groups/rules.js';
import { addDays, localDate, localTime, weekday } from '../time/index.js';
import { findClashesFor } from './clashes.js';

export interface AutoApproval {
  groupId: number;
  label: string;
  bookingIds: number[];
  message: string;
}

/** The local end of a date: its time, '24:00' at the following midnight, null when it ends on a later day. */
function localEnd(start: number, end: number, zone: string): string | null {
  const day = localDate(start, zone);
  const endDay = localDate(end, zone);
  if (endDay === day) return localTime(end, zone);
  if (endDay === addDays(day, 1) && localTime(end, zone) === '00:00') return '24:00';
  return null;
}

/**
 * Approves the request's pending dates at once when its sender is a regular group and everything fits; returns
 * what it approved, or null (the request stays pending for the caretaker). Call inside the creating transaction.
 */
export async function autoApprove(trx: Trx, requestId: number, zone: string, now: number): Promise<AutoApproval | null> {
  const request = await trx
    .selectFrom('requests')
    .select(['id', 'reference', 'email', 'organisation', 'source'])
    .where('id', '=', requestId)
    .executeTakeFirst();
  if (!request || request.source !== 'public') return null;
  const group = await findMatchingGroup(trx, request);
  if (!group) return null;
  const dates = await trx
    .selectFrom('bookings')
    .select(['id', 'room_id', 'local_date', 'start_at', 'end_at', 'status', 'skip_reason'])
    .where('request_id', '=', requestId)
    .orderBy('start_at')
    .execute();
  // A date skipped because it is taken is a clash; holidays and closures are not part of the request.
  if (dates.some((d) => d.status === 'skipped' && d.skip_reason === 'clash')) return null;
  const pending = dates.filter((d) => d.status === 'pending');
  const toFit: DateToFit[] = pending.map((d) => ({
    roomId: d.room_id,
    localDate: d.local_date,
    weekday: weekday(d.local_date),
    startTime: localTime(d.start_at, zone),
    endTime: localEnd(d.start_at, d.end_at, zone),
  }));
  if (!fitsAllowance(allowanceOf(group), toFit)) return null;
  const clashes = await findClashesFor(
    trx,
    pending.map((d) => ({ roomId: d.room_id, start: d.start_at, end: d.end_at })),
    { zone, includePending: true, excludeRequestId: requestId },
  );
  if (clashes.some((c) => c.clashes.length > 0 || c.competing.length > 0)) return null;
  const template = await trx
    .selectFrom('message_templates')
    .select('body')
    .where('kind', '=', 'approve')
    .orderBy('sort_order')
    .orderBy('id')
    .executeTakeFirst();
  const message = template?.body ?? '';
  const ids = pending.map((d) => d.id);
  const tried = await attempt(trx, async (t) => {
    const res = await t
      .updateTable('bookings')
      .set((eb) => ({ status: 'approved', decided_by: null, decided_at: now, decision_message: message, sequence: eb('sequence', '+', 1), updated_at: now }))
      .where('id', 'in', ids)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== ids.length) throw new Error('auto-approval: dates changed under the write lock');
    await t
      .updateTable('requests')
      .set((eb) => ({ auto_group_id: group.id, auto_group_label: group.label, sequence: eb('sequence', '+', 1), updated_at: now }))
      .where('id', '=', requestId)
      .execute();
  });
  if (!tried.ok) return null;
  await audit(trx, {
    at: now,
    actor: 'system',
    action: 'request.auto_approved',
    entity: 'request',
    entityId: requestId,
    details: {
      reference: request.reference,
      regularGroupId: group.id,
      regularGroup: group.label,
      bookingIds: ids,
      dates: pending.map((d) => d.local_date),
      message,
    },
  });
  return { groupId: group.id, label: group.label, bookingIds: ids, message };
}
