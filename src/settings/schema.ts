// The house settings form: its zod schema, the opening hours check, and the raw form values it reads.
import { z } from 'zod';
import type { Weekday } from '../db/schema.js';
import { FEDERAL_STATES } from '../time/holidays.js';
import type { MessageKey } from '../i18n/index.js';
import { LANGUAGE_REGISTRY, REFERENCE_LANGUAGE, STAFF_LANGUAGES } from '../i18n/languages.js';
import { isValidZone, minutesOf, TIME_RE } from '../time/index.js';

export const WEEKDAYS: Weekday[] = ['1', '2', '3', '4', '5', '6', '7'];

const intField = (min: number, max: number, key: MessageKey) =>
  z.string().trim().regex(/^\d+$/, key).transform(Number).pipe(z.number().int().min(min, key).max(max, key));
const text = (max: number) =>
  z
    .string()
    .max(max, 'settings.error.tooLong')
    .transform((s) => s.replace(/\r\n/g, '\n'));
const line = (max: number) => z.string().trim().max(max, 'settings.error.tooLong');

const hoursFields = Object.fromEntries(
  WEEKDAYS.flatMap((d) => [
    [`open_${d}`, z.string().trim().default('')],
    [`close_${d}`, z.string().trim().default('')],
    [
      `closed_${d}`,
      z
        .any()
        .optional()
        .transform((v) => v === '1' || v === 'on'),
    ],
  ]),
) as Record<string, z.ZodType>;

/** The languages the house can switch off: every registered one but German (an "offered_<code>" checkbox each). */
export const SWITCHABLE_LANGUAGES = LANGUAGE_REGISTRY.map((l) => l.code).filter((c) => c !== REFERENCE_LANGUAGE);

/** The languages switched off in the posted form, as stored ('tr fa'); the default language stays on. */
export function disabledLanguagesOf(v: Record<string, unknown>, defaultLanguage: string): string {
  return SWITCHABLE_LANGUAGES.filter((c) => c !== defaultLanguage && v[`offered_${c}`] !== '1').join(' ');
}

const offeredFields = Object.fromEntries(
  SWITCHABLE_LANGUAGES.map((c) => [
    `offered_${c}`,
    z
      .any()
      .optional()
      .transform((v) => (v === '1' ? '1' : '')),
  ]),
) as Record<string, z.ZodType<string>>;

export const settingsSchema = z.object({
  house_name: z.string().trim().min(1, 'settings.error.houseName').max(120, 'settings.error.tooLong'),
  street: line(120),
  postal_code: line(12),
  city: line(80),
  contact_name: line(120),
  contact_email: z
    .string()
    .trim()
    .max(254, 'settings.error.tooLong')
    .refine((v) => v === '' || z.email().safeParse(v).success, 'settings.error.email'),
  contact_phone: line(40),
  lead_time_days: intField(0, 365, 'settings.error.leadTime'),
  horizon_months: intField(1, 36, 'settings.error.horizon'),
  retention_months: intField(1, 120, 'settings.error.retention'),
  federal_state: z.enum(FEDERAL_STATES, 'settings.error.federalState'),
  // The house's default language is one the staff pages speak too (a public-only language is offered below).
  default_language: z.enum(STAFF_LANGUAGES, 'settings.error.language'),
  timezone: z
    .string()
    .trim()
    .max(64, 'settings.error.timezone')
    .refine((v) => v.includes('/') && isValidZone(v), 'settings.error.timezone'),
  about_text: text(10000),
  rules_text: text(50000),
  privacy_text: text(50000),
  imprint_text: text(10000),
  reminder_days: intField(0, 30, 'reminders.error.days'),
  key_pickup_text: line(200),
  summary_hour: intField(0, 23, 'reminders.error.hour'),
  attendance_mails: z
    .string()
    .optional()
    .transform((v) => (v ? 1 : 0)),
  api_origins: z
    .string()
    .max(4000, 'settings.error.tooLong')
    .transform((v, c) => {
      const r = parseOrigins(v);
      if (typeof r === 'string') c.addIssue({ code: 'custom', message: r });
      return typeof r === 'string' ? z.NEVER : r.join('\n');
    }),
  ...hoursFields,
  ...offeredFields,
});

/**
 * The API's allowed origins as typed (one per line, or separated by spaces or commas): each `http(s)://host[:port]`
 * without a path, or `*` alone for every site. Normalised (lower-case host, no default port, no trailing slash) and
 * without repeats; a catalog key when one entry is not an origin.
 */
export function parseOrigins(text: string): string[] | MessageKey {
  const entries = text.split(/[\s,]+/).filter(Boolean);
  if (entries.includes('*')) return entries.every((e) => e === '*') ? ['*'] : 'api.settings.error.star';
  const out: string[] = [];
  for (const e of entries) {
    let url: URL;
    try {
      url = new URL(e);
    } catch {
      return 'api.settings.error.origin';
    }
    // Scheme and host (and port) only: a path, query, fragment or user name would never match a browser's Origin.
    if (!/^https?:\/\/[^/?#@\s]+\/?$/i.test(e) || url.hostname === '') return 'api.settings.error.origin';
    if (!out.includes(url.origin)) out.push(url.origin);
  }
  return out;
}

export type SettingsInput = z.infer<typeof settingsSchema>;

/** A posted field's text ('' when missing or not one string). */
const textOf = (x: unknown): string => (typeof x === 'string' ? x : '');

/** Opening hours: HH:MM each, closing after opening, unless the day is marked closed. Checked even when other fields fail. */
export function openingHoursIssues(v: Record<string, unknown>): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  for (const d of WEEKDAYS) {
    if (v[`closed_${d}`] === '1' || v[`closed_${d}`] === 'on' || v[`closed_${d}`] === true) continue;
    const open = textOf(v[`open_${d}`]).trim();
    const close = textOf(v[`close_${d}`]).trim();
    if (!TIME_RE.test(open) || !(TIME_RE.test(close) || close === '24:00')) {
      issues.push({ path: [`open_${d}`], message: 'settings.error.hoursFormat' });
    } else if (minutesOf(close) <= minutesOf(open)) {
      issues.push({ path: [`open_${d}`], message: 'settings.error.hoursOrder' });
    }
  }
  return issues;
}

/** The posted form as strings (kept as typed, to show again); fields not sent are '' (checkboxes stay absent). */
export function formValues(body: Record<string, unknown>): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(body)) if (k !== '_csrf') v[k] = typeof val === 'string' ? val : '';
  for (const k of Object.keys(settingsSchema.shape)) if (!(k in v) && !k.startsWith('closed_')) v[k] = '';
  return v;
}
