// The translation form: which text (kind, owner, field, language from the path) and the translation typed.
import { z } from 'zod';
import type { HouseTextKind } from '../db/schema.js';

/** Each kind's fields with the longest translation accepted (the same limits as the source's own form). */
export const FIELD_LIMITS: Record<HouseTextKind, Record<string, number>> = {
  house: { about: 10000, rules: 50000, privacy: 50000, imprint: 10000, key_pickup: 200 },
  room: { description: 4000, floor: 50, accessibility_notes: 1000 },
  block: { label: 200 },
  // The same limit as the picture's own form (src/media ALT_MAX).
  media: { alt: 300 },
};

/** Single-line texts (an input, not a textarea). */
export const LINE_FIELDS = new Set(['house:key_pickup', 'room:floor', 'block:label', 'media:alt']);

export const textKeySchema = z.object({
  kind: z.enum(['house', 'room', 'block', 'media']),
  owner: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
  field: z.string().regex(/^[a-z_]{1,40}$/),
  lang: z.string().regex(/^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/i),
});

/** The translation typed: line breaks normalised, trimmed; empty removes the translation. */
export function translationSchema(kind: HouseTextKind, field: string) {
  const max = FIELD_LIMITS[kind][field] ?? 0;
  const line = LINE_FIELDS.has(`${kind}:${field}`);
  return z.object({
    translation: z
      .string()
      .transform((s) => (line ? s.replace(/\s*[\r\n]+\s*/g, ' ') : s.replace(/\r\n?/g, '\n')).trim())
      .pipe(z.string().max(max, { message: 'houseText.error.tooLong' })),
  });
}

export function isField(kind: HouseTextKind, field: string): boolean {
  return Object.hasOwn(FIELD_LIMITS[kind], field);
}
