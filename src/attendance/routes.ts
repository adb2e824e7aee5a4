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
  /** A message next to the number field. */
  error: string | null;
  /** A message above the form: the date changed while the form was open. */
  changed?: string;
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
    const details = !view.expired;
    res.set('Cache-Control', 'no-store');
    res.status(status).render('attendance/report', {
      title: t('attendanceLink.page.title'),
      token,
      when: details ? formatWhen(view.start, view.end, zone, req.lang, t) : '',
      roomName: details ? view.roomName : '',
      eventTitle: details ? view.title : '',
      reference: details ? view.reference : '',
      expired: view.expired,
      until: formatDate(view.lastDay, req.lang),
      max: view.max,
      saved: req.query.saved === '1' && !form,
      recorded:
        r && details
          ? r.tookPlace
            ? t(r.by === 'staff' ? 'attendanceLink.page.recordedByHouse' : 'attendanceLink.page.recorded', { count: r.attended ?? 0 })
            : t(r.by === 'staff' ? 'attendanceLink.page.recordedNotHeldByHouse' : 'attendanceLink.page.recordedNotHeld')
          : null,
      values,
      error: form?.error ?? null,
      changed: form?.changed ?? null,
      stamp: view.stamp,
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
    const done = await reportAttendanceByLink(
      ctx.db,
      { token, tookPlace: form.tookPlace, attended: form.attended, shown: form.shown },
      { now, zone: req.house.zone },
    );
    if (!done.ok) {
      // Changed between reading and saving (the date moved, expired at this very moment, cancelled, erased, the
      // room made smaller): the page as it is now, with what was typed still in the form and nothing stored.
      const again = await viewOr404(req, res, token);
      if (again.expired) return render(req, res, 410, token, again, null);
      const values = { held: form.tookPlace ? 'yes' : 'no', attended: form.attended === null ? '' : String(form.attended) } as const;
      const error = done.reason === 'tooMany' ? req.t('attendanceLink.error.range', { max: again.max }) : null;
      return render(req, res, 409, token, again, { values, error, changed: error ? undefined : req.t('attendanceLink.error.changed') });
    }
    res.redirect(303, `/attendance/${token}?saved=1`);
  });

  return router;
}
