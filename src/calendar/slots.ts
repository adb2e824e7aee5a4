// One room on one local day, as the public sees it: what is busy (never who) and which free slots can be
// requested. Pure functions: occupants + rooms + house + language in, ready-to-print structure out.
import type { OpeningHours, Room, Weekday } from '../db/schema.js';
import type { Lang, Translate } from '../i18n/index.js';
import { relatedRooms, type PartLink } from '../rooms/graph.js';
import type { CalendarOccupant } from '../bookings/occupants.js';
import { addDays, addMonths, dayStart, localToInstantLenient, plusLocalDays, todayIn, weekday, ZoneClock } from '../time/index.js';
import { formatDate } from '../time/format.js';

/** Requests are on a 15-minute grid and last at least 30 minutes (PRODUCT.md rule 2). */
export const GRID_MS = 15 * 60_000;
export const MIN_SLOT_MS = 30 * 60_000;
/** A free stretch's link asks for this much by default (issue 12): the next two hours from its start. */
export const DEFAULT_REQUEST_MS = 2 * 60 * 60_000;
const MINUTE = 60_000;

export type PublicStatus = 'approved' | 'pending' | 'closed';

/** Everything the public calendar views need besides the occupants themselves. */
export interface CalendarContext {
  zone: string;
  lang: Lang;
  t: Translate;
  openingHours: OpeningHours;
  /** Every room, inactive ones too (a related room's name may be shown). */
  rooms: ReadonlyMap<number, Room>;
  links: readonly PartLink[];
  /** Today in the house zone. */
  today: string;
  /** Free slots start no earlier than this (now + the lead time) … */
  earliest: number;
  /** … and end no later than this (now + the horizon). */
  latest: number;
  /** Cached instant → local time conversions for the house zone. */
  local: ZoneClock;
  /** "19:00–21:00 Uhr": t('time.range') (the translator compiles each message once and caches it). */
  range: (start: string, end: string) => string;
}

export interface HouseRules {
  zone: string;
  openingHours: OpeningHours;
  leadTimeDays: number;
  horizonMonths: number;
}

/** Builds the context from the house settings, "now" and the loaded rooms. */
export function calendarContext(input: {
  house: HouseRules;
  now: number;
  lang: Lang;
  t: Translate;
  rooms: ReadonlyMap<number, Room>;
  links: readonly PartLink[];
}): CalendarContext {
  const { house, now } = input;
  const today = todayIn(() => new Date(now), house.zone);
  return {
    zone: house.zone,
    lang: input.lang,
    t: input.t,
    openingHours: house.openingHours,
    rooms: input.rooms,
    links: input.links,
    today,
    earliest: plusLocalDays(now, house.leadTimeDays, house.zone),
    // The horizon is a whole day, as in the request rule (checkHorizon): its last date may be booked to midnight.
    latest: dayStart(addDays(addMonths(today, house.horizonMonths), 1), house.zone),
    local: new ZoneClock(house.zone),
    range: (start: string, end: string) => input.t('time.range', { start, end }),
  };
}

export interface BusyItem {
  status: PublicStatus;
  /** belegt / angefragt / geschlossen */
  statusText: string;
  /** The public title an approved booking's group chose, or a public block's label; else null. */
  title: string | null;
  /** Name of the related room (part or whole) the booking is in, when it is not this room. */
  via: string | null;
  /** "(Großer Saal)" */
  viaText: string | null;
  allDay: boolean;
  /** Local times, clipped to the day ('24:00' for an end at the next midnight). */
  start: string;
  end: string;
  /** Ready to print: "19:00–21:00 Uhr" or "ganztägig". */
  time: string;
}

export interface FreeSlot {
  start: string;
  end: string;
  time: string;
  /** The request form prefilled with the default: two hours from `start`, at most to `end`. */
  href: string;
  /** For screen readers, before the link text: "Saal A, Montag, 23. November 2026: anfragen," */
  context: string;
}

/** The occupants that make `roomId` busy: its own, its parts' and wholes', and whole-house blocks. */
export function occupantsOfRoom(roomId: number, occupants: readonly CalendarOccupant[], links: readonly PartLink[]): CalendarOccupant[] {
  const related = relatedRooms(roomId, links);
  return occupants.filter((o) => o.roomId === null || related.has(o.roomId));
}

function statusOf(o: CalendarOccupant): PublicStatus {
  return o.kind === 'block' ? 'closed' : o.status;
}

