// The audit log page's filter (query parameters): action, user, entity, date range and page.
import { z } from 'zod';
import { staffDateField } from '../web/forms.js';

const optionalDate = staffDateField('audit.error.date', { optional: true });

/** The areas of the log a caretaker filters by, each a set of action prefixes. */
export const AUDIT_AREAS = {
  requests: ['request.', 'booking.', 'attendance.'],
  blocks: ['block.', 'blocks.'],
  rooms: ['room.'],
  settings: ['settings.', 'template.', 'media.', 'house_text.'],
  accounts: ['user.', 'auth.', 'feed.'],
  privacy: ['privacy.', 'export.'],
  mail: ['outbox.'],
} as const;
export type AuditArea = keyof typeof AUDIT_AREAS;
const AREA_CODES = Object.keys(AUDIT_AREAS) as [AuditArea, ...AuditArea[]];

export const auditFilterSchema = z.object({
  action: z
    .string()
    .trim()
    .max(80, 'audit.error.filter')
    .regex(/^[a-z0-9_.]*$/, 'audit.error.filter'),
  user: z
    .string()
    .trim()
    .regex(/^(\d{1,9}|system|group)?$/, 'audit.error.filter'),
  entity: z
    .string()
    .trim()
    .max(40, 'audit.error.filter')
    .regex(/^[a-z_]*$/, 'audit.error.filter'),
  entity_id: z
    .string()
    .trim()
    .regex(/^\d{0,9}$/, 'audit.error.filter'),
  area: z.union([z.literal(''), z.enum(AREA_CODES)], { message: 'staffHouse.audit.error.area' }),
  q: z.string().trim().max(100, 'staffHouse.audit.error.search'),
  from: optionalDate,
  to: optionalDate,
  page: z
    .string()
    .trim()
    .regex(/^\d{0,6}$/, 'audit.error.filter')
    .transform((v) => Math.max(1, Number(v || '1'))),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;
