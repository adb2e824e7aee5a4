// The outbox: mails written in the transaction of the change that causes them, then sent by the worker.
// A mail is claimed (leased) before sending, so two workers never send it at the same time.
import type { Conn } from '../db/database.js';
import type { Language, OutboxMail } from '../db/schema.js';
import { MANAGE_TOKEN_PLACEHOLDER, MailKeyError, openSecret, sealSecret } from './secrets.js';

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: string;
}

export interface NewMail {
  to: string;
  language: Language;
  kind: string;
  subject: string;
  text: string;
  html: string;
  attachments?: MailAttachment[];
  requestId?: number | null;
  /** The manage token for MANAGE_TOKEN_PLACEHOLDER in text and html, already encrypted (sealSecret). */
  secret?: string;
  /** Where an answer to this mail goes. */
  replyTo?: string | null;
}

/** Waits after the 1st, 2nd, … failed attempt; after MAX_ATTEMPTS failures the mail is given up ('failed'). */
export const BACKOFF_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000, 3 * 3600_000, 6 * 3600_000, 12 * 3600_000];
export const MAX_ATTEMPTS = BACKOFF_MS.length + 1;
/** How long a claimed mail is reserved for the worker that claimed it (longer than any SMTP timeout). */
export const LEASE_MS = 10 * 60_000;

export function backoffAfter(attempts: number): number {
  return BACKOFF_MS[Math.min(Math.max(attempts, 1), BACKOFF_MS.length) - 1]!;
}

export async function enqueueMail(db: Conn, m: NewMail, now: number): Promise<number> {
  const row = await db
    .insertInto('outbox')
    .values({
      created_at: now,
      to_address: m.to,
      language: m.language,
      kind: m.kind,
      subject: m.subject,
      text_body: m.text,
      html_body: m.html,
      attachments: JSON.stringify(m.attachments ?? []),
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      last_error: null,
      sent_at: null,
      request_id: m.requestId ?? null,
      secret: m.secret ?? null,
      reply_to: m.replyTo?.trim() || null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * The mail as it goes out: the manage token decrypted into its placeholder. Throws MailKeyError when the
 * key cannot open it (the key file was replaced or lost): that mail can never carry its link.
 */
export function fillSecret(mail: Pick<OutboxMail, 'text_body' | 'html_body' | 'secret'>, key: Buffer): { text: string; html: string } {
  if (mail.secret === null) return { text: mail.text_body, html: mail.html_body };
  const token = openSecret(key, mail.secret);
  return { text: mail.text_body.split(MANAGE_TOKEN_PLACEHOLDER).join(token), html: mail.html_body.split(MANAGE_TOKEN_PLACEHOLDER).join(token) };
}

export { MailKeyError };

const PLAIN_LINK = /(\/requests\/)([A-Za-z0-9_-]{20,})/g;

/**
 * Mails written before links were encrypted and not sent yet: their plain manage token moves into `secret`,
 * encrypted, and the bodies get the placeholder. Runs at start (it needs the key, which migrations do not have).
 */
export async function sealLegacyLinks(db: Conn, key: Buffer): Promise<number> {
  const rows = await db
    .selectFrom('outbox')
    .select(['id', 'text_body', 'html_body'])
    .where('status', '!=', 'sent')
    .where('secret', 'is', null)
    .where('text_body', 'like', '%/requests/%')
    .execute();
  let sealed = 0;
  for (const m of rows) {
    const token = [...m.text_body.matchAll(PLAIN_LINK)][0]?.[2];
    if (!token) continue;
    await db
      .updateTable('outbox')
      .set({
        text_body: m.text_body.split(token).join(MANAGE_TOKEN_PLACEHOLDER),
        html_body: m.html_body.split(token).join(MANAGE_TOKEN_PLACEHOLDER),
        secret: sealSecret(key, token),
      })
      .where('id', '=', m.id)
      .where('secret', 'is', null)
      .execute();
    sealed++;
  }
  return sealed;
}

/** How many waiting mails hold a manage link this key cannot open (the key file was lost or replaced). */
export async function unreadableSecrets(db: Conn, key: Buffer): Promise<number> {
  const rows = await db.selectFrom('outbox').select('secret').where('status', '!=', 'sent').where('secret', 'is not', null).execute();
  let unreadable = 0;
  for (const r of rows) {
    try {
      openSecret(key, r.secret!);
    } catch (e) {
      if (!(e instanceof MailKeyError)) throw e;
      unreadable++;
    }
  }
  return unreadable;
}

function isAttachment(x: unknown): x is MailAttachment {
  if (typeof x !== 'object' || x === null) return false;
  const a = x as Record<string, unknown>;
  return typeof a.filename === 'string' && typeof a.contentType === 'string' && typeof a.content === 'string';
}

export function parseAttachments(json: string): MailAttachment[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter(isAttachment) : [];
  } catch {
    return [];
  }
}

/** Ids of mails due now, oldest first. */
export async function dueMailIds(db: Conn, now: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('outbox')
    .select('id')
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Claims a due mail: moves its next attempt past the lease, only if it is still pending and due.
 * Returns the mail when this caller won the claim, else undefined (another worker has it).
 */
export async function claimMail(db: Conn, id: number, now: number): Promise<OutboxMail | undefined> {
  const res = await db
    .updateTable('outbox')
    .set({ next_attempt_at: now + LEASE_MS })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) return undefined;
  return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Sent: the encrypted manage token leaves the stored copy, which keeps only the placeholder. */
export async function markSent(db: Conn, id: number, now: number): Promise<void> {
  await db
    .updateTable('outbox')
    .set((eb) => ({ status: 'sent', sent_at: now, attempts: eb('attempts', '+', 1), last_error: null, secret: null }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

/**
 * Records a failed attempt: retried after a growing wait, given up after MAX_ATTEMPTS, or at once when
 * the failure is `permanent` (the server refused this mail for good; trying again cannot help).
 */
export async function markAttemptFailed(
  db: Conn,
  mail: Pick<OutboxMail, 'id' | 'attempts'>,
  error: string,
  now: number,
  permanent = false,
): Promise<'retry' | 'failed'> {
  const attempts = mail.attempts + 1;
  const giveUp = permanent || attempts >= MAX_ATTEMPTS;
  await db
    .updateTable('outbox')
    .set({
      attempts,
      last_error: error.slice(0, 500),
      status: giveUp ? 'failed' : 'pending',
      next_attempt_at: giveUp ? now : now + backoffAfter(attempts),
    })
    .where('id', '=', mail.id)
    .where('status', '=', 'pending')
    .execute();
  return giveUp ? 'failed' : 'retry';
}

export type OutboxFilter = 'pending' | 'sent' | 'failed';

export async function listOutbox(db: Conn, opts: { status?: OutboxFilter; limit: number }) {
  let q = db
    .selectFrom('outbox')
    .select(['id', 'created_at', 'to_address', 'kind', 'subject', 'status', 'attempts', 'last_error', 'next_attempt_at', 'sent_at'])
    .orderBy('id', 'desc')
    .limit(opts.limit);
  if (opts.status) q = q.where('status', '=', opts.status);
  return q.execute();
}

export async function findMail(db: Conn, id: number): Promise<OutboxMail | undefined> {
  return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A failed mail goes back to the queue, due now, with a fresh count of attempts. */
export async function resendMail(db: Conn, id: number, now: number): Promise<boolean> {
  const res = await db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function countByStatus(db: Conn): Promise<Record<OutboxFilter, number>> {
  const rows = await db
    .selectFrom('outbox')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  const out: Record<OutboxFilter, number> = { pending: 0, sent: 0, failed: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}
