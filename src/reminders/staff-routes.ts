// /admin/summary: every account switches its own daily summary mail on or off (caretaker and admin).
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { fieldErrors, formBody, setNotice, takeNotice } from '../web/forms.js';
import { summarySchema } from './schema.js';
import { dailySummaryFlag, setDailySummary } from './service.js';

function render(req: Request, res: Response, status: number, value: string, errors: Record<string, string>) {
  res.status(status).render('admin/summary', {
    title: req.t('reminders.page.title'),
    flash: takeNotice(req),
    value,
    hour: req.house.summaryHour,
    errors,
  });
}

export function reminderRoutes(ctx: AppContext): Router {
  const r = Router();

  r.get('/summary', async (req, res) => {
    const on = await dailySummaryFlag(ctx.db, req.user!.id);
    render(req, res, 200, on ? 'on' : 'off', {});
  });

  r.post('/summary', async (req, res) => {
    const body = formBody(req);
    const parsed = summarySchema.safeParse(body);
    if (!parsed.success) return render(req, res, 400, typeof body.daily_summary === 'string' ? body.daily_summary : '', fieldErrors(parsed.error, req.t));
    const on = parsed.data.daily_summary === 'on';
    await setDailySummary(ctx.db, req.user!.id, on, ctx.clock().getTime());
    setNotice(req, on ? 'reminders.page.savedOn' : 'reminders.page.savedOff');
    res.redirect(303, '/admin/summary');
  });

  return r;
}
