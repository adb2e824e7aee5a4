// CSV export of bookings in a date range (/admin/export?from=YYYY-MM-DD&to=YYYY-MM-DD): UTF-8 with BOM and
// ';' as separator (what German Excel expects), RFC 4180 quoting, spreadsheet formulas neutralised (csv.ts).
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { addDays, todayIn } from '../time/index.js';
import { fieldErrors } from '../web/forms.js';
import { toCsv } from './csv.js';
import { exportBookings } from './repository.js';
import { exportSchema } from './schema.js';
import { recordExport } from './service.js';
import { COLUMNS, exportCells, exportRow } from './view.js';

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
    if (!parsed.success) return render(req, res, 400, values, fieldErrors(parsed.error, req.t));
    const { from, to } = parsed.data;
    const zone = req.house.zone;
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
      for await (const bookings of exportBookings(ctx.db, from, to, zone)) {
        if (!bookings.length) continue;
        count += bookings.length;
        const csv = toCsv(bookings.map((b) => exportCells(exportRow(b, zone, req.t)))).slice(1);
        if (!res.write(csv)) await new Promise<void>((go) => (wake = go));
      }
      await recordExport(ctx.db, { userId: req.user!.id, now: ctx.clock().getTime(), from, to, rows: count });
    } catch (err) {
      // Half a file must not look like a whole one: the download breaks off.
      res.destroy();
      throw err;
    }
    res.end();
  });

  return r;
}
