// Retention: personal data of requests whose last date ended more than the house's retention period ago is
// removed; the anonymous facts stay for statistics. Run daily by src/ops/jobs.ts.
import { sql } from 'kysely';
import type { Conn, DB } from '../db/database.js';
import { audit } from '../audit/log.js';
import { getHouse } from '../settings/repository.js';
import { addMonths, dayStart, todayIn, type Clock } from '../time/index.js';
import { anonymizeRequests } from '../privacy/anonymize.js';

/**
 * The instant before which a request's last date must have ended to be anonymised: local midnight of
 * today minus the retention period, in the house's zone.
 */
export function retentionCutoff(now: Date, zone: string, retentionMonths: number): number {
  const today = todayIn(() => now, zone);
  return dayStart(addMonths(today, -retentionMonths), zone);
}

/** Ids of requests not yet anonymised whose every date ended before the cutoff (a request without dates counts by its creation). */
export async function expiredRequestIds(db: Conn, cutoff: number): Promise<number[]> {
  const rows = await db
    .selectFrom('requests as r')
    .leftJoin('bookings as b', 'b.request_id', 'r.id')
    .select('r.id')
    .where('r.anonymized_at', 'is', null)
    .groupBy('r.id')
    .having(sql<number>`coalesce(max(b.end_at), r.created_at)`, '<', cutoff)
    .execute();
  return rows.map((r) => r.id);
}

export interface RetentionResult {
  cutoff: number;
  anonymized: number;
}

/** One retention run: anonymises every expired request in one transaction and records it in the audit log. */
export async function runRetention(db: DB, clock: Clock): Promise<RetentionResult> {
  const house = await getHouse(db);
  const now = clock();
  const cutoff = retentionCutoff(now, house.zone, house.retentionMonths);
  return db.transaction().execute(async (trx) => {
    const ids = await expiredRequestIds(trx, cutoff);
    if (!ids.length) return { cutoff, anonymized: 0 };
    const result = await anonymizeRequests(trx, ids, now.getTime());
    await audit(trx, {
      at: now.getTime(), userId: null, actor: 'system', action: 'privacy.retention', entity: 'request', entityId: null,
      details: { requests: result.requests, cutoff },
    });
    return { cutoff, anonymized: result.requests };
  });
}
