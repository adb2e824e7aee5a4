// Row counts of every table: a refused or read-only request must leave all of them as they were.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { TestApp } from '../helpers/app.js';

export async function tableCounts(t: TestApp): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`.execute(t.ctx.db);
  const out: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const r = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(name)}`.execute(t.ctx.db);
    out[name] = Number(r.rows[0]!.n);
  }
  return out;
}

/** Tables a refused request may legitimately write: sessions, failed-login and rate-limit counters and the audit log. */
const BOOKKEEPING = new Set(['sessions', 'login_failures', 'rate_events', 'audit_log', 'kysely_migration', 'kysely_migration_lock']);

/** A fingerprint of every row of the domain tables: a refused request must leave it unchanged. */
export async function domainSnapshot(t: TestApp): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`.execute(t.ctx.db);
  const out: Record<string, string> = {};
  for (const { name } of tables.rows) {
    if (BOOKKEEPING.has(name)) continue;
    // Sorted here, not by rowid: some tables (room_spaces) have none.
    const rows = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(name)}`.execute(t.ctx.db)).rows.map((r) => JSON.stringify(r)).sort();
    out[name] = createHash('sha1').update(rows.join('\n')).digest('hex') + `:${rows.length}`;
  }
  return out;
}
