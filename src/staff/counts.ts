// The numbers beside the staff navigation: open requests, open dates that clash with an approved booking or a
// blocked time, and mails the outbox gave up on. One statement of three small counts (each an index search),
// run once per staff page, never per list item.
import { sql } from 'kysely';
import type { Conn } from '../db/database.js';

export interface DeskCounts {
  /** Requests with at least one pending date. */
  openRequests: number;
  /** Pending dates whose room (widened by its buffers) shares a physical space with an approved booking or a blocked time. */
  clashDates: number;
  /** Mails in the outbox with status failed. */
  failedMails: number;
}

export async function loadDeskCounts(db: Conn): Promise<DeskCounts> {
  // The occupancy table holds every approved booking (already widened by its room's buffers) and every blocked
  // time per physical space: a pending date clashes when a row of one of its room's spaces overlaps it, widened
  // by its own room's buffers (the rule of bookings/overlap.ts, as the database guard applies it).
  const row = await sql<{ open_requests: number; clash_dates: number; failed_mails: number }>`
    select
      (select count(distinct request_id) from bookings where status = 'pending') as open_requests,
      (select count(*) from bookings b join rooms rm on rm.id = b.room_id
        where b.status = 'pending' and exists (
          select 1 from room_spaces rs join occupancy o on o.space_id = rs.space_id
          where rs.room_id = b.room_id
            and o.end_at > b.start_at - rm.buffer_before_min * 60000
            and o.start_at < b.end_at + rm.buffer_after_min * 60000)) as clash_dates,
      (select count(*) from outbox where status = 'failed') as failed_mails`.execute(db);
  const r = row.rows[0];
  return { openRequests: r?.open_requests ?? 0, clashDates: r?.clash_dates ?? 0, failedMails: r?.failed_mails ?? 0 };
}
