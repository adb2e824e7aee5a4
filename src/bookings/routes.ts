// Public routes of the requests area: the request form with its series preview, the confirmation, and the
// manage page behind the private link (status, cancel, edit). Handlers parse, call one service, render.
import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import {
  PREVIEWS,
  REQUESTS_REFUSED,
  REQUESTS_SENT,
  UNKNOWN_LINKS,
  admit,
  clientKey,
  retryClock,
  setRetryAfter,
  unknownLink,
  type LimitRule,
} from '../web/limits.js';
import { CsrfError, NotFoundError } from '../web/errors.js';
import { listRooms, parseEquipment } from '../rooms/repository.js';
import type { BookingRequest } from '../db/schema.js';
import { EQUIPMENT, isEquipment, type Equipment } from '../constants.js';
import { LANGUAGE_REGISTRY, isLang, rememberLanguage, useLanguage, type MessageKey } from '../i18n/index.js';
import { langOrDefault } from '../i18n/languages.js';
import { addMonths, parseDate, parseTime, todayIn } from '../time/index.js';
import { formatDate, formatLocale, formatWhen } from '../time/format.js';
import { MAX_PICKED_DATES, nextPeriod, rhythmOf, type Rhythm } from './series.js';
import { CATEGORIES, MAX, dateExample, emptyValues, readTypedDates, valuesFromBody, type FormErrors, type FormField, type RequestFormValues } from './form.js';
import { cancelDates, cancelTargets, checkRequest, createRequest, setRequestLanguage, updateRequest, type RequestCheck } from './service.js';
import { findRequestByToken, listBookingsOf, listRequestEvents } from './repository.js';
import { fieldErrorText, holidayNamesOf, isEditable, manageView, plannedDateView } from './present.js';
import { parseEndTime } from './rules.js';
import { findRoomById } from '../rooms/repository.js';
import { storageFailure } from '../errors.js';
import { formBody, textOf } from '../web/forms.js';
import { signedCookie } from '../web/security.js';
import { acceptedTexts } from '../house-texts/service.js';

/** Requests stored through /requests per client address and hour (see web/limits.ts for all the limits). */
export const REQUEST_POST_LIMIT = REQUESTS_SENT.limit;
/** Refused sends (honeypot, form errors, expired forms) per client address and hour. */
export const REQUEST_REFUSED_LIMIT = REQUESTS_REFUSED.limit;
/** Series previews per client address and hour: they store nothing, but each plans up to a year of dates. */
export const PREVIEW_LIMIT = PREVIEWS.limit;
/** Failed manage-link look-ups (unknown tokens) per client address and 15 minutes. */
export const TOKEN_FAILURE_LIMIT = UNKNOWN_LINKS.limit;

/** The form's fields in page order (the error summary follows it). */
const FIELD_ORDER: FormField[] = [
  'room',
  'date',
  'start',
  'end',
  'repeat',
  'everyWeeks',
  'nth',
  'pickedDates',
  'lastDate',
  'title',
  'publicTitle',
  'showPublicTitle',
  'publicEvent',
  'publicDescription',
  'organisation',
  'contactName',
  'email',
  'phone',
  'attendees',
  'category',
  'equipment',
  'notes',
  'acceptRules',
  'acceptPrivacy',
];
/** The fields the series preview looks at; the others are checked when the request is sent. */
const BOOKING_FIELDS = new Set<FormField>(['room', 'date', 'start', 'end', 'repeat', 'everyWeeks', 'nth', 'pickedDates', 'lastDate', 'attendees', 'equipment']);
/** Refusals that name a clash are answered 409, other form errors 422. */
const CLASH_KEYS = new Set<MessageKey>(['requests.error.clash', 'requests.error.allSkipped', 'requests.error.clashNow']);

/** The manage-link token of a /requests/:token route. */
const tokenOf = (req: Request): string => String(req.params.token);

type Mode = { kind: 'new' } | { kind: 'edit'; token: string };
/**
 * Where the answer to a post opens: "Termine anzeigen" posts to …#form-answer, which the preview's dates carry;
 * any other answer opens at the top, where the error summary is.
 */
type AnswerAt = 'preview' | null;

/** A message at the top of the form, about the whole form (not one field). */
interface FormNotice {
  title: string;
  text: string;
}

