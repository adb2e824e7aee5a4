// The export form (query parameters): a date range of at most EXPORT_MAX_DAYS days.
import { z } from 'zod';
import { inCalendarRange, daysBetween, parseDate } from '../time/index.js';
import { staffDateField } from '../web/forms.js';

/** Longest range one export may cover (a few years of bookings is still a small file). */
export const EXPORT_MAX_DAYS = 3 * 366;

/** Which dates an export holds: the approved ones unless staff choose otherwise. */
export const EXPORT_STATUSES = ['approved', 'pending', 'rejected', 'cancelled', 'skipped', 'all'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;

export const exportSchema = z
  .object({
    from: staffDateField('export.error.from'),
    to: staffDateField('export.error.to'),
    status: z.enum(EXPORT_STATUSES, { message: 'staffHouse.export.error.status' }),
    format: z.enum(EXPORT_FORMATS, { message: 'staffHouse.export.error.format' }),
    sep: z.enum(['semicolon', 'comma'], { message: 'staffHouse.export.error.sep' }),
  })
  .superRefine((v, c) => {
    if (!parseDate(v.from) || !parseDate(v.to) || !inCalendarRange(v.from) || !inCalendarRange(v.to)) return;
    if (v.to < v.from) c.addIssue({ code: 'custom', path: ['to'], message: 'export.error.order' });
    else if (daysBetween(v.from, v.to).length > EXPORT_MAX_DAYS) c.addIssue({ code: 'custom', path: ['to'], message: 'export.error.tooLong' });
  });
