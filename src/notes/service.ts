// Internal notes of the staff on a request: an append-only list (text, author, time) shown on the request's
// detail page only. A note can be deleted by its author or an admin. Never in mails, on the group's manage
// page or in exports for groups; the privacy access export gives a person the notes about their own requests
// (docs/privacy.md). The audit log records that a note was added or deleted, never its text.
import type { Conn, DB } from '../db/database.js';
import type { Role } from '../db/schema.js';
import { audit } from '../audit/log.js';
import { DomainError } from '../errors.js';

/** The longest note (characters). */
export const NOTE_MAX = 2000;

export interface NoteRow {
  id: number;
  requestId: number;
  userId: number | null;
  authorName: string | null;
  body: string;
  createdAt: number;
}

/** A request's notes, oldest first, with the author's name (null once the account is gone). */
export async function listNotes(db: Conn, requestId: number): Promise<NoteRow[]> {
  const rows = await db
    .selectFrom('request_notes as n')
    .leftJoin('users as u', 'u.id', 'n.user_id')
    .select(['n.id', 'n.request_id', 'n.user_id', 'n.body', 'n.created_at', 'u.name'])
    .where('n.request_id', '=', requestId)
    .orderBy('n.created_at')
    .orderBy('n.id')
    .execute();
  return rows.map((r) => ({ id: r.id, requestId: r.request_id, userId: r.user_id, authorName: r.name, body: r.body, createdAt: r.created_at }));
}

/** The notes about several requests (for the privacy export), by request. */
export async function notesOfRequests(db: Conn, requestIds: number[]): Promise<Map<number, { body: string; createdAt: number }[]>> {
  const out = new Map<number, { body: string; createdAt: number }[]>();
  if (!requestIds.length) return out;
  const rows = await db
    .selectFrom('request_notes')
    .select(['request_id', 'body', 'created_at'])
    .where('request_id', 'in', requestIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const r of rows) {
    const list = out.get(r.request_id) ?? [];
    list.push({ body: r.body, createdAt: r.created_at });
    out.set(r.request_id, list);
  }
  return out;
}

/** Whether this account may delete this note: its author, or an admin. */
export function canDeleteNote(note: Pick<NoteRow, 'userId'>, user: { id: number; role: Role }): boolean {
  return user.role === 'admin' || note.userId === user.id;
}

export async function addNote(db: DB, input: { requestId: number; userId: number; body: string; now: number }): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const request = await trx.selectFrom('requests').select('id').where('id', '=', input.requestId).executeTakeFirst();
    if (!request) throw new DomainError('not_found');
    const row = await trx
      .insertInto('request_notes')
      .values({ request_id: input.requestId, user_id: input.userId, body: input.body, created_at: input.now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, {
      at: input.now,
      userId: input.userId,
      actor: 'user',
      action: 'note.added',
      entity: 'request',
      entityId: input.requestId,
      details: { noteId: row.id },
    });
    return row.id;
  });
}

/** Deletes a note of the request; only its author or an admin may (else 'conflict' is not enough: forbidden). */
export async function deleteNote(
  db: DB,
  input: { requestId: number; noteId: number; user: { id: number; role: Role }; now: number },
): Promise<'deleted' | 'forbidden'> {
  return db.transaction().execute(async (trx) => {
    const note = await trx
      .selectFrom('request_notes')
      .select(['id', 'user_id'])
      .where('id', '=', input.noteId)
      .where('request_id', '=', input.requestId)
      .executeTakeFirst();
    if (!note) throw new DomainError('not_found');
    if (!canDeleteNote({ userId: note.user_id }, input.user)) return 'forbidden';
    await trx.deleteFrom('request_notes').where('id', '=', note.id).execute();
    await audit(trx, {
      at: input.now,
      userId: input.user.id,
      actor: 'user',
      action: 'note.deleted',
      entity: 'request',
      entityId: input.requestId,
      details: { noteId: note.id },
    });
    return 'deleted';
  });
}
