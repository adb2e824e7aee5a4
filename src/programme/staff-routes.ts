// Staff: publish, edit or unpublish the public text of any request (a group's or a house booking's), from the
// request's detail page. Mounted under /admin behind the staff role guard (src/staff/routes.ts).
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { NotFoundError } from '../web/errors.js';
import { fieldErrors, formBody, idParam, setNotice, takeNotice, textOf } from '../web/forms.js';
import { findRequestById } from '../feeds/repository.js';
import { parsePublicText, publicTextValues } from './schema.js';
import { setPublicText } from './service.js';
import { renderPublicText, storedValues } from './routes.js';
import { requireRole } from '../auth/guard.js';
import { embedOrigins, parseOrigins, setEmbedOrigins } from './embed.js';
import { listRooms } from '../rooms/repository.js';

export function programmeStaffRoutes(ctx: AppContext): Router {
  const r = Router();

  async function requestOr404(v: unknown) {
    const request = await findRequestById(ctx.db, idParam(v));
    if (!request || request.anonymized_at !== null) throw new NotFoundError();
    return request;
  }

  r.get('/requests/:id/public', async (req, res) => {
    const request = await requestOr404(req.params.id);
    const back = `/admin/requests/${request.id}`;
    renderPublicText(req, res, 200, { action: `${back}/public`, back, values: storedValues(request, req.lang), errors: {}, staff: true });
  });

  r.post('/requests/:id/public', async (req, res) => {
    const request = await requestOr404(req.params.id);
    const back = `/admin/requests/${request.id}`;
    const values = publicTextValues(formBody(req));
    const parsed = parsePublicText(values);
    if (!parsed.ok) {
      renderPublicText(req, res, 422, {
        action: `${back}/public`,
        back,
        values,
        errors: fieldErrors(parsed.issues, req.t, 'programme.error.invalid'),
        staff: true,
      });
      return;
    }
    await setPublicText(ctx.db, request.id, parsed.data, { now: ctx.clock().getTime(), actor: 'user', userId: req.user!.id });
    setNotice(req, parsed.data.publicEvent ? 'staff.programme.published' : 'staff.programme.saved');
    res.redirect(303, back);
  });

  /** The rooms whose availability can be embedded (the public room list's). */
  async function embedRooms() {
    return (await listRooms(ctx.db)).map((room) => ({ slug: room.slug, name: room.name }));
  }

  // Admin: the origins that may embed /embed/programme (none: the widget is off).
  r.get('/programme/embed', requireRole('admin'), async (req, res) => {
    const origins = await embedOrigins(ctx.db);
    res.render('admin/programme-embed', {
      title: req.t('staff.programme.embed.title'),
      value: origins.join('\n'),
      origins,
      error: '',
      notice: takeNotice(req),
      baseUrl: ctx.config.baseUrl.replace(/\/$/, ''),
      rooms: await embedRooms(),
    });
  });

  r.post('/programme/embed', requireRole('admin'), async (req, res) => {
    const value = textOf(formBody(req).origins).slice(0, 4000);
    const parsed = parseOrigins(value);
    if (!parsed.ok) {
      const origins = await embedOrigins(ctx.db);
      res.status(422).render('admin/programme-embed', {
        title: req.t('staff.programme.embed.title'),
        value,
        origins,
        error: req.t('staff.programme.embed.bad', { bad: parsed.bad.join(', ') || '–' }),
        notice: '',
        baseUrl: ctx.config.baseUrl.replace(/\/$/, ''),
        rooms: await embedRooms(),
      });
      return;
    }
    await setEmbedOrigins(ctx.db, parsed.origins, { now: ctx.clock().getTime(), userId: req.user!.id });
    setNotice(req, parsed.origins.length ? 'staff.programme.embed.saved' : 'staff.programme.embed.off');
    res.redirect(303, '/admin/programme/embed');
  });

  return r;
}
