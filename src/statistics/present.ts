// The charts of the statistics page and report: one per table that has a natural picture, drawn from the same
// numbers as its table (the bar's label is the table's cell text), kept per report until the next write.
import type { DB } from '../db/database.js';
import type { Translate } from '../i18n/index.js';
import { barChart, type ChartItem } from './charts.js';
import type { Statistics } from './compute.js';
import type { StatTable, TableId } from './view.js';

export type Charts = Partial<Record<TableId, string>>;

function items(table: StatTable, valueColumn: number, values: readonly number[]): ChartItem[] {
  return table.rows.map((row, i) => ({ label: row[0]!.text, value: values[i] ?? 0, text: row[valueColumn]!.text }));
}

const describe = (intro: string, list: readonly ChartItem[]) => `${intro} ${list.map((i) => `${i.label}: ${i.text}`).join('; ')}`;

export async function statisticsCharts(s: Statistics, tables: readonly StatTable[], t: Translate): Promise<Charts> {
  const byId = new Map(tables.map((tb) => [tb.id, tb]));
  const out: Charts = {};
  const specs: { id: TableId; column: number; values: number[]; axis: string; percent?: boolean; intro: string }[] = [
    { id: 'rooms', column: 2, values: s.rooms.map((r) => r.hours), axis: t('statistics.col.hours'), intro: t('statistics.chart.rooms') },
    {
      id: 'occupancy',
      column: 3,
      values: s.spaces.map((r) => r.rate ?? 0),
      axis: t('statistics.col.rate'),
      percent: true,
      intro: t('statistics.chart.occupancy'),
    },
    {
      id: 'weekdays',
      column: 3,
      values: s.weekdays.map((r) => r.rate ?? 0),
      axis: t('statistics.col.rate'),
      percent: true,
      intro: t('statistics.chart.weekdays'),
    },
    { id: 'hours', column: 3, values: s.hoursOfDay.map((r) => r.rate ?? 0), axis: t('statistics.col.rate'), percent: true, intro: t('statistics.chart.hours') },
    { id: 'categories', column: 2, values: s.categories.map((r) => r.hours), axis: t('statistics.col.hours'), intro: t('statistics.chart.categories') },
  ];
  for (const c of specs) {
    const table = byId.get(c.id);
    if (!table || !table.rows.length) continue;
    const list = items(table, c.column, c.values);
    out[c.id] = await barChart({ id: c.id, title: table.title, description: describe(c.intro, list), axis: c.axis, items: list, percent: c.percent });
  }
  return out;
}

/**
 * The charts of the last reports, by database, report (period, filters, language) and data version: reused
 * while nothing was written, by this process or another one on the same file (the page cache's rule,
 * src/web/page-cache.ts); reports asked at once share one drawing. Read the version before the report's
 * numbers, so a write landing in between files the charts under the older version (drawn again next time).
 */
type Drawn = Map<string, { version: string; charts: Promise<Charts> }>;
const reports = new WeakMap<DB, Drawn>();
const REPORTS_MAX = 20;

export function cachedCharts(ctx: { db: DB }, version: string, report: string, draw: () => Promise<Charts>): Promise<Charts> {
  let byReport = reports.get(ctx.db);
  if (!byReport) reports.set(ctx.db, (byReport = new Map() as Drawn));
  const known = byReport.get(report);
  if (known && known.version === version) return known.charts;
  const charts = draw();
  byReport.delete(report);
  if (byReport.size >= REPORTS_MAX) byReport.delete(byReport.keys().next().value!);
  byReport.set(report, { version, charts });
  charts.catch(() => byReport.get(report)?.charts === charts && byReport.delete(report));
  return charts;
}
