// The public calendar on a time axis: the house week (rooms × days), the house day (rooms × hours) and one
// room's week (days × hours). One markup for all three (views/public/board.ejs): in DOM order an agenda
// (day by day, room by room, entries in time order), which CSS lays out as a grid on wide screens.
// A block's place on the axis is a pair of classes (qs-N qe-N: grid lines of quarter hours, generated once in
// site.css): no inline style, the strict CSP holds. Pure: day cells in, ready-to-print structure out.
import type { OpeningHours, Room } from '../db/schema.js';
import { GRID_MS, type CalendarContext, type DayCell, type DayInfo } from './slots.js';

export interface RoomRef {
  slug: string;
  name: string;
  href: string;
  bookable: boolean;
}

export function roomRef(room: Room): RoomRef {
  return { slug: room.slug, name: room.name, href: `/rooms/${encodeURIComponent(room.slug)}`, bookable: room.public_bookable === 1 && room.active === 1 };
}

export type EntryKind = 'approved' | 'pending' | 'closed' | 'free';

/** Why a cell has nothing to request (shown in the cell, in words). */
export type NoteKind = 'closedDay' | 'past' | 'officeOnly' | 'shortNotice' | 'shortNoticeUntil' | 'beyond' | 'full';

export interface AxisEntry {
  kind: EntryKind;
  /** Grid placement on the quarter-hour axis: "qs-3 qe-11". */
  place: string;
  /** "19:00–21:00 Uhr" or "ganztägig" */
  time: string;
  /** belegt / angefragt / geschlossen / frei */
  statusText: string;
  title: string | null;
  viaText: string | null;
  /** Free stretches: the prefilled request form (the default two hours) and the screen reader context. */
  href: string | null;
  context: string | null;
}

export interface BoardCell {
  room: RoomRef;
  date: string;
  /** Placement of the cell in the wide grid: "gc-2 gr-3". */
  place: string;
  isToday: boolean;
  entries: AxisEntry[];
  note: string | null;
  noteKind: NoteKind | null;
}

export interface BoardGroup {
  day: DayInfo;
  /** The house day view of this date. */
  dayHref: string;
  /** Placement of the day heading in the wide grid. */
  place: string;
  cells: BoardCell[];
}

/** The visible hours of the axis: the house's earliest opening to its latest closing, on whole hours. */
export interface Axis {
  /** Minutes after midnight of the first and last line. */
  from: number;
  to: number;
  /** Number of quarter hours: the class "rows-N" sets the grid's rows. */
  rows: number;
  /** Hour labels of the ruler (visual only), each with its placement. */
  hours: { label: string; place: string }[];
}

export interface BoardOptions {
  /** The house phone for "zu kurzfristig: bitte anrufen …" (may be empty). */
  phone: string;
  horizonMonths: number;
}

const QUARTER = 15;
/** The largest grid the generated classes in site.css cover: 24 hours of quarters (and 25 on a DST day). */
export const MAX_ROWS = 100;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const pad = (n: number) => String(n).padStart(2, '0');

/** The axis of the house's opening hours (08:00–22:00 when the house has none). */
export function houseAxis(opening: OpeningHours): Axis {
  let from = Infinity;
  let to = -Infinity;
  for (const h of Object.values(opening)) {
    if (!h) continue;
    const open = minutesOf(h.open);
    const close = h.close === '00:00' ? 1440 : minutesOf(h.close);
    if (close <= open) continue;
    from = Math.min(from, open);
    to = Math.max(to, close);
  }
  if (!Number.isFinite(from)) {
    from = 8 * 60;
    to = 22 * 60;
  }
  from = Math.floor(from / 60) * 60;
  to = Math.min(1440, Math.ceil(to / 60) * 60);
  const rows = (to - from) / QUARTER;
  const hours: Axis['hours'] = [];
  for (let m = from; m < to; m += 60)
    hours.push({ label: `${pad(m / 60)}:00`, place: `qs-${(m - from) / QUARTER + 1} qe-${Math.min(rows, (m - from) / QUARTER + 4) + 1}` });
  return { from, to, rows, hours };
}

