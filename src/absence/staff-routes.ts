// /admin/absence: every account marks its own absence (from–until); the admin marks anyone's, names the deputy
// who gets the staff mails meanwhile, and sets the alternative contact the public pages show during an absence.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { formatDate } from '../time/format.js';
import { todayIn } from '../time/index.js';
import { fieldErrors, formBody, setNotice, takeNotice, textOf } from '../web/forms.js';
import { absenceSettings, activeStaff } from './repository.js';
import { isAbsentOn } from './rules.js';
import { absenceSchema, absenceSettingsSchema } from './schema.js';
import { saveAbsence, saveAbsenceSettings } from './service.js';

interface Forms {
  status: number;
  absence?: { values: Record<string, string>; errors: Record<string, string> };
  settings?: { values: Record<string, string>; errors: Record<string, string> };
}

export function absenceRoutes(ctx: AppContext): Router {
  const r = Router();
  const actor = (req: Request) => ({ userId: req.user!.id, now: ctx.clock().getTime() });
  const isAdmin = (req: Request) => req.user!.role === 'admin';

  async function render(req: Request, res: Response, f: Forms) {
    const [staff, settings] = await Promise.all([activeStaff(ctx.db), absenceSettings(ctx.db)]);
    const today = todayIn(ctx.clock, req.house.zone);
    const me = staff.find((u) => u.id === req.user!.id);
    const date = (d: string) => formatDate(d, req.lang, 'date');
    res.status(f.status).render('admin/absence', {
      title: req.t('absence.title'),
      flash: takeNotice(req),
      admin: isAdmin(req),
      staff: staff
        .filter((u) => isAdmin(req) || u.id === req.user!.id)
        .map((u) => ({
          id: u.id,
          name: u.name,
          self: u.id === req.user!.id,
          deputy: u.id === settings.deputyUserId,
          period: u.absentFrom && u.absentUntil ? req.t('absence.period', { from: date(u.absentFrom), until: date(u.absentUntil) }) : '',
          now: isAbsentOn(u, today),
          isPublic: u.absencePublic,
        })),
      deputies: staff.map((u) => ({ id: String(u.id), name: u.name })),
      absence: f.absence ?? {
        values: { user_id: String(req.user!.id), from: me?.absentFrom ?? '', until: me?.absentUntil ?? '', public: me?.absencePublic === false ? '' : '1' },
        errors: {},
      },
      settings: f.settings ?? {
        values: {
          deputy: settings.deputyUserId === null ? '' : String(settings.deputyUserId),
          contact_phone: settings.phone,
          contact_email: settings.email,
          notice: settings.notice,
        },
        errors: {},
      },
    });
  }

  r.get('/absence', (req, res) => render(req, res, { status: 200 }));

  r.post('/absence', async (req, res) => {
    const body = formBody(req);
    const values = { user_id: textOf(body.user_id, String(req.user!.id)), from: textOf(body.from), until: textOf(body.until), public: body.public ? '1' : '' };
    // A caretaker marks only its own absence; the admin anyone's.
    if (!isAdmin(req) && values.user_id !== String(req.user!.id))
      return render(req, res, { status: 403, absence: { values, errors: { user_id: req.t('absence.error.notYours') } } });
    const clear = body.action === 'clear';
    if (clear) {
      const result = await saveAbsence(ctx.db, Number(values.user_id), null, actor(req));
      if (!result.ok) return render(req, res, { status: 400, absence: { values, errors: { [result.field]: req.t(result.key) } } });
      setNotice(req, 'absence.cleared');
      return res.redirect(303, '/admin/absence');
    }
    const parsed = absenceSchema.safeParse({ ...body, user_id: values.user_id });
    if (!parsed.success) return render(req, res, { status: 400, absence: { values, errors: fieldErrors(parsed.error, req.t) } });
    const result = await saveAbsence(ctx.db, parsed.data.user_id, parsed.data, actor(req));
    if (!result.ok) return render(req, res, { status: 400, absence: { values, errors: { [result.field]: req.t(result.key) } } });
    setNotice(req, 'absence.saved');
    res.redirect(303, '/admin/absence');
  });

  r.post('/absence/settings', async (req, res) => {
    const body = formBody(req);
    const values = {
      deputy: textOf(body.deputy),
      contact_phone: textOf(body.contact_phone),
      contact_email: textOf(body.contact_email),
      notice: textOf(body.notice),
    };
    if (!isAdmin(req)) return render(req, res, { status: 403, settings: { values, errors: { deputy: req.t('absence.error.adminOnly') } } });
    const parsed = absenceSettingsSchema.safeParse(values);
    if (!parsed.success) return render(req, res, { status: 400, settings: { values, errors: fieldErrors(parsed.error, req.t) } });
    const result = await saveAbsenceSettings(ctx.db, parsed.data, actor(req));
    if (!result.ok) return render(req, res, { status: 400, settings: { values, errors: { [result.field]: req.t(result.key) } } });
    setNotice(req, 'absence.settingsSaved');
    res.redirect(303, '/admin/absence');
  });

  return r;
}
