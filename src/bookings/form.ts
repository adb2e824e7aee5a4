// The request form: its raw values (kept exactly as typed, to show them again) and its zod schema.
// The booking rules themselves are checked in rules.ts/series.ts (see plan.ts); this file checks the shape.
import { z } from 'zod';
import { DateTime } from 'luxon';
import { isMessageKey, type MessageKey } from '../i18n/index.js';
import { parseDate } from '../time/index.js';
import { formatLocale } from '../time/format.js';

import { CATEGORIES } from '../constants.js';
import type { PublicClash } from './clashes.js';

export { CATEGORIES };

/** Longest accepted text per field (longer input gets a message, never a silent cut). */
export const MAX = {
  room: 100,
  date: 20,
  time: 20,
  title: 120,
  publicTitle: 120,
  publicDescription: 500,
  organisation: 160,
  contactName: 120,
  email: 254,
  phone: 40,
  attendees: 10,
  notes: 2000,
  lastDate: 20,
  equipment: 40,
  /** Hand-picked dates: room for 60 dates and their separators. */
  pickedDates: 1500,
} as const;

/** The form's values as the user typed them. */
export interface RequestFormValues {
  room: string;
  date: string;
  start: string;
  end: string;
  title: string;
  publicTitle: string;
  showPublicTitle: boolean;
  /** Listed in the public programme, with a short plain-text description. */
  publicEvent: boolean;
  publicDescription: string;
  organisation: string;
  contactName: string;
  email: string;
  phone: string;
  attendees: string;
  category: string;
  equipment: string[];
  notes: string;
  acceptRules: boolean;
  acceptPrivacy: boolean;
  repeat: string;
  everyWeeks: string;
  lastDate: string;
  /** Monthly rhythm: '1'–'4' or 'last'. */
  nth: string;
  /** Hand-picked rhythm: the further dates as typed. */
  pickedDates: string;
}

export type FormField = keyof RequestFormValues;

/**
 * Field errors: the field's catalog key and parameters. A refusal that names clashes carries them as data
 * (`clashes`): the view describes them in the reader's language as the message's `clash` parameter
 * (present.ts fieldErrorText), so the service needs no translator.
 */
export type FormErrors = Partial<Record<FormField, FieldError>>;
export interface FieldError {
  key: MessageKey;
  params: Record<string, string | number>;
  clashes?: readonly PublicClash[];
  /** Parameters that are ISO dates (one or a list), written for people by the view (present.ts fieldErrorText). */
  dates?: Record<string, string[]>;
}

