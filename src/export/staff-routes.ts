// CSV export of bookings in a date range (/admin/export?from=YYYY-MM-DD&to=YYYY-MM-DD): UTF-8 with BOM and
// ';' as separator (what German Excel expects), RFC 4180 quoting, spreadsheet formulas neutralised.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { Conn } from '../db/database.js';
import type { MessageKey, Translate } from '../i18n/index.js';
import { audit } from '../audit/log.js';
import { addDays, dayStart, daysBetween, localTime, parseDate, todayIn } from '../time/index.js';
import { fieldErrors, inStaffDateRange, staffDateField } from '../admin/form.js';

/** Longest range one export may cover (a few years of bookings is still a small file). */
export const EXPORT_MAX_DAYS = 3 * 366;
export const CSV_SEPARATOR = ';';

const dateField = (key: MessageKey) => staffDateField(key);

export const exportSchema = z
  .object({ from: dateField('export.error.from'), to: dateField('export.error.to') })
  .superRefine((v, c) => {
    if (!parseDate(v.from) || !parseDate(v.to) || !inStaffDateRange(v.from) || !inStaffDateRange(v.to)) return;
    if (v.to < v.from) c.addIssue({ code: 'custom', path: ['to'], message: 'export.error.order' });
    else if (daysBetween(v.from, v.to).length > EXPORT_MAX_DAYS) c.addIssue({ code: 'custom', path: ['to'], message: 'export.error.tooLong' });
  });

/**
 * What a spreadsheet may read as the start of a formula: = + - @ (also their full-width ＝ ＋ － ＠ and small
 * ﹦ ﹢ ﹣ ﹫ forms and the minus sign −, which some spreadsheets fold to ASCII), after any leading spaces; or a
 * leading TAB, CR or LF.
 */
const FORMULA_START = /^(?:[\t\r\n]|[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63\uFE6B\u2212])/;

/**
 * One CSV cell. A cell a spreadsheet would read as a formula (FORMULA_START) gets a leading apostrophe (OWASP
 * "CSV injection"); then RFC 4180: quoted when it holds the separator, a quote or a line break, with quotes doubled.
 */
export function csvCell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  if (s.includes(CSV_SEPARATOR) || s.includes('"') || s.includes('\n') || s.includes('\r') || s.includes(',')) {
    s = `"${s.replace(/"/g, '""')}"`;
  }
  return s;
}

/** Rows joined with CRLF (RFC 4180), with the UTF-8 byte order mark first so spreadsheets see umlauts. */
export function toCsv(rows: (string | number | null | undefined)[][]): string {
  return '\uFEFF' + rows.map((r) => r.map(csvCell).join(CSV_SEPARATOR)).join('\r\n') + '\r\n';
}

export interface ExportRow {
  reference: string;
  room: string;
  date: string;
  start: string;
  end: string;
  status: string;
  title: string;
  publicTitle: string;
  category: string;
  attendees: number;
  organisation: string;
  contactName: string;
  email: string;
  phone: string;
}

/** Days of bookings one export query reads: bounded work per query, however long the range and full the house. */
export const EXPORT_WINDOW_DAYS = 31;

/**
 * The bookings whose local date lies in [from, to], in time order, as the export shows them: one bounded
 * query per EXPORT_WINDOW_DAYS days (local dates follow start times, so the windows keep the order).
 */
