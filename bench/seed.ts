// Fills a database file for benchmarks: the demo house, then past bookings on a grid until the file holds
// the wanted number of bookings. Grid slots never overlap (the occupancy trigger would refuse them), so
// every room that is not a whole gets five two-hour slots a day, one series per room, slot, weekday and year.
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { bootstrap } from '../src/bootstrap.js';
import type { BookingStatus, Category, NewBooking, NewRequest } from '../src/db/schema.js';
import { addDays, localToInstant, todayIn, weekStart, weekday, systemClock } from '../src/time/index.js';
import { sqliteHandleForTests } from '../src/db/database.js';

const SLOTS: [string, string][] = [
  ['08:00', '10:00'],
  ['11:00', '13:00'],
  ['14:00', '16:00'],
  ['17:00', '19:00'],
  ['20:00', '22:00'],
];
const CATEGORIES: Category[] = ['education', 'culture', 'social', 'integration', 'sports', 'celebration', 'other'];
const CHUNK = 1_000;
/** The staff account the seeded database has (the benchmark logs in with it). */
export const BENCH_ADMIN = { email: 'admin@example.org', password: 'admin-password-123' };

export interface SeedResult {
  bookings: number;
  requests: number;
  firstSeededDate: string | null;
  /** Single-date requests waiting for a decision (the staff inbox), from two weeks ahead. */
  openRequests: number;
  /** Entries in the audit log seeded on top of what the bootstrap wrote. */
  auditEntries: number;
  ms: number;
}

/**
 * A fresh database file with the demo house, `total` past bookings in all, and `openRequests` pending
 * single-date requests in the weeks ahead (what the staff inbox and the staff week show).
 */
