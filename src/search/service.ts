// Finding a free room (GET /search): which rooms fit a wish (people, equipment) and, for each, which of the
// wished dates could be requested online, by the same rules a request meets: rules 1 and 3 from
// bookings/rules.ts, holidays and closures as a series skips them (bookings/series.ts), clashes by the one
// overlap rule (bookings/overlap.ts: parts and wholes, buffers). The occupancy of the whole window is read once
// for all rooms; each date then looks only at the occupants of its own days.
import type { Conn } from '../db/database.js';
import type { Room } from '../db/schema.js';
import type { Lang } from '../i18n/index.js';
import type { Equipment } from '../constants.js';
import { listOccupants, type CalendarOccupant } from '../bookings/occupants.js';
import { findClashes, maxBufferMs, overlaps, type Candidate } from '../bookings/overlap.js';
import type { PublicClash } from '../bookings/clashes.js';
import { checkHorizon, checkLeadTime, checkOpeningHours, GRID_MINUTES, resolveLocalTime, type RuleFailure, type RuleHouse } from '../bookings/rules.js';
import { seriesDates } from '../bookings/series.js';
import { parseEquipment, roomGraph } from '../rooms/repository.js';
import { holidaysBetween } from '../time/holidays.js';
import { addDays, addMonths, daysRange, minutesOf, plusLocalDays, timeOfMinutes, todayIn, weekday, ZoneClock } from '../time/index.js';
import type { SearchErrors, SearchQuery } from './schema.js';

const DAY_MS = 86_400_000;
/** A weekly wish spans at most this many months (the horizon of most houses; longer is answered with a message). */
export const MAX_SPAN_MONTHS = 12;

/** Why a date cannot be requested online (each has its text in the catalog: search.reason.*). */
export type Unbookable = 'past' | 'leadTime' | 'horizon' | 'closedDay' | 'openingHours' | 'time';

export type Verdict =
  | { kind: 'free' }
  | { kind: 'clash'; clashes: PublicClash[] }
  | { kind: 'closed'; clashes: PublicClash[] }
  | { kind: 'holiday'; name: string }
  | { kind: 'unbookable'; reason: Unbookable };

export interface DateAnswer {
  date: string;
  verdict: Verdict;
}

/** A free time on the wished day, nearest to the wished start first. */
export interface FreeTime {
  start: string;
  end: string;
}

export interface RoomAnswer {
  room: Room;
  dates: DateAnswer[];
  freeCount: number;
  /** Once, not free: the nearest free times of the same length that day (at most three). */
  alternatives: FreeTime[];
  /** The dates a request can cover: the first and last free date (null when none is free). */
  request: { firstDate: string; lastDate: string } | null;
}

export interface SearchResult {
  weekly: boolean;
  firstDate: string;
  lastDate: string;
  start: string;
  end: string;
  attendees: number | null;
  equipment: Equipment[];
  /** Rooms the public can request that fit, those with the most free dates first. */
  rooms: RoomAnswer[];
  /** Rooms that fit but only the office gives out. */
  officeOnly: Room[];
  /** How many active rooms were left out, by the first reason: too small, or lacking equipment. */
  leftOut: { capacity: number; equipment: number };
  /** Opening hours: the same for every date of the wish (one weekday), so said once. */
  houseReason: Unbookable | null;
  open: { open: string; close: string } | null;
}

export type SearchAnswer = { ok: true; result: SearchResult } | { ok: false; errors: SearchErrors };

export interface SearchDeps {
  db: Conn;
  dataVersion(): string;
  /** A public closure's label in the reader's language (the house's translation), given its blocked time's id. */
  blockLabel?: (blockId: number, label: string) => string;
}

