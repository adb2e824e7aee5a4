// A series request with its dates (a builder for the staff tests): every date may get its own status.
import type { Conn } from '../../src/db/database.js';
import type { BookingStatus, SkipReason } from '../../src/db/schema.js';
import { localToInstant } from '../../src/time/index.js';
import { newManageToken, nextReference } from '../../src/bookings/reference.js';

const ZONE = 'Europe/Berlin';

function at(date: string, time: string): number {
  const r = localToInstant(date, time, ZONE);
  if (!r.ok) throw new Error(`bad local time ${date} ${time}`);
  return r.instant;
}

export interface SeriesOverrides {
  roomId: number;
  dates: string[];
  start?: string;
  end?: string;
  status?: BookingStatus;
  /** Per-date overrides by index. */
  each?: Record<number, { status?: BookingStatus; skipReason?: SkipReason; start?: string; end?: string; detached?: boolean }>;
  title?: string;
  email?: string;
}

export async function aSeries(db: Conn, o: SeriesOverrides) {
  const start = o.start ?? '19:00';
  const end = o.end ?? '21:00';
  const { token, hash } = newManageToken();
  const reference = await nextReference(db, 'HdB', Number(o.dates[0]!.slice(0, 4)));
  const req = await db
    .insertInto('requests')
    .values({
      reference,
      token_hash: hash,
      room_id: o.roomId,
      title: o.title ?? 'Chorprobe',
      public_title: null,
      show_public_title: 0,
      organisation: 'Chor e. V.',
      contact_name: 'Clara Chor',
      email: o.email ?? 'chor@example.org',
      phone: null,
      category: 'culture',
      attendees: 10,
      equipment: '[]',
      notes: '',
      language: 'de',
      rules_version: 1,
      privacy_version: 1,
      source: 'public',
      created_by: null,
      repeat_weeks: 1,
      first_date: o.dates[0]!,
      last_date: o.dates[o.dates.length - 1]!,
      start_time: start,
      end_time: end,
      sequence: 0,
      created_at: 0,
      updated_at: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const bookingIds: number[] = [];
  for (const [i, date] of o.dates.entries()) {
    const e = o.each?.[i] ?? {};
    const b = await db
      .insertInto('bookings')
      .values({
        request_id: req.id,
        room_id: o.roomId,
        local_date: date,
        start_at: at(date, e.start ?? start),
        end_at: at(date, e.end ?? end),
        status: e.status ?? o.status ?? 'pending',
        skip_reason: e.skipReason ?? null,
        detached: e.detached ? 1 : 0,
        decided_by: null,
        decided_at: null,
        decision_message: null,
        cancelled_by: null,
        cancelled_at: null,
        sequence: 0,
        created_at: 0,
        updated_at: 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    bookingIds.push(b.id);
  }
  return { requestId: req.id, bookingIds, reference, token };
}
