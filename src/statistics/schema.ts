// The statistics' parameters (query string, so a report can be bookmarked) and the attendance form.
import { z } from 'zod';
import { CATEGORIES, isCategory, type Category } from '../constants.js';
import { addDays, addMonths, daysBetween, inCalendarRange, parseDate } from '../time/index.js';
import { staffDateField } from '../web/forms.js';

/** Longest custom period (the statistics of three years are still one quick pass). */
export const STATISTICS_MAX_DAYS = 3 * 366;
export const PERIODS = ['year', 'quarter', 'month', 'custom'] as const;
export type PeriodKind = (typeof PERIODS)[number];

export const STAT_PARAMS = ['period', 'year', 'quarter', 'month', 'from', 'to', 'room', 'category', 'group'] as const;
export type StatValues = Record<(typeof STAT_PARAMS)[number], string>;

export interface StatParams {
  period: PeriodKind;
  from: string;
  to: string;
  roomId: number | null;
  category: Category | null;
  group: string | null;
}

const optionalDate = staffDateField('statistics.error.date', { optional: true });

export const statisticsSchema = z
  .object({
    period: z.enum(PERIODS, { message: 'statistics.error.period' }),
    year: z
      .string()
      .trim()
      .regex(/^(\d{4})?$/, 'statistics.error.year'),
    quarter: z
      .string()
      .trim()
      .regex(/^([1-4])?$/, 'statistics.error.quarter'),
    month: z
      .string()
      .trim()
      .regex(/^((0?[1-9])|(1[0-2]))?$/, 'statistics.error.month'),
    from: optionalDate,
    to: optionalDate,
    room: z
      .string()
      .trim()
      .regex(/^(\d{1,9})?$/, 'statistics.error.room'),
    category: z
      .string()
      .trim()
      .refine((v) => v === '' || isCategory(v), 'statistics.error.category'),
    group: z.string().trim().max(200, 'statistics.error.group'),
  })
  .superRefine((v, c) => {
    if (v.period === 'custom') {
      if (!v.from) c.addIssue({ code: 'custom', path: ['from'], message: 'statistics.error.date' });
      if (!v.to) c.addIssue({ code: 'custom', path: ['to'], message: 'statistics.error.date' });
      if (!parseDate(v.from) || !parseDate(v.to) || !inCalendarRange(v.from) || !inCalendarRange(v.to)) return;
      if (v.to < v.from) c.addIssue({ code: 'custom', path: ['to'], message: 'statistics.error.order' });
      else if (daysBetween(v.from, v.to).length > STATISTICS_MAX_DAYS) c.addIssue({ code: 'custom', path: ['to'], message: 'statistics.error.tooLong' });
    } else {
      const y = Number(v.year);
      if (!v.year || y < 1971 || y > 2198) c.addIssue({ code: 'custom', path: ['year'], message: 'statistics.error.year' });
      if (v.period === 'quarter' && !v.quarter) c.addIssue({ code: 'custom', path: ['quarter'], message: 'statistics.error.quarter' });
      if (v.period === 'month' && !v.month) c.addIssue({ code: 'custom', path: ['month'], message: 'statistics.error.month' });
    }
  })
  .transform((v): StatParams => {
    let from = v.from;
    let to = v.to;
    if (v.period !== 'custom') {
      const months = v.period === 'year' ? 12 : v.period === 'quarter' ? 3 : 1;
      const firstMonth = v.period === 'year' ? 1 : v.period === 'quarter' ? (Number(v.quarter) - 1) * 3 + 1 : Number(v.month);
      from = `${v.year}-${String(firstMonth).padStart(2, '0')}-01`;
      to = addDays(addMonths(from, months), -1);
    }
    return {
      period: v.period,
      from,
      to,
      roomId: v.room ? Number(v.room) : null,
      category: v.category && isCategory(v.category) ? v.category : null,
      group: v.group || null,
    };
  });

/** The query's values as typed (strings; a missing one empty), the period defaulting to this year. */
export function statValues(q: Record<string, unknown>, today: string): StatValues {
  const out = {} as StatValues;
  for (const k of STAT_PARAMS) out[k] = typeof q[k] === 'string' ? q[k] : '';
  if (!Object.keys(q).some((k) => (STAT_PARAMS as readonly string[]).includes(k))) {
    out.period = 'year';
    out.year = today.slice(0, 4);
  }
  if (!out.period) out.period = 'year';
  if (!out.year) out.year = today.slice(0, 4);
  return out;
}

/** A parameter given twice (?year=2025&year=2026) is refused, not guessed. */
export function repeatedParam(q: Record<string, unknown>): string | null {
  for (const k of STAT_PARAMS) if (Array.isArray(q[k])) return k;
  return null;
}

export const attendanceSchema = z
  .object({
    attended: z
      .string()
      .trim()
      .regex(/^\d{0,6}$/, 'statistics.error.attended'),
    held: z.enum(['yes', 'no'], { message: 'statistics.error.held' }),
  })
  .superRefine((v, c) => {
    if (v.held === 'no' && v.attended !== '') c.addIssue({ code: 'custom', path: ['attended'], message: 'statistics.error.attendedNotHeld' });
    if (v.attended !== '' && Number(v.attended) > 100000) c.addIssue({ code: 'custom', path: ['attended'], message: 'statistics.error.attended' });
  })
  .transform((v) => ({ tookPlace: v.held === 'yes', attended: v.attended === '' ? null : Number(v.attended) }));

export { CATEGORIES };
