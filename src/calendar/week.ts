// The public week views: the house week (rooms × days) and one room's week (days as rows).
// Pure: rooms and occupants of the week in, ready-to-print structure out.
import type { Room } from '../db/schema.js';
import type { CalendarOccupant } from '../bookings/occupants.js';
import type { Lang } from '../i18n/index.js';
import { addDays, daysBetween, isoWeekNumber, weekday } from '../time/index.js';
import { formatDate } from '../time/format.js';
import { dayCell, dayInfo, occupantsOfRoom, type CalendarContext, type DayCell, type DayInfo } from './slots.js';
import { boardCell, dayHref, houseAxis, roomRef, type Axis, type BoardGroup, type BoardOptions, type RoomRef } from './board.js';

export { roomRef, type RoomRef } from './board.js';

export interface WeekFrame {
  monday: string;
  sunday: string;
  weekNumber: number;
  /** "Kalenderwoche 48: 23. November 2026 bis 29. November 2026" */
  caption: string;
  days: DayInfo[];
  /** ?date= of the previous and next week's Monday, and of today. */
  prevDate: string;
  nextDate: string;
  today: string;
  /** The date asked for (the jump form's value). */
  date: string;
  /** True when the shown week contains today. */
  isCurrent: boolean;
}

export interface HouseWeek extends WeekFrame {
  rows: { room: RoomRef; cells: DayCell[] }[];
}

export interface RoomWeek extends WeekFrame {
  room: RoomRef;
  cells: DayCell[];
}

/** The local days [monday, sunday] of the ISO week containing `date`. */
export function weekOf(date: string): { monday: string; sunday: string } {
  const monday = addDays(date, 1 - weekday(date));
  return { monday, sunday: addDays(monday, 6) };
}

/** "23. November 2026" / "23 November 2026" (a calendar date: no zone involved). */
export function fullDate(date: string, lang: Lang): string {
  const key = `${lang}:${date}`;
  let s = fullDates.get(key);
  if (s === undefined) {
    if (fullDates.size > 20_000) fullDates.clear();
    s = formatDate(date, lang, 'date');
    fullDates.set(key, s);
  }
  return s;
}
const fullDates = new Map<string, string>();

/** The week containing `date`: its days, caption and neighbours. */
export function weekFrame(ctx: CalendarContext, date: string): WeekFrame {
  const { monday, sunday } = weekOf(date);
  const weekNumber = isoWeekNumber(monday);
  return {
    monday,
    sunday,
    weekNumber,
    caption: ctx.t('week.caption', { week: weekNumber, from: fullDate(monday, ctx.lang), to: fullDate(sunday, ctx.lang) }),
    days: daysBetween(monday, sunday).map((d) => dayInfo(ctx, d)),
    prevDate: addDays(monday, -7),
    nextDate: addDays(monday, 7),
    today: ctx.today,
    date,
    isCurrent: ctx.today >= monday && ctx.today <= sunday,
  };
}

/** Rooms × days of the week containing `date`. `rooms`: the rooms to show, in order; `occupants`: the week's. */
export function houseWeek(ctx: CalendarContext, rooms: readonly Room[], occupants: readonly CalendarOccupant[], date: string): HouseWeek {
  const f = weekFrame(ctx, date);
  return {
    ...f,
    rows: rooms.map((room) => {
      const mine = occupantsOfRoom(room.id, occupants, ctx.links);
      return { room: roomRef(room), cells: f.days.map((d) => dayCell(ctx, room, d, mine)) };
    }),
  };
}

/** One room's week containing `date`, a cell per day. */
export function roomWeek(ctx: CalendarContext, room: Room, occupants: readonly CalendarOccupant[], date: string): RoomWeek {
  const f = weekFrame(ctx, date);
  const mine = occupantsOfRoom(room.id, occupants, ctx.links);
  return { ...f, room: roomRef(room), cells: f.days.map((d) => dayCell(ctx, room, d, mine)) };
}

