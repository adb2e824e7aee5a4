// Export of booking dates in a date range (/admin/export?from=YYYY-MM-DD&to=YYYY-MM-DD&status=approved&format=csv):
// the approved dates unless another status (or all) is chosen; CSV as UTF-8 with BOM and ';' as separator (what
// German Excel expects; ',' by choice or for an English page), RFC 4180 quoting, spreadsheet formulas
// neutralised (csv.ts); or a real XLSX workbook with date and time cells (xlsx.ts).
import compression from 'compression';
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { addDays, todayIn } from '../time/index.js';
import { fieldErrors } from '../web/forms.js';
import { toCsv } from './csv.js';
import { exportBookings } from './repository.js';
import { EXPORT_STATUSES, exportSchema, type ExportStatus } from './schema.js';
import type { BookingStatus } from '../db/schema.js';
import { bookingsWorkbook } from './xlsx.js';
import { recordExport } from './service.js';
import { COLUMNS, exportCells, exportRow } from './view.js';

interface ExportValues {
  from: string;
  to: string;
  status: string;
  format: string;
  sep: string;
}

function render(req: Request, res: Response, status: number, values: ExportValues, errors: Record<string, string>) {
  res.status(status).render('admin/export', {
    title: req.t('export.title'),
    values,
    errors,
    statuses: EXPORT_STATUSES.map((s) => ({ value: s, label: req.t(`staffHouse.export.status.${s}`) })),
  });
}

const statusesOf = (s: ExportStatus): BookingStatus[] => (s === 'all' ? ['approved', 'pending', 'rejected', 'cancelled', 'skipped'] : [s]);

export function exportRoutes(ctx: AppContext): Router {
  const r = Router();

  // The CSV is streamed: the compression middleware compresses it as it is written (src/web/compress.ts).
  r.get('/export', compression(), async (req, res) => {
    const q = req.query;
    const str = (v: unknown, fallback: string) => (typeof v === 'string' && v !== '' ? v : fallback);
    // The defaults: approved dates, CSV, ';' for a German page (German Excel), ',' otherwise.
    const values: ExportValues = {
      from: str(q.from, ''),
      to: str(q.to, ''),
      status: str(q.status, 'approved'),
      format: str(q.format, 'csv'),
      sep: str(q.sep, req.lang === 'de' ? 'semicolon' : 'comma'),
    };
    if (q.from === undefined && q.to === undefined) {
      const today = todayIn(ctx.clock, req.house.zone);
      return render(req, res, 200, { ...values, from: `${today.slice(0, 7)}-01`, to: addDays(today, 30) }, {});
    }
    const parsed = exportSchema.safeParse(values);
    if (!parsed.success) return render(req, res, 400, values, fieldErrors(parsed.error, req.t));
    const { from, to, status, format } = parsed.data;
    const zone = req.house.zone;
    const statuses = statusesOf(status);
    const userId = req.user!.id;
    res.set('Cache-Control', 'no-store');
    if (format === 'xlsx') {
      const { buffer, rows } = await bookingsWorkbook(exportBookings(ctx.db, from, to, zone, statuses), {
        zone,
        t: req.t,
        sheet: req.t('staffHouse.export.sheet'),
        dateFormat: req.lang === 'de' ? 'dd.mm.yyyy' : 'yyyy-mm-dd',
      });
      await recordExport(ctx.db, { userId, now: ctx.clock().getTime(), from, to, status, format, rows });
      res.attachment(req.t('staffHouse.export.filenameXlsx', { from, to }));
      return res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(buffer);
    }
    const sep = parsed.data.sep === 'comma' ? ',' : ';';
    res.attachment(req.t('export.filename', { from, to }));
    res.type('text/csv; charset=utf-8');
    // Written window by window: memory and each query stay bounded for a range of years in a full house.
    res.write(toCsv([COLUMNS.map(([, key]) => req.t(key))], sep));
    let count = 0;
    // One 'drain' listener for the whole download: the compression middleware hands 'drain' listeners to its
    // stream but not their removal, so a listener per wait would pile up.
    let wake: (() => void) | null = null;
    res.on('drain', () => {
      wake?.();
      wake = null;
    });
    try {
      for await (const bookings of exportBookings(ctx.db, from, to, zone, statuses)) {
        if (!bookings.length) continue;
        count += bookings.length;
        const csv = toCsv(
          bookings.map((b) => exportCells(exportRow(b, zone, req.t))),
          sep,
        ).slice(1);
        if (!res.write(csv)) await new Promise<void>((go) => (wake = go));
      }
      await recordExport(ctx.db, { userId, now: ctx.clock().getTime(), from, to, status, format, rows: count });
    } catch (err) {
      // Half a file must not look like a whole one: the download breaks off.
      res.destroy();
      throw err;
    }
    res.end();
  });

  return r;
}
