// What an export leaves behind: an audit entry naming the range and the number of rows (never their content).
import type { Conn } from '../db/database.js';
import { audit } from '../audit/log.js';

export async function recordExport(
  db: Conn,
  e: { userId: number; now: number; from: string; to: string; status: string; format: string; rows: number },
): Promise<void> {
  await audit(db, {
    at: e.now,
    userId: e.userId,
    actor: 'user',
    action: 'export.bookings',
    entity: 'booking',
    details: { from: e.from, to: e.to, status: e.status, format: e.format, rows: e.rows },
  });
}
