// The caretaker's message templates under /admin/templates (role-guarded by staff/routes.ts): list, new,
// edit, delete with a confirmation step. Thin handlers: parse (zod), call one service, render.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { NotFoundError } from '../web/errors.js';
import { fieldErrors, idParam, setNotice, takeNotice } from '../web/forms.js';
import { findTemplate, listTemplates } from './repository.js';
import { deleteTemplate, saveTemplate } from './service.js';
import { TEMPLATE_KINDS, templateSchema } from './schema.js';

export function templateRoutes(ctx: AppContext): Router {
  const r = Router();
  const now = () => ctx.clock().getTime();

  r.get('/templates', async (req, res) => {
    const list = await listTemplates(ctx.db);
    res.render('admin/inbox-templates', {
      title: req.t('staff.templates.title'),
      notice: takeNotice(req),
      groups: TEMPLATE_KINDS.map((kind) => ({ kind, label: req.t(`staff.templates.kind.${kind}`), items: list.filter((x) => x.kind === kind) })),
    });
  });

  async function renderTemplateForm(
    req: Request,
    res: Response,
    id: number | null,
    values: Record<string, string>,
    errors: Record<string, string> = {},
    status = 200,
  ) {
    res.status(status).render('admin/inbox-template-form', {
      title: id === null ? req.t('staff.templates.new') : req.t('staff.templates.edit'),
      action: id === null ? '/admin/templates' : `/admin/templates/${id}`,
      kinds: TEMPLATE_KINDS.map((k) => ({ value: k, label: req.t(`staff.templates.kind.${k}`) })),
      values,
      errors,
    });
  }

  r.get('/templates/new', (req, res) => renderTemplateForm(req, res, null, { kind: 'approve', label: '', body: '', sort_order: '0' }));

  r.get('/templates/:id/edit', async (req, res) => {
    const id = idParam(req.params.id);
    const tpl = await findTemplate(ctx.db, id);
    if (!tpl) throw new NotFoundError();
    await renderTemplateForm(req, res, id, { kind: tpl.kind, label: tpl.label, body: tpl.body, sort_order: String(tpl.sort_order) });
  });

  async function submitTemplate(req: Request, res: Response, id: number | null) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = Object.fromEntries(['kind', 'label', 'body', 'sort_order'].map((k) => [k, typeof body[k] === 'string' ? body[k] : '']));
    const parsed = templateSchema.safeParse(body);
    if (!parsed.success) return renderTemplateForm(req, res, id, values, fieldErrors(parsed.error, req.t), 400);
    const v = parsed.data;
    await saveTemplate(ctx.db, now(), req.user!.id, { kind: v.kind, label: v.label, body: v.body, sortOrder: v.sort_order }, id ?? undefined);
    setNotice(req, 'staff.notice.templateSaved');
    res.redirect(303, '/admin/templates');
  }

  r.post('/templates', (req, res) => submitTemplate(req, res, null));
  r.post('/templates/:id', (req, res) => submitTemplate(req, res, idParam(req.params.id)));

  /** Deleting takes a second step (no JavaScript needed): without confirm=1 the page asks first. */
  r.post('/templates/:id/delete', async (req, res) => {
    const id = idParam(req.params.id);
    if ((req.body as Record<string, unknown> | undefined)?.confirm !== '1') {
      const tpl = await findTemplate(ctx.db, id);
      if (!tpl) throw new NotFoundError();
      return res.render('admin/confirm-delete', {
        title: req.t('staff.templates.deleteTitle'),
        question: req.t('staff.templates.deleteQuestion'),
        what: `${tpl.label} (${req.t(`staff.templates.kind.${tpl.kind}`)})`,
        action: `/admin/templates/${id}/delete`,
        back: '/admin/templates',
      });
    }
    await deleteTemplate(ctx.db, now(), req.user!.id, id);
    setNotice(req, 'staff.notice.templateDeleted');
    res.redirect(303, '/admin/templates');
  });

  return r;
}
