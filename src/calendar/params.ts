// Query parameters of the public calendar pages and the API: a bad value throws a DomainError (bad_date, bad_month,
// date_out_of_range) that the web edge (src/web/errors.ts) shows as a 400 in the user's language.
import { z } from 'zod';
import { CALENDAR_FIRST_DATE, CALENDAR_LAST_DATE, inCalendarRange, parseDate, parseMonth } from '../time/index.js';
import { DomainError, type DomainErrorCode } from '../errors.js';

// Dates outside the calendar's years (src/time) are refused: nobody books there, and links beyond stay sane.
const FIRST_MONTH = CALENDAR_FIRST_DATE.slice(0, 7);
const LAST_MONTH = CALENDAR_LAST_DATE.slice(0, 7);

/** A bad value as the error message repeats it: short, and without characters that could form markup. */
export function shown(v: unknown, max = 40): string {
  return (Array.isArray(v) ? v.join(',') : String(v)).slice(0, max).replace(/[^\p{L}\p{N} ._:,/+-]/gu, '?');
}

const dateSchema = z
  .string('error.badDate')
  .max(10, 'error.badDate')
  .transform((v, c) => {
    const d = parseDate(v);
    if (!d) {
      c.addIssue({ code: 'custom', message: 'error.badDate' });
      return z.NEVER;
    }
    if (!inCalendarRange(d)) {
      c.addIssue({ code: 'custom', message: 'error.dateOutOfRange' });
      return z.NEVER;
    }
    return d;
  });

const monthSchema = z
  .string('error.badMonth')
  .max(7, 'error.badMonth')
  .transform((v, c) => {
    const m = parseMonth(v);
    if (!m) {
      c.addIssue({ code: 'custom', message: 'error.badMonth' });
      return z.NEVER;
    }
    if (m < FIRST_MONTH || m > LAST_MONTH) {
      c.addIssue({ code: 'custom', message: 'error.dateOutOfRange' });
      return z.NEVER;
    }
    return m;
  });

type ParamError = 'bad_date' | 'bad_month' | 'date_out_of_range';
/** The schemas' messages (catalog keys, as zod's issue text) and the domain error code of each. */
const PARAM_ERRORS: Readonly<Record<string, ParamError>> = {
  'error.badDate': 'bad_date',
  'error.badMonth': 'bad_month',
  'error.dateOutOfRange': 'date_out_of_range',
};
/** The code of a refused value; any other message (a wrong type) counts as a bad value. */
const paramError = (message: string, fallback: ParamError): DomainErrorCode => PARAM_ERRORS[message] ?? fallback;
const RANGE = { from: CALENDAR_FIRST_DATE.slice(0, 4), to: CALENDAR_LAST_DATE.slice(0, 4) };

/** A `YYYY-MM-DD` query value; `fallback` when absent or empty; a 400 when it does not exist. */
export function dateParam(value: unknown, fallback: string): string {
  if (value === undefined || value === '') return fallback;
  const r = dateSchema.safeParse(value);
  if (!r.success) throw new DomainError(paramError(r.error.issues[0]!.message, 'bad_date'), { value: shown(value), ...RANGE });
  return r.data;
}

/** A `YYYY-MM` query value; `fallback` when absent or empty; a 400 when invalid. */
export function monthParam(value: unknown, fallback: string): string {
  if (value === undefined || value === '') return fallback;
  const r = monthSchema.safeParse(value);
  if (!r.success) throw new DomainError(paramError(r.error.issues[0]!.message, 'bad_month'), { value: shown(value), ...RANGE });
  return r.data;
}

/** A room slug from the query: letters, digits and dashes. */
export function slugParam(value: unknown): string | undefined | null {
  if (value === undefined || value === '') return undefined;
  return typeof value === 'string' && /^[a-z0-9][a-z0-9-]{0,79}$/.test(value) ? value : null;
}
