// Retention: personal data of requests whose last date ended more than the house's retention period ago is
// removed; the anonymous facts stay for statistics. Run daily by src/ops/jobs.ts.
import { sql } from 'kysely';
import type { Conn, DB } from '../db/database.js';
import { audit } from '../audit/log.js';
import { getHouse } from '../settings/repository.js';
import { addMonths, dayStart, todayIn, type Clock } from '../time/index.js';
import { anonymizeRequests } from '../privacy/anonymize.js';
import { BATCH_SIZE, chunks } from '../db/batches.js';

/**
 * The instant before which a request's last date must have ended to be anonymised: local midnight of
 * today minus the retention period, in the house's zone.
 */
export function retentionCutoff(now: Date, zone: string, retentionMonths: number): number {
  const today = todayIn(() => now, zone);
  return dayStart(addMonths(today, -retentionMonths), zone);
}

/**
 * Ids of requests not yet anonymised whose every date ended before the cutoff (a request without dates counts
 * by its creation); `among`: only these (at most one batch), to check a batch again under the write lock.
 */
export async function expiredRequestIds(db: Conn, cutoff: number, among?: number[]): Promise<number[]> {
  let q = db.selectFrom('requests as r').leftJoin('bookings as b', 'b.request_id', 'r.id').select('r.id').where('r.anonymized_at', 'is', null);
  if (among) q = q.where('r.id', 'in', among.length ? among : [-1]);
  const rows = await q
    .groupBy('r.id')
    .having(sql<number>`coalesce(max(b.end_at), r.created_at)`, '<', cutoff)
    .execute();
  return rows.map((r) => r.id);
}

export interface RetentionResult {
  cutoff: number;
  anonymized: number;
}

export interface RetentionOptions {
  /** Requests per write transaction (default BATCH_SIZE). */
  batchSize?: number;
  /** Called after each committed batch with its count (tests look between the batches). */
  onBatch?: (anonymized: number) => void | Promise<void>;
}

/**
 * One retention run. The expired requests are found once (a read), then anonymised in batches, each in its
 * own short write transaction that checks its batch again: a house with years of history (tens of thousands
 * of expired requests) is done without one statement growing with the history and without holding the write
 * lock for long, so people keep booking while it runs; a run cut short is finished by the next. One audit
 * entry records the run.
 */
export async function runRetention(db: DB, clock: Clock, opts: RetentionOptions = {}): Promise<RetentionResult> {
  const house = await getHouse(db);
  const now = clock();
  const cutoff = retentionCutoff(now, house.zone, house.retentionMonths);
  const ids = await expiredRequestIds(db, cutoff);
  let anonymized = 0;
  for (const batch of chunks(ids, opts.batchSize ?? BATCH_SIZE)) {
    const n = await db.transaction().execute(async (trx) => {
      const still = await expiredRequestIds(trx, cutoff, batch);
      return still.length ? (await anonymizeRequests(trx, still, now.getTime())).requests : 0;
    });
    anonymized += n;
    await opts.onBatch?.(n);
  }
  if (anonymized) {
    await audit(db, {
      at: now.getTime(),
      userId: null,
      actor: 'system',
      action: 'privacy.retention',
      entity: 'request',
      entityId: null,
      details: { requests: anonymized, cutoff },
    });
  }
  return { cutoff, anonymized };
}