/** The public title: only what the group chose to show (approved) or a block marked public. */
export function publicTitle(o: CalendarOccupant, t: Translate): string | null {
  if (o.kind === 'booking') return o.status === 'approved' ? o.publicTitle : null;
  if (!o.isPublic) return null;
  return o.label.trim() || t(`blockReason.${o.reason}`);
}

function statusText(s: PublicStatus, t: Translate): string {
  return t(`status.${s}`);
}

/** Local wall-clock time of an instant on `date`; an end at the following midnight reads '24:00'. */
function timeOnDay(instant: number, date: string, local: ZoneClock): string {
  return local.date(instant) === date ? local.time(instant) : '24:00';
}

/** Opening interval of a date as instants, or null when the house is closed on that weekday. */
export function openingInterval(date: string, ctx: Pick<CalendarContext, 'openingHours' | 'zone' | 'local'>): { start: number; end: number } | null {
  const hours = ctx.openingHours[String(weekday(date)) as Weekday];
  if (!hours) return null;
  const at = (time: string) => ctx.local.instant(date, time) ?? localToInstantLenient(date, time, ctx.zone);
  const start = at(hours.open);
  const end = hours.close === '00:00' ? at('24:00') : at(hours.close);
  return end > start ? { start, end } : null;
}

/**
 * The intervals in which a booking of `room` may not lie: each occupant widened by its own room's
 * buffers (bookings) and by this room's buffers, so that the widened intervals of both cannot overlap.
 */
function blockedIntervals(room: Room, occupants: readonly CalendarOccupant[], rooms: ReadonlyMap<number, Room>) {
  return occupants
    .map((o) => {
      let before = room.buffer_after_min; // this room's clean-up must end before the occupant starts
      let after = room.buffer_before_min; // this room's set-up must start after the occupant ends
      if (o.kind === 'booking') {
        const theirs = rooms.get(o.roomId);
        before += theirs?.buffer_before_min ?? 0;
        after += theirs?.buffer_after_min ?? 0;
      }
      return { start: o.start - before * MINUTE, end: o.end + after * MINUTE };
    })
    .sort((a, b) => a.start - b.start);
}

/** Gaps of at least 30 minutes on the 15-minute grid inside [from, to) not covered by `blocked`. */
export function freeGaps(from: number, to: number, blocked: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let cursor = from;
  const push = (a: number, b: number) => {
    const s = Math.ceil(a / GRID_MS) * GRID_MS;
    const e = Math.floor(b / GRID_MS) * GRID_MS;
    if (e - s >= MIN_SLOT_MS) out.push({ start: s, end: e });
  };
  for (const b of blocked) {
    if (b.end <= cursor) continue;
    if (b.start >= to) break;
    if (b.start > cursor) push(cursor, b.start);
    cursor = Math.max(cursor, b.end);
    if (cursor >= to) return out;
  }
  if (cursor < to) push(cursor, to);
  return out;
}

/** A slot boundary whose wall-clock time exists once (DST: not in the doubled autumn hour). */
function unambiguous(instant: number, local: ZoneClock, step: number): number | null {
  for (let i = 0, x = instant; i < 12; i++, x += step) {
    if (local.isUnambiguous(x)) return x;
  }
  return null;
}

/** The request form, prefilled (parameter names fixed by the issue; dates and times need no escaping). */
export function requestHref(slug: string, date: string, start: string, end: string): string {
  return `/requests/new?room=${encodeURIComponent(slug)}&date=${date}&start=${start}&end=${end}`;
}

/** The free slots of a room on a day: opening hours minus what is busy, from the lead time to the horizon. */
export function freeSlots(ctx: CalendarContext, room: Room, day: DayInfo, occupants: readonly CalendarOccupant[]): FreeSlot[] {
  const { date, open } = day;
  if (!room.active || !room.public_bookable || day.isPast || !open) return [];
  const from = Math.max(open.start, ctx.earliest);
  const to = Math.min(open.end, ctx.latest);
  if (to - from < MIN_SLOT_MS) return [];
  const slots: FreeSlot[] = [];
  let context: string | undefined;
  for (const gap of freeGaps(from, to, blockedIntervals(room, occupants, ctx.rooms))) {
    const s = unambiguous(gap.start, ctx.local, GRID_MS);
    const e = unambiguous(gap.end, ctx.local, -GRID_MS);
    if (s === null || e === null || e - s < MIN_SLOT_MS) continue;
    const start = ctx.local.time(s);
    const end = timeOnDay(e, date, ctx.local);
    context ??= ctx.t('calendar.freeContext', { room: room.name, day: day.label });
    // The link offers the next two hours from the stretch's start (on the grid), never beyond its end.
    const d = s + DEFAULT_REQUEST_MS >= e ? e : unambiguous(s + DEFAULT_REQUEST_MS, ctx.local, -GRID_MS);
    const defaultEnd = d === null || d - s < MIN_SLOT_MS ? end : timeOnDay(d, date, ctx.local);
    slots.push({ start, end, time: ctx.range(start, end), href: requestHref(room.slug, date, start, defaultEnd), context });
  }
  return slots;
}

