// The room form: its zod schema and the raw form values it reads (missing fields as '', checkbox groups as lists).
import { z } from 'zod';
import type { MessageKey } from '../i18n/index.js';
import { isEquipment } from '../constants.js';
import { asList, checkbox } from '../web/forms.js';

export const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const intField = (min: number, max: number, key: MessageKey) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, key)
    .transform(Number)
    .pipe(z.number().int().min(min, key).max(max, key));

export const roomSchema = z.object({
  name: z.string().trim().min(1, 'rooms.error.name').max(100, 'rooms.error.nameLong'),
  slug: z.string().trim().min(1, 'rooms.error.slug').max(60, 'rooms.error.slugLong').regex(SLUG_RE, 'rooms.error.slug'),
  description: z.string().max(4000, 'rooms.error.textLong'),
  capacity: intField(1, 10000, 'rooms.error.capacity'),
  size_m2: z
    .string()
    .trim()
    .max(10, 'rooms.error.size')
    .transform((v) => v.replace(',', '.'))
    .refine((v) => v === '' || (/^\d+(\.\d+)?$/.test(v) && Number(v) > 0 && Number(v) <= 100000), 'rooms.error.size')
    .transform((v) => (v === '' ? null : Number(v))),
  equipment: z.array(z.string()).refine((l) => l.every(isEquipment), 'rooms.error.equipment'),
  accessible: checkbox,
  accessibility_notes: z.string().max(1000, 'rooms.error.textLong'),
  floor: z.string().trim().max(50, 'rooms.error.floor'),
  buffer_before_min: intField(0, 480, 'rooms.error.buffer'),
  buffer_after_min: intField(0, 480, 'rooms.error.buffer'),
  public_bookable: checkbox,
  sort_order: intField(-10000, 10000, 'rooms.error.sortOrder'),
  parts: z.array(z.string().regex(/^\d+$/, 'rooms.error.parts').transform(Number)).max(50, 'rooms.error.parts'),
});
export type RoomInput = z.infer<typeof roomSchema>;

/** The raw form, with the right shape for the schema (missing fields as '' and checkbox groups as lists). */
export function formValues(body: Record<string, unknown>): Record<string, unknown> {
  const str = (k: string) => (typeof body[k] === 'string' ? body[k] : '');
  return {
    name: str('name'),
    slug: str('slug'),
    description: str('description'),
    capacity: str('capacity'),
    size_m2: str('size_m2'),
    equipment: asList(body.equipment),
    accessible: body.accessible,
    accessibility_notes: str('accessibility_notes'),
    floor: str('floor'),
    buffer_before_min: str('buffer_before_min'),
    buffer_after_min: str('buffer_after_min'),
    public_bookable: body.public_bookable,
    sort_order: str('sort_order'),
    parts: asList(body.parts),
  };
}

/** The empty form of a new room. */
export function newRoomValues(): Record<string, unknown> {
  return {
    name: '',
    slug: '',
    description: '',
    capacity: '',
    size_m2: '',
    equipment: [],
    accessible: '',
    accessibility_notes: '',
    floor: '',
    buffer_before_min: '0',
    buffer_after_min: '0',
    public_bookable: '1',
    sort_order: '0',
    parts: [],
  };
}
