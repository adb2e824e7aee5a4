// The export form (query parameters): a date range of at most EXPORT_MAX_DAYS days.
import { z } from 'zod';
import { inCalendarRange, daysBetween, parseDate } from '../time/index.js';
import { staffDateField } from '../web/forms.js';

/** Longest range one export may cover (a few years of bookings is still a small file). */
export const EXPORT_MAX_DAYS = 3 * 366;

export const exportSchema = z.object({ from: staffDateField('export.error.from'), to: staffDateField('export.error.to') }).superRefine((v, c) => {
  if (!parseDate(v.from) || !parseDate(v.to) || !inCalendarRange(v.from) || !inCalendarRange(v.to)) return;
  if (v.to < v.from) c.addIssue({ code: 'custom', path: ['to'], message: 'export.error.order' });
  else if (daysBetween(v.from, v.to).length > EXPORT_MAX_DAYS) c.addIssue({ code: 'custom', path: ['to'], message: 'export.error.tooLong' });
});
