// The message template form as a zod schema (messages are catalog keys).
import { z } from 'zod';
import { MESSAGE_MAX, wholeNumber } from '../web/forms.js';
import type { TemplateKind } from './repository.js';

/** The decisions a template is for, in the order the pages list them. */
export const TEMPLATE_KINDS: TemplateKind[] = ['approve', 'reject', 'cancel'];

export const templateSchema = z.object({
  kind: z.enum(['approve', 'reject', 'cancel'], { message: 'staff.error.templateKind' }),
  label: z.string().trim().min(1, { message: 'staff.error.templateLabel' }).max(80, { message: 'staff.error.templateLabelTooLong' }),
  body: z.string().trim().min(1, { message: 'staff.error.templateBody' }).max(MESSAGE_MAX, { message: 'staff.error.messageTooLong' }),
  // An empty order is the default 0.
  sort_order: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? '0' : v))
    .pipe(wholeNumber('staff.error.invalid', 0, 9999)),
});
