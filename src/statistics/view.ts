// The statistics as tables for people: the page, the printable report, CSV and XLSX all read these same
// tables, so the numbers cannot disagree. Each cell carries the raw value (XLSX) and its text (page, CSV).
import type { Translate } from '../i18n/index.js';
import type { MessageKey } from '../i18n/index.js';
import { formatDate, formatLocale, formatMonth, weekdayNames } from '../time/format.js';
import type { Statistics, Usage } from './compute.js';
import type { StatParams } from './schema.js';

export interface Cell {
  text: string;
  value: string | number | null;
}

export const TABLE_IDS = [
  'rooms',
  'occupancy',
  'weekdays',
  'hours',
  'overview',
  'attendance',
  'categories',
  'kinds',
  'cancellations',
  'refusals',
  'skipped',
  'leadtime',
] as const;
export type TableId = (typeof TABLE_IDS)[number];

export interface StatTable {
  id: TableId;
  title: string;
  head: string[];
  rows: Cell[][];
  /** A closing total row, if any. */
  foot: Cell[] | null;
}

export function isTableId(v: string): v is TableId {
  return (TABLE_IDS as readonly string[]).includes(v);
}

function numbers(lang: string) {
  const locale = formatLocale(lang);
  const one = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: 0 });
  const whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1, minimumFractionDigits: 1 });
  const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
  return {
    hours: (v: number): Cell => ({ text: one.format(v), value: round(v, 2) }),
    count: (v: number): Cell => ({ text: whole.format(v), value: v }),
    rate: (v: number | null): Cell => ({ text: v === null ? '–' : pct.format(v), value: v === null ? null : round(v, 4) }),
    days: (v: number | null): Cell => ({ text: v === null ? '–' : one.format(v), value: v === null ? null : round(v, 2) }),
  };
}

const text = (s: string): Cell => ({ text: s, value: s });

/** The period in words: "2026", "2. Quartal 2026", "März 2026", "1. März 2026 – 31. März 2026". */
export function periodLabel(p: StatParams, lang: string, t: Translate): string {
  if (p.period === 'year') return p.from.slice(0, 4);
  if (p.period === 'quarter')
    return t('statistics.period.quarterLabel', { quarter: String(Math.floor((Number(p.from.slice(5, 7)) - 1) / 3) + 1), year: p.from.slice(0, 4) });
  if (p.period === 'month') return formatMonth(p.from.slice(0, 7), lang);
  return t('statistics.period.range', { from: formatDate(p.from, lang, 'date'), to: formatDate(p.to, lang, 'date') });
}

const CATEGORY_KEYS = {
  education: 'category.education',
  culture: 'category.culture',
  social: 'category.social',
  integration: 'category.integration',
  sports: 'category.sports',
  celebration: 'category.celebration',
  other: 'category.other',
} as const satisfies Record<string, MessageKey>;

const SKIP_KEYS = { holiday: 'statistics.skip.holiday', closure: 'statistics.skip.closure', clash: 'statistics.skip.clash' } as const satisfies Record<
  string,
  MessageKey
>;