/** The first date on `wd` whose start lies at least the lead time ahead (else the first one after the lead days). */
function firstOnWeekday(wd: number, start: string, house: RuleHouse, now: number): string {
  const today = todayIn(() => new Date(now), house.zone);
  let d = addDays(today, (wd - weekday(today) + 7) % 7);
  for (let i = 0; i < 60; i++, d = addDays(d, 7)) {
    const r = resolveLocalTime(d, start, house.zone, { date: 'date', time: 'start' });
    if (r.ok && !checkLeadTime(r.instant, now, house.leadTimeDays, house.zone)) return d;
  }
  return d;
}

/**
 * Rule 1: the instants of a wall-clock start and end on a local date. The cached zone clock answers a time that
 * exists exactly once (almost every date); a time in the DST gap or the doubled hour gets its failure from
 * resolveLocalTime, the rule itself.
 */
function instantsOf(local: ZoneClock, date: string, start: string, end: string, zone: string): { start: number; end: number } | { failure: RuleFailure } {
  const s = local.instant(date, start);
  const e = local.instant(date, end);
  if (s !== null && e !== null) return { start: s, end: e };
  const rs = resolveLocalTime(date, start, zone, { date: 'date', time: 'start' });
  if (!rs.ok) return { failure: rs.failure };
  const re = resolveLocalTime(date, end, zone, { date: 'date', time: 'end' });
  if (!re.ok) return { failure: re.failure };
  return { start: rs.instant, end: re.instant };
}

/** A clash as the public may see it (as bookings/clashes.ts describes one): where and when, never whose. */
function publicClash(o: CalendarOccupant, candidate: Candidate, rooms: ReadonlyMap<number, Room>, local: ZoneClock): PublicClash {
  const room = o.roomId === null ? undefined : rooms.get(o.roomId);
  return {
    kind: o.kind,
    roomId: o.roomId,
    roomName: room?.name ?? null,
    start: o.start,
    end: o.end,
    startDate: local.date(o.start),
    startTime: local.time(o.start),
    endDate: local.date(o.end),
    endTime: local.time(o.end),
    reason: o.kind === 'block' ? o.reason : null,
    label: o.kind === 'block' && o.isPublic && o.label ? o.label : null,
    buffersOnly: !overlaps(candidate, o),
  };
}

/**
 * Answers a wish: the rooms that fit with each wished date's verdict, the office-only rooms that would fit,
 * and how many rooms were left out why. A wish the house cannot answer (a last date before the first, a
 * span over MAX_SPAN_MONTHS, a single date whose time does not exist) comes back as field errors.
 */
