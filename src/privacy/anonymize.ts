// Removing a requester's personal data while keeping the anonymous facts (room, times, category,
// attendees, status) for statistics. One function for the retention job and for an erasure on request.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Conn } from '../db/database.js';

/**
 * Keys of audit details that never hold personal data (ids, dates, times, codes, counts). Everything else
 * (messages, titles, names, addresses, free-text reasons) is dropped from the audit entries of an
 * anonymised request: who did what and when stays.
 */
const SAFE_AUDIT_KEYS = new Set([
  'bookingIds', 'dates', 'source', 'scope', 'start', 'end', 'roomId', 'overrides', 'skipped', 'clashesWith',
  'cancelledBookingIds', 'from', 'to', 'rows', 'count', 'requests', 'cancelled', 'status', 'category', 'attendees',
]);

/** The audit details of an anonymised request: only the safe keys, and a mark that something was removed. */
export function scrubAuditDetails(details: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(details);
  } catch {
    return JSON.stringify({ personalDataRemoved: true });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return JSON.stringify({ personalDataRemoved: true });
  const kept: Record<string, unknown> = {};
  let removed = false;
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (k === 'personalDataRemoved') continue;
    if (SAFE_AUDIT_KEYS.has(k)) kept[k] = v;
    else removed = true;
  }
  if (removed) kept.personalDataRemoved = true;
  return JSON.stringify(kept);
}

/** A stable, non-reversible label for an e-mail address in the audit log (never the address itself). */
export function addressHash(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 16);
}

export interface AnonymizeResult {
  requests: number;
  mailsDeleted: number;
  auditEntriesScrubbed: number;
}

/**
 * Removes the personal data of these requests: contact name, organisation, e-mail, phone, notes, title,
 * public title and the decision messages of their dates; the manage link stops working; mails about them
 * (sent or not) leave the outbox; their audit entries lose everything but ids, dates and codes.
 * Call inside a write transaction. `extraAddresses`: addresses whose mails and audit mentions go too.
 */
export async function anonymizeRequests(
  trx: Conn,
  requestIds: number[],
  now: number,
  extraAddresses: string[] = [],
): Promise<AnonymizeResult> {
  const result: AnonymizeResult = { requests: 0, mailsDeleted: 0, auditEntriesScrubbed: 0 };
  const addresses = new Set(extraAddresses.map((a) => a.trim().toLowerCase()).filter(Boolean));
  if (requestIds.length) {
    const rows = await trx.selectFrom('requests').select(['id', 'email']).where('id', 'in', requestIds).execute();
    for (const r of rows) if (r.email.trim()) addresses.add(r.email.trim().toLowerCase());
    for (const r of rows) {
      await trx
        .updateTable('requests')
        .set({
          title: '', public_title: null, show_public_title: 0, organisation: null, contact_name: '', email: '', phone: null,
          notes: '',
          // The manage link is dead from now on: the hash no longer matches any token.
          token_hash: `anonymized-${r.id}`,
          anonymized_at: now, updated_at: now,
        })
        .where('id', '=', r.id)
        .execute();
    }
    result.requests = rows.length;
    await trx.updateTable('bookings').set({ decision_message: null }).where('request_id', 'in', requestIds).execute();
    const mails = await trx.deleteFrom('outbox').where('request_id', 'in', requestIds).executeTakeFirst();
    result.mailsDeleted += Number(mails.numDeletedRows);
  }
  for (const address of addresses) {
    const mails = await trx.deleteFrom('outbox').where(sql`lower(to_address)`, '=', address).executeTakeFirst();
    result.mailsDeleted += Number(mails.numDeletedRows);
  }

  if (!requestIds.length && !addresses.size) return result;
  // Audit entries of these requests, and any entry that mentions one of the addresses ('%' or '_' in an
  // address only widen the LIKE match, which is harmless: each hit is checked again below).
  const entries = await trx
    .selectFrom('audit_log')
    .select(['id', 'entity', 'entity_id', 'details'])
    .where((eb) => {
      const ors = [...addresses].map((address) => eb(sql<string>`lower(details)`, 'like', `%${address}%`));
      if (requestIds.length) ors.push(eb.and([eb('entity', '=', 'request'), eb('entity_id', 'in', requestIds)]));
      return eb.or(ors);
    })
    .execute();
  const ofRequests = new Set(requestIds);
  for (const e of entries) {
    const mentions = [...addresses].some((a) => e.details.toLowerCase().includes(a));
    if (!mentions && !(e.entity === 'request' && e.entity_id !== null && ofRequests.has(e.entity_id))) continue;
    let scrubbed = scrubAuditDetails(e.details);
    // An address may sit under a key we keep (unlikely): then nothing of the details stays.
    if ([...addresses].some((a) => scrubbed.toLowerCase().includes(a))) scrubbed = JSON.stringify({ personalDataRemoved: true });
    if (scrubbed !== e.details) {
      await trx.updateTable('audit_log').set({ details: scrubbed }).where('id', '=', e.id).execute();
      result.auditEntriesScrubbed++;
    }
  }
  return result;
}