export function emptyValues(): RequestFormValues {
  return {
    room: '',
    date: '',
    start: '',
    end: '',
    title: '',
    publicTitle: '',
    showPublicTitle: false,
    publicEvent: false,
    publicDescription: '',
    organisation: '',
    contactName: '',
    email: '',
    phone: '',
    attendees: '',
    category: '',
    equipment: [],
    notes: '',
    acceptRules: false,
    acceptPrivacy: false,
    repeat: 'none',
    everyWeeks: '1',
    lastDate: '',
    nth: '1',
    pickedDates: '',
  };
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const checked = (v: unknown) => v === 'on' || v === '1' || v === 'yes';
const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');

/** Reads the posted body into form values (missing fields empty, checkboxes as booleans). */
export function valuesFromBody(body: Record<string, unknown> | undefined): RequestFormValues {
  const b = body ?? {};
  return {
    room: str(b.room),
    date: str(b.date).trim(),
    start: str(b.start).trim(),
    end: str(b.end).trim(),
    title: str(b.title),
    publicTitle: str(b.publicTitle),
    showPublicTitle: checked(b.showPublicTitle),
    publicEvent: checked(b.publicEvent),
    publicDescription: str(b.publicDescription),
    organisation: str(b.organisation),
    contactName: str(b.contactName),
    email: str(b.email),
    phone: str(b.phone),
    attendees: str(b.attendees).trim(),
    category: str(b.category),
    equipment: list(b.equipment).slice(0, 50),
    notes: str(b.notes),
    acceptRules: checked(b.acceptRules),
    acceptPrivacy: checked(b.acceptPrivacy),
    repeat: str(b.repeat) || 'none',
    everyWeeks: str(b.everyWeeks) || '1',
    lastDate: str(b.lastDate).trim(),
    nth: str(b.nth) || '1',
    pickedDates: str(b.pickedDates),
  };
}

const text = (max: number, missing?: MessageKey) => {
  const base = z.string().trim().max(max);
  return missing ? base.min(1, missing) : base;
};

/** The shape of a request; `confirmations` is false when a group edits its request (accepted already). */
export function requestSchema(opts: { confirmations: boolean }) {
  return z
    .object({
      room: text(MAX.room, 'requests.error.room'),
      date: text(MAX.date, 'requests.error.dateMissing'),
      start: text(MAX.time, 'requests.error.startMissing'),
      end: text(MAX.time, 'requests.error.endMissing'),
      title: text(MAX.title, 'requests.error.title'),
      publicTitle: text(MAX.publicTitle),
      showPublicTitle: z.boolean(),
      publicEvent: z.boolean(),
      publicDescription: text(MAX.publicDescription),
      organisation: text(MAX.organisation),
      contactName: text(MAX.contactName, 'requests.error.contactName'),
      email: text(MAX.email, 'requests.error.emailMissing').pipe(z.email('requests.error.email')),
      phone: text(MAX.phone).refine((v) => v === '' || /^\+?[0-9 ()/.-]{3,}$/.test(v), 'requests.error.phone'),
      // No length limit here: rule 4 (the room's capacity) answers a number of any size.
      attendees: z
        .string()
        .trim()
        .min(1, 'requests.error.attendees')
        .regex(/^\d+$/, 'requests.error.attendees')
        .transform(Number)
        .pipe(z.number().min(1, 'requests.error.attendees')),
      category: z.enum(CATEGORIES, 'requests.error.category'),
      equipment: z.array(z.string().max(MAX.equipment)).max(50),
      notes: text(MAX.notes),
      acceptRules: opts.confirmations ? z.literal(true, 'requests.error.acceptRules') : z.boolean(),
      acceptPrivacy: opts.confirmations ? z.literal(true, 'requests.error.acceptPrivacy') : z.boolean(),
      repeat: z.enum(['none', 'weekly', 'monthly', 'dates'], 'requests.error.repeat'),
      everyWeeks: z.string().max(10),
      lastDate: text(MAX.lastDate),
      nth: z.string().max(10),
      pickedDates: z.string().max(MAX.pickedDates),
    })
    .superRefine((v, c) => {
      if (v.showPublicTitle && v.publicTitle === '') {
        c.addIssue({ code: 'custom', path: ['publicTitle'], message: 'requests.error.publicTitleMissing' });
      } else if (v.publicEvent && v.publicTitle === '') {
        c.addIssue({ code: 'custom', path: ['publicTitle'], message: 'programme.error.titleMissing' });
      }
      if (v.publicEvent && v.publicDescription === '') {
        c.addIssue({ code: 'custom', path: ['publicDescription'], message: 'programme.error.descriptionMissing' });
      }
    });
}

export type RequestInput = z.output<ReturnType<typeof requestSchema>>;

/** Validates the shape; every issue becomes a catalog key on its field (the first per field wins). */
export function parseRequestForm(
  values: RequestFormValues,
  opts: { confirmations: boolean },
): { ok: true; data: RequestInput } | { ok: false; errors: FormErrors } {
  const r = requestSchema(opts).safeParse(values);
  if (r.success) return { ok: true, data: r.data };
  const errors: FormErrors = {};
  for (const issue of r.error.issues) {
    const field = String(issue.path[0]) as FormField;
    if (errors[field]) continue;
    if (issue.code === 'too_big') {
      errors[field] = { key: 'requests.error.maxLength', params: { max: Number(issue.maximum) } };
    } else {
      errors[field] = { key: isMessageKey(issue.message) ? issue.message : 'requests.error.invalid', params: {} };
    }
  }
  return { ok: false, errors };
}

/**
 * An example date written the way the page's language writes it ("24.12.2026", "24/12/2026"): for the date
 * hints and messages, so they match what a browser without a date picker expects people to type.
 */
export function dateExample(lang: string): string {
  return DateTime.fromISO('2026-12-24', { zone: 'UTC' }).setLocale(formatLocale(lang)).toLocaleString({ day: '2-digit', month: '2-digit', year: 'numeric' });
}

// Day first, as German and British English write it: 24.12.2026, 24. 12. 2026, 24/12/2026, 1.2.2027.
const TYPED_DATE = /^(\d{1,2})\s*[./]\s*(\d{1,2})\s*[./]\s*(\d{4})$/;

/** A date typed the way people write it, as 'YYYY-MM-DD' when it exists; anything else stays as typed. */
export function readTypedDate(v: string): string {
  const m = TYPED_DATE.exec(v.trim());
  if (!m) return v;
  const iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return parseDate(iso) ?? v;
}

/** The form's dates typed as people write them (a browser without a date picker), read as dates. */
export function readTypedDates(values: RequestFormValues): RequestFormValues {
  return { ...values, date: readTypedDate(values.date), lastDate: readTypedDate(values.lastDate) };
}