export async function findFreeRooms(
  deps: SearchDeps,
  house: RuleHouse & { federalState: string },
  query: SearchQuery,
  now: Date,
  lang: Lang,
): Promise<SearchAnswer> {
  const nowMs = now.getTime();
  const zone = house.zone;
  const firstDate = query.date ?? firstOnWeekday(query.weekday!, query.start, house, nowMs);
  const lastDate = query.lastDate ?? firstDate;
  if (lastDate < firstDate) return { ok: false, errors: { lastDate: { key: 'search.error.lastBeforeFirst', params: {} } } };
  if (lastDate > addMonths(firstDate, MAX_SPAN_MONTHS))
    return { ok: false, errors: { lastDate: { key: 'search.error.tooLong', params: { months: MAX_SPAN_MONTHS } } } };
  const weekly = query.lastDate !== null;
  const dates = weekly ? seriesDates({ firstDate, lastDate, everyWeeks: 1 }) : [firstDate];

  // Rule 1 per date: the wall-clock times in the house zone (19:00 stays 19:00 across a DST change).
  const local = new ZoneClock(zone);
  const spans = dates.map((date) => {
    const at = instantsOf(local, date, query.start, query.end, zone);
    return 'failure' in at ? { date, start: null, end: null, failure: at.failure } : { date, ...at };
  });
  const single = spans[0]!;
  if (!weekly && single.start === null) {
    const failure = 'failure' in single ? single.failure : null;
    const field = failure?.field === 'end' ? 'end' : 'start';
    return { ok: false, errors: { [field]: { key: 'search.error.dstTime', params: { time: field === 'end' ? query.end : query.start } } } };
  }

  // Which rooms fit: active; capacity; equipment. Rooms only the office gives out are named, not offered.
  const graph = await roomGraph(deps);
  const leftOut = { capacity: 0, equipment: 0 };
  const fitting: Room[] = [];
  const officeOnly: Room[] = [];
  for (const room of graph.rooms.values()) {
    if (room.active !== 1) continue;
    if (query.attendees !== null && room.capacity < query.attendees) {
      leftOut.capacity++;
      continue;
    }
    const has = parseEquipment(room.equipment);
    if (!query.equipment.every((e) => has.includes(e))) {
      leftOut.equipment++;
      continue;
    }
    if (room.public_bookable === 1) fitting.push(room);
    else officeOnly.push(room);
  }
  fitting.sort((a, b) => a.sort_order - b.sort_order || a.name.localeCompare(b.name));
  officeOnly.sort((a, b) => a.sort_order - b.sort_order || a.name.localeCompare(b.name));

  // Rule 3 for the house: the opening hours of the wish's weekday (one weekday for every date).
  const today = todayIn(() => now, zone);
  const endSpan = query.end === '24:00' ? { endDate: addDays(firstDate, 1), endTime: '00:00' } : { endDate: firstDate, endTime: query.end };
  const hoursFailure = checkOpeningHours({ date: firstDate, startTime: query.start, ...endSpan }, house.openingHours);
  const houseReason: Unbookable | null = hoursFailure ? (hoursFailure.key === 'requests.error.closedDay' ? 'closedDay' : 'openingHours') : null;
  const open = house.openingHours[String(weekday(firstDate)) as keyof typeof house.openingHours] ?? null;
  const holidays = new Map(weekly ? holidaysBetween(house.federalState, firstDate, lastDate, lang).map((h) => [h.date, h.name]) : []);

  // The occupancy of the whole window, every room, in one query; then bucketed by UTC day so each date looks
  // only at its neighbours (both sides may be widened by up to the largest buffer).
  const pad = 2 * maxBufferMs(graph.shapes.values());
  const window = daysRange(firstDate, lastDate, zone);
  const occupants = fitting.length
    ? (await listOccupants(deps.db, { from: window.start - DAY_MS - pad, to: window.end + DAY_MS + pad, includePending: false })).map((o) =>
        o.kind === 'block' && o.isPublic && o.label && deps.blockLabel ? { ...o, label: deps.blockLabel(o.id, o.label) } : o,
      )
    : [];
  const byDay = new Map<number, CalendarOccupant[]>();
  for (const o of occupants) {
    for (let d = Math.floor(o.start / DAY_MS); d <= Math.floor((o.end - 1) / DAY_MS); d++) {
      const list = byDay.get(d);
      if (list) list.push(o);
      else byDay.set(d, [o]);
    }
  }
  const near = (c: { start: number; end: number }): CalendarOccupant[] => {
    const out = new Set<CalendarOccupant>();
    for (let d = Math.floor((c.start - pad) / DAY_MS); d <= Math.floor((c.end + pad) / DAY_MS); d++) for (const o of byDay.get(d) ?? []) out.add(o);
    return [...out];
  };
  const clashesOf = (candidate: Candidate) =>
    findClashes(candidate, near(candidate), graph.shapes, graph.links).map((o) => publicClash(o, candidate, graph.rooms, local));

  /** Rules 1 and 3 for one date (the same for every room). The dates ascend: once one is far enough ahead, all later ones are. */
  let leadPassed = false;
  const dateRule = (span: (typeof spans)[number]): Unbookable | null => {
    if (span.start === null) return 'time';
    if (!leadPassed) {
      const lead = checkLeadTime(span.start, nowMs, house.leadTimeDays, zone);
      if (lead) return lead.key === 'requests.error.past' ? 'past' : 'leadTime';
      leadPassed = true;
    }
    if (checkHorizon(span.date, today, house.horizonMonths)) return 'horizon';
    return null;
  };
  const ruleOf = spans.map(dateRule);

  const answers: RoomAnswer[] = fitting.map((room) => {
    const answered = spans.map((span, i): DateAnswer => {
      const rule = ruleOf[i];
      if (rule) return { date: span.date, verdict: { kind: 'unbookable', reason: rule } };
      const holiday = holidays.get(span.date);
      if (holiday) return { date: span.date, verdict: { kind: 'holiday', name: holiday } };
      if (houseReason) return { date: span.date, verdict: { kind: 'unbookable', reason: houseReason } };
      const clashes = clashesOf({ roomId: room.id, start: span.start!, end: span.end! });
      const blocks = clashes.filter((c) => c.kind === 'block');
      if (blocks.length) return { date: span.date, verdict: { kind: 'closed', clashes: blocks } };
      if (clashes.length) return { date: span.date, verdict: { kind: 'clash', clashes } };
      return { date: span.date, verdict: { kind: 'free' } };
    });
    const free = answered.filter((a) => a.verdict.kind === 'free');
    const alternatives = !weekly && !free.length ? freeTimesNear(room, firstDate, query, house, nowMs, today, local, clashesOf) : [];
    return {
      room,
      dates: answered,
      freeCount: free.length,
      alternatives,
      request: free.length ? { firstDate: free[0]!.date, lastDate: free[free.length - 1]!.date } : null,
    };
  });
  answers.sort((a, b) => b.freeCount - a.freeCount || Number(b.alternatives.length > 0) - Number(a.alternatives.length > 0));

  return {
    ok: true,
    result: {
      weekly,
      firstDate,
      lastDate,
      start: query.start,
      end: query.end,
      attendees: query.attendees,
      equipment: query.equipment,
      rooms: answers,
      officeOnly,
      leftOut,
      houseReason,
      open,
    },
  };
}

