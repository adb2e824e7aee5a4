// Usage statistics under /admin/statistics (caretaker and admin): a period and filters as query parameters (a
// report can be bookmarked), tables with a chart beside each, a printable report, CSV and XLSX of every table,
// and the attendance of approved dates that have ended, entered or corrected by staff.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import type { Category } from '../constants.js';
import type { MessageKey } from '../i18n/index.js';
import { toCsv } from '../export/csv.js';
import { todayIn } from '../time/index.js';
import { formatInstant, formatMonth } from '../time/format.js';
import { fieldErrors, formBody, idParam, setNotice, takeNotice } from '../web/forms.js';
import { cachedCharts, statisticsCharts } from './present.js';
import { attendanceSchema, repeatedParam, statisticsSchema, statValues, STAT_PARAMS, type StatParams, type StatValues } from './schema.js';
import { ATTENDANCE_PAGE_LIMIT, attendanceList, recordAttendance, statisticsFor, statisticsRooms } from './service.js';
import { isTableId, periodLabel, statisticsTables, tableRows } from './view.js';
import { workbook } from './xlsx.js';

const CATEGORY_OPTIONS = [
  ['education', 'category.education'],
  ['culture', 'category.culture'],
  ['social', 'category.social'],
  ['integration', 'category.integration'],
  ['sports', 'category.sports'],
  ['celebration', 'category.celebration'],
  ['other', 'category.other'],
] as const satisfies readonly (readonly [Category, MessageKey])[];

const MONTHS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'] as const;

/** The query string of the chosen period and filters (for links to the report, the exports, attendance). */
function queryOf(values: StatValues): string {
  const p = new URLSearchParams();
  for (const k of STAT_PARAMS) if (values[k]) p.set(k, values[k]);
  return p.toString();
}

type Parsed = { ok: true; values: StatValues; params: StatParams } | { ok: false; values: StatValues; errors: Record<string, string> };

function parse(req: Request, ctx: AppContext): Parsed {
  const values = statValues(req.query, todayIn(ctx.clock, req.house.zone));
  const repeated = repeatedParam(req.query);
  if (repeated) return { ok: false, values, errors: { [repeated]: req.t('statistics.error.repeated', { name: repeated }) } };
  const parsed = statisticsSchema.safeParse(values);
  if (!parsed.success) return { ok: false, values, errors: fieldErrors(parsed.error, req.t) };
  return { ok: true, values, params: parsed.data };
}

