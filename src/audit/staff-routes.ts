// The audit log viewer under /admin/audit (admin only: guarded where it is mounted, staff/routes.ts, since auth
// writes to the audit log and must not import back): paged, filtered by action, user, entity and date range.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { fieldErrors } from '../web/forms.js';
import { AUDIT_PAGE_SIZE, auditFilterChoices, queryAudit } from './repository.js';
import { auditFilterSchema } from './schema.js';
import { listRooms } from '../rooms/repository.js';
import { auditEntryView, auditFilterOptions } from './view.js';

function render(req: Request, res: Response, status: number, v: Record<string, unknown>) {
  res.status(status).render('admin/audit', { title: req.t('audit.title'), ...v });
}

export function auditRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/audit', async (req, res) => {
    const q = req.query;
    const str = (k: string) => (typeof q[k] === 'string' ? q[k] : '');
    const values = {
      area: str('area'),
      q: str('q'),
      action: str('action'),
      user: str('user'),
      entity: str('entity'),
      entity_id: str('entity_id'),
      from: str('from'),
      to: str('to'),
      page: str('page'),
    };
    const options = auditFilterOptions(await auditFilterChoices(ctx.db), req.t);
    const parsed = auditFilterSchema.safeParse(values);
    if (!parsed.success) {
      return render(req, res, 400, { values, options, errors: fieldErrors(parsed.error, req.t), entries: [], total: 0, pager: null });
    }
    const f = parsed.data;
    const [{ total, rows }, rooms] = await Promise.all([queryAudit(ctx.db, f, req.house.zone), listRooms(ctx.db, { includeInactive: true })]);
    const roomNames = new Map(rooms.map((rm) => [rm.id, rm.name]));
    const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
    const link = (page: number) => {
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(values)) if (k !== 'page' && v) p.set(k, v);
      p.set('page', String(page));
      return `/admin/audit?${p.toString()}`;
    };
    render(req, res, 200, {
      values,
      options,
      errors: {},
      total,
      entries: rows.map((e) => auditEntryView(e, req.house.zone, req.lang, req.t, roomNames)),
      pager: {
        page: f.page,
        pages,
        prev: f.page > 1 ? link(f.page - 1) : '',
        next: f.page < pages ? link(f.page + 1) : '',
      },
    });
  });

  return r;
}
