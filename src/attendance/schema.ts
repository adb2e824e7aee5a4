// The group's attendance form: "it took place, N people came" or "it did not take place" (messages are catalog keys).
import { z } from 'zod';
import type { MessageKey } from '../i18n/index.js';

export const attendanceFormSchema = z.object({
  held: z.enum(['yes', 'no']).catch('yes'),
  attended: z
    .string()
    .catch('')
    .transform((v) => v.trim()),
});

export type AttendanceFormValues = z.infer<typeof attendanceFormSchema>;

/** The date the form showed (hidden field, src/attendance/rules.ts dateStamp); empty on a form from before it existed. */
const shownSchema = z.object({ shown: z.string().catch('') }).catch({ shown: '' });

export type AttendanceForm =
  { ok: true; tookPlace: boolean; attended: number | null; shown: string } | { ok: false; field: 'attended'; key: MessageKey; values: AttendanceFormValues };

/** The answer of the form, or the message next to the number field (the typed values kept). */
export function readAttendanceForm(body: unknown, max: number): AttendanceForm {
  const fields = typeof body === 'object' && body !== null ? body : {};
  const values = attendanceFormSchema.parse(fields);
  const { shown } = shownSchema.parse(fields);
  if (values.held === 'no') return { ok: true, tookPlace: false, attended: null, shown };
  if (values.attended === '') return { ok: false, field: 'attended', key: 'attendanceLink.error.missing', values };
  // Whole numbers only (no "20-25", no "ca. 20"): the statistics add them up.
  if (!/^\d{1,6}$/.test(values.attended) || Number(values.attended) > max) return { ok: false, field: 'attended', key: 'attendanceLink.error.range', values };
  return { ok: true, tookPlace: true, attended: Number(values.attended), shown };
}