/** What is on today in each room (start page): the busy items only. */
export function todayInRooms(ctx: CalendarContext, rooms: readonly Room[], occupants: readonly CalendarOccupant[]) {
  const day = dayInfo(ctx, ctx.today);
  return {
    day,
    rows: rooms.map((room) => {
      const cell = dayCell(ctx, room, day, occupantsOfRoom(room.id, occupants, ctx.links));
      return { room: roomRef(room), items: cell.items, free: cell.free };
    }),
  };
}

/**
 * A view on the time axis (see board.ts): 'week' the house week (rooms as rows, days as columns), 'day' one
 * house day (rooms as columns), 'room' one room's week (days as columns). Groups are days, in DOM order.
 */
export interface Board {
  kind: 'week' | 'day' | 'room';
  axis: Axis;
  /** Data columns of the wide grid (days or rooms): the class "cols-N". */
  cols: number;
  /** The room labels of the house week's rows. */
  rooms: { ref: RoomRef; place: string }[];
  groups: BoardGroup[];
}

/** The house week on the time axis: day by day, room by room. */
export function weekBoard(
  ctx: CalendarContext,
  rooms: readonly Room[],
  occupants: readonly CalendarOccupant[],
  days: readonly DayInfo[],
  opts: BoardOptions,
): Board {
  const axis = houseAxis(ctx.openingHours);
  const refs = rooms.map(roomRef);
  const mine = rooms.map((room) => occupantsOfRoom(room.id, occupants, ctx.links));
  return {
    kind: 'week',
    axis,
    cols: days.length,
    rooms: refs.map((ref, r) => ({ ref, place: `gr-${r}` })),
    groups: days.map((day, d) => ({
      day,
      dayHref: dayHref(day.date),
      place: `gc-${d + 2}`,
      cells: rooms.map((room, r) => boardCell(ctx, room, refs[r]!, dayCell(ctx, room, day, mine[r]!), axis, `gc-${d + 2} gr-${r}`, opts)),
    })),
  };
}

/** One house day on the time axis: a column per room. */
export function dayBoard(ctx: CalendarContext, rooms: readonly Room[], occupants: readonly CalendarOccupant[], day: DayInfo, opts: BoardOptions): Board {
  const axis = houseAxis(ctx.openingHours);
  return {
    kind: 'day',
    axis,
    cols: rooms.length,
    rooms: [],
    groups: [
      {
        day,
        dayHref: dayHref(day.date),
        place: 'g-span',
        cells: rooms.map((room, r) =>
          boardCell(ctx, room, roomRef(room), dayCell(ctx, room, day, occupantsOfRoom(room.id, occupants, ctx.links)), axis, `gc-${r + 2} gr-0`, opts),
        ),
      },
    ],
  };
}

/** One room's week on the time axis: a column per day. */
export function roomBoard(ctx: CalendarContext, room: Room, occupants: readonly CalendarOccupant[], days: readonly DayInfo[], opts: BoardOptions): Board {
  const axis = houseAxis(ctx.openingHours);
  const ref = roomRef(room);
  const mine = occupantsOfRoom(room.id, occupants, ctx.links);
  return {
    kind: 'room',
    axis,
    cols: days.length,
    rooms: [],
    groups: days.map((day, d) => ({
      day,
      dayHref: dayHref(day.date, room.slug),
      place: `gc-${d + 2}`,
      cells: [boardCell(ctx, room, ref, dayCell(ctx, room, day, mine), axis, `gc-${d + 2} gr-0`, opts)],
    })),
  };
}

/** The day frame (the house's, or one room's): headings and the neighbouring days. */
export function dayFrame(ctx: CalendarContext, date: string, room?: Pick<Room, 'slug'>) {
  return {
    info: dayInfo(ctx, date),
    prevDate: addDays(date, -1),
    nextDate: addDays(date, 1),
    prevHref: dayHref(addDays(date, -1), room?.slug),
    nextHref: dayHref(addDays(date, 1), room?.slug),
    todayHref: room ? `/day?room=${encodeURIComponent(room.slug)}` : '/day',
    weekHref: room ? `/rooms/${encodeURIComponent(room.slug)}?date=${date}` : `/week?date=${date}`,
    room: room?.slug ?? null,
    isToday: date === ctx.today,
  };
}