/** Grid lines of a local time span on the axis, clipped to it; at least one quarter long. */
export function placeOn(axis: Axis, start: string, end: string): string {
  const s = Math.min(Math.max(minutesOf(start), axis.from), axis.to);
  const e = Math.min(Math.max(end === '24:00' ? 1440 : minutesOf(end), axis.from), axis.to);
  let a = Math.floor((s - axis.from) / QUARTER) + 1;
  let b = Math.ceil((e - axis.from) / QUARTER) + 1;
  if (a > axis.rows) a = axis.rows;
  if (b <= a) b = a + 1;
  return `qs-${a} qe-${b}`;
}

/** Why a room-day offers nothing to request, or null when it does (or the busy entries say it all). */
export function noteOf(ctx: CalendarContext, room: Room, cell: DayCell): NoteKind | null {
  if (cell.closedDay) return 'closedDay';
  if (cell.isPast) return 'past';
  if (!(room.active === 1 && room.public_bookable === 1)) return 'officeOnly';
  if (cell.open && cell.open.end <= ctx.earliest) return 'shortNotice';
  if (cell.open && cell.open.start < ctx.earliest) return 'shortNoticeUntil';
  if (cell.free.length) return null;
  if (cell.open && cell.open.start >= ctx.latest) return 'beyond';
  // A closure over the whole day says so itself.
  if (cell.items.some((i) => i.status === 'closed' && i.allDay)) return null;
  return 'full';
}

function noteText(ctx: CalendarContext, kind: NoteKind | null, opts: BoardOptions): string | null {
  switch (kind) {
    case null:
      return null;
    case 'closedDay':
      return ctx.t('calendar.closedDay');
    case 'shortNotice':
      return opts.phone ? ctx.t('axis.note.shortNoticePhone', { phone: opts.phone }) : ctx.t('axis.note.shortNotice');
    case 'shortNoticeUntil': {
      const time = ctx.local.time(Math.ceil(ctx.earliest / GRID_MS) * GRID_MS);
      return opts.phone ? ctx.t('axis.note.shortNoticeUntilPhone', { time, phone: opts.phone }) : ctx.t('axis.note.shortNoticeUntil', { time });
    }
    case 'beyond':
      return ctx.t('axis.note.beyond', { months: opts.horizonMonths });
    default:
      return ctx.t(`axis.note.${kind}`);
  }
}

/** One room-day on the axis: busy entries and free stretches in time order, and what an empty cell means. */
export function boardCell(ctx: CalendarContext, room: Room, ref: RoomRef, cell: DayCell, axis: Axis, place: string, opts: BoardOptions): BoardCell {
  const entries: (AxisEntry & { at: number; order: number })[] = [];
  for (const i of cell.items) {
    entries.push({
      kind: i.status,
      place: placeOn(axis, i.start, i.end),
      time: i.time,
      statusText: i.statusText,
      title: i.title,
      viaText: i.viaText,
      href: null,
      context: null,
      at: minutesOf(i.start),
      order: 0,
    });
  }
  for (const f of cell.free) {
    entries.push({
      kind: 'free',
      place: placeOn(axis, f.start, f.end),
      time: f.time,
      statusText: ctx.t('status.free'),
      title: null,
      viaText: null,
      href: f.href,
      context: f.context,
      at: minutesOf(f.start),
      order: 1,
    });
  }
  entries.sort((a, b) => a.at - b.at || a.order - b.order);
  const kind = noteOf(ctx, room, cell);
  return {
    room: ref,
    date: cell.date,
    place,
    isToday: cell.isToday,
    entries: entries.map(({ at: _at, order: _order, ...e }) => e),
    note: noteText(ctx, kind, opts),
    noteKind: kind,
  };
}

/** The day view of a date: the whole house, or one room (its agenda with previous and next day). */
export const dayHref = (date: string, roomSlug?: string) => (roomSlug ? `/day?date=${date}&room=${encodeURIComponent(roomSlug)}` : `/day?date=${date}`);
