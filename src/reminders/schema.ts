// The form of /admin/summary: one's own daily summary mail on or off.
import { z } from 'zod';

export const summarySchema = z.object({
  daily_summary: z.enum(['on', 'off'], 'reminders.error.choice'),
});
