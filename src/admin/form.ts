// Small helpers the management forms share: zod issues to field messages, flash messages, checkbox lists.
import type { Request } from 'express';
import { z } from 'zod';
import type { MessageKey } from '../i18n/index.js';
import { inCalendarRange, parseDate } from '../time/index.js';

/** Zod issues → { field: translated message }, the first issue per field (messages are catalog keys). */
export function fieldErrors(req: Request, issues: readonly { path: PropertyKey[]; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) {
    const field = String(i.path[0] ?? 'form');
    if (!out[field]) out[field] = req.t(i.message as MessageKey);
  }
  return out;
}

/** A form value that may be missing, one string, or repeated (checkbox groups). */
export function asList(v: unknown): string[] {
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

/** Reads (and clears) the flash message set before a redirect. */
export function takeFlash(req: Request): string {
  const key = req.session?.flash;
  if (!key) return '';
  delete req.session.flash;
  return req.t(key as MessageKey);
}

export function setFlash(req: Request, key: MessageKey): void {
  req.session.flash = key;
}

/** A staff date lies in the calendar's years (the same bounds as the public calendar). */
export const inStaffDateRange = inCalendarRange;

/** A `YYYY-MM-DD` form field (required unless `optional`, then empty is fine): `invalidKey` when it is no date, a range message when out of bounds. */
export function staffDateField(invalidKey: MessageKey, opts: { optional?: boolean } = {}) {
  return z.string().trim().superRefine((v, c) => {
    if (opts.optional && v === '') return;
    const d = parseDate(v);
    if (!d) c.addIssue({ code: 'custom', message: invalidKey });
    else if (!inStaffDateRange(d)) c.addIssue({ code: 'custom', message: 'staff.error.dateOutOfRange' });
  });
}

/** A query date for a form's default: the date when valid and in range, else `fallback`. */
export function queryDateOr(v: unknown, fallback: string): string {
  const d = parseDate(v);
  return d && inStaffDateRange(d) ? d : fallback;
}