export async function* exportRows(db: Conn, from: string, to: string, zone: string, t: Translate): AsyncGenerator<ExportRow[]> {
  for (let start = from; start <= to; start = addDays(start, EXPORT_WINDOW_DAYS)) {
    const last = addDays(start, EXPORT_WINDOW_DAYS - 1);
    const rows = await db
      .selectFrom('bookings as b')
      .innerJoin('requests as r', 'r.id', 'b.request_id')
      .innerJoin('rooms as m', 'm.id', 'b.room_id')
      .select([
        'r.reference', 'm.name as room', 'b.local_date', 'b.start_at', 'b.end_at', 'b.status', 'r.title', 'r.public_title',
        'r.category', 'r.attendees', 'r.organisation', 'r.contact_name', 'r.email', 'r.phone',
      ])
      .where('b.local_date', '>=', start)
      .where('b.local_date', '<=', last < to ? last : to)
      // The same window as instants (a day wider each side), so the start index finds it without a table scan.
      .where('b.start_at', '>=', dayStart(addDays(start, -1), zone))
      .where('b.start_at', '<', dayStart(addDays(last, 2), zone))
      .orderBy('b.start_at').orderBy('m.sort_order').orderBy('b.id')
      .execute();
    yield rows.map((x) => ({
      reference: x.reference, room: x.room, date: x.local_date, start: localTime(x.start_at, zone), end: localTime(x.end_at, zone),
      status: t(`bookingStatus.${x.status}` as MessageKey), title: x.title, publicTitle: x.public_title ?? '',
      category: t(`category.${x.category}` as MessageKey), attendees: x.attendees, organisation: x.organisation ?? '',
      contactName: x.contact_name, email: x.email, phone: x.phone ?? '',
    }));
  }
}

const COLUMNS: [keyof ExportRow, MessageKey][] = [
  ['reference', 'export.col.reference'], ['room', 'export.col.room'], ['date', 'export.col.date'], ['start', 'export.col.start'],
  ['end', 'export.col.end'], ['status', 'export.col.status'], ['title', 'export.col.title'], ['publicTitle', 'export.col.publicTitle'],
  ['category', 'export.col.category'], ['attendees', 'export.col.attendees'], ['organisation', 'export.col.organisation'],
  ['contactName', 'export.col.contactName'], ['email', 'export.col.email'], ['phone', 'export.col.phone'],
];

function render(req: Request, res: Response, status: number, values: { from: string; to: string }, errors: Record<string, string>) {
  res.status(status).render('admin/export', { title: req.t('export.title'), values, errors });
}

export function exportRoutes(ctx: AppContext): Router {
  const r = Router();

  r.get('/export', async (req, res) => {
    const q = req.query;
    const values = { from: typeof q.from === 'string' ? q.from : '', to: typeof q.to === 'string' ? q.to : '' };
    if (q.from === undefined && q.to === undefined) {
      const today = todayIn(ctx.clock, req.house.zone);
      return render(req, res, 200, { from: `${today.slice(0, 7)}-01`, to: addDays(today, 30) }, {});
    }
    const parsed = exportSchema.safeParse(values);
    if (!parsed.success) return render(req, res, 400, values, fieldErrors(req, parsed.error.issues));
    const { from, to } = parsed.data;
    res.set('Cache-Control', 'no-store');
    res.attachment(req.t('export.filename', { from, to }));
    res.type('text/csv; charset=utf-8');
    // Written window by window: memory and each query stay bounded for a range of years in a full house.
    res.write(toCsv([COLUMNS.map(([, key]) => req.t(key))]));
    let count = 0;
    // One 'drain' listener for the whole download: the compression middleware hands 'drain' listeners to its
    // stream but not their removal, so a listener per wait would pile up.
    let wake: (() => void) | null = null;
    res.on('drain', () => {
      wake?.();
      wake = null;
    });
    try {
      for await (const rows of exportRows(ctx.db, from, to, req.house.zone, req.t)) {
        if (!rows.length) continue;
        count += rows.length;
        if (!res.write(toCsv(rows.map((row) => COLUMNS.map(([k]) => row[k]))).slice(1))) await new Promise<void>((go) => (wake = go));
      }
      await audit(ctx.db, {
        at: ctx.clock().getTime(), userId: req.user!.id, actor: 'user', action: 'export.bookings', entity: 'booking',
        details: { from, to, rows: count },
      });
    } catch (err) {
      // Half a file must not look like a whole one: the download breaks off.
      res.destroy();
      throw err;
    }
    res.end();
  });

  return r;
}