/** What makes a room busy on a day, clipped to the day, in local time. */
export function busyItems(ctx: CalendarContext, room: Room, day: DayInfo, occupants: readonly CalendarOccupant[]): BusyItem[] {
  const { date, from: dayFrom, to: dayTo } = day;
  const items: BusyItem[] = [];
  for (const o of occupants) {
    if (o.end <= dayFrom || o.start >= dayTo) continue;
    const status = statusOf(o);
    const allDay = o.start <= dayFrom && o.end >= dayTo;
    const start = o.start <= dayFrom ? '00:00' : ctx.local.time(o.start);
    const end = o.end >= dayTo ? '24:00' : timeOnDay(o.end, date, ctx.local);
    const via = o.roomId !== null && o.roomId !== room.id ? (ctx.rooms.get(o.roomId)?.name ?? null) : null;
    items.push({
      status,
      statusText: statusText(status, ctx.t),
      title: publicTitle(o, ctx.t),
      via,
      viaText: via === null ? null : ctx.t('calendar.via', { room: via }),
      allDay,
      start,
      end,
      time: allDay ? ctx.t('calendar.allDay') : ctx.range(start, end),
    });
  }
  return items;
}

/** A local day with its headings and bounds, computed once per day and shared by every room. */
export interface DayInfo {
  date: string;
  /** "Montag, 23. November 2026" */
  label: string;
  /** "Montag" */
  weekdayName: string;
  /** "23.11." */
  shortDate: string;
  isToday: boolean;
  isPast: boolean;
  /** The house is closed on this weekday (no opening hours). */
  closedDay: boolean;
  /** A DST change day: the clock is changed, the day has 23 or 25 hours; else null. */
  dstNote: string | null;
  /** The day as instants [from, to): 23, 24 or 25 hours. */
  from: number;
  to: number;
  open: { start: number; end: number } | null;
}

export interface DayCell extends DayInfo {
  items: BusyItem[];
  free: FreeSlot[];
}

/** Length of a local day in hours: 23 or 25 on a DST change day. */
export function hoursOfDay(date: string, zone: string): number {
  return (dayStart(addDays(date, 1), zone) - dayStart(date, zone)) / 3_600_000;
}

const labelCache = new Map<string, { label: string; weekdayName: string; shortDate: string }>();

/** A date's headings in a language (memoised: formatting through Intl is the slow part of a week page). */
function labelsOf(date: string, lang: Lang) {
  const key = `${lang}:${date}`;
  let l = labelCache.get(key);
  if (!l) {
    if (labelCache.size > 20_000) labelCache.clear();
    l = { label: formatDate(date, lang, 'long'), weekdayName: formatDate(date, lang, 'weekday'), shortDate: formatDate(date, lang, 'short') };
    labelCache.set(key, l);
  }
  return l;
}

export function dayInfo(ctx: CalendarContext, date: string): DayInfo {
  const next = addDays(date, 1);
  // Local midnight exists in every zone Raumbuch is used in; the fallback covers zones that skip it.
  const from = ctx.local.instant(date, '00:00') ?? dayStart(date, ctx.zone);
  const to = ctx.local.instant(next, '00:00') ?? dayStart(next, ctx.zone);
  const hours = (to - from) / 3_600_000;
  const open = openingInterval(date, ctx);
  return {
    date,
    ...labelsOf(date, ctx.lang),
    isToday: date === ctx.today,
    isPast: date < ctx.today,
    closedDay: open === null,
    dstNote: hours === 24 ? null : ctx.t(hours < 24 ? 'calendar.dst.spring' : 'calendar.dst.autumn', { hours }),
    from,
    to,
    open,
  };
}

/** One room on one day. `occupants` are those of the room (see occupantsOfRoom), in any order. */
export function dayCell(ctx: CalendarContext, room: Room, day: DayInfo, occupants: readonly CalendarOccupant[]): DayCell {
  // Buffers reach at most a few hours beyond a day; a day's neighbours are enough for the free slots.
  const near = occupants.filter((o) => o.end > day.from - 86_400_000 && o.start < day.to + 86_400_000);
  return { ...day, items: busyItems(ctx, room, day, near), free: freeSlots(ctx, room, day, near) };
}
