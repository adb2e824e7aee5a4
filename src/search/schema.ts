// The query of GET /search ("find a free room"): its raw values (kept exactly as typed, to show them again) and
// the zod schema of their shape. Whether the wish fits the house (lead time, opening hours, clashes) is the
// service's business (service.ts); this file only says whether the values are well formed.
import { z } from 'zod';
import { EQUIPMENT, type Equipment } from '../constants.js';
import { isMessageKey, type MessageKey } from '../i18n/index.js';
import { inCalendarRange, minutesOf, parseDate } from '../time/index.js';
import { wholeNumber } from '../web/input.js';

/** The parameters, named as the request form names them where they mean the same (docs/api.md). */
export interface SearchValues {
  date: string;
  weekday: string;
  start: string;
  end: string;
  attendees: string;
  equipment: string[];
  repeat: string;
  lastDate: string;
}

export type SearchField = keyof SearchValues;

/** A field's message: a catalog key and its parameters. */
export interface SearchFieldError {
  key: MessageKey;
  params: Record<string, string | number>;
}
export type SearchErrors = Partial<Record<SearchField, SearchFieldError>>;

/** The most people a search may ask for (a bigger number is a typo, not a wish). */
export const MAX_ATTENDEES = 10_000;
const GRID_MINUTES = 15;
const MIN_MINUTES = 30;

const one = (v: unknown): string =>
  typeof v === 'string' ? v.trim().slice(0, 40) : Array.isArray(v) && typeof v[0] === 'string' ? v[0].trim().slice(0, 40) : '';
const many = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v])
    .filter((x): x is string => typeof x === 'string')
    .map((x) => x.slice(0, 40))
    .slice(0, 50);

/** The query's values (missing ones empty; a repeated single field counts with its first value). */
export function searchValues(q: Record<string, unknown>): SearchValues {
  return {
    date: one(q.date),
    weekday: one(q.weekday),
    start: one(q.start),
    end: one(q.end),
    attendees: one(q.attendees),
    equipment: many(q.equipment),
    repeat: one(q.repeat) || 'none',
    lastDate: one(q.lastDate),
  };
}

/** Nothing asked yet (a first visit, or the form sent empty): the page shows just the form. */
export function isEmptySearch(v: SearchValues): boolean {
  return !v.date && !v.weekday && !v.start && !v.end && !v.attendees && !v.equipment.length && !v.lastDate;
}

const dateField = z.string().refine((v) => v === '' || (parseDate(v) !== null && inCalendarRange(v)), { message: 'search.error.date' satisfies MessageKey });
const timeField = (missing: MessageKey, allowMidnight: boolean) =>
  z
    .string()
    .min(1, missing)
    .refine((v) => /^([01]\d|2[0-3]):[0-5]\d$/.test(v) || (allowMidnight && v === '24:00'), { message: 'search.error.time' satisfies MessageKey })
    .refine((v) => minutesOf(v) % GRID_MINUTES === 0, { message: 'search.error.grid' satisfies MessageKey });

export const searchSchema = z
  .object({
    date: dateField,
    weekday: z.string().regex(/^[1-7]?$/, 'search.error.weekday'),
    start: timeField('search.error.startMissing', false),
    end: timeField('search.error.endMissing', true),
    attendees: z.string().refine((v) => v === '' || wholeNumber('search.error.attendees', 1, MAX_ATTENDEES).safeParse(v).success, 'search.error.attendees'),
    equipment: z.array(z.enum(EQUIPMENT, 'search.error.equipment')).max(EQUIPMENT.length, 'search.error.equipment'),
    repeat: z.enum(['none', 'weekly'], 'search.error.repeat'),
    lastDate: dateField,
  })
  .superRefine((v, c) => {
    if (v.date === '' && v.weekday === '') c.addIssue({ code: 'custom', path: ['date'], message: 'search.error.whenMissing' });
    if (v.date !== '' && v.weekday !== '') c.addIssue({ code: 'custom', path: ['weekday'], message: 'search.error.whenBoth' });
    if (v.repeat === 'weekly' && v.lastDate === '') c.addIssue({ code: 'custom', path: ['lastDate'], message: 'search.error.lastDateMissing' });
    const times = /^\d\d:\d\d$/;
    if (times.test(v.start) && times.test(v.end)) {
      const length = minutesOf(v.end) - minutesOf(v.start);
      if (length <= 0) c.addIssue({ code: 'custom', path: ['end'], message: 'search.error.endBeforeStart' });
      else if (length < MIN_MINUTES) c.addIssue({ code: 'custom', path: ['end'], message: 'search.error.tooShort' });
    }
  });

/** A well-formed wish: either a date or a weekday, wall-clock times, at least `attendees` people, the equipment. */
export interface SearchQuery {
  date: string | null;
  /** 1 = Monday … 7 = Sunday. */
  weekday: number | null;
  start: string;
  end: string;
  attendees: number | null;
  equipment: Equipment[];
  /** Every week until this date (inclusive); null: once. */
  lastDate: string | null;
}

/** The parameters a message needs (the values are repeated as typed, never as markup: views escape them). */
function paramsOf(key: MessageKey): Record<string, string | number> {
  if (key === 'search.error.grid') return { minutes: GRID_MINUTES };
  if (key === 'search.error.tooShort') return { minutes: MIN_MINUTES };
  if (key === 'search.error.attendees') return { max: MAX_ATTENDEES };
  return {};
}

/** Validates the shape; every issue becomes a catalog key on its field (the first per field wins). */
export function parseSearch(v: SearchValues): { ok: true; query: SearchQuery } | { ok: false; errors: SearchErrors } {
  const r = searchSchema.safeParse(v);
  if (!r.success) {
    const errors: SearchErrors = {};
    for (const issue of r.error.issues) {
      const field = String(issue.path[0]) as SearchField;
      if (errors[field]) continue;
      const key: MessageKey = isMessageKey(issue.message) ? issue.message : 'search.error.invalid';
      errors[field] = { key, params: paramsOf(key) };
    }
    return { ok: false, errors };
  }
  const d = r.data;
  return {
    ok: true,
    query: {
      date: d.date || null,
      weekday: d.weekday ? Number(d.weekday) : null,
      start: d.start,
      end: d.end,
      attendees: d.attendees === '' ? null : Number(d.attendees),
      equipment: [...new Set(d.equipment)],
      lastDate: d.repeat === 'weekly' ? d.lastDate : null,
    },
  };
}
