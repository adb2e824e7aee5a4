// The caretaker's booking forms as zod schemas: decisions, changing and cancelling dates, direct booking.
// Messages are catalog keys; the handlers turn issues into field messages (web/forms.ts fieldErrors).
import { z } from 'zod';
import { CATEGORIES, isEquipment } from '../constants.js';
import { LANGUAGES, REFERENCE_LANGUAGE } from '../i18n/languages.js';
import type { MessageKey } from '../i18n/index.js';
import { checkbox, endTimeField, idField, idList, MESSAGE_MAX, messageField, staffDateField, startTimeField, wholeNumber } from '../web/forms.js';

// Each decision has its own message box (approve_message / reject_message), so a button can never send the
// other decision's text; `message` is read only when the decision's own box was not sent.
export const decisionSchema = z.object({
  booking: idList,
  message: messageField,
  approve_message: z.string().trim().max(MESSAGE_MAX, { message: 'staff.error.messageTooLong' }).optional(),
  reject_message: z.string().trim().max(MESSAGE_MAX, { message: 'staff.error.messageTooLong' }).optional(),
  return: z.enum(['inbox', 'detail']).default('inbox'),
  /** The inbox list's address (filters and page) to return to; checked by safeInboxReturn. */
  list: z.string().optional(),
});

/** Several requests decided at once from the inbox list: the ticked requests (ids), approve or reject. */
export const bulkSchema = z.object({
  ids: idList.refine((l) => l.length > 0, { message: 'inboxList.error.noneChosen' }).refine((l) => l.length <= 100, { message: 'inboxList.error.overLimit' }),
  action: z.enum(['approve', 'reject'], { message: 'inboxList.error.action' }),
  message: messageField,
  approve_message: z.string().trim().max(MESSAGE_MAX, { message: 'staff.error.messageTooLong' }).optional(),
  reject_message: z.string().trim().max(MESSAGE_MAX, { message: 'staff.error.messageTooLong' }).optional(),
  list: z.string().optional(),
});

export const editSchema = z.object({
  booking: idField('staff.error.invalid'),
  scope: z.enum(['one', 'following', 'all'], { message: 'staff.error.scope' }),
  date: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(staffDateField('staff.error.date').optional()),
  start: startTimeField('staff.error.time'),
  end: endTimeField('staff.error.time'),
  room: idField('staff.error.room'),
  title: z.string().trim().min(1, { message: 'staff.error.title' }).max(200, { message: 'staff.error.titleTooLong' }),
  message: messageField,
});

export const cancelSchema = z.object({
  booking: idField('staff.error.invalid'),
  scope: z.enum(['one', 'following', 'all'], { message: 'staff.error.scope' }),
  message: messageField,
});

/** The categories a booking can have, as zod wants them (a tuple). */

const optionalText = (max: number, key: MessageKey) =>
  z
    .string()
    .trim()
    .max(max, { message: key })
    .default('')
    .transform((v) => (v === '' ? null : v));

export const directSchema = z.object({
  room: idField('staff.error.room'),
  date: staffDateField('staff.error.date'),
  start: z.string().trim().min(1, { message: 'staff.error.time' }).max(5, { message: 'staff.error.time' }),
  end: z.string().trim().min(1, { message: 'staff.error.time' }).max(5, { message: 'staff.error.time' }),
  // Once, every 1–4 weeks, the nth (or last) weekday of the month, or hand-picked dates: the public form's rhythms.
  repeat: z.enum(['', '1', '2', '3', '4', 'monthly', 'dates'], { message: 'staff.error.invalid' }).default(''),
  nth: z.enum(['1', '2', '3', '4', 'last'], { message: 'rhythm.error.nth' }).default('1'),
  last_date: z.string().trim().default(''),
  picked_dates: z.string().max(1500, { message: 'staff.direct.error.tooLong' }).default(''),
  title: z.string().trim().min(1, { message: 'staff.error.title' }).max(200, { message: 'staff.error.titleTooLong' }),
  public_title: optionalText(200, 'staff.error.titleTooLong'),
  show_public_title: checkbox,
  organisation: optionalText(200, 'staff.direct.error.tooLong'),
  contact_name: z.string().trim().min(1, { message: 'staff.direct.error.contact' }).max(200, { message: 'staff.direct.error.tooLong' }),
  email: z
    .string()
    .trim()
    .max(254, { message: 'staff.direct.error.email' })
    .default('')
    .refine((v) => v === '' || z.email().safeParse(v).success, { message: 'staff.direct.error.email' }),
  phone: optionalText(50, 'staff.direct.error.tooLong'),
  category: z.enum(CATEGORIES, { message: 'staff.direct.error.category' }),
  attendees: wholeNumber('staff.direct.error.attendees', 1, 100_000),
  equipment: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .refine((l) => l.every((k) => isEquipment(k)), { message: 'staff.error.invalid' }),
  notes: z.string().trim().max(MESSAGE_MAX, { message: 'staff.error.messageTooLong' }).default(''),
  language: z.enum(LANGUAGES, { message: 'staff.error.invalid' }).default(REFERENCE_LANGUAGE),
  override_hours: checkbox,
  override_lead: checkbox,
  override_horizon: checkbox,
  message: z.string().trim().max(MESSAGE_MAX, { message: 'staff.error.messageTooLong' }).default(''),
});
