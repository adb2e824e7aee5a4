// The printable weekly plan for the door (A4 landscape): public information only, built from the public
// week view models, with a QR code to the room's (or the house week's) public page.
import type { Conn } from '../db/database.js';
import type { Lang, Translate } from '../i18n/index.js';
import { listOccupants } from '../bookings/occupants.js';
import { calendarContext } from './slots.js';
import { houseWeek, roomWeek, weekOf, type HouseWeek } from './week.js';
import type { House } from '../settings/repository.js';
import { loadRoomGraph } from '../rooms/repository.js';
import { dayStart, addDays } from '../time/index.js';
import { DomainError } from '../errors.js';

export interface PrintPlan {
  week: HouseWeek;
  /** The room's name, or null for the house plan. */
  roomName: string | null;
  publicUrl: string;
  /** data:image/svg+xml URI of the QR code for publicUrl. */
  qr: string;
}

/** qrcode is loaded for the first door plan printed, not at start (a few MB resident). */
let qrcode: Promise<typeof import('qrcode')> | undefined;

export async function qrDataUri(url: string): Promise<string> {
  const QRCode = await (qrcode ??= import('qrcode'));
  const svg = await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

export async function printPlan(
  db: Conn,
  opts: { house: House; now: number; lang: Lang; t: Translate; date: string; roomSlug?: string; baseUrl: string },
): Promise<PrintPlan> {
  const graph = await loadRoomGraph(db);
  const ctx = calendarContext({
    house: { zone: opts.house.zone, openingHours: opts.house.openingHours, leadTimeDays: opts.house.leadTimeDays, horizonMonths: opts.house.horizonMonths },
    now: opts.now,
    lang: opts.lang,
    t: opts.t,
    rooms: graph.rooms,
    links: graph.links,
  });
  const { monday, sunday } = weekOf(opts.date);
  const occupants = await listOccupants(db, {
    from: dayStart(monday, opts.house.zone),
    to: dayStart(addDays(sunday, 1), opts.house.zone),
    includePending: true,
  });
  if (opts.roomSlug) {
    const room = [...graph.rooms.values()].find((r) => r.slug === opts.roomSlug);
    if (!room) throw new DomainError('not_found');
    const rw = roomWeek(ctx, room, occupants, opts.date);
    const publicUrl = `${opts.baseUrl}/rooms/${encodeURIComponent(room.slug)}`;
    const { cells, room: ref, ...frame } = rw;
    return { week: { ...frame, rows: [{ room: ref, cells }] }, roomName: room.name, publicUrl, qr: await qrDataUri(publicUrl) };
  }
  const rooms = [...graph.rooms.values()].filter((r) => r.active === 1).sort((a, b) => a.sort_order - b.sort_order || a.name.localeCompare(b.name));
  const publicUrl = `${opts.baseUrl}/week?date=${monday}`;
  return { week: houseWeek(ctx, rooms, occupants, opts.date), roomName: null, publicUrl, qr: await qrDataUri(publicUrl) };
}
