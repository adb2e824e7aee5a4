// CSV export of bookings in a date range (/admin/export?from=YYYY-MM-DD&to=YYYY-MM-DD): UTF-8 with BOM and
// ';' as separator (what German Excel expects), RFC 4180 quoting, spreadsheet formulas neutralised.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { Conn } from '../db/database.js';
import type { MessageKey, Translate } from '../i18n/index.js';
import { audit } from '../audit/log.js';
import { addDays, daysBetween, localTime, parseDate, todayIn } from '../time/index.js';
import { fieldErrors, inStaffDateRange, staffDateField } from './form.js';

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
 * One CSV cell. A cell a spreadsheet would read as a formula (starting with = + - @ TAB or CR) gets a leading
 * apostrophe (OWASP "CSV injection"); then RFC 4180: quoted when it holds the separator, a quote or a line break,
 * with quotes doubled.
 */
export function csvCell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
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

/** The bookings whose local date lies in [from, to], in time order, as the export shows them. */
export async function exportRows(db: Conn, from: string, to: string, zone: string, t: Translate): Promise<ExportRow[]> {
  const rows = await db
    .selectFrom('bookings as b')
    .innerJoin('requests as r', 'r.id', 'b.request_id')
    .innerJoin('rooms as m', 'm.id', 'b.room_id')
    .select([
      'r.reference', 'm.name as room', 'b.local_date', 'b.start_at', 'b.end_at', 'b.status', 'r.title', 'r.public_title',
      'r.category', 'r.attendees', 'r.organisation', 'r.contact_name', 'r.email', 'r.phone',
    ])
    .where('b.local_date', '>=', from)
    .where('b.local_date', '<=', to)
    .orderBy('b.start_at').orderBy('m.sort_order').orderBy('b.id')
    .execute();
  return rows.map((x) => ({
    reference: x.reference, room: x.room, date: x.local_date, start: localTime(x.start_at, zone), end: localTime(x.end_at, zone),
    status: t(`bookingStatus.${x.status}` as MessageKey), title: x.title, publicTitle: x.public_title ?? '',
    category: t(`category.${x.category}` as MessageKey), attendees: x.attendees, organisation: x.organisation ?? '',
    contactName: x.contact_name, email: x.email, phone: x.phone ?? '',
  }));
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
    const rows = await exportRows(ctx.db, from, to, req.house.zone, req.t);
    const csv = toCsv([COLUMNS.map(([, key]) => req.t(key)), ...rows.map((row) => COLUMNS.map(([k]) => row[k]))]);
    await audit(ctx.db, {
      at: ctx.clock().getTime(), userId: req.user!.id, actor: 'user', action: 'export.bookings', entity: 'booking',
      details: { from, to, rows: rows.length },
    });
    res.set('Cache-Control', 'no-store');
    res.attachment(req.t('export.filename', { from, to }));
    res.type('text/csv; charset=utf-8').send(csv);
  });

  return r;
}
