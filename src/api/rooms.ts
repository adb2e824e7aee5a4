// The answer of GET /api/v1/rooms: each active room's public facts, as on its room page. Pure; no personal data.
import type { Room } from '../db/schema.js';
import type { Translate } from '../i18n/index.js';
import type { PartLink } from '../rooms/graph.js';
import { parseEquipment } from '../rooms/repository.js';
import { isEquipment } from '../constants.js';

export interface ApiRoom {
  slug: string;
  name: string;
  description: string;
  capacity: number;
  sizeM2: number | null;
  floor: string;
  equipment: { code: string; name: string }[];
  accessible: boolean;
  accessibilityNotes: string;
  /** Active rooms this room is made of, and the active wholes it is part of (slugs). */
  parts: string[];
  partOf: string[];
  /** 'online': groups can request it on the website; 'office': only through the house office. */
  bookable: 'online' | 'office';
  url: string;
}

export function apiRooms(input: { rooms: readonly Room[]; links: readonly PartLink[]; t: Translate; baseUrl: string }): { rooms: ApiRoom[] } {
  const active = new Map(input.rooms.filter((r) => r.active === 1).map((r) => [r.id, r]));
  const slugs = (ids: number[]) => ids.map((id) => active.get(id)?.slug).filter((s): s is string => s !== undefined);
  const base = input.baseUrl.replace(/\/$/, '');
  return {
    rooms: [...active.values()].map((r) => ({
      slug: r.slug,
      name: r.name,
      description: r.description,
      capacity: r.capacity,
      sizeM2: r.size_m2,
      floor: r.floor,
      equipment: parseEquipment(r.equipment).map((code) => ({ code, name: isEquipment(code) ? input.t(`equipment.${code}`) : code })),
      accessible: r.accessible === 1,
      accessibilityNotes: r.accessibility_notes,
      parts: slugs(input.links.filter((l) => l.wholeId === r.id).map((l) => l.partId)),
      partOf: slugs(input.links.filter((l) => l.partId === r.id).map((l) => l.wholeId)),
      bookable: r.public_bookable === 1 ? 'online' : 'office',
      url: `${base}/rooms/${encodeURIComponent(r.slug)}`,
    })),
  };
}
