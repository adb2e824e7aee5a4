// Everything a staff or public form handler shares, in one place: field errors from zod issues, ids from the
// path and from checkbox lists, checkbox values, staff date fields, and the notice shown on the next page after
// a redirect (post/redirect/get). Handlers parse with these, call one service, and render.
import type { Request } from 'express';
import { z } from 'zod';
import { isMessageKey, type MessageKey, type Params, type Translate } from '../i18n/index.js';
import { inCalendarRange, parseDate } from '../time/index.js';
import { NotFoundError } from './errors.js';
import { sessionIfAny, sessionOf } from './sessions.js';

export { idField, wholeNumber } from './input.js';

declare module 'express-session' {
  interface SessionData {
    /** The notice for the next page after a redirect: catalog key and parameters (see setNotice). */
    notice?: { key: string; params?: Params };
  }
}

/**
 * The posted form as plain data: express.urlencoded gives an object of strings and string arrays (or nothing
 * for a post without a form body); handlers read it through this once and then parse it with zod.
 */
export function formBody(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}

/** A posted or queried field shown back in a form: its text, or the fallback when missing or not one string. */
export function textOf(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : fallback;
}

/** Longest message a caretaker may write into a decision, a change or a template. */
export const MESSAGE_MAX = 2000;

type Issue = { readonly path: readonly PropertyKey[]; readonly message: string };

/**
 * Zod issues → { field: translated message }, the first issue per field. Schemas carry catalog keys as their
 * messages; an issue without one (zod's own wording) reads `fallback`, never English from zod.
 */
export function fieldErrors(issues: readonly Issue[] | z.ZodError, t: Translate, fallback: MessageKey = 'staff.error.invalid'): Record<string, string> {
  const list = issues instanceof z.ZodError ? issues.issues : issues;
  const out: Record<string, string> = {};
  for (const i of list) {
    const field = String(i.path[0] ?? 'form');
    if (!out[field]) out[field] = t(isMessageKey(i.message) ? i.message : fallback);
  }
  return out;
}

/** A positive id in the path (`/admin/requests/:id`): anything else is a page that does not exist (404). */
export function idParam(v: unknown): number {
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d{1,15}$/.test(v) || !Number.isSafeInteger(n) || n <= 0) throw new NotFoundError();
  return n;
}

/** A form value that may be missing, one string, or repeated (checkbox groups). */
export function asList(v: unknown): string[] {
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

/** A checkbox group of ids (urlencoded without `extended` gives string | string[]): positive whole numbers. */
export const idList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v, c) => {
    const given = asList(v);
    if (given.some((s) => !/^\d{1,15}$/.test(s)) || given.some((s) => Number(s) <= 0)) {
      c.addIssue({ code: 'custom', message: 'staff.error.invalid' });
      return z.NEVER;
    }
    return given.map(Number);
  });

/** A single checkbox: sent ("on", "1", "true") or not. */
export const checkbox = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => asList(v).length > 0);

/** A caretaker's free-text message (decisions, changes): trimmed, at most MESSAGE_MAX characters. */
export const messageField = z.string().trim().max(MESSAGE_MAX, { message: 'staff.error.messageTooLong' }).default('');

/** A `HH:MM` start time of a form (00:00–23:59). */
export const startTimeField = (key: MessageKey) => z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: key });
/** A `HH:MM` end time of a form: 24:00 means the end of the day. */
export const endTimeField = (key: MessageKey) => z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: key });

/** A `YYYY-MM-DD` form field (required unless `optional`, then empty is fine): `invalidKey` when it is no date, a range message when out of bounds. */
export function staffDateField(invalidKey: MessageKey, opts: { optional?: boolean } = {}) {
  return z
    .string()
    .trim()
    .superRefine((v, c) => {
      if (opts.optional && v === '') return;
      const d = parseDate(v);
      if (!d) c.addIssue({ code: 'custom', message: invalidKey });
      else if (!inCalendarRange(d)) c.addIssue({ code: 'custom', message: 'staff.error.dateOutOfRange' });
    });
}

/** A query date for a form's default: the date when valid and within the calendar's years, else `fallback`. */
export function queryDateOr(v: unknown, fallback: string): string {
  const d = parseDate(v);
  return d && inCalendarRange(d) ? d : fallback;
}

/** Remembers a notice for the next page (after a redirect). Only staff have sessions. */
export function setNotice(req: Request, key: MessageKey, params?: Params): void {
  sessionOf(req).notice = params ? { key, params } : { key };
}

/** The notice set before the redirect, translated, and forgotten; '' when there is none. */
export function takeNotice(req: Request): string {
  const session = sessionIfAny(req);
  const n = session?.notice;
  if (!session || !n) return '';
  delete session.notice;
  return isMessageKey(n.key) ? req.t(n.key, n.params) : '';
}
