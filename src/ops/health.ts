// The health report for monitoring: process up, database reachable, migrations current, outbox backlog.
// Counts and states only: never personal data.
import { sql } from 'kysely';
import type { DB } from '../db/database.js';
import { pendingMigrations } from '../db/migrate.js';

export interface Health {
  status: 'ok' | 'error';
  db: 'ok' | 'error';
  migrations: 'current' | 'pending' | 'unknown';
  outbox: { pending: number; failed: number } | null;
  uptimeSeconds: number;
}

export async function checkHealth(db: DB, uptimeSeconds: number): Promise<Health> {
  const health: Health = { status: 'ok', db: 'ok', migrations: 'unknown', outbox: null, uptimeSeconds: Math.round(uptimeSeconds) };
  try {
    await sql`SELECT 1`.execute(db);
  } catch {
    return { ...health, status: 'error', db: 'error' };
  }
  try {
    health.migrations = (await pendingMigrations(db)).length ? 'pending' : 'current';
  } catch {
    health.migrations = 'unknown';
  }
  try {
    const rows = await db
      .selectFrom('outbox')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', 'in', ['pending', 'failed'])
      .groupBy('status')
      .execute();
    health.outbox = {
      pending: Number(rows.find((r) => r.status === 'pending')?.n ?? 0),
      failed: Number(rows.find((r) => r.status === 'failed')?.n ?? 0),
    };
  } catch {
    health.db = 'error';
  }
  if (health.db !== 'ok' || health.migrations !== 'current') health.status = 'error';
  return health;
}
