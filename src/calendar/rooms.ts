// View models of the public room pages and the house facts on the start page (pure).
import type { OpeningHours, Room, Weekday } from '../db/schema.js';
import type { Translate } from '../i18n/index.js';
import type { PartLink } from '../rooms/graph.js';
import { parseEquipment } from '../rooms/repository.js';
import { formatTimeRange } from '../time/format.js';
import { isEquipment } from '../constants.js';

export interface RoomCard {
  /** The room's id: its texts (description, floor, accessibility notes) come in the page language from houseText(). */
  id: number;
  slug: string;
  name: string;
  href: string;
  description: string;
  capacity: string;
  floor: string;
  accessible: string;
  bookable: boolean;
}

export interface RoomDetails extends RoomCard {
  size: string | null;
  equipment: string[];
  accessibleYes: boolean;
  accessibilityNotes: string;
  buffers: string | null;
  /** The whole rooms this room is part of, and the parts it is made of (active ones, linked). */
  partOf: { name: string; href: string }[];
  madeOf: { name: string; href: string }[];
  monthHref: string;
  feedUrl: string;
}

const href = (r: Room) => `/rooms/${encodeURIComponent(r.slug)}`;

export function roomCard(room: Room, t: Translate): RoomCard {
  return {
    id: room.id,
    slug: room.slug,
    name: room.name,
    href: href(room),
    description: room.description,
    capacity: t('room.capacity.value', { n: room.capacity }),
    floor: room.floor,
    accessible: t(room.accessible ? 'room.accessible.yes' : 'room.accessible.no'),
    bookable: room.public_bookable === 1 && room.active === 1,
  };
}

/** Equipment codes in the user's language; a code this version does not know is shown as it is stored. */
export function equipmentNames(json: string, t: Translate): string[] {
  return parseEquipment(json).map((k) => (isEquipment(k) ? t(`equipment.${k}`) : k));
}

export function roomDetails(room: Room, rooms: ReadonlyMap<number, Room>, links: readonly PartLink[], t: Translate): RoomDetails {
  const ref = (id: number) => rooms.get(id);
  const visible = (r: Room | undefined): r is Room => Boolean(r && r.active);
  const partOf = links
    .filter((l) => l.partId === room.id)
    .map((l) => ref(l.wholeId))
    .filter(visible);
  const madeOf = links
    .filter((l) => l.wholeId === room.id)
    .map((l) => ref(l.partId))
    .filter(visible);
  const hasBuffers = room.buffer_before_min > 0 || room.buffer_after_min > 0;
  return {
    ...roomCard(room, t),
    size: room.size_m2 ? t('room.size.value', { n: room.size_m2 }) : null,
    equipment: equipmentNames(room.equipment, t),
    accessibleYes: room.accessible === 1,
    accessibilityNotes: room.accessibility_notes,
    buffers: hasBuffers ? t('room.buffers.value', { before: room.buffer_before_min, after: room.buffer_after_min }) : null,
    partOf: partOf.map((r) => ({ name: r.name, href: href(r) })),
    madeOf: madeOf.map((r) => ({ name: r.name, href: href(r) })),
    monthHref: `${href(room)}/month`,
    feedUrl: `${href(room)}/calendar.ics`,
  };
}

/** Opening hours Monday–Sunday, ready to print. */
export function openingHoursList(hours: OpeningHours, t: Translate): { day: string; hours: string }[] {
  return (['1', '2', '3', '4', '5', '6', '7'] as Weekday[]).map((d) => {
    const h = hours[d];
    return {
      day: t(`weekday.${d}`),
      hours: h ? formatTimeRange(h.open, h.close, t) : t('time.closedDay'),
    };
  });
}