export function requestRoutes(ctx: AppContext): Router {
  const router = Router();
  // A group trying out its series with "Termine anzeigen" should never use up its sends.
  const isPreview = (req: Request) => formBody(req).action === 'preview';
  /**
   * The header's language switch on the form posts the form with action=language: the page answers in that
   * language (remembered like the normal switch) with every typed value, and nothing is checked or stored.
   */
  const switchedLanguage = (req: Request, res: Response, body: Record<string, unknown>): boolean => {
    if (body.action !== 'language' || !isLang(body.lang)) return false;
    rememberLanguage(req, res, body.lang);
    useLanguage(req, res, body.lang);
    return true;
  };
  /** The form's values, with dates typed the way people write them (24.12.2026, 24/12/2026) read as dates. */
  const formValues = (body: Record<string, unknown> | undefined) => readTypedDates(valuesFromBody(body));
  const deps = { clock: ctx.clock, notify: ctx.notify };

  async function renderForm(
    req: Request,
    res: Response,
    status: number,
    mode: Mode,
    values: RequestFormValues,
    check: RequestCheck | null,
    opts: { preview?: boolean; notice?: FormNotice; extending?: string; answerAt?: AnswerAt; switched?: boolean } = {},
  ) {
    const rooms = (await listRooms(ctx.db)).filter((r) => r.public_bookable === 1 || r.slug === values.room);
    const errors = check?.errors ?? {};
    const shown: FormErrors = opts.preview ? Object.fromEntries(Object.entries(errors).filter(([f]) => BOOKING_FIELDS.has(f as FormField))) : errors;
    const messages: Partial<Record<FormField, string>> = {};
    for (const f of FIELD_ORDER) {
      const e = shown[f];
      if (e) messages[f] = fieldErrorText(e, req.house.zone, req.lang, req.t);
    }
    // The request form takes dates as people type them: the message shows that format, not the ISO one.
    for (const f of ['date', 'lastDate'] as const) {
      const e = shown[f];
      if (e?.key === 'requests.error.dateInvalid')
        messages[f] = req.t('requestForm.error.dateInvalid', { value: String(e.params.value ?? ''), example: dateExample(req.lang) });
    }
    // Equipment the room does not have: name what it has (the list follows the room only with JavaScript).
    if (shown.equipment?.key === 'requests.error.equipment' && check?.room) {
      const offered = parseEquipment(check.room.equipment);
      const missing = EQUIPMENT.filter((k) => values.equipment.includes(k) && !offered.includes(k));
      const list = (keys: readonly Equipment[], quoted: boolean) =>
        new Intl.ListFormat(formatLocale(req.lang), { type: 'conjunction' }).format(
          keys.map((k) => (quoted ? req.t('requestForm.quoted', { text: req.t(`equipment.${k}`) }) : req.t(`equipment.${k}`))),
        );
      if (missing.length) {
        messages.equipment = req.t('requestForm.error.equipment', {
          room: check.room.name,
          count: offered.length,
          offered: list(offered.filter(isEquipment), false),
          missing: list(missing, true),
        });
      }
    }
    const equipmentKeys = EQUIPMENT.filter((k) => rooms.some((r) => parseEquipment(r.equipment).includes(k)));
    const preview =
      opts.preview && check?.dates
        ? {
            series: check.series,
            dates: check.dates.map((d) => plannedDateView(d, req.house.zone, req.lang, req.t)),
            okCount: check.dates.filter((d) => d.status === 'ok').length,
          }
        : null;
    if (mode.kind === 'edit') res.set('Cache-Control', 'no-store');
    res.status(status).render('requests/form', {
      title: req.t(mode.kind === 'new' ? 'requests.form.title' : 'requests.edit.title'),
      mode: mode.kind,
      action: mode.kind === 'new' ? '/requests' : `/requests/${mode.token}/edit`,
      manageHref: mode.kind === 'edit' ? `/requests/${mode.token}` : null,
      values,
      errors: messages,
      rooms: rooms.map((r) => ({ slug: r.slug, name: r.name, capacity: r.capacity, equipment: parseEquipment(r.equipment) })),
      categories: CATEGORIES.map((c) => ({ key: c, label: req.t(`category.${c}`) })),
      equipment: equipmentKeys.map((k) => ({
        key: k,
        label: req.t(`equipment.${k}`),
        rooms: rooms
          .filter((r) => parseEquipment(r.equipment).includes(k))
          .map((r) => r.name)
          .join(', '),
      })),
      max: MAX,
      preview,
      notice: opts.notice ?? null,
      extending: opts.extending ?? null,
      maxPickedDates: MAX_PICKED_DATES,
      answerAt: opts.answerAt ?? null,
      switched: opts.switched ? req.t('requestForm.languageSwitched') : null,
      dateHint: req.t('requestForm.dateHint', { example: dateExample(req.lang) }),
      axisTexts: axisTexts(req.t),
      opening: req.house.openingHours,
      hint: { days: req.house.leadTimeDays, months: req.house.horizonMonths, phone: req.house.contactPhone },
    });
  }

  const LIMITED_TEXT = new Map<LimitRule, MessageKey>([
    [REQUESTS_SENT, 'requests.limited.text'],
    [REQUESTS_REFUSED, 'requests.limited.refusedText'],
    [PREVIEWS, 'requests.limited.previewText'],
  ]);

  /**
   * A limit said no: the form comes back with everything typed, the reason and the time to try again on top.
   * `check`: the form's own mistakes, still shown next to their fields (nothing is stored, so that costs nothing
   * and the group can correct them while it waits).
   */
  async function renderLimited(req: Request, res: Response, rule: LimitRule, retryAt: number, values: RequestFormValues, check: RequestCheck | null = null) {
    const now = ctx.clock().getTime();
    setRetryAfter(res, retryAt, now);
    const text = req.t(LIMITED_TEXT.get(rule)!, { time: retryClock(retryAt, req.house.zone), phone: req.house.contactPhone || '–' });
    await renderForm(req, res, 429, { kind: 'new' }, values, check, {
      notice: { title: req.t('requests.limited.title'), text },
      preview: Boolean(check?.series && check.dates),
    });
  }

  /**
   * Counts a refused send (robots' work); false when the address has used them up (then the limited form was
   * sent, with the form's mistakes in `check` next to their fields).
   */
  async function countRefused(req: Request, res: Response, values: RequestFormValues, check: RequestCheck | null = null): Promise<boolean> {
    const a = await admit(ctx.db, REQUESTS_REFUSED, clientKey(req), ctx.clock().getTime());
    if (a.ok) return true;
    await renderLimited(req, res, REQUESTS_REFUSED, a.retryAt, values, check);
    return false;
  }

  function statusOf(check: RequestCheck): number {
    const keys = Object.values(check.errors).map((e) => e.key);
    return keys.length && keys.every((k) => CLASH_KEYS.has(k)) ? 409 : 422;
  }

  router.get('/requests', (_req, res) => res.redirect(303, '/requests/new'));

  router.get('/requests/new', async (req, res) => {
    const q = req.query;
    const values = emptyValues();
    // Prefill from a clicked calendar slot; anything malformed is simply left empty.
    if (typeof q.room === 'string' && q.room.length <= MAX.room) values.room = q.room;
    if (parseDate(q.date)) values.date = q.date as string;
    if (parseTime(q.start)) values.start = q.start as string;
    if (parseEndTime(q.end)) values.end = q.end as string;
    // From "find a free room" (/search): people, equipment and a weekly wish.
    if (typeof q.attendees === 'string' && /^\d{1,4}$/.test(q.attendees)) values.attendees = q.attendees;
    values.equipment = [q.equipment].flat().filter((e): e is Equipment => typeof e === 'string' && isEquipment(e));
    if (q.repeat === 'weekly' && parseDate(q.lastDate)) {
      values.repeat = 'weekly';
      values.lastDate = q.lastDate as string;
      if (typeof q.everyWeeks === 'string' && /^[1-4]$/.test(q.everyWeeks)) values.everyWeeks = q.everyWeeks;
    }
    await renderForm(req, res, 200, { kind: 'new' }, values, null);
  });

  /** The form came back with a token that no longer counts (idle expiry, lost cookie): show it again, filled in. */
  const expiredNotice = (req: Request): FormNotice => ({ title: req.t('error.csrf.title'), text: req.t('requests.form.expired') });

  // A form shown again after an expired session counts as a refused send (nothing is stored).
  router.post(
    '/requests',
    async (req, res, next) => {
      if (!req.csrfExpired) return next();
      const values = formValues(req.csrfExpired.body);
      if (switchedLanguage(req, res, req.csrfExpired.body)) return renderForm(req, res, 200, { kind: 'new' }, values, null, { switched: true });
      if (!(await countRefused(req, res, values))) return;
      if (typeof req.csrfExpired.body.website === 'string' && req.csrfExpired.body.website !== '') throw new CsrfError();
      await renderForm(req, res, 403, { kind: 'new' }, values, null, { notice: expiredNotice(req) });
    },
    async (req, res) => {
      const values = formValues(formBody(req));
      // The honeypot: people never see this field, form-filling robots do.
      if (textOf(formBody(req).website) !== '') {
        if (!(await countRefused(req, res, values))) return;
        res.status(400).render('requests/refused', { title: req.t('requests.refused.title'), text: req.t('requests.refused.text') });
        return;
      }
      if (switchedLanguage(req, res, formBody(req))) return renderForm(req, res, 200, { kind: 'new' }, values, null, { switched: true });
      if (isPreview(req)) {
        const a = await admit(ctx.db, PREVIEWS, clientKey(req), ctx.clock().getTime());
        if (!a.ok) return renderLimited(req, res, PREVIEWS, a.retryAt, values);
        const check = await checkRequest(ctx.db, req.house, values, ctx.clock(), { lang: req.lang, confirmations: false });
        await renderForm(req, res, 200, { kind: 'new' }, values, check, { preview: true, answerAt: 'preview' });
        return;
      }
      const key = clientKey(req);
      const result = await createRequest(ctx.db, deps, req.house, values, {
        lang: req.lang,
        // Which rules and privacy texts the group was shown (the page language's translation, or German).
        accepted: acceptedTexts(req.houseTexts),
        admit: (trx) => admit(trx, REQUESTS_SENT, key, ctx.clock().getTime()),
      });
      if (!result.ok) {
        if ('limitedUntil' in result) return renderLimited(req, res, REQUESTS_SENT, result.limitedUntil, values);
        if (!(await countRefused(req, res, values, result.check))) return;
        await renderForm(req, res, statusOf(result.check), { kind: 'new' }, values, result.check, {
          preview: Boolean(result.check.series && result.check.dates),
        });
        return;
      }
      // The confirmation is the manage page itself, with the link to keep. It shows once, in this browser:
      // a short signed cookie remembers which request was just sent (no server-side session for visitors), and
      // ?created=1 without it (a bookmark, a reload, a forwarded link) goes on to the plain manage link.
      res.cookie(JUST_CREATED_COOKIE, String(result.requestId), justCreatedCookie(ctx.config.secureCookies));
      res.redirect(303, `/requests/${result.token}?created=1`);
    },
  );

  /**
   * The request of a manage link; an unknown link is a 404, counted per address (then 429 with the time).
   * Its pages open in the group's language unless this visitor chose one (?lang=, the switch's cookie).
   */
  async function requestOr404(req: Request, res: Response, token: string): Promise<BookingRequest> {
    const request = await findRequestByToken(ctx.db, token);
    if (!request) throw await unknownLink(ctx.db, req, res, ctx.clock().getTime());
    const groupLang = langOrDefault(request.language);
    const chosen = req.langSource === 'query' || req.langSource === 'cookie';
    if (!chosen && groupLang !== req.lang && req.house.languages.includes(groupLang)) useLanguage(req, res, groupLang);
    return request;
  }

  async function renderManage(
    req: Request,
    res: Response,
    status: number,
    token: string,
    request: BookingRequest,
    notice: { key: MessageKey; error?: boolean } | null,
    opts: { created?: boolean; languageError?: string } = {},
  ) {
    const [bookings, room, events] = await Promise.all([
      listBookingsOf(ctx.db, request.id),
      findRoomById(ctx.db, request.room_id),
      listRequestEvents(ctx.db, request.id),
    ]);
    const holidays = holidayNamesOf(bookings, req.house.federalState, req.lang);
    const view = manageView(request, bookings, room, ctx.clock().getTime(), req.house.zone, req.lang, req.t, events, holidays);
    res.set('Cache-Control', 'no-store');
    res.status(status).render('requests/manage', {
      title: req.t('requests.manage.title', { reference: request.reference }),
      view,
      token,
      // "Ihre Anfrage ist angekommen … Das Haus prüft": only true while nothing has happened to it yet.
      created: opts.created === true && view.status === 'pending',
      manageUrl: `${ctx.config.baseUrl}/requests/${token}`,
      icsHref: `/requests/${token}/calendar.ics`,
      extend: extensionView(request, req),
      notice: notice ? { text: req.t(notice.key), error: notice.error === true } : null,
      // The group's language for its mails: a small form of its own (the header's switch is this page's language).
      mailLanguage: {
        value: langOrDefault(request.language),
        options: LANGUAGE_REGISTRY.filter((l) => req.house.languages.includes(l.code) || l.code === request.language),
        error: opts.languageError ?? null,
      },
    });
  }

  /** "Book the next season": the following period of a series, or null (a single date; beyond the horizon). */
  function nextSeason(request: BookingRequest, house: Request['house']) {
    const rhythm = rhythmOf(request);
    if (!rhythm) return null;
    const latest = addMonths(todayIn(ctx.clock, house.zone), house.horizonMonths);
    return nextPeriod({ firstDate: request.first_date, lastDate: request.last_date ?? request.first_date, rhythm }, latest);
  }

  function extensionView(request: BookingRequest, req: Request): { from: string } | { beyond: string } | null {
    if (!rhythmOf(request)) return null;
    const next = nextSeason(request, req.house);
    return next ? { from: formatDate(next.firstDate, req.lang, 'date') } : { beyond: req.t('rhythm.extend.beyond', { months: req.house.horizonMonths }) };
  }

  // The request form filled in for the following period of a series: a new request (own reference and manage
  // link) once sent; the request of this link stays as it is. The confirmations are asked again.
  router.get('/requests/:token/extend', async (req, res) => {
    const token = tokenOf(req);
    const request = await requestOr404(req, res, token);
    const next = nextSeason(request, req.house);
    if (!next) {
      res.set('Cache-Control', 'no-store');
      res.redirect(303, `/requests/${token}`);
      return;
    }
    const room = await findRoomById(ctx.db, request.room_id);
    const values = { ...valuesOfRequest(request, room?.slug ?? ''), date: next.firstDate, ...rhythmValues(next.rhythm, next.lastDate) };
    res.set('Cache-Control', 'no-store');
    await renderForm(req, res, 200, { kind: 'new' }, values, null, { extending: request.reference });
  });

  const DONE: Record<string, MessageKey> = {
    cancelled: 'requests.manage.doneCancelled',
    freed: 'requests.manage.doneFreed',
    edited: 'requests.manage.doneEdited',
    language: 'languages.manage.done',
    public: 'programme.edit.done',
  };

  // The group's language (its mails, and this page when the visitor has not chosen one): offered languages only.
  router.post('/requests/:token/language', async (req, res) => {
    const token = tokenOf(req);
    const request = await requestOr404(req, res, token);
    const wanted = formBody(req).language;
    if (!isLang(wanted) || !req.house.languages.includes(wanted)) {
      await renderManage(req, res, 400, token, request, null, { languageError: req.t('languages.manage.error') });
      return;
    }
    await setRequestLanguage(ctx.db, deps, request, wanted);
    res.set('Cache-Control', 'no-store');
    res.redirect(303, `/requests/${token}?done=language`);
  });

  router.get('/requests/:token', async (req, res) => {
    const token = tokenOf(req);
    const request = await requestOr404(req, res, token);
    let created = false;
    if (req.query.created !== undefined) {
      if (signedCookie(req, JUST_CREATED_COOKIE) !== String(request.id)) {
        res.set('Cache-Control', 'no-store');
        res.redirect(303, `/requests/${token}`);
        return;
      }
      res.clearCookie(JUST_CREATED_COOKIE, justCreatedCookie(ctx.config.secureCookies));
      created = true;
    }
    const done = typeof req.query.done === 'string' ? DONE[req.query.done] : undefined;
    await renderManage(req, res, 200, token, request, done ? { key: done } : null, { created });
  });

  router.get('/requests/:token/cancel', async (req, res) => {
    await requestOr404(req, res, tokenOf(req));
    res.redirect(303, `/requests/${tokenOf(req)}`);
  });

  // Cancelling cannot be undone: the first post (the buttons on the manage page) names what would be
  // cancelled and asks; only the post with confirm=1 cancels. Works without JavaScript.
  router.post('/requests/:token/cancel', async (req, res) => {
    const token = tokenOf(req);
    const request = await requestOr404(req, res, token);
    const raw = textOf(formBody(req).booking);
    const bookingId = /^\d{1,12}$/.test(raw) ? Number(raw) : null;
    if (raw !== '' && bookingId === null) throw new NotFoundError();
    const refused = (reason: 'started' | 'nothing') =>
      renderManage(req, res, 409, token, request, {
        key: reason === 'started' ? 'requests.manage.notCancellable' : 'requests.manage.nothingToCancel',
        error: true,
      });

    if (formBody(req).confirm !== '1') {
      const [bookings, room] = await Promise.all([listBookingsOf(ctx.db, request.id), findRoomById(ctx.db, request.room_id)]);
      const targets = cancelTargets(bookings, bookingId, ctx.clock().getTime());
      if (!targets.length) return refused(bookingId === null ? 'nothing' : 'started');
      const whole = targets.length === bookings.filter((b) => b.status === 'pending' || b.status === 'approved').length;
      res.set('Cache-Control', 'no-store');
      res.render('requests/cancel-confirm', {
        title: req.t('requests.cancel.title', { count: targets.length }),
        reference: request.reference,
        requestTitle: request.title,
        roomName: room?.name ?? '',
        dates: targets.map((b) => ({
          when: formatWhen(b.start_at, b.end_at, req.house.zone, req.lang, req.t),
          statusText: req.t(`bookingStatus.${b.status}`),
        })),
        approved: targets.some((b) => b.status === 'approved'),
        whole,
        action: `/requests/${token}/cancel`,
        booking: bookingId === null ? '' : String(bookingId),
        manageHref: `/requests/${token}`,
      });
      return;
    }
    const result = await cancelDates(ctx.db, deps, request, bookingId);
    if (!result.ok) return refused(result.reason);
    res.redirect(303, `/requests/${token}?done=${result.wasApproved ? 'freed' : 'cancelled'}`);
  });

  router.get('/requests/:token/edit', async (req, res) => {
    const token = tokenOf(req);
    const request = await requestOr404(req, res, token);
    const bookings = await listBookingsOf(ctx.db, request.id);
    if (!isEditable(bookings, ctx.clock().getTime())) {
      await renderManage(req, res, 409, token, request, { key: 'requests.manage.notEditable', error: true });
      return;
    }
    const room = await findRoomById(ctx.db, request.room_id);
    await renderForm(req, res, 200, { kind: 'edit', token }, valuesOfRequest(request, room?.slug ?? ''), null);
  });

  router.post(
    '/requests/:token/edit',
    async (req, res, next) => {
      if (!req.csrfExpired) return next();
      const token = tokenOf(req);
      const request = await findRequestByToken(ctx.db, token);
      if (!request) {
        // Refused like any post without a valid token, and counted as a wrong link like a 404.
        const refusal = await unknownLink(ctx.db, req, res, ctx.clock().getTime());
        throw refusal.status === 404 ? new CsrfError() : refusal;
      }
      if (switchedLanguage(req, res, req.csrfExpired.body))
        return renderForm(req, res, 200, { kind: 'edit', token }, formValues(req.csrfExpired.body), null, { switched: true });
      await renderForm(req, res, 403, { kind: 'edit', token }, formValues(req.csrfExpired.body), null, { notice: expiredNotice(req) });
    },
    async (req, res) => {
      const token = tokenOf(req);
      const request = await requestOr404(req, res, token);
      const values = formValues(formBody(req));
      if (switchedLanguage(req, res, formBody(req))) return renderForm(req, res, 200, { kind: 'edit', token }, values, null, { switched: true });
      if (formBody(req).action === 'preview') {
        const check = await checkRequest(ctx.db, req.house, values, ctx.clock(), { lang: req.lang, confirmations: false, excludeRequestId: request.id });
        await renderForm(req, res, 200, { kind: 'edit', token }, values, check, { preview: true, answerAt: 'preview' });
        return;
      }
      const result = await updateRequest(ctx.db, deps, req.house, request, values, { lang: req.lang });
      if (!result.ok) {
        if ('notEditable' in result) {
          await renderManage(req, res, 409, token, request, { key: 'requests.manage.notEditable', error: true });
          return;
        }
        await renderForm(req, res, statusOf(result.check), { kind: 'edit', token }, values, result.check, {
          preview: Boolean(result.check.series && result.check.dates),
        });
        return;
      }
      res.redirect(303, `/requests/${token}?done=edited`);
    },
  );

  // The database cannot be written (disk full, read-only): the group gets its form back with everything typed
  // and the reason on top (503); nothing was stored, so sending it again later works.
  const friendlyStorage: ErrorRequestHandler = async (err, req, res, next) => {
    if (!storageFailure(err) || req.method !== 'POST') return next(err);
    const edit = /^\/requests\/([^/]+)\/edit\/?$/.exec(req.path);
    if (req.path !== '/requests' && !edit) return next(err);
    ctx.logger.warn({ code: (err as { code?: string }).code, reqId: res.locals.requestId }, 'database cannot be written');
    await renderForm(req, res, 503, edit ? { kind: 'edit', token: edit[1]! } : { kind: 'new' }, formValues(formBody(req)), null, {
      notice: { title: req.t('error.storage.title'), text: req.t('error.storage.text') },
    });
  };
  router.use(friendlyStorage);
  return router;
}

