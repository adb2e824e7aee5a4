// The caretaker's week calendar: all rooms × seven days with full details (title, group, status, link),
// pending requests and blocked times included.
import type { Conn } from '../db/database.js';
import type { BookingStatus } from '../db/schema.js';
import type { Lang, Translate } from '../i18n/index.js';
import { relatedRooms } from '../rooms/graph.js';
import { listOccupants, listStaffBookingsOfWindow } from '../bookings/occupants.js';
import { calendarContext, dayInfo, type DayInfo } from './slots.js';
import { weekOf } from './week.js';
import type { House } from '../settings/repository.js';
import { loadRoomGraph } from '../rooms/repository.js';
import { daysBetween, isoWeekNumber } from '../time/index.js';
import { formatDate } from '../time/format.js';

export interface StaffItem {
  kind: 'booking' | 'block';
  status: BookingStatus | 'closed';
  statusText: string;
  time: string;
  title: string;
  /** Organisation or contact (bookings), reason (blocks). */
  detail: string;
  reference: string | null;
  href: string | null;
  /** The related room (part or whole) the booking is in, when not this row's room. */
  via: string | null;
  attendees: number | null;
}

/** The week's grid (the page around it, with its navigation, is made by the route for every view). */
export interface StaffWeek {
  caption: string;
  days: DayInfo[];
  rows: { roomName: string; roomId: number; cells: { date: string; isToday: boolean; items: StaffItem[] }[] }[];
}

interface Item {
  kind: 'booking' | 'block';
  roomId: number | null;
  start: number;
  end: number;
  status: BookingStatus | 'closed';
  title: string;
  detail: string;
  reference: string | null;
  href: string | null;
  attendees: number | null;
}

export async function staffWeek(db: Conn, opts: { house: House; now: number; lang: Lang; t: Translate; date: string }): Promise<StaffWeek> {
  const { house, lang, t } = opts;
  const graph = await loadRoomGraph(db);
  const ctx = calendarContext({
    house: { zone: house.zone, openingHours: house.openingHours, leadTimeDays: house.leadTimeDays, horizonMonths: house.horizonMonths },
    now: opts.now,
    lang,
    t,
    rooms: graph.rooms,
    links: graph.links,
  });
  const { monday, sunday } = weekOf(opts.date);
  const days = daysBetween(monday, sunday).map((d) => dayInfo(ctx, d));
  const from = days[0]!.from;
  const to = days[6]!.to;
  const bookings = await listStaffBookingsOfWindow(db, from, to);
  const blocks = (await listOccupants(db, { from, to, includePending: false })).filter((o) => o.kind === 'block');
  const items: Item[] = [
    ...bookings.map((b): Item => ({
      kind: 'booking',
      roomId: b.room_id,
      start: b.start_at,
      end: b.end_at,
      status: b.status,
      title: b.title,
      detail: b.organisation ? `${b.organisation} (${b.contact_name})` : b.contact_name,
      reference: b.reference,
      href: `/admin/requests/${b.request_id}`,
      attendees: b.attendees,
    })),
    ...blocks.map((o): Item => ({
      kind: 'block',
      roomId: o.roomId,
      start: o.start,
      end: o.end,
      status: 'closed',
      title: o.kind === 'block' ? o.label || t(`blockReason.${o.reason}`) : '',
      detail: o.kind === 'block' ? `${t(`blockReason.${o.reason}`)}${o.isPublic ? '' : ` · ${t('staff.blocks.internal')}`}` : '',
      reference: null,
      href: o.kind === 'block' ? `/admin/blocks/${o.id}/edit` : null,
      attendees: null,
    })),
  ].sort((a, b) => a.start - b.start);

  const rooms = [...graph.rooms.values()].filter((r) => r.active === 1).sort((a, b) => a.sort_order - b.sort_order || a.name.localeCompare(b.name));
  return {
    caption: t('staff.calendar.caption', { week: isoWeekNumber(monday), from: formatDate(monday, lang), to: formatDate(sunday, lang) }),
    days,
    rows: rooms.map((room) => {
      const related = relatedRooms(room.id, graph.links);
      const mine = items.filter((i) => i.roomId === null || related.has(i.roomId));
      return {
        roomName: room.name,
        roomId: room.id,
        cells: days.map((d) => ({
          date: d.date,
          isToday: d.isToday,
          items: mine
            .filter((i) => i.end > d.from && i.start < d.to)
            .map((i): StaffItem => {
              const allDay = i.start <= d.from && i.end >= d.to;
              // The calendar's zone clock (cached offsets; checked against Luxon in test/unit/time-zone-clock.test.ts),
              // not a Luxon DateTime per item and day: Luxon asked Intl for the offset each time (15 % of the page).
              const start = i.start <= d.from ? '00:00' : ctx.local.time(i.start);
              const end = i.end >= d.to ? '24:00' : ctx.local.date(i.end) === d.date ? ctx.local.time(i.end) : '24:00';
              return {
                kind: i.kind,
                status: i.status,
                statusText: i.kind === 'block' || i.status === 'closed' ? t('status.closed') : t(`bookingStatus.${i.status}`),
                time: allDay ? t('staff.calendar.allDay') : t('time.range', { start, end }),
                title: i.title,
                detail: i.detail,
                reference: i.reference,
                href: i.href,
                via: i.roomId !== null && i.roomId !== room.id ? (graph.rooms.get(i.roomId)?.name ?? null) : null,
                attendees: i.attendees,
              };
            }),
        })),
      };
    }),
  };
}