export async function seedDatabase(path: string, total: number, openRequests = 0, auditEntries = 0): Promise<SeedResult> {
  const started = Date.now();
  const config = loadConfig({
    DATABASE_PATH: path,
    DEMO: '1',
    LOG_LEVEL: 'silent',
    ADMIN_EMAIL: BENCH_ADMIN.email,
    ADMIN_PASSWORD: BENCH_ADMIN.password,
  });
  const ctx = createContext(config);
  try {
    await bootstrap(ctx);
    const db = ctx.db;
    const zone = (await db.selectFrom('settings').select('timezone').executeTakeFirstOrThrow()).timezone;
    const have = Number(
      (
        await db
          .selectFrom('bookings')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const missing = Math.max(0, total - have);
    const wholes = new Set((await db.selectFrom('room_parts').select('whole_id').execute()).map((r) => r.whole_id));
    const rooms = (await db.selectFrom('rooms').select(['id']).where('active', '=', 1).orderBy('sort_order').execute())
      .map((r) => r.id)
      .filter((id) => !wholes.has(id));
    const perDay = rooms.length * SLOTS.length;
    const days = Math.ceil(missing / perDay);
    // Everything before the demo's first week: history, as a house that has run for years has it.
    const lastDay = addDays(weekStart(todayIn(systemClock, zone)), -8);
    const firstDay = addDays(lastDay, -(days - 1));

    const requests = new Map<string, { key: string; row: NewRequest; bookings: Omit<NewBooking, 'request_id'>[] }>();
    let made = 0;
    let n = 0;
    const now = Date.now();
    for (let d = firstDay; made < missing; d = addDays(d, 1)) {
      for (const roomId of rooms) {
        for (const [si, [start, end]] of SLOTS.entries()) {
          if (made >= missing) break;
          const s = localToInstant(d, start, zone);
          const e = localToInstant(d, end, zone);
          if (!s.ok || !e.ok) continue;
          const year = Number(d.slice(0, 4));
          const key = `${roomId}/${si}/${weekday(d)}/${year}`;
          let req = requests.get(key);
          if (!req) {
            n++;
            const category = CATEGORIES[n % CATEGORIES.length] ?? 'other';
            req = {
              key,
              row: {
                reference: `HdB-${year}-S${String(n).padStart(6, '0')}`,
                token_hash: randomBytes(32).toString('hex'),
                room_id: roomId,
                title: `Gruppe ${n}`,
                public_title: n % 3 === 0 ? `Offener Treff ${n}` : null,
                show_public_title: n % 3 === 0 ? 1 : 0,
                organisation: `Verein ${n} e. V.`,
                contact_name: `Kontakt ${n}`,
                email: `gruppe${n}@example.org`,
                phone: null,
                category,
                attendees: 5 + (n % 10),
                equipment: '[]',
                notes: '',
                language: 'de',
                rules_version: 1,
                privacy_version: 1,
                source: 'public',
                created_by: null,
                repeat_weeks: 1,
                first_date: d,
                last_date: d,
                start_time: start,
                end_time: end,
                sequence: 0,
                created_at: s.instant - 30 * 86_400_000,
                updated_at: s.instant - 30 * 86_400_000,
              },
              bookings: [],
            };
            requests.set(key, req);
          }
          req.row.last_date = d;
          const r = (made * 7919) % 100;
          const status: BookingStatus = r < 88 ? 'approved' : r < 95 ? 'cancelled' : 'rejected';
          req.bookings.push({
            room_id: roomId,
            local_date: d,
            start_at: s.instant,
            end_at: e.instant,
            status,
            skip_reason: null,
            detached: 0,
            decided_by: null,
            decided_at: s.instant - 20 * 86_400_000,
            decision_message: null,
            cancelled_by: status === 'cancelled' ? 'group' : null,
            cancelled_at: status === 'cancelled' ? s.instant - 86_400_000 : null,
            sequence: 0,
            created_at: now,
            updated_at: now,
          });
          made++;
        }
      }
    }

    await db.transaction().execute(async (trx) => {
      const list = [...requests.values()];
      for (let i = 0; i < list.length; i += 500) {
        const part = list.slice(i, i + 500);
        const ids = await trx
          .insertInto('requests')
          .values(part.map((p) => p.row))
          .returning('id')
          .execute();
        part.forEach((p, j) => {
          const id = ids[j]?.id;
          if (id === undefined) throw new Error('the insert returned fewer ids than rows');
          p.bookings.forEach((b) => ((b as NewBooking).request_id = id));
        });
      }
      // Chronological order: the occupancy trigger then only looks at the few rows after each new one.
      const all = list.flatMap((p) => p.bookings as NewBooking[]).sort((a, b) => a.start_at - b.start_at);
      for (let i = 0; i < all.length; i += CHUNK)
        await trx
          .insertInto('bookings')
          .values(all.slice(i, i + CHUNK))
          .execute();
    });
    await seedOpenRequests(db, rooms, zone, openRequests, now);
    await seedAudit(db, auditEntries, now);
    sqliteHandleForTests(ctx).pragma('optimize');
    const count = Number(
      (
        await db
          .selectFrom('bookings')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    return { bookings: count, requests: requests.size, firstSeededDate: missing ? firstDay : null, openRequests, auditEntries, ms: Date.now() - started };
  } finally {
    await ctx.destroy();
  }
}

/**
 * `count` pending single-date requests on the slot grid from two weeks ahead, as the public form makes
 * them (pending dates take no place in the occupancy, so they may overlap the demo's bookings).
 */
async function seedOpenRequests(db: ReturnType<typeof createContext>['db'], rooms: number[], zone: string, count: number, now: number): Promise<void> {
  if (count === 0) return;
  const first = addDays(weekStart(todayIn(systemClock, zone)), 14);
  await db.transaction().execute(async (trx) => {
    let made = 0;
    for (let d = first; made < count; d = addDays(d, 1)) {
      for (const roomId of rooms) {
        for (const [start, end] of SLOTS) {
          if (made >= count) break;
          const s = localToInstant(d, start, zone);
          const e = localToInstant(d, end, zone);
          if (!s.ok || !e.ok) continue;
          made++;
          const created = now - made * 60_000;
          const { id } = await trx
            .insertInto('requests')
            .values({
              reference: `HdB-${d.slice(0, 4)}-O${String(made).padStart(5, '0')}`,
              token_hash: randomBytes(32).toString('hex'),
              room_id: roomId,
              title: `Anfrage ${made}`,
              public_title: null,
              show_public_title: 0,
              organisation: made % 2 ? `Initiative ${made}` : null,
              contact_name: `Anfragende ${made}`,
              email: `anfrage${made}@example.org`,
              phone: null,
              category: CATEGORIES[made % CATEGORIES.length] ?? 'other',
              attendees: 3 + (made % 20),
              equipment: '[]',
              notes: '',
              language: 'de',
              rules_version: 1,
              privacy_version: 1,
              source: 'public',
              created_by: null,
              repeat_weeks: null,
              first_date: d,
              last_date: d,
              start_time: start,
              end_time: end,
              sequence: 0,
              created_at: created,
              updated_at: created,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await trx
            .insertInto('bookings')
            .values({
              request_id: id,
              room_id: roomId,
              local_date: d,
              start_at: s.instant,
              end_at: e.instant,
              status: 'pending',
              skip_reason: null,
              detached: 0,
              decided_by: null,
              decided_at: null,
              decision_message: null,
              cancelled_by: null,
              cancelled_at: null,
              sequence: 0,
              created_at: created,
              updated_at: created,
            })
            .execute();
        }
      }
    }
  });
}

/** What the seeded audit entries are: an action, the entity it names, and its details (as the services write them). */
const AUDIT_KINDS: { action: string; entity: string; details: string }[] = [
  { action: 'request.created', entity: 'request', details: '{"source":"public"}' },
  { action: 'request.approved', entity: 'request', details: '{"dates":1}' },
  { action: 'request.rejected', entity: 'request', details: '{"dates":1}' },
  { action: 'booking.cancel', entity: 'request', details: '{"wasApproved":true}' },
  { action: 'request.changed', entity: 'request', details: '{"attendees":{"from":8,"to":12}}' },
  { action: 'room.updated', entity: 'room', details: '{"capacity":{"from":20,"to":24}}' },
  { action: 'settings.updated', entity: 'settings', details: '{"fields":["phone"]}' },
  { action: 'auth.login', entity: 'user', details: '{}' },
  { action: 'outbox.failed', entity: 'outbox', details: '{"attempts":3}' },
];

/**
 * `count` audit entries (issue 13: the log at 100,000 entries), one every few minutes back from now over about a
 * year, naming the seeded requests and rooms; chunked multi-row inserts in one transaction, as the bookings above.
 */
async function seedAudit(db: ReturnType<typeof createContext>['db'], count: number, now: number): Promise<void> {
  if (count === 0) return;
  const requestIds = (await db.selectFrom('requests').select('id').orderBy('id').execute()).map((r) => r.id);
  const roomIds = (await db.selectFrom('rooms').select('id').orderBy('id').execute()).map((r) => r.id);
  const userId = (await db.selectFrom('users').select('id').orderBy('id').executeTakeFirst())?.id ?? null;
  const step = Math.max(1, Math.floor((365 * 86_400_000) / count));
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < count; i += CHUNK) {
      const rows = [];
      for (let j = i; j < Math.min(count, i + CHUNK); j++) {
        const kind = AUDIT_KINDS[j % AUDIT_KINDS.length]!;
        const entityId =
          kind.entity === 'request' && requestIds.length
            ? requestIds[j % requestIds.length]!
            : kind.entity === 'room' && roomIds.length
              ? roomIds[j % roomIds.length]!
              : null;
        const byGroup = kind.action === 'request.created';
        rows.push({
          // Oldest first, as the log grows: the newest entry a minute ago.
          at: now - (count - j) * step,
          user_id: byGroup || kind.action === 'outbox.failed' ? null : userId,
          actor: byGroup ? ('group' as const) : kind.action === 'outbox.failed' ? ('system' as const) : ('user' as const),
          action: kind.action,
          entity: kind.entity,
          entity_id: entityId,
          details: kind.details,
        });
      }
      await trx.insertInto('audit_log').values(rows).execute();
    }
  });
}