/** The request this browser has just sent (signed with the session secret): its confirmation shows once. */
const JUST_CREATED_COOKIE = 'rb.created';

function justCreatedCookie(secure: boolean) {
  return { signed: true, httpOnly: true, sameSite: 'lax' as const, secure, path: '/requests', maxAge: 15 * 60_000 };
}

/** The edit form's values from a stored request. */
function valuesOfRequest(r: BookingRequest, roomSlug: string): RequestFormValues {
  return {
    ...emptyValues(),
    room: roomSlug,
    date: r.first_date,
    start: r.start_time,
    end: r.end_time,
    title: r.title,
    publicTitle: r.public_title ?? '',
    showPublicTitle: r.show_public_title === 1,
    publicEvent: r.public_event === 1,
    publicDescription: r.public_description ?? '',
    organisation: r.organisation ?? '',
    contactName: r.contact_name,
    email: r.email,
    phone: r.phone ?? '',
    attendees: String(r.attendees),
    category: r.category,
    equipment: parseEquipment(r.equipment),
    notes: r.notes,
    ...rhythmValues(rhythmOf(r), r.last_date ?? ''),
  };
}

/** The form's rhythm fields for a rhythm (hand-picked dates written as people type them, one per line). */
function rhythmValues(rhythm: Rhythm | null, lastDate: string): Pick<RequestFormValues, 'repeat' | 'everyWeeks' | 'nth' | 'pickedDates' | 'lastDate'> {
  return {
    repeat: rhythm?.kind ?? 'none',
    everyWeeks: String(rhythm?.kind === 'weekly' ? rhythm.everyWeeks : 1),
    nth: rhythm?.kind === 'monthly' ? (rhythm.nth === -1 ? 'last' : String(rhythm.nth)) : '1',
    pickedDates: rhythm?.kind === 'dates' ? rhythm.dates.map((d) => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`).join('\n') : '',
    lastDate: rhythm && rhythm.kind !== 'dates' ? lastDate : '',
  };
}

/** The texts of the time axis (public/js/request-form.js), in the page's language. */
function axisTexts(t: Request['t']) {
  return {
    label: t('requestForm.axis.label'),
    help: t('requestForm.axis.help'),
    loading: t('requestForm.axis.loading'),
    failed: t('requestForm.axis.failed'),
    chosen: t('requestForm.axis.chosen'),
    noDay: t('requestForm.axis.noDay'),
    free: t('requestForm.axis.free'),
    busy: t('requestForm.axis.busy'),
    requested: t('requestForm.axis.requested'),
    closed: t('requestForm.axis.closed'),
  };
}
