// The answer of GET /api/v1/availability: busy intervals per room, never who booked.
// Pure: rooms and occupants in, JSON-ready structure out.
import type { Room } from '../db/schema.js';
import type { Translate } from '../i18n/index.js';
import type { CalendarOccupant } from '../bookings/occupants.js';
import { ZoneClock } from '../time/index.js';
import { occupantsOfRoom, publicTitle, type PublicStatus } from './slots.js';
import type { PartLink } from '../rooms/graph.js';

/** Longest range one request may ask for. */
export const MAX_RANGE_DAYS = 92;

export interface BusyInterval {
  room: string;
  start: string;
  end: string;
  status: PublicStatus;
  title?: string;
}

export interface Availability {
  from: string;
  to: string;
  timezone: string;
  rooms: { slug: string; name: string }[];
  busy: BusyInterval[];
}

/**
 * Each room's busy intervals: its own bookings and blocks, those of its parts and wholes, and whole-house
 * blocks. A title only when the group chose to show one (approved bookings) or a block is public.
 */
export function availability(input: {
  from: string;
  to: string;
  zone: string;
  t: Translate;
  rooms: readonly Room[];
  links: readonly PartLink[];
  occupants: readonly CalendarOccupant[];
}): Availability {
  const local = new ZoneClock(input.zone);
  const busy: (BusyInterval & { at: number; order: number })[] = [];
  input.rooms.forEach((room, order) => {
    for (const o of occupantsOfRoom(room.id, input.occupants, input.links)) {
      const title = publicTitle(o, input.t);
      busy.push({
        room: room.slug,
        start: local.iso(o.start),
        end: local.iso(o.end),
        status: o.kind === 'block' ? 'closed' : o.status,
        ...(title ? { title } : {}),
        at: o.start,
        order,
      });
    }
  });
  busy.sort((a, b) => a.at - b.at || a.order - b.order);
  return {
    from: input.from,
    to: input.to,
    timezone: input.zone,
    rooms: input.rooms.map((r) => ({ slug: r.slug, name: r.name })),
    busy: busy.map(({ at: _at, order: _order, ...rest }) => rest),
  };
}
