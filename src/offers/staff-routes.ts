// The caretaker's side of offers and notes (under /admin, role-guarded by staff/routes.ts): the page that lists
// the free alternatives to a pending request and sends the chosen ones to the group, the notes on the request
// detail page, and what the detail page shows of both (handed to bookings as DeskExtensions).
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import type { DeskExtensions } from '../bookings/staff-routes.js';
import { ForbiddenError, NotFoundError } from '../web/errors.js';
import { fieldErrors, formBody, idParam, setNotice, textOf } from '../web/forms.js';
import { formatDate, formatInstant, formatWhen } from '../time/format.js';
import { rhythmOf } from '../bookings/series.js';
import { describeRhythm } from '../bookings/view.js';
import { addNote, canDeleteNote, deleteNote, listNotes } from '../notes/service.js';
import { findAlternatives, optionKey, type OfferOption } from './alternatives.js';
import { createOffer, openDatesOf } from './service.js';
import { latestOffer, listOfferOptions, requestsWithOpenOffer } from './repository.js';
import { describeOption } from './view.js';
import { noteSchema, offerSchema } from './schema.js';

export function offerStaffRoutes(ctx: AppContext): Router {
  const r = Router();
  const deps = { clock: ctx.clock, notify: ctx.notify };

  async function alternativesOf(req: Request, id: number) {
    const open = await openDatesOf(ctx.db, id, ctx.clock().getTime());
    if (!open) throw new NotFoundError();
    const single = rhythmOf(open.request) === null;
    const options = await findAlternatives(ctx, req.house, { request: open.request, dates: open.dates, single }, ctx.clock(), req.lang);
    return { ...open, single, options };
  }

  async function renderOffer(
    req: Request,
    res: Response,
    id: number,
    form: { chosen: string[]; message: string },
    errors: Record<string, string> = {},
    status = 200,
  ) {
    const { request, dates, single, options } = await alternativesOf(req, id);
    const t = req.t;
    const zone = req.house.zone;
    const view = (o: OfferOption) => ({
      key: optionKey(o),
      label: describeOption(o, { zone, lang: req.lang, t, count: dates.length }),
      checked: form.chosen.includes(optionKey(o)),
    });
    res.status(status).render('admin/offer', {
      title: t('desk.offer.title', { reference: request.reference }),
      request: {
        id: request.id,
        reference: request.reference,
        title: request.title,
        series: describeRhythm(request, req.lang, t),
        hasEmail: request.anonymized_at === null && request.email.trim() !== '',
      },
      dates: dates.map((d) => formatWhen(d.start, d.end, zone, req.lang, t)),
      single,
      groups: [
        { id: 'room', legend: t('desk.offer.kind.room'), items: options.filter((o) => o.kind === 'room').map(view) },
        { id: 'time', legend: t('desk.offer.kind.time'), items: options.filter((o) => o.kind === 'time').map(view) },
        ...(single ? [{ id: 'day', legend: t('desk.offer.kind.day'), items: options.filter((o) => o.kind === 'day').map(view) }] : []),
      ],
      found: options.length,
      message: form.message,
      errors,
    });
  }

  r.get('/requests/:id/offer', async (req, res) => renderOffer(req, res, idParam(req.params.id), { chosen: [], message: '' }));

  r.post('/requests/:id/offer', async (req, res) => {
    const id = idParam(req.params.id);
    const body = formBody(req);
    const form = {
      chosen: Array.isArray(body.option) ? body.option.map((v) => textOf(v)) : [textOf(body.option)].filter(Boolean),
      message: textOf(body.message),
    };
    const parsed = offerSchema.safeParse(body);
    if (!parsed.success) return renderOffer(req, res, id, form, fieldErrors(parsed.error, req.t), 400);
    // The options are found again: only what is still free now can be offered (and nothing a form made up).
    const { options } = await alternativesOf(req, id);
    const byKey = new Map(options.map((o) => [optionKey(o), o]));
    const chosen = parsed.data.option.map((k) => byKey.get(k));
    if (chosen.some((o) => !o)) {
      return renderOffer(req, res, id, { ...form, chosen: form.chosen.filter((k) => byKey.has(k)) }, { option: req.t('desk.offer.error.gone') }, 409);
    }
    const result = await createOffer(ctx.db, deps, { requestId: id, options: chosen as OfferOption[], message: parsed.data.message, userId: req.user!.id });
    if (!result.ok) {
      return renderOffer(req, res, id, form, { option: req.t(result.reason === 'noEmail' ? 'desk.offer.error.noEmail' : 'desk.offer.error.notOpen') }, 409);
    }
    setNotice(req, 'desk.notice.offerSent', { count: chosen.length });
    res.redirect(303, `/admin/requests/${id}`);
  });

  return r;
}

