// The blocked-time forms as zod schemas: one block (room or whole house, from–to) and the holiday import.
import { z } from 'zod';
import { idList, messageField, staffDateField, wholeNumber } from '../web/forms.js';

export const BLOCK_REASONS = ['holiday', 'closure', 'renovation', 'house_event'] as const;

export const blockSchema = z.object({
  room: z.string().default(''),
  reason: z.enum(BLOCK_REASONS, { message: 'staff.error.reason' }),
  label: z.string().trim().max(200, { message: 'staff.error.labelTooLong' }).default(''),
  is_public: z.string().optional(),
  from_date: staffDateField('staff.error.date'),
  // Times may be left empty: the block then starts at the day's beginning and ends at its end.
  from_time: z
    .string()
    .trim()
    .default('')
    .refine((v) => v === '' || /^([01]\d|2[0-3]):[0-5]\d$/.test(v), { message: 'staff.error.time' }),
  to_date: staffDateField('staff.error.date'),
  to_time: z
    .string()
    .trim()
    .default('')
    .refine((v) => v === '' || /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/.test(v), { message: 'staff.error.time' }),
  cancel: idList,
  confirm_cancel: z.string().optional(),
  /** The pending dates inside the block the caretaker was shown, and those of them to reject. */
  pending_seen: idList,
  reject: idList,
  /** "Check the period": list what is inside without saving. */
  check: z.string().optional(),
  message: messageField,
});

/** Rejecting pending dates that fall into blocked times already stored (the check on the blocks page). */
export const rejectPendingSchema = z.object({ reject: idList, message: messageField });

export const holidaySchema = z.object({ year: wholeNumber('staff.error.year', 2000, 2100) });
