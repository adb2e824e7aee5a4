// The regular group form: who (e-mail address or organisation), which rooms, weekdays and times, until when, a note.
import { z } from 'zod';
import { asList, endTimeField, staffDateField, startTimeField, textOf } from '../web/forms.js';

const email = z.email();

export const regularGroupSchema = z
  .object({
    match_kind: z.enum(['email', 'organisation'], { message: 'regularGroups.error.matchKind' }),
    match_value: z.string().trim().min(1, 'regularGroups.error.matchValue').max(254, 'regularGroups.error.tooLong'),
    rooms: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((v) => asList(v))
      .pipe(z.array(z.string().regex(/^\d{1,15}$/, 'regularGroups.error.rooms')).min(1, 'regularGroups.error.rooms'))
      .transform((l) => [...new Set(l.map(Number))]),
    weekdays: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((v) => asList(v))
      .pipe(z.array(z.string().regex(/^[1-7]$/, 'regularGroups.error.weekdays')).min(1, 'regularGroups.error.weekdays'))
      .transform((l) => [...new Set(l.map(Number))].sort()),
    start_time: z.string().trim().pipe(startTimeField('regularGroups.error.startTime')),
    end_time: z.string().trim().pipe(endTimeField('regularGroups.error.endTime')),
    valid_until: staffDateField('regularGroups.error.validUntil', { optional: true }),
    note: z.string().trim().max(500, 'regularGroups.error.tooLong').default(''),
  })
  .superRefine((v, c) => {
    if (v.match_kind === 'email' && !email.safeParse(v.match_value).success)
      c.addIssue({ code: 'custom', path: ['match_value'], message: 'regularGroups.error.email' });
    if (v.end_time <= v.start_time) c.addIssue({ code: 'custom', path: ['end_time'], message: 'regularGroups.error.order' });
  });

export type RegularGroupInput = z.infer<typeof regularGroupSchema>;

/** The form's fields as typed (kept when the form comes back with errors). */
export interface RegularGroupValues {
  match_kind: string;
  match_value: string;
  rooms: string[];
  weekdays: string[];
  start_time: string;
  end_time: string;
  valid_until: string;
  note: string;
}

export function valuesOfBody(b: Record<string, unknown>): RegularGroupValues {
  const s = (k: string) => textOf(b[k]);
  return {
    match_kind: s('match_kind'),
    match_value: s('match_value'),
    rooms: asList(b.rooms),
    weekdays: asList(b.weekdays),
    start_time: s('start_time'),
    end_time: s('end_time'),
    valid_until: s('valid_until'),
    note: s('note'),
  };
}
