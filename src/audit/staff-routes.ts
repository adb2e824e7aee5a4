// The audit log viewer under /admin/audit (admin only): paged, filtered by action, user, entity and date range.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { Conn } from '../db/database.js';
import { requireRole } from '../auth/guard.js';
import { dayStart, addDays, formatInstant, parseDate } from '../time/index.js';
import { fieldErrors, staffDateField } from '../admin/form.js';
import { isMessageKey, type Translate } from '../i18n/index.js';
import { auditActionLabel as actionLabel } from './log.js';

export const AUDIT_PAGE_SIZE = 50;

const optionalDate = (key: 'audit.error.date') => staffDateField(key, { optional: true });

export const auditFilterSchema = z.object({
  action: z.string().trim().max(80, 'audit.error.filter').regex(/^[a-z0-9_.]*$/, 'audit.error.filter'),
  user: z.string().trim().regex(/^(\d{1,9}|system|group)?$/, 'audit.error.filter'),
  entity: z.string().trim().max(40, 'audit.error.filter').regex(/^[a-z_]*$/, 'audit.error.filter'),
  entity_id: z.string().trim().regex(/^\d{0,9}$/, 'audit.error.filter'),
  from: optionalDate('audit.error.date'),
  to: optionalDate('audit.error.date'),
  page: z.string().trim().regex(/^\d{0,6}$/, 'audit.error.filter').transform((v) => Math.max(1, Number(v || '1'))),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export async function queryAudit(db: Conn, f: AuditFilter, zone: string) {
  let q = db.selectFrom('audit_log as a').leftJoin('users as u', 'u.id', 'a.user_id');
  if (f.action) q = q.where('a.action', '=', f.action);
  if (f.user === 'system' || f.user === 'group') q = q.where('a.actor', '=', f.user);
  else if (f.user) q = q.where('a.user_id', '=', Number(f.user));
  if (f.entity) q = q.where('a.entity', '=', f.entity);
  if (f.entity_id) q = q.where('a.entity_id', '=', Number(f.entity_id));
  if (f.from) q = q.where('a.at', '>=', dayStart(f.from, zone));
  if (f.to) q = q.where('a.at', '<', dayStart(addDays(f.to, 1), zone));
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await q
    .select(['a.id', 'a.at', 'a.actor', 'a.action', 'a.entity', 'a.entity_id', 'a.details', 'a.user_id', 'u.name as user_name'])
    .orderBy('a.at', 'desc').orderBy('a.id', 'desc')
    .limit(AUDIT_PAGE_SIZE).offset((f.page - 1) * AUDIT_PAGE_SIZE)
    .execute();
  return { total, rows };
}

/** Details as readable "key: value" lines (nested values as compact JSON). */
function detailLines(json: string): string[] {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return [json];
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return [JSON.stringify(v)];
  return Object.entries(v as Record<string, unknown>).map(([k, val]) => {
    if (val && typeof val === 'object' && !Array.isArray(val) && 'from' in val && 'to' in val) {
      const ft = val as { from: unknown; to: unknown };
      return `${k}: ${JSON.stringify(ft.from)} → ${JSON.stringify(ft.to)}`;
    }
    return `${k}: ${typeof val === 'string' ? val : JSON.stringify(val)}`;
  });
}

/** The readable name of an entity code (a code this version does not know stays as it is). */
export function auditEntityLabel(t: Translate, code: string): string {
  const key = `audit.entity.${code}`;
  return isMessageKey(key) ? t(key) : code;
}

const ENTITY_LINKS: Record<string, (id: number) => string> = {
  room: (id) => `/admin/rooms/${id}/edit`,
  request: (id) => `/admin/requests/${id}`,
};

function render(req: Request, res: Response, status: number, v: Record<string, unknown>) {
  res.status(status).render('admin/audit', { title: req.t('audit.title'), ...v });
}

export function auditRoutes(ctx: AppContext): Router {
  const r = Router();
  r.use('/audit', requireRole('admin'));

  r.get('/audit', async (req, res) => {
    const q = req.query;
    const str = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : '');
    const values = { action: str('action'), user: str('user'), entity: str('entity'), entity_id: str('entity_id'), from: str('from'), to: str('to'), page: str('page') };
    const [actions, entities, users] = await Promise.all([
      ctx.db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute(),
      ctx.db.selectFrom('audit_log').select('entity').distinct().orderBy('entity').execute(),
      ctx.db.selectFrom('users').select(['id', 'name', 'email']).orderBy('name').execute(),
    ]);
    const options = {
      actions: actions.map((a) => ({ code: a.action, label: actionLabel(req.t, a.action) })),
      entities: entities.map((e) => ({ code: e.entity, label: auditEntityLabel(req.t, e.entity) })),
      users: users.map((u) => ({ id: String(u.id), label: `${u.name} (${u.email})` })),
    };
    const parsed = auditFilterSchema.safeParse(values);
    if (!parsed.success) {
      return render(req, res, 400, { values, options, errors: fieldErrors(req, parsed.error.issues), entries: [], total: 0, pager: null });
    }
    const f = parsed.data;
    const { total, rows } = await queryAudit(ctx.db, f, req.house.zone);
    const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
    const link = (page: number) => {
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(values)) if (k !== 'page' && v) p.set(k, v);
      p.set('page', String(page));
      return `/admin/audit?${p.toString()}`;
    };
    render(req, res, 200, {
      values, options, errors: {}, total,
      entries: rows.map((e) => ({
        id: e.id,
        at: formatInstant(e.at, req.house.zone, req.lang),
        who: e.user_name ?? req.t(e.actor === 'group' ? 'audit.actor.group' : e.actor === 'system' ? 'audit.actor.system' : 'audit.actor.deleted'),
        action: e.action,
        actionLabel: actionLabel(req.t, e.action),
        entity: e.entity_id === null ? auditEntityLabel(req.t, e.entity) : `${auditEntityLabel(req.t, e.entity)} #${e.entity_id}`,
        entityHref: e.entity_id !== null && ENTITY_LINKS[e.entity] ? ENTITY_LINKS[e.entity](e.entity_id) : '',
        details: detailLines(e.details),
      })),
      pager: {
        page: f.page, pages,
        prev: f.page > 1 ? link(f.page - 1) : '',
        next: f.page < pages ? link(f.page + 1) : '',
      },
    });
  });

  return r;
}
