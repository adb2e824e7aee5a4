// The absence forms: one account's absence (from–until, both inclusive) and the house's deputy and alternative contact.
import { z } from 'zod';
import { checkbox, staffDateField } from '../web/forms.js';

export const absenceSchema = z
  .object({
    user_id: z
      .string()
      .regex(/^\d{1,15}$/, 'absence.error.user')
      .transform(Number),
    from: staffDateField('absence.error.from'),
    until: staffDateField('absence.error.until'),
    public: checkbox,
  })
  .superRefine((v, c) => {
    if (v.until < v.from) c.addIssue({ code: 'custom', path: ['until'], message: 'absence.error.order' });
  });

export type AbsenceInput = z.infer<typeof absenceSchema>;

export const absenceSettingsSchema = z.object({
  deputy: z.union([z.literal(''), z.string().regex(/^\d{1,15}$/, 'absence.error.deputy')]).transform((v) => (v === '' ? null : Number(v))),
  contact_phone: z.string().trim().max(40, 'absence.error.tooLong'),
  contact_email: z
    .string()
    .trim()
    .max(254, 'absence.error.tooLong')
    .refine((v) => v === '' || z.email().safeParse(v).success, 'absence.error.email'),
  notice: z.string().trim().max(500, 'absence.error.tooLong'),
});

export type AbsenceSettingsInput = z.infer<typeof absenceSettingsSchema>;
