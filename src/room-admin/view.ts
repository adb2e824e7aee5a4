// The staff room pages' view models: the list, the form's values of a stored room, a refused change's message
// next to its field, and the layout clashes in the house zone and the reader's language.
import type { Room } from '../db/schema.js';
import type { Lang, MessageKey, Translate } from '../i18n/index.js';
import type { PartLink } from '../rooms/graph.js';
import { clashView } from '../bookings/view.js';
import { parseEquipment } from '../rooms/repository.js';
import type { RoomRefusal, RoomRefusalCode } from '../rooms/rules.js';
import type { RoomClash } from './service.js';

/** The form's values for a stored room and its direct parts. */
export function roomFormValues(room: Room, parts: number[]): Record<string, unknown> {
  return {
    name: room.name,
    slug: room.slug,
    description: room.description,
    capacity: String(room.capacity),
    size_m2: room.size_m2 === null ? '' : String(room.size_m2),
    equipment: parseEquipment(room.equipment),
    accessible: room.accessible === 1 ? '1' : '',
    accessibility_notes: room.accessibility_notes,
    floor: room.floor,
    buffer_before_min: String(room.buffer_before_min),
    buffer_after_min: String(room.buffer_after_min),
    public_bookable: room.public_bookable === 1 ? '1' : '',
    sort_order: String(room.sort_order),
    parts: parts.map(String),
  };
}

/** Where a refusal is shown, its text, and the status of the page that shows it. */
const REFUSALS: Record<RoomRefusalCode, { field: string; key: MessageKey; status: number }> = {
  slug_taken: { field: 'slug', key: 'rooms.error.slugTaken', status: 409 },
  part_self: { field: 'parts', key: 'rooms.error.partSelf', status: 400 },
  part_unknown: { field: 'parts', key: 'rooms.error.parts', status: 400 },
  part_cycle: { field: 'parts', key: 'rooms.error.partCycle', status: 400 },
  clash: { field: 'form', key: 'rooms.error.clash', status: 409 },
};

export function refusalView(r: RoomRefusal, t: Translate): { status: number; errors: Record<string, string> } {
  const { field, key, status } = REFUSALS[r.code];
  return { status, errors: { [field]: t(key, r.params) } };
}

/** The rooms list: buffers in words, direct parts by name. */
export function roomListView(rooms: Room[], links: readonly PartLink[], t: Translate) {
  const byId = new Map(rooms.map((x) => [x.id, x]));
  return rooms.map((x) => ({
    id: x.id,
    name: x.name,
    slug: x.slug,
    capacity: x.capacity,
    active: x.active === 1,
    publicBookable: x.public_bookable === 1,
    buffers: t('rooms.list.buffers', { before: x.buffer_before_min, after: x.buffer_after_min }),
    parts: links
      .filter((l) => l.wholeId === x.id)
      .map((l) => byId.get(l.partId)?.name ?? '')
      .join(', '),
  }));
}

/** The first 50 clashes a layout change would cause, each as the two occupants that meet. */
export function clashesView(clashes: readonly RoomClash[], zone: string, lang: Lang, t: Translate) {
  return clashes.slice(0, 50).map((c) => ({ first: clashView(c.booking, zone, lang, t), second: clashView(c.other, zone, lang, t) }));
}
