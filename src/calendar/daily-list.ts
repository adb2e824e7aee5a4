// The printable daily list for the caretaker (/admin/print/day, A4 portrait): who comes when, to which room,
// how many people, which equipment, the contact's phone, a box to tick for the key. Staff only: it holds the
// groups' contact data, never shown on public pages. Sorted by time, then by the room's order.
import type { Conn } from '../db/database.js';
import type { Translate } from '../i18n/index.js';
import { isEquipment, type Equipment } from '../constants.js';
import { addDays, dayStart, localDate } from '../time/index.js';
import { formatDate, formatTime, formatTimeRange } from '../time/format.js';

export interface DailyListRow {
  time: string;
  room: string;
  group: string;
  title: string;
  contact: string;
  phone: string;
  attendees: number;
  equipment: string;
  notes: string;
  reference: string;
  href: string;
}

export interface DailyList {
  date: string;
  heading: string;
  prev: string;
  next: string;
  rows: DailyListRow[];
}

export async function dailyList(db: Conn, opts: { date: string; zone: string; lang: string; t: Translate }): Promise<DailyList> {
  const start = dayStart(opts.date, opts.zone);
  const end = dayStart(addDays(opts.date, 1), opts.zone);
  const rows = await db
    .selectFrom('bookings as b')
    .innerJoin('requests as r', 'r.id', 'b.request_id')
    .innerJoin('rooms as m', 'm.id', 'b.room_id')
    .select([
      'b.start_at',
      'b.end_at',
      'm.name as room',
      'r.id as requestId',
      'r.reference',
      'r.title',
      'r.organisation',
      'r.contact_name',
      'r.phone',
      'r.attendees',
      'r.equipment',
      'r.notes',
    ])
    .where('b.status', '=', 'approved')
    .where('b.start_at', '<', end)
    .where('b.end_at', '>', start)
    .orderBy('b.start_at')
    .orderBy('m.sort_order')
    .orderBy('b.id')
    .execute();
  const endText = (instant: number) => (localDate(instant, opts.zone) > opts.date ? '24:00' : formatTime(instant, opts.zone));
  return {
    date: opts.date,
    heading: formatDate(opts.date, opts.lang),
    prev: addDays(opts.date, -1),
    next: addDays(opts.date, 1),
    rows: rows.map((x) => {
      let equipment: Equipment[] = [];
      try {
        const parsed: unknown = JSON.parse(x.equipment);
        if (Array.isArray(parsed)) equipment = parsed.filter((e): e is Equipment => typeof e === 'string' && isEquipment(e));
      } catch {
        equipment = [];
      }
      return {
        time: formatTimeRange(x.start_at < start ? '00:00' : formatTime(x.start_at, opts.zone), endText(x.end_at), opts.t),
        room: x.room,
        group: x.organisation?.trim() || x.contact_name,
        title: x.title,
        contact: x.contact_name,
        phone: x.phone ?? '',
        attendees: x.attendees,
        equipment: equipment.map((e) => opts.t(`equipment.${e}`)).join(', '),
        notes: x.notes.trim(),
        reference: x.reference,
        href: `/admin/requests/${x.requestId}`,
      };
    }),
  };
}
