// The bookings of an export, read window by window (bounded work per query, however long the range).
import type { Conn } from '../db/database.js';
import type { BookingStatus } from '../db/schema.js';
import { addDays, dayStart } from '../time/index.js';

/** Days of bookings one export query reads: bounded work per query, however long the range and full the house. */
export const EXPORT_WINDOW_DAYS = 31;

async function exportWindow(db: Conn, start: string, last: string, zone: string, statuses: readonly BookingStatus[]) {
  return (
    db
      .selectFrom('bookings as b')
      .innerJoin('requests as r', 'r.id', 'b.request_id')
      .innerJoin('rooms as m', 'm.id', 'b.room_id')
      .select([
        'r.reference',
        'm.name as room',
        'b.local_date',
        'b.start_at',
        'b.end_at',
        'b.status',
        'r.title',
        'r.public_title',
        'r.category',
        'r.attendees',
        'r.organisation',
        'r.contact_name',
        'r.email',
        'r.phone',
      ])
      .where('b.status', 'in', statuses)
      .where('b.local_date', '>=', start)
      .where('b.local_date', '<=', last)
      // The same window as instants (a day wider each side), so the start index finds it without a table scan.
      .where('b.start_at', '>=', dayStart(addDays(start, -1), zone))
      .where('b.start_at', '<', dayStart(addDays(last, 2), zone))
      .orderBy('b.start_at')
      .orderBy('m.sort_order')
      .orderBy('b.id')
      .execute()
  );
}

export type ExportBooking = Awaited<ReturnType<typeof exportWindow>>[number];

/**
 * The bookings whose local date lies in [from, to], in time order: one bounded query per EXPORT_WINDOW_DAYS
 * days (local dates follow start times, so the windows keep the order).
 */
export async function* exportBookings(db: Conn, from: string, to: string, zone: string, statuses: readonly BookingStatus[]): AsyncGenerator<ExportBooking[]> {
  for (let start = from; start <= to; start = addDays(start, EXPORT_WINDOW_DAYS)) {
    const last = addDays(start, EXPORT_WINDOW_DAYS - 1);
    yield exportWindow(db, start, last < to ? last : to, zone, statuses);
  }
}
