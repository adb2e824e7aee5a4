// A database file with a busy inbox for browser tests and screenshots: `count` open requests over the coming
// weeks (single dates and weekly series, long group names, clashes and competing requests among them).
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { bootstrap } from '../../src/bootstrap.js';
import { addDays, systemClock, todayIn } from '../../src/time/index.js';
import { aBooking, aRoom } from './factories.js';
import { aSeries } from './series.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, tempDir } from './server.js';

const GROUPS = [
  'Nachbarschaftsinitiative Grüne Höfe am Kanal e. V.',
  'Elterncafé',
  'Deutsch-Türkischer Frauenverein',
  'Schach AG',
  'Selbsthilfegruppe Angehörige',
  'Chor der Begegnung',
  'Mieterbeirat Nord',
];

export interface SeededInbox {
  dir: string;
  databasePath: string;
  /** Request ids and references, soonest first (the inbox's default order). */
  requests: { requestId: number; reference: string; title: string }[];
}

/** Two-hour slots of a day in the packed inbox; the first is the evening slot the clash below is set against. */
const SLOTS: [string, string][] = [
  ['18:00', '20:00'],
  ['08:00', '10:00'],
  ['10:00', '12:00'],
  ['12:00', '14:00'],
  ['14:00', '16:00'],
  ['16:00', '18:00'],
];

/**
 * `count` open requests whose first dates fall on `days` consecutive days from a week ahead (one a day, the
 * evening slot, by default; `days: 7` packs them into one week, each day's requests in their own slots and
 * rooms, so only the competing pairs and the one clash below overlap).
 */
export async function seedInbox(count: number, o: { days?: number } = {}): Promise<SeededInbox> {
  const days = o.days ?? count;
  if (count > days * SLOTS.length * 2) throw new Error(`seedInbox: ${count} requests do not fit into ${days} days`);
  const dir = tempDir();
  const databasePath = join(dir, 'inbox.sqlite');
  const ctx = createContext(loadConfig({ DATABASE_PATH: databasePath, DEMO: '0', LOG_LEVEL: 'silent', ADMIN_EMAIL, ADMIN_PASSWORD }));
  await bootstrap(ctx);
  const saal = await aRoom(ctx.db, { name: 'Großer Saal mit Bühne', slug: 'saal', capacity: 120 });
  const raum = await aRoom(ctx.db, { name: 'Gruppenraum', slug: 'gruppenraum' });
  const today = todayIn(systemClock, 'Europe/Berlin');
  const requests: SeededInbox['requests'] = [];
  const packed = days < count;
  for (let i = 0; i < count; i++) {
    // Every seventh competes with the one before it (same day, room and slot, starting half an hour later).
    const rival = i % 7 === 6;
    const like = rival ? i - 1 : i;
    const date = addDays(today, 7 + (like % days));
    const roomId = like % 2 ? saal.id : raum.id;
    const [slotStart, slotEnd] = SLOTS[Math.floor(like / days)]!;
    const start = rival ? `${slotStart.slice(0, 2)}:30` : slotStart;
    const title = `Treffen ${String(i + 1).padStart(2, '0')}`;
    if (i % 5 === 4) {
      const s = await aSeries(ctx.db, {
        roomId,
        dates: [0, 7, 14, 21, 28, 35].map((d) => addDays(date, d)),
        title,
        email: `serie${i}@example.org`,
        ...(packed ? { start, end: slotEnd } : {}),
      });
      await ctx.db
        .updateTable('requests')
        .set({ repeat_weeks: 1, organisation: GROUPS[i % GROUPS.length]!, language: i % 3 ? 'de' : 'en' })
        .where('id', '=', s.requestId)
        .execute();
      requests.push({ requestId: s.requestId, reference: s.reference, title });
    } else {
      const b = await aBooking(ctx.db, {
        roomId,
        date,
        start,
        end: slotEnd,
        status: 'pending',
        title,
        organisation: GROUPS[i % GROUPS.length]!,
        email: `gruppe${i % 9}@example.org`,
        attendees: 5 + i,
      });
      requests.push({ requestId: b.requestId, reference: b.reference, title });
    }
  }
  // The third request's time is already taken by an approved booking: it clashes.
  await aBooking(ctx.db, { roomId: raum.id, date: addDays(today, 9), start: '19:00', end: '21:00', status: 'approved', title: 'Hausversammlung' });
  // Received over the last days, the soonest date not always the oldest request.
  for (const [i, r] of requests.entries()) {
    await ctx.db
      .updateTable('requests')
      .set({ created_at: Date.now() - ((i * 7) % 30) * 5 * 3_600_000 })
      .where('id', '=', r.requestId)
      .execute();
  }
  await ctx.destroy();
  return { dir, databasePath, requests };
}
