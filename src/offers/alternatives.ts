// "Andere Zeit oder anderen Raum anbieten": the free alternatives to a pending request, found by the free-room
// search (src/search/service.ts) and so by the rules a request meets (opening hours, lead time, horizon,
// holidays and closures, capacity, equipment, clashes through parts and wholes with buffers):
// other rooms at the same time, the same room up to two hours earlier or later in 30-minute steps, and for a
// single date the same time on the day before and after. A series gets options that hold for all its open dates.
import type { Lang } from '../i18n/languages.js';
import type { BookingRequest, Room } from '../db/schema.js';
import { isEquipment, type Equipment } from '../constants.js';
import type { RuleHouse } from '../bookings/rules.js';
import { parseEquipment } from '../rooms/repository.js';
import { addDays, localDate, localTime, minutesOf, timeOfMinutes, weekday } from '../time/index.js';
import { findFreeRooms, type SearchDeps } from '../search/service.js';

/** How far a nearby time may move from the wished one, and in which steps (minutes). */
export const NEARBY_MINUTES = 120;
export const NEARBY_STEP = 30;

export type OptionKind = 'room' | 'time' | 'day';

/** One alternative: a room and times; `date` only for a single date (a series keeps its dates). */
export interface OfferOption {
  kind: OptionKind;
  roomId: number;
  roomName: string;
  date: string | null;
  start: string;
  end: string;
}

/** The open dates an offer is about (pending, not yet begun). */
export interface OpenDate {
  id: number;
  roomId: number;
  localDate: string;
  start: number;
  end: number;
}

export interface AlternativesInput {
  request: Pick<BookingRequest, 'id' | 'room_id' | 'attendees' | 'equipment' | 'start_time' | 'end_time'>;
  /** The request's pending dates that have not begun, in time order. */
  dates: OpenDate[];
  /** Single date (true) or a series. */
  single: boolean;
}

/** The stable value of an option in a form (checked against the options found again when the form comes back). */
export function optionKey(o: Pick<OfferOption, 'roomId' | 'date' | 'start' | 'end'>): string {
  return `${o.roomId}_${o.date ?? 'series'}_${o.start}_${o.end}`;
}

/** The wished times of the open dates: a single date's own times (it may have been changed), a series' times. */
function wishedTimes(input: AlternativesInput, zone: string): { start: string; end: string } {
  const first = input.dates[0];
  if (input.single && first) {
    const end = localDate(first.end, zone) === first.localDate ? localTime(first.end, zone) : '24:00';
    return { start: localTime(first.start, zone), end };
  }
  return { start: input.request.start_time, end: input.request.end_time };
}

/**
 * The rooms in which every one of `dates` is free at start–end by the request's rules (dates grouped by weekday:
 * each group is one search, once or weekly from its first to its last date).
 */
async function roomsFreeOnAll(
  deps: SearchDeps,
  house: RuleHouse & { federalState: string },
  dates: string[],
  times: { start: string; end: string },
  wish: { attendees: number; equipment: Equipment[] },
  now: Date,
  lang: Lang,
): Promise<Map<number, Room>> {
  const groups = new Map<number, string[]>();
  for (const d of dates) {
    const list = groups.get(weekday(d)) ?? [];
    list.push(d);
    groups.set(weekday(d), list);
  }
  let result: Map<number, Room> | null = null;
  for (const group of groups.values()) {
    group.sort();
    const answer = await findFreeRooms(
      deps,
      house,
      {
        date: group[0]!,
        weekday: null,
        start: times.start,
        end: times.end,
        attendees: wish.attendees,
        equipment: wish.equipment,
        lastDate: group.length > 1 ? group[group.length - 1]! : null,
      },
      now,
      lang,
    );
    if (!answer.ok) return new Map();
    const here = new Map<number, Room>();
    for (const r of answer.result.rooms) {
      const free = new Set(r.dates.filter((d) => d.verdict.kind === 'free').map((d) => d.date));
      if (group.every((d) => free.has(d)) && (result === null || result.has(r.room.id))) here.set(r.room.id, r.room);
    }
    result = here;
    if (result.size === 0) break;
  }
  return result ?? new Map();
}

/** Shifts a time by `by` minutes; null when it leaves the day (an end may be 24:00). */
function shift(time: string, by: number, isEnd: boolean): string | null {
  const m = (time === '24:00' ? 24 * 60 : minutesOf(time)) + by;
  if (m < 0 || m > 24 * 60 || (m === 24 * 60 && !isEnd)) return null;
  return m === 24 * 60 ? '24:00' : timeOfMinutes(m);
}

/**
 * The alternatives to offer: other rooms at the same time (in the house's room order), then the same room at
 * nearby times (nearest first), then (single date) the same time on the neighbouring days. Nothing for a
 * request without open dates.
 */
export async function findAlternatives(
  deps: SearchDeps,
  house: RuleHouse & { federalState: string },
  input: AlternativesInput,
  now: Date,
  lang: Lang,
): Promise<OfferOption[]> {
  if (!input.dates.length) return [];
  const wish = { attendees: input.request.attendees, equipment: parseEquipment(input.request.equipment).filter(isEquipment) };
  const times = wishedTimes(input, house.zone);
  const days = input.dates.map((d) => d.localDate);
  const roomId = input.single ? input.dates[0]!.roomId : input.request.room_id;
  const options: OfferOption[] = [];
  const date = input.single ? days[0]! : null;

  const same = await roomsFreeOnAll(deps, house, days, times, wish, now, lang);
  for (const room of same.values()) {
    if (room.id === roomId) continue;
    options.push({ kind: 'room', roomId: room.id, roomName: room.name, date, ...times });
  }

  const shifts: number[] = [];
  for (let by = NEARBY_STEP; by <= NEARBY_MINUTES; by += NEARBY_STEP) shifts.push(-by, by);
  for (const by of shifts) {
    const start = shift(times.start, by, false);
    const end = shift(times.end, by, true);
    if (!start || !end) continue;
    const free = await roomsFreeOnAll(deps, house, days, { start, end }, wish, now, lang);
    const room = free.get(roomId);
    if (room) options.push({ kind: 'time', roomId, roomName: room.name, date, start, end });
  }

  if (input.single) {
    for (const by of [-1, 1]) {
      const day = addDays(days[0]!, by);
      const free = await roomsFreeOnAll(deps, house, [day], times, wish, now, lang);
      const room = free.get(roomId);
      if (room) options.push({ kind: 'day', roomId, roomName: room.name, date: day, ...times });
    }
  }
  return options;
}