/** What the request detail page shows of notes and offers, and the notes' routes (which show that page again). */
export function deskExtensions(ctx: AppContext): DeskExtensions {
  return {
    offeredRequests: (ids) => requestsWithOpenOffer(ctx.db, ids, ctx.clock().getTime()),
    async detailSections(req, requestId, state) {
      const t = req.t;
      const zone = req.house.zone;
      const now = ctx.clock().getTime();
      const [notes, offer, open] = await Promise.all([listNotes(ctx.db, requestId), latestOffer(ctx.db, requestId), openDatesOf(ctx.db, requestId, now)]);
      const options = offer ? await listOfferOptions(ctx.db, offer.id) : [];
      const count = open?.dates.length ?? 0;
      const offerState = !offer
        ? null
        : offer.status === 'accepted'
          ? 'accepted'
          : offer.status === 'withdrawn'
            ? 'withdrawn'
            : now >= offer.expires_at
              ? 'expired'
              : 'open';
      return {
        notes: notes.map((n) => ({
          id: n.id,
          body: n.body,
          author: n.authorName ?? t('desk.notes.formerStaff'),
          at: formatInstant(n.createdAt, zone, req.lang),
          canDelete: canDeleteNote(n, req.user!),
        })),
        noteForm: { body: typeof state.noteBody === 'string' ? state.noteBody : '', error: typeof state.noteError === 'string' ? state.noteError : '' },
        offer: offer
          ? {
              state: offerState,
              stateText:
                offerState === 'accepted'
                  ? t('desk.offer.state.accepted', { at: formatInstant(offer.answered_at ?? offer.created_at, zone, req.lang) })
                  : offerState === 'withdrawn'
                    ? t('desk.offer.state.withdrawn')
                    : offerState === 'expired'
                      ? t('desk.offer.state.expired', { at: formatInstant(offer.expires_at, zone, req.lang) })
                      : t('desk.offer.state.open', { until: formatInstant(offer.expires_at, zone, req.lang) }),
              sentAt: formatInstant(offer.created_at, zone, req.lang),
              message: offer.message,
              options: options.map((o) => ({
                label: describeOption(
                  { roomName: o.roomName, date: o.local_date, start: o.start_time, end: o.end_time },
                  { zone, lang: req.lang, t, count: Math.max(count, 1) },
                ),
                accepted: offer.accepted_option_id === o.id,
              })),
            }
          : null,
        canOffer: count > 0,
        offerUntil: open?.dates[0] ? formatDate(open.dates[0].localDate, req.lang, 'long') : '',
      };
    },
    routes(r, renderDetail) {
      r.post('/requests/:id/notes', async (req, res) => {
        const id = idParam(req.params.id);
        const body = formBody(req);
        const parsed = noteSchema.safeParse(body);
        if (!parsed.success) {
          const errors = fieldErrors(parsed.error, req.t);
          return renderDetail(req, res, id, { status: 400, state: { noteBody: textOf(body.body), noteError: errors.body ?? req.t('staff.error.invalid') } });
        }
        await addNote(ctx.db, { requestId: id, userId: req.user!.id, body: parsed.data.body, now: ctx.clock().getTime() });
        setNotice(req, 'desk.notice.noteAdded');
        res.redirect(303, `/admin/requests/${id}#notes-h`);
      });
      r.post('/requests/:id/notes/:noteId/delete', async (req, res) => {
        const id = idParam(req.params.id);
        const noteId = idParam(req.params.noteId);
        const done = await deleteNote(ctx.db, { requestId: id, noteId, user: req.user!, now: ctx.clock().getTime() });
        if (done === 'forbidden') throw new ForbiddenError();
        setNotice(req, 'desk.notice.noteDeleted');
        res.redirect(303, `/admin/requests/${id}#notes-h`);
      });
    },
  };
}
