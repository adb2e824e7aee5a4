// Data subject requests (DSGVO Art. 15 and 17): what is stored about one e-mail address, its export, its erasure.
import { sql } from 'kysely';
import type { Conn, DB } from '../db/database.js';
import type { AuditEntry, Booking, OutboxMail, BookingRequest } from '../db/schema.js';
import { audit } from '../audit/log.js';
import { addressHash, anonymizeRequests, type AnonymizeResult } from './anonymize.js';
import { BATCH_SIZE, chunks } from '../db/batches.js';

export interface StoredData {
  email: string;
  /** Each request with its dates and the staff's internal notes about it (Art. 15: notes about a person are their data). */
  requests: (BookingRequest & { bookings: Booking[]; staffNotes: { body: string; created_at: number }[] })[];
  /** Mails to the address, and staff mails that name it as Reply-To (the group's address on a new request). */
  mails: Omit<OutboxMail, 'attachments' | 'secret'>[];
  audit: AuditEntry[];
}

function normalise(email: string): string {
  return email.trim().toLowerCase();
}

/** Everything stored about this address: its requests with their dates, its mails, audit entries about them. */
export async function findStoredData(db: Conn, email: string): Promise<StoredData> {
  const address = normalise(email);
  const requests = await db
    .selectFrom('requests')
    .selectAll()
    .where(sql<string>`lower(trim(email))`, '=', address)
    .orderBy('id')
    .execute();
  const ids = requests.map((r) => r.id);
  // A regular group may have hundreds of requests: their dates and audit entries are read slice by slice.
  const bookingsOf = new Map<number, Booking[]>(ids.map((id) => [id, []]));
  const notesOf = new Map<number, { body: string; created_at: number }[]>(ids.map((id) => [id, []]));
  const entries = new Map<number, AuditEntry>();
  for (const slice of chunks(ids)) {
    const bookings = await db.selectFrom('bookings').selectAll().where('request_id', 'in', slice).orderBy('start_at').execute();
    for (const b of bookings) bookingsOf.get(b.request_id)!.push(b);
    // The notes' text and time; who at the house wrote them is the staff's data, not the group's.
    const notes = await db
      .selectFrom('request_notes')
      .select(['request_id', 'body', 'created_at'])
      .where('request_id', 'in', slice)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    for (const n of notes) notesOf.get(n.request_id)!.push({ body: n.body, created_at: n.created_at });
    const own = await db.selectFrom('audit_log').selectAll().where('entity', '=', 'request').where('entity_id', 'in', slice).execute();
    for (const e of own) entries.set(e.id, e);
  }
  for (const list of bookingsOf.values()) list.sort((a, b) => a.start_at - b.start_at || a.id - b.id);
  const mails = await db
    .selectFrom('outbox')
    .select([
      'id',
      'created_at',
      'to_address',
      'reply_to',
      'language',
      'kind',
      'subject',
      'text_body',
      'html_body',
      'status',
      'attempts',
      'next_attempt_at',
      'last_error',
      'sent_at',
      'request_id',
    ])
    .where((eb) => eb.or([eb(sql<string>`lower(trim(to_address))`, '=', address), eb(sql<string>`lower(trim(reply_to))`, '=', address)]))
    .orderBy('id')
    .execute();
  // Other entries that mention the address ('%' or '_' in it only widen the match; each hit is checked again).
  const mentioning = await db
    .selectFrom('audit_log')
    .selectAll()
    .where(sql<string>`lower(details)`, 'like', `%${address}%`)
    .execute();
  for (const e of mentioning) if (e.details.toLowerCase().includes(address)) entries.set(e.id, e);
  return {
    email: address,
    requests: requests.map((r) => ({ ...r, bookings: bookingsOf.get(r.id)!, staffNotes: notesOf.get(r.id)! })),
    mails,
    audit: [...entries.values()].sort((a, b) => a.id - b.id),
  };
}

export interface EraseResult extends AnonymizeResult {
  /** Future dates (approved or pending) cancelled before the data was removed. */
  cancelledBookings: number;
  /** Of those, how many were approved (their slots are free again). */
  cancelledApproved: number;
}

/**
 * Erases what is stored about this address: its future dates are cancelled first (the slots become free),
 * then its requests are anonymised exactly as the retention job does it, a batch of requests per short write
 * transaction (an address with a long history does not hold the write lock for long; an erasure cut short is
 * finished by repeating it). The last transaction removes the remaining mails and mentions and writes the
 * audit entry, which names the address only by a hash.
 */
export async function eraseAddress(db: DB, email: string, actor: { userId: number; now: number }): Promise<EraseResult> {
  const address = normalise(email);
  const total: EraseResult = { requests: 0, mailsDeleted: 0, auditEntriesScrubbed: 0, cancelledBookings: 0, cancelledApproved: 0 };
  const add = (r: AnonymizeResult) => {
    total.requests += r.requests;
    total.mailsDeleted += r.mailsDeleted;
    total.auditEntriesScrubbed += r.auditEntriesScrubbed;
  };
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      // Anonymised requests have no address any more, so each round takes the next ones.
      const ids = (
        await trx
          .selectFrom('requests')
          .select('id')
          .where(sql<string>`lower(trim(email))`, '=', address)
          .orderBy('id')
          .limit(BATCH_SIZE)
          .execute()
      ).map((r) => r.id);
      if (!ids.length) return true;
      const future = (q: Conn) =>
        q.selectFrom('bookings').where('request_id', 'in', ids).where('status', 'in', ['approved', 'pending']).where('start_at', '>', actor.now);
      const counts = await future(trx)
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      for (const c of counts) {
        total.cancelledBookings += Number(c.n);
        if (c.status === 'approved') total.cancelledApproved += Number(c.n);
      }
      if (counts.length) {
        await trx
          .updateTable('bookings')
          .set((eb) => ({
            status: 'cancelled',
            cancelled_by: 'house',
            cancelled_at: actor.now,
            sequence: eb('sequence', '+', 1),
            updated_at: actor.now,
          }))
          .where('request_id', 'in', ids)
          .where('status', 'in', ['approved', 'pending'])
          .where('start_at', '>', actor.now)
          .execute();
      }
      add(await anonymizeRequests(trx, ids, actor.now));
      return false;
    });
    if (done) break;
  }
  return db.transaction().execute(async (trx) => {
    add(await anonymizeRequests(trx, [], actor.now, [address]));
    await audit(trx, {
      at: actor.now,
      userId: actor.userId,
      actor: 'user',
      action: 'privacy.erased',
      entity: 'request',
      entityId: null,
      details: { addressHash: addressHash(address), requests: total.requests, cancelled: total.cancelledBookings },
    });
    return total;
  });
}

/** Logs that an export was handed out (the address only as a hash). */
export async function recordExport(db: Conn, email: string, actor: { userId: number; now: number }, requests: number): Promise<void> {
  await audit(db, {
    at: actor.now,
    userId: actor.userId,
    actor: 'user',
    action: 'privacy.exported',
    entity: 'request',
    entityId: null,
    details: { addressHash: addressHash(email), requests },
  });
}