export function statisticsRoutes(ctx: AppContext): Router {
  const r = Router();

  async function page(req: Request, res: Response, view: 'admin/statistics' | 'admin/statistics-report') {
    const p = parse(req, ctx);
    const base = {
      values: p.values,
      categories: CATEGORY_OPTIONS.map(([code, key]) => ({ code, label: req.t(key) })),
      months: MONTHS.map((m) => ({ code: m, label: formatMonth(`2000-${m}`, req.lang).replace(/\s*2000$/, '') })),
      query: queryOf(p.values),
      notice: takeNotice(req),
    };
    res.set('Cache-Control', 'no-store');
    if (!p.ok) {
      const rooms = await statisticsRooms(ctx.db);
      return res.status(400).render('admin/statistics', { title: req.t('statistics.title'), ...base, rooms, errors: p.errors, result: null });
    }
    const version = ctx.dataVersion();
    const { stats, rooms, room } = await statisticsFor(ctx.db, p.params, req.house, ctx.clock().getTime());
    const tables = statisticsTables(stats, req.lang, req.t);
    const report = `${req.lang}\n${JSON.stringify(p.params)}`;
    const charts = await cachedCharts(ctx, version, report, () => statisticsCharts(stats, tables, req.t));
    const filterText = [
      room ? req.t('statistics.filter.room', { room: room.name }) : '',
      p.params.category ? req.t('statistics.filter.category', { category: base.categories.find((c) => c.code === p.params.category)?.label ?? '' }) : '',
      p.params.group ? req.t('statistics.filter.group', { group: p.params.group }) : '',
    ].filter(Boolean);
    res.render(view, {
      title: view === 'admin/statistics' ? req.t('statistics.title') : req.t('statistics.report.title', { period: periodLabel(p.params, req.lang, req.t) }),
      ...base,
      rooms,
      errors: {},
      result: {
        period: periodLabel(p.params, req.lang, req.t),
        filters: filterText,
        tables: Object.fromEntries(tables.map((tb) => [tb.id, tb])),
        charts,
        attendance: stats.attendance,
        generated: formatInstant(ctx.clock().getTime(), req.house.zone, req.lang),
      },
    });
  }

  r.get('/statistics', (req, res) => page(req, res, 'admin/statistics'));
  r.get('/statistics/report', (req, res) => page(req, res, 'admin/statistics-report'));

  r.get('/statistics/export.csv', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const p = parse(req, ctx);
    const table = typeof req.query.table === 'string' ? req.query.table : '';
    if (!p.ok || !isTableId(table)) {
      const errors = p.ok ? { table: req.t('statistics.error.table') } : p.errors;
      return res.status(400).type('text/plain; charset=utf-8').send(Object.values(errors).join('\n'));
    }
    const { stats } = await statisticsFor(ctx.db, p.params, req.house, ctx.clock().getTime());
    const tb = statisticsTables(stats, req.lang, req.t).find((x) => x.id === table)!;
    res.set('Cache-Control', 'no-store');
    res.attachment(req.t('statistics.filename.csv', { table, from: p.params.from, to: p.params.to }));
    res.type('text/csv; charset=utf-8').send(toCsv(tableRows(tb)));
  });

  r.get('/statistics/export.xlsx', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const p = parse(req, ctx);
    if (!p.ok) return res.status(400).type('text/plain; charset=utf-8').send(Object.values(p.errors).join('\n'));
    const { stats } = await statisticsFor(ctx.db, p.params, req.house, ctx.clock().getTime());
    const tables = statisticsTables(stats, req.lang, req.t);
    const buffer = await workbook(tables, { house: req.house.name, period: periodLabel(p.params, req.lang, req.t) });
    res.set('Cache-Control', 'no-store');
    res.attachment(req.t('statistics.filename.xlsx', { from: p.params.from, to: p.params.to }));
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(buffer);
  });

  async function attendancePage(
    req: Request,
    res: Response,
    status: number,
    form: { id: number; errors: Record<string, string>; values: Record<string, string> } | null,
  ) {
    const p = parse(req, ctx);
    res.set('Cache-Control', 'no-store');
    if (!p.ok)
      return res.status(400).render('admin/statistics-attendance', {
        title: req.t('statistics.attendance.title'),
        values: p.values,
        errors: p.errors,
        list: null,
        query: queryOf(p.values),
        notice: '',
        form: null,
        period: '',
        limit: ATTENDANCE_PAGE_LIMIT,
      });
    const now = ctx.clock().getTime();
    const list = await attendanceList(ctx.db, p.params, req.house.zone, now);
    const names = new Map(list.rooms.map((x) => [x.id, x.name]));
    res.status(status).render('admin/statistics-attendance', {
      title: req.t('statistics.attendance.title'),
      values: p.values,
      errors: {},
      query: queryOf(p.values),
      notice: takeNotice(req),
      period: periodLabel(p.params, req.lang, req.t),
      limit: ATTENDANCE_PAGE_LIMIT,
      form,
      list: {
        total: list.total,
        rows: list.rows.map((row) => ({
          id: row.bookingId,
          when: formatInstant(row.startAt, req.house.zone, req.lang),
          room: names.get(row.roomId) ?? '',
          reference: row.reference,
          category: req.t(CATEGORY_OPTIONS.find(([c]) => c === row.category)?.[1] ?? 'category.other'),
          expected: row.expected,
          held: row.tookPlace === false ? 'no' : 'yes',
          attended: row.attended === null ? '' : String(row.attended),
          reported: row.tookPlace !== null,
          source:
            row.reportedBy === 'group' ? req.t('statistics.attendance.byGroup') : row.reportedBy === 'staff' ? req.t('statistics.attendance.byHouse') : '',
        })),
      },
    });
  }

  r.get('/statistics/attendance', (req, res) => attendancePage(req, res, 200, null));

  r.post('/statistics/attendance/:id', async (req, res) => {
    const id = idParam(req.params.id);
    const body = formBody(req);
    const raw = { attended: typeof body.attended === 'string' ? body.attended : '', held: typeof body.held === 'string' ? body.held : 'yes' };
    const parsed = attendanceSchema.safeParse(raw);
    if (!parsed.success) return attendancePage(req, res, 400, { id, errors: fieldErrors(parsed.error, req.t), values: raw });
    const done = await recordAttendance(ctx.db, id, parsed.data, { userId: req.user!.id, now: ctx.clock().getTime() });
    if (!done.ok) {
      const key =
        done.code === 'notFound' ? 'statistics.error.dateNotFound' : done.code === 'notApproved' ? 'statistics.error.notApproved' : 'statistics.error.notEnded';
      return attendancePage(req, res, done.code === 'notFound' ? 404 : 409, { id, errors: { attended: req.t(key) }, values: raw });
    }
    setNotice(req, 'statistics.attendance.saved');
    const q = new URLSearchParams(req.query as Record<string, string>).toString();
    res.redirect(303, `/admin/statistics/attendance${q ? `?${q}` : ''}#date-${id}`);
  });

  return r;
}
