// What every form field must satisfy before any rule looks at it: numbers spelled as digits (checked against
// their bounds whatever their length), ids as ids.
import { z } from 'zod';
import { parseDate } from '../time/index.js';

/**
 * A whole number typed into a form: ASCII digits only (no sign, exponent, hex, spaces or decimal point),
 * then checked against [min, max] as a number, so 4294967297 or twenty digits fail the bound instead of
 * wrapping or slipping past a length check. `key`: the field's catalog message for every failure.
 */
export function wholeNumber(key: string, min: number, max: number) {
  return z
    .string({ message: key })
    .trim()
    .regex(/^\d+$/, { message: key })
    .transform(Number)
    .pipe(z.number().int({ message: key }).min(min, { message: key }).max(max, { message: key }));
}

/** A positive database id in a form or URL: digits only, at most 15 (a safe integer). */
export function idField(key: string) {
  return z
    .string({ message: key })
    .trim()
    .regex(/^\d{1,15}$/, { message: key })
    .transform(Number)
    .pipe(z.number().int({ message: key }).positive({ message: key }));
}

/**
 * Form fields that are several lines (textareas): they keep TAB, CR and LF. Every other field is one line.
 * test/http/input-text.test.ts checks that every textarea of the views is listed here.
 */
export const MULTILINE_FIELDS: ReadonlySet<string> = new Set([
  'notes',
  'description',
  'accessibility_notes',
  'message',
  'approve_message',
  'reject_message',
  'body',
  'about_text',
  'rules_text',
  'privacy_text',
  'imprint_text',
  // The request form's hand-picked dates, one per line (and the staff's direct booking's).
  'pickedDates',
  'picked_dates',
  // A translation of a house text (/admin/translations); one-line fields fold line breaks in their schema.
  'translation',
  // The public notice while the house's contact is away (/admin/absence).
  'notice',
  // The origins allowed to embed the programme widget, one per line (/admin/programme/embed).
  'origins',
  // An internal note of the staff on a request.
  'note',
  // The origins allowed to read the API from a browser (CORS), one per line (/admin/settings).
  'api_origins',
  // A public event's description in the programme (request form, manage page, staff).
  'publicDescription',
]);

/** Passwords are compared and hashed, never stored or shown as text: they reach the password check untouched. */
const VERBATIM_FIELDS: ReadonlySet<string> = new Set(['password', 'current_password', 'new_password', 'new_password_confirm']);

// C0 controls but TAB, LF, CR; DEL; C1 controls; the bidi embeddings, overrides and isolates (U+202A–U+202E,
// U+2066–U+2069: they can reorder a public title on the week page, "Trojan Source"; the marks U+200E/U+200F
// stay, they only hint a direction); a surrogate half without its other half.
const NEVER =
  // eslint-disable-next-line no-control-regex -- removing control characters is what this pattern is for
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// In a one-line field also TAB, CR, LF and the Unicode line and paragraph separators: each run becomes one space.
const LINE_BREAKS = /[\t\r\n\u2028\u2029]+/g;

/** A typed text without control characters (bidi embeddings, overrides and isolates included): removed (never a reason to refuse a whole form); line breaks only where the field is multi-line. */
export function cleanText(s: string, multiline: boolean): string {
  const out = s.replace(NEVER, '');
  return multiline ? out : out.replace(LINE_BREAKS, ' ');
}

function cleanValue(key: string, v: unknown): unknown {
  if (typeof v === 'string') return VERBATIM_FIELDS.has(key) ? v : cleanText(v, MULTILINE_FIELDS.has(key));
  if (Array.isArray(v)) return v.map((x) => cleanValue(key, x));
  return v;
}

/** Every text field of a parsed form or query, cleaned by cleanText (the field name decides one line or several). */
export function cleanFields<T>(fields: T): T {
  if (!fields || typeof fields !== 'object') return fields;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields as Record<string, unknown>)) out[cleanText(k, false)] = cleanValue(k, v);
  return out as T;
}

/**
 * The value of a `type=date` input: the date when it exists, else empty. Browsers drop (or misshow) a value
 * that is no date, so `2026-02-30`, `abc` or `99999-01-01` is never put there; typedDate shows it next to the field.
 */
export function dateValue(v: unknown): string {
  return parseDate(v) ?? '';
}

/** What was typed into a date field when it is no date (to show it, so nothing typed is lost); else empty. */
export function typedDate(v: unknown): string {
  return typeof v === 'string' && v.trim() !== '' && !parseDate(v) ? v : '';
}

// What a type=time input holds: HH:MM from 00:00 to 23:59, and 24:00, the app's end of day (kept as typed).
const TIME_VALUE = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** The value of a `type=time` input: the time when it is one, else empty (typedTime shows what was typed). */
export function timeValue(v: unknown): string {
  return typeof v === 'string' && TIME_VALUE.test(v) ? v : '';
}

/** What was typed into a time field when it is no time (`25:00`, `abc`); else empty. */
export function typedTime(v: unknown): string {
  return typeof v === 'string' && v.trim() !== '' && !TIME_VALUE.test(v) ? v : '';
}

/**
 * The ` aria-describedby="…"` attribute of a field (with its leading space), naming the ids given that are
 * set, in order (errors, the "Eingegeben war …" hint of an impossible date or time, the field's hint); empty
 * when none is. For views: `<input …<%- describedBy(errors.date && 'date-error', typedDate(values.date) && 'date-typed') %>>`.
 */
export function describedBy(...ids: unknown[]): string {
  const list = ids.filter((id): id is string => typeof id === 'string' && /^[\w-]+$/.test(id));
  return list.length ? ` aria-describedby="${list.join(' ')}"` : '';
}
