// Removing a requester's personal data while keeping the anonymous facts (room, times, category,
// attendees, status) for statistics. One function for the retention job and for an erasure on request.
import { createHash } from 'node:crypto';
import { sql, type ExpressionBuilder } from 'kysely';
import type { Conn } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { BATCH_SIZE, chunks } from '../db/batches.js';

/**
 * Keys of audit details that never hold personal data (ids, dates, times, codes, counts). Everything else
 * (messages, titles, names, addresses, free-text reasons) is dropped from the audit entries of an
 * anonymised request: who did what and when stays.
 */
const SAFE_AUDIT_KEYS = new Set([
  'bookingIds',
  'dates',
  'source',
  'scope',
  'start',
  'end',
  'roomId',
  'overrides',
  'skipped',
  'clashesWith',
  'cancelledBookingIds',
  'from',
  'to',
  'rows',
  'count',
  'requests',
  'cancelled',
  'status',
  'category',
  'attendees',
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

/**
 * Whether a lower-case text names one of the addresses: as an address of its own, or (for a few addresses,
 * as an erasure has) anywhere inside, which also catches an address glued to other text.
 */
function mentions(lower: string, addresses: Set<string>): boolean {
  if (!addresses.size || !lower.includes('@')) return false;
  if (addressesIn(lower).some((a) => addresses.has(a))) return true;
  return addresses.size <= 50 && [...addresses].some((a) => lower.includes(a));
}

export interface AnonymizeResult {
  requests: number;
  mailsDeleted: number;
  auditEntriesScrubbed: number;
}

/** Candidate e-mail addresses in a text (lower case), to match audit details against a set of addresses. */
function addressesIn(text: string): string[] {
  return (text.toLowerCase().match(/[^\s"'<>(),;:[\]{}\\]+@[^\s"'<>(),;:[\]{}\\]+/g) ?? []).map((a) => a.replace(/\.+$/, ''));
}

/**
 * Removes the personal data of these requests: contact name, organisation, e-mail, phone, notes, title,
 * public title and the decision messages of their dates; the manage link stops working; mails about them
 * (sent or not) leave the outbox; their audit entries lose everything but ids, dates and codes.
 * Call inside a write transaction; the list is worked through in slices (src/db/batches.ts), so any length
 * works, but callers keep transactions short by handing over one slice at a time.
 * `extraAddresses` (an erasure): addresses whose every mail and audit mention goes. Of the requests' own
 * addresses only the mails that belong to no request go with them; mails about another, still current request
 * of the same address stay (the retention must not swallow a group's current mails).
 */
export async function anonymizeRequests(trx: Conn, requestIds: number[], now: number, extraAddresses: string[] = []): Promise<AnonymizeResult> {
  const result: AnonymizeResult = { requests: 0, mailsDeleted: 0, auditEntriesScrubbed: 0 };
  const extra = new Set(extraAddresses.map((a) => a.trim().toLowerCase()).filter(Boolean));
  const ownAddresses = new Set<string>();
  const ofRequests = new Set<number>();
  for (const slice of chunks(requestIds)) {
    const rows = await trx.selectFrom('requests').select(['id', 'email']).where('id', 'in', slice).execute();
    if (!rows.length) continue;
    const ids = rows.map((r) => r.id);
    for (const r of rows) {
      ofRequests.add(r.id);
      const a = r.email.trim().toLowerCase();
      if (a && !extra.has(a)) ownAddresses.add(a);
    }
    await trx
      .updateTable('requests')
      .set({
        title: '',
        public_title: null,
        show_public_title: 0,
        public_event: 0,
        public_description: null,
        public_language: null,
        organisation: null,
        contact_name: '',
        email: '',
        phone: null,
        notes: '',
        // The regular group's name as it approved the request: an e-mail address or organisation (migration 013).
        auto_group_label: null,
        // The manage link is dead from now on: the hash no longer matches any token.
        token_hash: sql<string>`'anonymized-' || id`,
        anonymized_at: now,
        updated_at: now,
      })
      .where('id', 'in', ids)
      .execute();
    result.requests += rows.length;
    await trx.updateTable('bookings').set({ decision_message: null }).where('request_id', 'in', ids).where('decision_message', 'is not', null).execute();
    // Internal notes about the group and the offers made to it (their messages, their links) go with the request.
    await trx.deleteFrom('request_notes').where('request_id', 'in', ids).execute();
    await trx.deleteFrom('offers').where('request_id', 'in', ids).execute();
    // The attendance links die with the request; the reported numbers (attendance) stay for the statistics.
    await trx.deleteFrom('attendance_links').where('request_id', 'in', ids).execute();
    const mails = await trx.deleteFrom('outbox').where('request_id', 'in', ids).executeTakeFirst();
    result.mailsDeleted += Number(mails.numDeletedRows);
    // Their audit entries, by the (entity, entity_id) index.
    const entries = await trx.selectFrom('audit_log').select(['id', 'details']).where('entity', '=', 'request').where('entity_id', 'in', ids).execute();
    const own = new Set(rows.map((r) => r.email.trim().toLowerCase()).filter(Boolean));
    for (const e of entries) result.auditEntriesScrubbed += await scrubEntry(trx, e, own);
  }
  // A mail names an address as its recipient, or (staff mails about a request) as its Reply-To.
  const namesOneOf = (slice: string[]) => (eb: ExpressionBuilder<Database, 'outbox'>) =>
    eb.or([eb(sql<string>`lower(trim(to_address))`, 'in', slice), eb(sql<string>`lower(trim(reply_to))`, 'in', slice)]);
  for (const slice of chunks([...ownAddresses])) {
    const mails = await trx.deleteFrom('outbox').where(namesOneOf(slice)).where('request_id', 'is', null).executeTakeFirst();
    result.mailsDeleted += Number(mails.numDeletedRows);
  }
  for (const slice of chunks([...extra])) {
    const mails = await trx.deleteFrom('outbox').where(namesOneOf(slice)).executeTakeFirst();
    result.mailsDeleted += Number(mails.numDeletedRows);
  }

  // Any other entry that mentions one of the addresses: one pass over the entries holding an '@' (few: the
  // request entries themselves hold ids and codes), matched against the set here, not in one OR per address.
  const addresses = new Set([...ownAddresses, ...extra]);
  if (!addresses.size) return result;
  let after = 0;
  for (;;) {
    const entries = await trx
      .selectFrom('audit_log')
      .select(['id', 'entity', 'entity_id', 'details'])
      .where('id', '>', after)
      .where('details', 'like', '%@%')
      .orderBy('id')
      .limit(BATCH_SIZE * 4)
      .execute();
    if (!entries.length) break;
    after = entries[entries.length - 1]!.id;
    for (const e of entries) {
      if (e.entity === 'request' && e.entity_id !== null && ofRequests.has(e.entity_id)) continue; // done above
      const lower = e.details.toLowerCase();
      if (mentions(lower, addresses)) {
        result.auditEntriesScrubbed += await scrubEntry(trx, e, addresses);
      }
    }
  }
  return result;
}

/** Scrubs one audit entry's details (1 when it changed). An address under a kept key empties the details. */
async function scrubEntry(trx: Conn, e: { id: number; details: string }, addresses: Set<string>): Promise<number> {
  let scrubbed = scrubAuditDetails(e.details);
  const lower = scrubbed.toLowerCase();
  if (mentions(lower, addresses)) {
    scrubbed = JSON.stringify({ personalDataRemoved: true });
  }
  if (scrubbed === e.details) return 0;
  await trx.updateTable('audit_log').set({ details: scrubbed }).where('id', '=', e.id).execute();
  return 1;
}
