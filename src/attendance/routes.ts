// The group's attendance page (no login; the link from the attendance mail is the key): /attendance/<token>
// shows the date and a form "how many came / did not take place" (POST, CSRF), which saves with source 'group'
// and may correct the number until the link expires. An unknown link is a 404 counted like a wrong manage
// link; an expired one a 410 that says so. The page opens in the group's language unless the visitor chose one.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { useLanguage } from '../i18n/index.js';
import { langOrDefault } from '../i18n/languages.js';
import { unknownLink } from '../web/limits.js';
import { HttpError, NotFoundError } from '../web/errors.js';
import { formBody } from '../web/forms.js';
import { formatDate, formatWhen } from '../time/format.js';
import { loadAttendanceLink, reportAttendanceByLink, type AttendanceLinkView } from './service.js';
import { readAttendanceForm, type AttendanceFormValues } from './schema.js';

interface FormState {
  values: AttendanceFormValues;
  error: string | null;
}

export function attendanceRoutes(ctx: AppContext): Router {
  const router = Router();

  /** The link's date, or a 404 (429 after too many wrong links) with the page's own words. */
  async function viewOr404(req: Request, res: Response, token: string): Promise<AttendanceLinkView> {
    const now = ctx.clock().getTime();
    const view = await loadAttendanceLink(ctx.db, token, now, req.house.zone);
    if (!view) {
      const e = await unknownLink(ctx.db, req, res, now);
      throw e instanceof NotFoundError ? new HttpError(404, 'not_found', 'attendanceLink.unknown.title', 'attendanceLink.unknown.text') : e;
    }
    const groupLang = langOrDefault(view.language);
    const chosen = req.langSource === 'query' || req.langSource === 'cookie';
    if (!chosen && groupLang !== req.lang && req.house.languages.includes(groupLang)) useLanguage(req, res, groupLang);
    return view;
  }

  function render(req: Request, res: Response, status: number, token: string, view: AttendanceLinkView, form: FormState | null) {
    const t = req.t;
    const { zone } = req.house;
    const r = view.recorded;
    const values: AttendanceFormValues = form?.values ?? {
      held: r && !r.tookPlace ? 'no' : 'yes',
      attended: r?.attended === null || r?.attended === undefined ? '' : String(r.attended),
    };
    // An expired link says only that it has expired and whom to call: the date's details leave with the form.
    const shown = !view.expired;
    res.set('Cache-Control', 'no-store');
    res.status(status).render('attendance/report', {
      title: t('attendanceLink.page.title'),
      token,
      when: shown ? formatWhen(view.start, view.end, zone, req.lang, t) : '',
      roomName: shown ? view.roomName : '',
      eventTitle: shown ? view.title : '',
      reference: shown ? view.reference : '',
      expired: view.expired,
      until: formatDate(view.lastDay, req.lang),
      max: view.max,
      saved: req.query.saved === '1' && !form,
      recorded:
        r && shown
          ? r.tookPlace
            ? t(r.by === 'staff' ? 'attendanceLink.page.recordedByHouse' : 'attendanceLink.page.recorded', { count: r.attended ?? 0 })
            : t(r.by === 'staff' ? 'attendanceLink.page.recordedNotHeldByHouse' : 'attendanceLink.page.recordedNotHeld')
          : null,
      values,
      error: form?.error ?? null,
      phone: req.house.contactPhone,
    });
  }

  router.get('/attendance/:token', async (req, res) => {
    const token = String(req.params.token);
    const view = await viewOr404(req, res, token);
    render(req, res, view.expired ? 410 : 200, token, view, null);
  });

  router.post('/attendance/:token', async (req, res) => {
    const token = String(req.params.token);
    const view = await viewOr404(req, res, token);
    if (view.expired) return render(req, res, 410, token, view, null);
    const form = readAttendanceForm(formBody(req), view.max);
    if (!form.ok) return render(req, res, 400, token, view, { values: form.values, error: req.t(form.key, { max: view.max }) });
    const now = ctx.clock().getTime();
    const done = await reportAttendanceByLink(ctx.db, { token, tookPlace: form.tookPlace, attended: form.attended }, { now, zone: req.house.zone });
    if (!done.ok) {
      // Changed between reading and saving (expired at this very moment, cancelled, erased): show the page as it is
      // now, with what was typed still in the form.
      const again = await viewOr404(req, res, token);
      const typed = { held: form.tookPlace ? 'yes' : 'no', attended: form.attended === null ? '' : String(form.attended) } as const;
      return render(req, res, again.expired ? 410 : 409, token, again, again.expired ? null : { values: typed, error: null });
    }
    res.redirect(303, `/attendance/${token}?saved=1`);
  });

  return router;
}
