// Builders for the calendar view-model unit tests: rooms, occupants and a calendar context without a database.
import type { OpeningHours, Room } from '../../src/db/schema.js';
import type { PartLink } from '../../src/rooms/graph.js';
import type { BlockOccupant, BookingOccupant } from '../../src/bookings/occupants.js';
import { calendarContext, type CalendarContext } from '../../src/calendar/slots.js';
import { translator, type Lang } from '../../src/i18n/index.js';
import { localToInstant } from '../../src/time/index.js';

export const ZONE = 'Europe/Berlin';

export const OPEN_8_22: OpeningHours = {
  '1': { open: '08:00', close: '22:00' },
  '2': { open: '08:00', close: '22:00' },
  '3': { open: '08:00', close: '22:00' },
  '4': { open: '08:00', close: '22:00' },
  '5': { open: '08:00', close: '22:00' },
  '6': { open: '08:00', close: '22:00' },
  '7': { open: '08:00', close: '22:00' },
};

let nextId = 1;

export function room(o: Partial<Room> = {}): Room {
  const id = o.id ?? nextId++;
  return {
    id,
    slug: `raum-${id}`,
    name: `Raum ${id}`,
    description: '',
    capacity: 20,
    size_m2: 30,
    equipment: '[]',
    accessible: 1,
    accessibility_notes: '',
    floor: 'EG',
    buffer_before_min: 0,
    buffer_after_min: 0,
    public_bookable: 1,
    active: 1,
    sort_order: id,
    created_at: 0,
    updated_at: 0,
    ...o,
  };
}

export function at(date: string, time: string): number {
  const r = localToInstant(date, time, ZONE);
  if (!r.ok) throw new Error(`bad local time ${date} ${time}: ${r.reason}`);
  return r.instant;
}

let occId = 1;

export function booking(roomId: number, date: string, start: string, end: string, o: Partial<BookingOccupant> = {}): BookingOccupant {
  return {
    kind: 'booking',
    id: occId++,
    roomId,
    start: at(date, start),
    end: at(date, end),
    status: 'approved',
    requestId: 1,
    publicTitle: null,
    category: 'social',
    ...o,
  };
}

export function block(roomId: number | null, start: number, end: number, o: Partial<BlockOccupant> = {}): BlockOccupant {
  return { kind: 'block', id: occId++, roomId, start, end, reason: 'closure', label: 'Schließzeit', isPublic: true, ...o };
}

export function context(o: {
  now: string;
  rooms: Room[];
  links?: PartLink[];
  lang?: Lang;
  openingHours?: OpeningHours;
  leadTimeDays?: number;
  horizonMonths?: number;
}): CalendarContext {
  const lang = o.lang ?? 'de';
  return calendarContext({
    house: { zone: ZONE, openingHours: o.openingHours ?? OPEN_8_22, leadTimeDays: o.leadTimeDays ?? 0, horizonMonths: o.horizonMonths ?? 12 },
    now: Date.parse(o.now),
    lang,
    t: translator(lang),
    rooms: new Map(o.rooms.map((r) => [r.id, r])),
    links: o.links ?? [],
  });
}