export function statisticsTables(s: Statistics, lang: string, t: Translate): StatTable[] {
  const n = numbers(lang);
  const days = weekdayNames(lang);
  const usageCells = (u: Usage) => [n.hours(u.available), n.hours(u.occupied), n.rate(u.rate)];
  const usageHead = [t('statistics.col.available'), t('statistics.col.occupied'), t('statistics.col.rate')];
  const a = s.attendance;
  return [
    {
      id: 'rooms',
      title: t('statistics.table.rooms'),
      head: [t('statistics.col.room'), t('statistics.col.dates'), t('statistics.col.hours')],
      rows: s.rooms.map((r) => [text(r.name), n.count(r.dates), n.hours(r.hours)]),
      foot: [text(t('statistics.total')), n.count(s.total.dates), n.hours(s.total.hours)],
    },
    {
      id: 'occupancy',
      title: t('statistics.table.occupancy'),
      head: [t('statistics.col.space'), ...usageHead],
      rows: s.spaces.map((r) => [text(r.name), ...usageCells(r)]),
      foot: [text(t('statistics.total')), ...usageCells(s.house)],
    },
    {
      id: 'weekdays',
      title: t('statistics.table.weekdays'),
      head: [t('statistics.col.weekday'), ...usageHead],
      rows: s.weekdays.map((w) => [text(days[w.weekday - 1] ?? String(w.weekday)), ...usageCells(w)]),
      foot: null,
    },
    {
      id: 'hours',
      title: t('statistics.table.hours'),
      head: [t('statistics.col.hourOfDay'), ...usageHead],
      rows: s.hoursOfDay.map((h) => [
        text(t('statistics.hourRange', { from: String(h.hour).padStart(2, '0'), to: String(h.hour + 1).padStart(2, '0') })),
        ...usageCells(h),
      ]),
      foot: null,
    },
    {
      id: 'overview',
      title: t('statistics.table.overview'),
      head: [t('statistics.col.measure'), t('statistics.col.value')],
      rows: [
        [text(t('statistics.measure.dates')), n.count(s.total.dates)],
        [text(t('statistics.measure.hours')), n.hours(s.total.hours)],
        [text(t('statistics.measure.requests')), n.count(s.requests)],
        [text(t('statistics.measure.groups')), n.count(s.groups)],
      ],
      foot: null,
    },
    {
      id: 'attendance',
      title: t('statistics.table.attendance'),
      head: [t('statistics.col.measure'), t('statistics.col.value')],
      rows: [
        [text(t('statistics.measure.expected')), n.count(a.expected)],
        [text(t('statistics.measure.expectedPerDate')), n.days(s.total.dates ? a.expected / s.total.dates : null)],
        [text(t('statistics.measure.pastDates')), n.count(a.pastDates)],
        [text(t('statistics.measure.reported')), n.count(a.reported)],
        [text(t('statistics.measure.actual')), n.count(a.actual)],
        [text(t('statistics.measure.actualPerDate')), n.days(a.reported - a.noShows > 0 ? a.actual / (a.reported - a.noShows) : null)],
        [text(t('statistics.measure.noShows')), n.count(a.noShows)],
      ],
      foot: null,
    },
    {
      id: 'categories',
      title: t('statistics.table.categories'),
      head: [t('statistics.col.category'), t('statistics.col.dates'), t('statistics.col.hours'), t('statistics.col.share')],
      rows: s.categories.map((c) => [text(t(CATEGORY_KEYS[c.category])), n.count(c.dates), n.hours(c.hours), n.rate(c.share)]),
      foot: null,
    },
    {
      id: 'kinds',
      title: t('statistics.table.kinds'),
      head: [t('statistics.col.kind'), t('statistics.col.dates'), t('statistics.col.hours')],
      rows: [
        [text(t('statistics.kind.series')), n.count(s.kinds.series.dates), n.hours(s.kinds.series.hours)],
        [text(t('statistics.kind.single')), n.count(s.kinds.single.dates), n.hours(s.kinds.single.hours)],
      ],
      foot: null,
    },
    {
      id: 'cancellations',
      title: t('statistics.table.cancellations'),
      head: [t('statistics.col.by'), t('statistics.col.dates')],
      rows: [
        [text(t('statistics.cancelled.group')), n.count(s.cancellations.group)],
        [text(t('statistics.cancelled.house')), n.count(s.cancellations.house)],
        [text(t('statistics.cancelled.noShow')), n.count(a.noShows)],
      ],
      foot: null,
    },
    {
      id: 'refusals',
      title: t('statistics.table.refusals'),
      head: [t('statistics.col.reason'), t('statistics.col.dates')],
      rows: s.refusals.reasons.map((r) => [
        text(
          r.kind === 'template'
            ? t('statistics.refusal.template', { label: r.reason ?? '' })
            : r.kind === 'own'
              ? t('statistics.refusal.own')
              : t('statistics.refusal.none'),
        ),
        n.count(r.dates),
      ]),
      foot: [text(t('statistics.refusal.total', { requests: String(s.refusals.requests) })), n.count(s.refusals.dates)],
    },
    {
      id: 'skipped',
      title: t('statistics.table.skipped'),
      head: [t('statistics.col.reason'), t('statistics.col.dates')],
      rows: s.skipped.map((r) => [text(t(SKIP_KEYS[r.reason])), n.count(r.dates)]),
      foot: null,
    },
    {
      id: 'leadtime',
      title: t('statistics.table.leadtime'),
      head: [t('statistics.col.measure'), t('statistics.col.days')],
      rows: [
        [text(t('statistics.lead.count')), n.count(s.leadTimeDays.count)],
        [text(t('statistics.lead.q1')), n.days(s.leadTimeDays.q1)],
        [text(t('statistics.lead.median')), n.days(s.leadTimeDays.median)],
        [text(t('statistics.lead.q3')), n.days(s.leadTimeDays.q3)],
      ],
      foot: null,
    },
  ];
}

/** The rows of a table for CSV: the head, the rows, the total. */
export function tableRows(table: StatTable): string[][] {
  return [table.head, ...table.rows.map((r) => r.map((c) => c.text)), ...(table.foot ? [table.foot.map((c) => c.text)] : [])];
}