/** How many free times of the wished length a once-wish offers instead, nearest to the wished start first. */
const ALTERNATIVES = 3;

/**
 * The free times of the wished length on the wished day in `room`, on the 15-minute grid, inside the opening
 * hours and at least the lead time ahead: the ALTERNATIVES nearest to the wished start, in time order.
 */
function freeTimesNear(
  room: Room,
  date: string,
  query: SearchQuery,
  house: RuleHouse,
  now: number,
  today: string,
  local: ZoneClock,
  clashesOf: (c: Candidate) => PublicClash[],
): FreeTime[] {
  const hours = house.openingHours[String(weekday(date)) as keyof typeof house.openingHours];
  if (!hours || checkHorizon(date, today, house.horizonMonths)) return [];
  const length = minutesOf(query.end) - minutesOf(query.start);
  const openMin = minutesOf(hours.open);
  const closeMin = minutesOf(hours.close) || 24 * 60;
  const wished = minutesOf(query.start);
  const earliest = plusLocalDays(now, house.leadTimeDays, house.zone);
  const found: { at: number; time: FreeTime }[] = [];
  for (let m = openMin; m + length <= closeMin; m += GRID_MINUTES) {
    if (m === wished) continue;
    const start = timeOfMinutes(m);
    const end = m + length === 24 * 60 ? '24:00' : timeOfMinutes(m + length);
    const at = instantsOf(local, date, start, end, house.zone);
    if ('failure' in at || at.start < earliest) continue;
    if (clashesOf({ roomId: room.id, ...at }).length) continue;
    found.push({ at: m, time: { start, end } });
  }
  return found
    .sort((a, b) => Math.abs(a.at - wished) - Math.abs(b.at - wished) || a.at - b.at)
    .slice(0, ALTERNATIVES)
    .sort((a, b) => a.at - b.at)
    .map((f) => f.time);
}
