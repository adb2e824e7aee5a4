// One room's month overview: a calendar table Monday–Sunday, each day free, partly booked, booked or closed.
// Pure: room and the month's occupants in, ready-to-print structure out.
import type { Room } from '../db/schema.js';
import type { CalendarOccupant } from '../bookings/occupants.js';
import { addDays, addMonthsToMonth, daysBetween, weekday } from '../time/index.js';
import { formatMonth, weekdayNames } from '../time/format.js';
import { dayInfo, freeGaps, freeSlots, occupantsOfRoom, type CalendarContext, type DayInfo } from './slots.js';
import { roomRef, type RoomRef } from './week.js';

/**
 * 'past': the day is over. 'unavailable': the room could be asked for, but not on this day any more (or not
 * yet): it lies before the lead time or beyond the horizon, or no requestable slot is left.
 */
export type DayStatus = 'free' | 'partly' | 'booked' | 'closed' | 'past' | 'unavailable';

export interface MonthDay {
  date: string;
  day: number;
  label: string;
  status: DayStatus;
  statusText: string;
  /** The room's week of this date. */
  href: string;
  isToday: boolean;
}

export interface RoomMonth {
  room: RoomRef;
  month: string;
  /** "November 2026" */
  title: string;
  /** Weeks Monday–Sunday; null for the days of the neighbouring months. */
  weeks: (MonthDay | null)[][];
  prevMonth: string;
  nextMonth: string;
  weekdays: { long: string; short: string }[];
}

/** Whether the union of `intervals` covers [from, to) without any gap. */
function covers(from: number, to: number, intervals: readonly { start: number; end: number }[]): boolean {
  let cursor = from;
  for (const i of [...intervals].sort((x, y) => x.start - y.start)) {
    if (i.start > cursor) return false;
    cursor = Math.max(cursor, i.end);
    if (cursor >= to) return true;
  }
  return cursor >= to;
}

/**
 * A day's status for a room: closed when the house is closed that weekday or closures cover the opening
 * hours; booked when no free slot of 30 minutes is left (buffers counted); partly booked when something is
 * on during opening hours; else free.
 */
export function dayStatus(ctx: CalendarContext, room: Room, day: DayInfo, occupants: readonly CalendarOccupant[]): DayStatus {
  const open = day.open;
  if (!open) return 'closed';
  const during = occupants.filter((o) => o.start < open.end && o.end > open.start);
  if (during.length === 0) return 'free';
  if (
    covers(
      open.start,
      open.end,
      during.filter((o) => o.kind === 'block'),
    )
  )
    return 'closed';
  const widened = occupants
    .map((o) => {
      const theirs = o.kind === 'booking' ? ctx.rooms.get(o.roomId) : undefined;
      const before = room.buffer_after_min + (theirs?.buffer_before_min ?? 0);
      const after = room.buffer_before_min + (theirs?.buffer_after_min ?? 0);
      return { start: o.start - before * 60_000, end: o.end + after * 60_000 };
    })
    .sort((a, b) => a.start - b.start);
  return freeGaps(open.start, open.end, widened).length === 0 ? 'booked' : 'partly';
}

export function roomMonth(ctx: CalendarContext, room: Room, occupants: readonly CalendarOccupant[], month: string): RoomMonth {
  const mine = occupantsOfRoom(room.id, occupants, ctx.links);
  const days = daysBetween(`${month}-01`, addDays(`${addMonthsToMonth(month, 1)}-01`, -1));
  const ref = roomRef(room);
  const cells: MonthDay[] = days.map((date) => {
    const info = dayInfo(ctx, date);
    const near = mine.filter((o) => o.end > info.from - 86_400_000 && o.start < info.to + 86_400_000);
    let status: DayStatus = info.isPast ? 'past' : dayStatus(ctx, room, info, near);
    // A room the public may ask for: a day that looks free but offers no slot to request says so.
    const requestable = room.active === 1 && room.public_bookable === 1;
    if (requestable && (status === 'free' || status === 'partly') && freeSlots(ctx, room, info, near).length === 0) status = 'unavailable';
    return {
      date,
      day: Number(date.slice(8)),
      label: info.label,
      status,
      statusText: ctx.t(`month.status.${status}`),
      href: `${ref.href}?date=${date}`,
      isToday: info.isToday,
    };
  });
  const weeks: (MonthDay | null)[][] = [];
  let week: (MonthDay | null)[] = Array.from({ length: weekday(days[0]!) - 1 }, () => null);
  for (const c of cells) {
    week.push(c);
    if (week.length === 7) {
      weeks.push(week);
      week = [];
    }
  }
  if (week.length) weeks.push([...week, ...Array.from({ length: 7 - week.length }, () => null)]);
  const short = weekdayNames(ctx.lang, 'short');
  const weekdays = weekdayNames(ctx.lang, 'long').map((long, i) => ({ long, short: short[i]! }));
  return {
    room: ref,
    month,
    title: formatMonth(month, ctx.lang),
    weeks,
    prevMonth: addMonthsToMonth(month, -1),
    nextMonth: addMonthsToMonth(month, 1),
    weekdays,
  };
}
