// A house with years of history for the jobs-at-size tests: 200,000 bookings of 40,000 requests from
// 10,000 distinct addresses, with their mails and audit entries, inserted raw in one transaction (a few seconds).
import type { AppContext } from '../../src/context.js';
import { addDays, dayStart } from '../../src/time/index.js';
import { sqliteHandleForTests } from '../../src/db/database.js';

export interface BigHouse {
  rooms: number[];
  requests: number;
  bookings: number;
  addresses: number;
  /** Request id → its last date's end (epoch ms), to compute what retention must do independently. */
  lastEnd: Map<number, number>;
  /** Request id → its address. */
  emailOf: Map<number, string>;
  firstDate: string;
  lastDate: string;
}

export const BIG = { requests: 40_000, datesPerRequest: 5, addresses: 10_000, rooms: 8, slotsPerDay: 5 } as const;

/** Address of the k-th request: every address has four requests, years apart (the last ones recent). */
export const bigAddress = (k: number) => `gruppe${k % BIG.addresses}@example.org`;

/**
 * Fills the database: request k owns five consecutive two-hour slots of one room on one day, the days
 * running back from `lastDate` (no two bookings overlap, so the occupancy guard accepts every row).
 * Each request has a "received" mail and a create entry in the audit log; every fourth an approval with a
 * message naming the person; every tenth an audit entry that mentions its e-mail address.
 */
export function seedBigHouse(ctx: AppContext, lastDate: string, zone = 'Europe/Berlin'): BigHouse {
  const raw = sqliteHandleForTests(ctx);
  const perDay = BIG.rooms * BIG.slotsPerDay;
  const total = BIG.requests * BIG.datesPerRequest;
  const days = Math.ceil(total / perDay);
  const firstDate = addDays(lastDate, -(days - 1));
  const lastEnd = new Map<number, number>();
  const emailOf = new Map<number, string>();
  const rooms: number[] = [];
  raw.transaction(() => {
    const room = raw.prepare(`INSERT INTO rooms (slug, name, description, capacity, size_m2, equipment, accessible, accessibility_notes, floor,
      buffer_before_min, buffer_after_min, public_bookable, active, sort_order, created_at, updated_at)
      VALUES (?, ?, '', 20, 30, '[]', 1, '', 'EG', 0, 0, 1, 1, ?, 0, 0)`);
    for (let i = 0; i < BIG.rooms; i++) rooms.push(Number(room.run(`gross-${i}`, `Großraum ${i}`, i).lastInsertRowid));
    const req = raw.prepare(`INSERT INTO requests (reference, token_hash, room_id, title, public_title, show_public_title, organisation,
      contact_name, email, phone, category, attendees, equipment, notes, language, rules_version, privacy_version, source, created_by,
      repeat_weeks, first_date, last_date, start_time, end_time, sequence, created_at, updated_at, anonymized_at)
      VALUES (?, ?, ?, ?, NULL, 0, ?, ?, ?, '0301234567', 'social', 10, '[]', 'Bitte Klavier', 'de', 1, 1, 'public', NULL,
      NULL, ?, NULL, '08:00', '10:00', 0, ?, ?, NULL)`);
    const booking = raw.prepare(`INSERT INTO bookings (request_id, room_id, local_date, start_at, end_at, status, skip_reason, detached,
      decided_by, decided_at, decision_message, cancelled_by, cancelled_at, sequence, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, NULL, 0, NULL, NULL, ?, NULL, NULL, 0, ?, ?)`);
    const mail = raw.prepare(`INSERT INTO outbox (created_at, to_address, language, kind, subject, text_body, html_body, attachments, status,
      attempts, next_attempt_at, last_error, sent_at, request_id) VALUES (?, ?, 'de', 'request.received', 'Ihre Anfrage', ?, ?, '[]', 'sent', 1, 0, NULL, ?, ?)`);
    const entry = raw.prepare(`INSERT INTO audit_log (at, user_id, actor, action, entity, entity_id, details) VALUES (?, NULL, ?, ?, 'request', ?, ?)`);
    let dayStartMs = 0;
    let dayOf = '';
    for (let k = 0; k < BIG.requests; k++) {
      const email = bigAddress(k);
      const name = `Kontakt ${k}`;
      let requestId = 0;
      let end = 0;
      for (let j = 0; j < BIG.datesPerRequest; j++) {
        const i = k * BIG.datesPerRequest + j;
        const date = addDays(firstDate, Math.floor(i / perDay));
        if (date !== dayOf) {
          dayOf = date;
          dayStartMs = dayStart(date, zone);
        }
        const roomId = rooms[Math.floor((i % perDay) / BIG.slotsPerDay)];
        const start = dayStartMs + (8 + 2 * (i % BIG.slotsPerDay)) * 3600_000;
        end = start + 2 * 3600_000;
        if (j === 0) {
          requestId = Number(
            req.run(`HdB-BIG-${k}`, `hash-${k}`, roomId, `Treffen ${k}`, `Verein ${k}`, name, email, date, start - 86_400_000, start - 86_400_000)
              .lastInsertRowid,
          );
          emailOf.set(requestId, email);
          mail.run(start - 86_400_000, email, `Hallo ${name}`, `<p>Hallo ${name}</p>`, start - 86_400_000, requestId);
          entry.run(start - 86_400_000, 'group', 'request.create', requestId, JSON.stringify({ reference: `HdB-BIG-${k}`, dates: 5 }));
          if (k % 4 === 0)
            entry.run(start - 3600_000, 'user', 'request.approved', requestId, JSON.stringify({ dates: [date], message: `Liebe(r) ${name}, gern!` }));
          if (k % 10 === 0) entry.run(start - 3600_000, 'user', 'request.changed', requestId, JSON.stringify({ note: `Rückfrage an ${email}` }));
        }
        const status = k % 4 === 0 ? 'approved' : k % 4 === 1 ? 'rejected' : k % 4 === 2 ? 'cancelled' : 'pending';
        booking.run(requestId, roomId, date, start, end, status, k % 4 < 2 ? `Liebe(r) ${name}` : null, start, start);
      }
      lastEnd.set(requestId, end);
    }
  })();
  return { rooms, requests: BIG.requests, bookings: total, addresses: BIG.addresses, lastEnd, emailOf, firstDate, lastDate };
}
