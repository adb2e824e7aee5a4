// Readable booking references (HdB-2026-0042) and the secret manage-link tokens.
import { createHash, randomBytes } from 'node:crypto';
import type { Conn } from '../db/database.js';

/** The next reference for a year; call inside the write transaction that stores the request. */
export async function nextReference(db: Conn, prefix: string, year: number): Promise<string> {
  const row = await db
    .insertInto('reference_counters')
    .values({ year, last: 1 })
    .onConflict((oc) => oc.column('year').doUpdateSet((eb) => ({ last: eb('reference_counters.last', '+', 1) })))
    .returning('last')
    .executeTakeFirstOrThrow();
  return `${prefix}-${year}-${String(row.last).padStart(4, '0')}`;
}

/** 256 random bits, URL-safe. Only its hash is stored. */
export function newManageToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
