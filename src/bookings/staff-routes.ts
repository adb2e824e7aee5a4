// The caretaker's booking desk under /admin (role-guarded by staff/routes.ts): inbox and decisions, request
// detail with history, changing and cancelling dates, direct booking. Thin handlers: parse (zod), call one
// service, render.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import type { MessageTemplate } from '../db/schema.js';
import { isMessageKey, type MessageKey } from '../i18n/index.js';
import { BadRequestError, ConflictError, NotFoundError } from '../web/errors.js';
import { fieldErrors, idParam, queryDateOr, setNotice, takeNotice, textOf } from '../web/forms.js';
import { inCalendarRange, localDate, localTime, parseDate, todayIn } from '../time/index.js';
import { listRooms, parseEquipment } from '../rooms/repository.js';
import { listTemplates } from '../message-templates/repository.js';
import { CATEGORIES, EQUIPMENT, isEquipment } from '../constants.js';
import { languageInfo } from '../i18n/languages.js';
import { loadInbox } from './inbox.js';
import { approveDates, rejectDates, type ApproveResult } from './decisions.js';
import { loadRequestDetail } from './detail.js';
import { cancelDates, editDates, type EditResult } from './changes.js';
import { createDirectBooking, latestSeriesEnd, SERIES_MAX_DATES, SERIES_MAX_MONTHS } from './direct.js';
import type { RuleFailure } from './rules.js';
import type { Clash } from './occupancy-clashes.js';
import { clashView, describeRhythm, type ClashView } from './view.js';
import { rhythmOf } from './series.js';
import { formatDate, formatInstant, formatWhen } from '../time/format.js';
import { cancelSchema, decisionSchema, directSchema, editSchema } from './staff-schema.js';

function templatesView(list: MessageTemplate[], kind: MessageTemplate['kind']) {
  return list.filter((t) => t.kind === kind).map((t) => ({ id: t.id, label: t.label, body: t.body }));
}

function dateList(dates: string[], req: Request): string {
  return dates.map((d) => formatDate(d, req.lang, 'long')).join('; ');
}

function clashViews(clashes: Clash[], req: Request): ClashView[] {
  return clashes.map((c) => clashView(c, req.house.zone, req.lang, req.t));
}

/** The public form's words tell a group to call the house; staff get words that point to what they can do. */
const STAFF_WORDING: Partial<Record<string, MessageKey>> = {
  'requests.error.leadTime': 'staff.direct.error.leadTime',
  'requests.error.past': 'staff.direct.error.past',
};

const RULE_FIELD: Record<RuleFailure['field'], string> = {
  room: 'room',
  date: 'date',
  start: 'start',
  end: 'end',
  endDate: 'end',
  attendees: 'attendees',
  lastDate: 'last_date',
  repeat: 'repeat',
  nth: 'repeat',
  dates: 'repeat',
};

const TEXT_FIELDS = [
  'room',
  'date',
  'start',
  'end',
  'repeat',
  'last_date',
  'title',
  'public_title',
  'organisation',
  'contact_name',
  'email',
  'phone',
  'category',
  'attendees',
  'notes',
  'language',
  'message',
] as const;
const CHECK_FIELDS = ['show_public_title', 'override_hours', 'override_lead', 'override_horizon'] as const;

/** Requests on one page of the inbox (the soonest first). */
export const INBOX_PAGE_SIZE = 25;
const inboxPage = (page: number) => ({ offset: (page - 1) * INBOX_PAGE_SIZE, limit: INBOX_PAGE_SIZE });

export function bookingDeskRoutes(ctx: AppContext): Router {
  const r = Router();
  const now = () => ctx.clock().getTime();
  const deps = { clock: ctx.clock, notify: ctx.notify };

  // ---------- inbox ----------

  r.get('/', async (req, res) => {
    // INBOX_PAGE_SIZE requests a page: 300 open requests on one page would be half a megabyte to send and to read.
    const asked = typeof req.query.page === 'string' && /^[1-9]\d{0,5}$/.test(req.query.page) ? Number(req.query.page) : 1;
    const [first, templates] = await Promise.all([loadInbox(ctx.db, inboxPage(asked)), listTemplates(ctx.db)]);
    const pages = Math.max(1, Math.ceil(first.total / INBOX_PAGE_SIZE));
    // A page beyond the last (requests were decided meanwhile): the last page.
    const page = Math.min(asked, pages);
    const inbox = page === asked ? first : await loadInbox(ctx.db, inboxPage(page));
    const { zone } = req.house;
    const t = req.t;
    const pageLink = (n: number) => (n === 1 ? '/admin' : `/admin?page=${n}`);
    const approveTpl = templatesView(templates, 'approve');
    const rejectTpl = templatesView(templates, 'reject');
    res.render('admin/inbox', {
      title: t('staff.inbox.title'),
      notice: takeNotice(req),
      approveBody: approveTpl[0]?.body ?? '',
      rejectBody: rejectTpl[0]?.body ?? '',
      pager: {
        page,
        pages,
        shown: inbox.requests.length
          ? t('staff.inboxPages.shown', {
              from: (page - 1) * INBOX_PAGE_SIZE + 1,
              to: (page - 1) * INBOX_PAGE_SIZE + inbox.requests.length,
              total: inbox.total,
            })
          : '',
        prev: page > 1 ? pageLink(page - 1) : '',
        next: page < pages ? pageLink(page + 1) : '',
      },
      requests: inbox.requests.map((q) => ({
        id: q.id,
        reference: q.reference,
        title: q.title,
        group: q.organisation ? `${q.organisation} – ${q.contactName}` : q.contactName,
        attendees: q.attendees,
        category: t(`category.${q.category}`),
        roomName: q.roomName,
        series: q.isSeries ? t('staff.series.every', { every: describeRhythm(q.rhythm, req.lang, t) ?? '' }) : null,
        source: q.source === 'house' ? t('staff.source.house') : null,
        dates: q.pending.map((d) => ({
          bookingId: d.bookingId,
          when: formatWhen(d.start, d.end, zone, req.lang, t),
          roomName: d.roomId !== q.roomId ? d.roomName : null,
          clashes: [
            ...d.clashBookingIds.map((id) => {
              const c = inbox.clashBookings.get(id)!;
              return {
                href: `/admin/requests/${c.requestId}`,
                text: t('staff.clash.booking', {
                  reference: c.reference,
                  title: c.title,
                  when: formatWhen(c.start, c.end, zone, req.lang, t),
                  room: c.roomName,
                }),
              };
            }),
            ...d.clashBlockIds.map((id) => {
              const c = inbox.clashBlocks.get(id)!;
              return {
                href: null,
                text: t('staff.clash.block', {
                  reason: t(`blockReason.${c.reason}`),
                  label: c.label ? ` (${c.label})` : '',
                  when: formatWhen(c.start, c.end, zone, req.lang, t),
                  room: c.roomName ?? t('staff.wholeHouse'),
                }),
              };
            }),
          ],
          competitors: d.competitorRequestIds.map((id) => ({
            href: `/admin/requests/${id}`,
            text: `${inbox.competitors.get(id)?.reference ?? ''} ${inbox.competitors.get(id)?.title ?? ''}`.trim(),
          })),
        })),
      })),
    });
  });

  // ---------- decisions ----------

  async function decide(req: Request, res: Response, kind: 'approve' | 'reject') {
    const id = idParam(req.params.id);
    const parsed = decisionSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const first = parsed.error.issues[0]?.message;
      throw new BadRequestError(first && isMessageKey(first) ? first : 'staff.error.invalid');
    }
    const message = (kind === 'approve' ? parsed.data.approve_message : parsed.data.reject_message) ?? parsed.data.message;
    const input = { requestId: id, bookingIds: parsed.data.booking, message, userId: req.user!.id };
    const back = parsed.data.return === 'detail' ? `/admin/requests/${id}` : '/admin';
    if (kind === 'reject') {
      const result = await rejectDates(ctx.db, deps, input);
      if (result.rejected.length === 0) throw new ConflictError('staff.error.notPending');
      setNotice(req, 'staff.notice.rejected', {
        count: result.rejected.length,
        dates: result.rejected.map((d) => formatDate(d.localDate, req.lang, 'long')).join('; '),
      });
      return res.redirect(303, back);
    }
    const result = await approveDates(ctx.db, deps, input);
    if (result.refused.length === 0) {
      if (result.approved.length === 0) throw new ConflictError('staff.error.notPending');
      setNotice(req, 'staff.notice.approved', {
        count: result.approved.length,
        dates: dateList(
          result.approved.map((d) => d.localDate),
          req,
        ),
      });
      return res.redirect(303, back);
    }
    // Some or all dates clash: what was free is approved (committed), the rest stays pending; say which and why.
    // The typed message stays in the approval box (for the dates still open), not the template again.
    return renderDetail(req, res, id, { status: 409, outcome: approveOutcome(result, req), approveMessage: message });
  }

  function approveOutcome(result: ApproveResult, req: Request) {
    return {
      approved: result.approved.length
        ? req.t('staff.notice.approved', {
            count: result.approved.length,
            dates: dateList(
              result.approved.map((d) => d.localDate),
              req,
            ),
          })
        : null,
      refused: result.refused.map((r) => ({
        date: formatDate(r.localDate, req.lang, 'long'),
        clashes: clashViews(r.clashes, req),
      })),
    };
  }

  r.post('/requests/:id/approve', (req, res) => decide(req, res, 'approve'));
  r.post('/requests/:id/reject', (req, res) => decide(req, res, 'reject'));

  // ---------- request detail ----------

  interface DetailExtras {
    status?: number;
    outcome?: ReturnType<typeof approveOutcome>;
    /** The approval message the caretaker typed, shown again in the approval box instead of the template. */
    approveMessage?: string;
  }

  async function renderDetail(req: Request, res: Response, id: number, extras: DetailExtras = {}) {
    const detail = await loadRequestDetail(ctx.db, id);
    if (!detail) throw new NotFoundError();
    const templates = await listTemplates(ctx.db);
    const t = req.t;
    const { zone } = req.house;
    const q = detail.request;
    const nowMs = now();
    const equipment = parseEquipment(q.equipment).map((k) => (isEquipment(k) ? t(`equipment.${k}`) : k));
    res.status(extras.status ?? 200).render('admin/request', {
      title: t('staff.request.title', { reference: q.reference }),
      notice: takeNotice(req),
      outcome: extras.outcome ?? null,
      request: {
        id: q.id,
        reference: q.reference,
        // An erased request has no title or contact any more: say so instead of showing nothing.
        title: q.anonymized_at !== null && !q.title ? t('staff.request.erasedData') : q.title,
        publicTitle: q.public_title ? `${q.public_title}${q.show_public_title ? '' : ` (${t('staff.request.notShown')})`}` : null,
        organisation: q.organisation,
        contactName: q.anonymized_at !== null && !q.contact_name ? t('staff.request.erasedData') : q.contact_name,
        email: q.email,
        phone: q.phone,
        category: t(`category.${q.category}`),
        attendees: q.attendees,
        equipment: equipment.join(', '),
        notes: q.notes,
        language: languageInfo(q.language).nativeName,
        source: q.source === 'house' ? t('staff.source.houseBy', { name: detail.createdByName ?? '–' }) : t('staff.source.public'),
        roomName: detail.roomName,
        series: describeRhythm(q, req.lang, t),
        // Only a group that sent the form accepted the texts; for a booking the house entered nobody did.
        versions:
          q.source === 'public' ? t('staff.request.versions', { rules: q.rules_version, privacy: q.privacy_version }) : t('staff.request.versionsHouse'),
        createdAt: formatInstant(q.created_at, zone, req.lang),
        anonymized: q.anonymized_at !== null,
        anonymizedOn: q.anonymized_at !== null ? formatInstant(q.anonymized_at, zone, req.lang) : '',
      },
      dates: detail.dates.map((b) => ({
        id: b.id,
        when: formatWhen(b.start_at, b.end_at, zone, req.lang, t),
        roomName: b.room_id !== q.room_id ? b.roomName : null,
        status: b.status,
        statusText: t(`bookingStatus.${b.status}`) + (b.skip_reason ? ` (${t(`staff.skip.${b.skip_reason}`)})` : ''),
        detached: b.detached === 1,
        past: b.end_at <= nowMs,
        pending: b.status === 'pending',
        live: b.status === 'pending' || b.status === 'approved',
        decision: b.decided_at
          ? b.decided_by === null && q.auto_group_label !== null && b.status === 'approved'
            ? t('regularGroups.autoApprovedAt', { group: q.auto_group_label, at: formatInstant(b.decided_at, zone, req.lang) })
            : t('staff.request.decidedBy', {
                name: b.deciderName ?? (b.cancelled_by === 'group' ? t('staff.request.theGroup') : '–'),
                at: formatInstant(b.decided_at, zone, req.lang),
              })
          : b.cancelled_by === 'group' && b.cancelled_at
            ? t('staff.request.cancelledByGroup', { at: formatInstant(b.cancelled_at, zone, req.lang) })
            : null,
        message: b.decision_message,
      })),
      hasPending: detail.dates.some((b) => b.status === 'pending'),
      isSeries: rhythmOf(q) !== null,
      history: detail.history.map((h) => {
        let details: Record<string, unknown> = {};
        try {
          details = JSON.parse(h.details) as Record<string, unknown>;
        } catch {
          /* an unreadable entry shows without details */
        }
        const actionKey = `history.${h.action}`;
        const dates = Array.isArray(details.dates) ? (details.dates as string[]).filter((d) => parseDate(d)).map((d) => formatDate(d, req.lang, 'short')) : [];
        return {
          at: formatInstant(h.at, zone, req.lang),
          who: h.userName ?? (h.actor === 'group' ? t('staff.request.theGroup') : t('staff.history.system')),
          action: isMessageKey(actionKey) ? t(actionKey) : h.action,
          dates: dates.join(', '),
          message: typeof details.message === 'string' ? details.message : '',
        };
      }),
      approveTpl: { ...decisionTemplates(templates, req, 'approve'), ...(extras.approveMessage !== undefined ? { body: extras.approveMessage } : {}) },
      rejectTpl: decisionTemplates(templates, req, 'reject'),
    });
  }

  /**
   * The templates of one decision's kind and the one prefilled in its box: ?approveTpl= / ?rejectTpl= pick one
   * (no JavaScript needed); an older ?tpl= link picks within its own kind only.
   */
  function decisionTemplates(templates: MessageTemplate[], req: Request, kind: 'approve' | 'reject') {
    const items = templatesView(templates, kind);
    const wanted = req.query[`${kind}Tpl`] ?? req.query.tpl;
    const chosen = items.find((x) => String(x.id) === wanted) ?? items[0];
    return { items, chosenId: chosen?.id ?? null, body: chosen?.body ?? '' };
  }

  r.get('/requests/:id', async (req, res) => renderDetail(req, res, idParam(req.params.id)));

  // ---------- edit and cancel dates ----------

  interface EditForm {
    booking: string;
    scope: string;
    date: string;
    start: string;
    end: string;
    room: string;
    title: string;
    message: string;
    cancelScope: string;
    cancelMessage: string;
  }

  async function renderEdit(
    req: Request,
    res: Response,
    id: number,
    bookingId: number,
    form: Partial<EditForm>,
    errors: Record<string, string> = {},
    status = 200,
    clashes: ClashView[] = [],
  ) {
    const detail = await loadRequestDetail(ctx.db, id);
    if (!detail) throw new NotFoundError();
    const b = detail.dates.find((d) => d.id === bookingId);
    if (!b) throw new NotFoundError();
    const { zone } = req.house;
    const [rooms, templates] = await Promise.all([listRooms(ctx.db), listTemplates(ctx.db)]);
    const cancelTpl = templatesView(templates, 'cancel');
    const chosenCancel = cancelTpl.find((x) => String(x.id) === req.query.cancelTpl) ?? cancelTpl[0];
    const values: EditForm = {
      booking: String(b.id),
      scope: 'one',
      date: b.local_date,
      start: localTime(b.start_at, zone),
      end: localDate(b.end_at, zone) === b.local_date ? localTime(b.end_at, zone) : '24:00',
      room: String(b.room_id),
      title: detail.request.title,
      message: '',
      cancelScope: 'one',
      cancelMessage: chosenCancel?.body ?? '',
      ...form,
    };
    res.status(status).render('admin/booking-edit', {
      title: req.t('staff.edit.title', { reference: detail.request.reference }),
      requestId: id,
      reference: detail.request.reference,
      when: formatWhen(b.start_at, b.end_at, zone, req.lang, req.t),
      statusText: req.t(`bookingStatus.${b.status}`),
      live: b.status === 'pending' || b.status === 'approved',
      isSeries: rhythmOf(detail.request) !== null,
      rooms: rooms.map((rm) => ({ id: String(rm.id), name: rm.name })),
      cancelTpl,
      chosenCancelId: chosenCancel?.id ?? null,
      values,
      errors,
      clashes,
    });
  }

  r.get('/requests/:id/edit', async (req, res) => {
    const id = idParam(req.params.id);
    const bookingId = idParam(req.query.booking);
    await renderEdit(req, res, id, bookingId, {});
  });

  r.post('/requests/:id/edit', async (req, res) => {
    const id = idParam(req.params.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const bookingId = idParam(body.booking);
    const form: Partial<EditForm> = Object.fromEntries(
      ['scope', 'date', 'start', 'end', 'room', 'title', 'message'].map((k) => [k, typeof body[k] === 'string' ? body[k] : '']),
    );
    const parsed = editSchema.safeParse(body);
    if (!parsed.success) return renderEdit(req, res, id, bookingId, form, fieldErrors(parsed.error, req.t), 400);
    const v = parsed.data;
    const rooms = await listRooms(ctx.db, { includeInactive: true });
    if (!rooms.some((rm) => rm.id === v.room)) return renderEdit(req, res, id, bookingId, form, { room: req.t('staff.error.room') }, 400);
    const result: EditResult = await editDates(ctx.db, deps, {
      requestId: id,
      bookingId,
      scope: v.scope,
      date: v.scope === 'one' ? v.date : undefined,
      start: v.start,
      end: v.end,
      roomId: v.room,
      title: v.title,
      message: v.message,
      userId: req.user!.id,
      zone: req.house.zone,
    });
    if (!result.ok) {
      const date = formatDate(result.date, req.lang, 'long');
      if (result.kind === 'rule') {
        const f = result.failure;
        const field = f.field === 'start' || f.field === 'end' ? f.field : f.field === 'attendees' ? 'room' : 'date';
        return renderEdit(req, res, id, bookingId, form, { [field]: `${date}: ${req.t(f.key, f.params)}` }, 422);
      }
      return renderEdit(req, res, id, bookingId, form, { start: req.t('staff.error.editClash', { date }) }, 409, clashViews(result.clashes, req));
    }
    setNotice(req, 'staff.notice.changed', { count: result.changed.length });
    res.redirect(303, `/admin/requests/${id}`);
  });

  r.post('/requests/:id/cancel', async (req, res) => {
    const id = idParam(req.params.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const bookingId = idParam(body.booking);
    const parsed = cancelSchema.safeParse(body);
    if (!parsed.success) {
      const errs = fieldErrors(parsed.error, req.t);
      const form = { cancelScope: textOf(body.scope, 'one'), cancelMessage: textOf(body.message) };
      const errors = { ...(errs.scope ? { cancelScope: errs.scope } : {}), ...(errs.message ? { cancelMessage: errs.message } : {}) };
      return renderEdit(req, res, id, bookingId, form, errors, 400);
    }
    const cancelled = await cancelDates(ctx.db, deps, {
      requestId: id,
      bookingId,
      scope: parsed.data.scope,
      message: parsed.data.message,
      userId: req.user!.id,
    });
    setNotice(req, 'staff.notice.cancelled', { count: cancelled.length });
    res.redirect(303, `/admin/requests/${id}`);
  });

  // ---------- direct booking ----------

  async function renderDirect(
    req: Request,
    res: Response,
    values: Record<string, unknown>,
    errors: Record<string, string> = {},
    status = 200,
    clashes: ClashView[] = [],
  ) {
    const [rooms, templates] = await Promise.all([listRooms(ctx.db), listTemplates(ctx.db, 'approve')]);
    const equipment = Array.isArray(values.equipment) ? (values.equipment as string[]) : typeof values.equipment === 'string' ? [values.equipment] : [];
    res.status(status).render('admin/booking-new', {
      title: req.t('staff.direct.title'),
      rooms: rooms.map((rm) => ({ id: String(rm.id), name: rm.name, capacity: rm.capacity, publicBookable: rm.public_bookable === 1 })),
      categories: CATEGORIES.map((c) => ({ value: c, label: req.t(`category.${c}`) })),
      equipmentOptions: EQUIPMENT.map((k) => ({ value: k, label: req.t(`equipment.${k}`), checked: equipment.includes(k) })),
      values: { message: templates[0]?.body ?? '', ...values },
      errors,
      clashes,
    });
  }

  r.get('/bookings/new', async (req, res) => {
    const today = todayIn(ctx.clock, req.house.zone);
    const date = queryDateOr(req.query.date, today);
    const room = typeof req.query.room === 'string' && /^\d+$/.test(req.query.room) ? req.query.room : '';
    await renderDirect(req, res, {
      room,
      date,
      start: '',
      end: '',
      repeat: '',
      last_date: '',
      category: 'other',
      attendees: '',
      language: req.house.defaultLanguage,
    });
  });

  r.post('/bookings', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values: Record<string, unknown> = Object.fromEntries(TEXT_FIELDS.map((k) => [k, typeof body[k] === 'string' ? body[k] : '']));
    for (const k of CHECK_FIELDS) values[k] = body[k] !== undefined && body[k] !== '';
    values.equipment = body.equipment;
    const parsed = directSchema.safeParse(body);
    if (!parsed.success) {
      return renderDirect(req, res, values, fieldErrors(parsed.error, req.t), 400);
    }
    const v = parsed.data;
    if (v.repeat !== '') {
      const last = parseDate(v.last_date);
      if (!last) return renderDirect(req, res, values, { last_date: req.t('staff.direct.error.lastDate') }, 400);
      const latest = latestSeriesEnd(v.date, Number(v.repeat));
      if (last > latest) {
        return renderDirect(
          req,
          res,
          values,
          {
            last_date: req.t('staff.direct.error.seriesTooLong', { months: SERIES_MAX_MONTHS, count: SERIES_MAX_DATES, latest: formatDate(latest, req.lang) }),
          },
          422,
        );
      }
      if (!inCalendarRange(last)) return renderDirect(req, res, values, { last_date: req.t('staff.error.dateOutOfRange') }, 400);
    }
    const result = await createDirectBooking(ctx.db, deps, req.house, {
      roomId: v.room,
      date: v.date,
      start: v.start,
      end: v.end,
      series: v.repeat === '' ? null : { everyWeeks: Number(v.repeat), lastDate: v.last_date },
      title: v.title,
      publicTitle: v.public_title,
      showPublicTitle: v.show_public_title,
      organisation: v.organisation,
      contactName: v.contact_name,
      email: v.email,
      phone: v.phone,
      category: v.category,
      attendees: v.attendees,
      equipment: v.equipment,
      notes: v.notes,
      language: v.language,
      override: { openingHours: v.override_hours, leadTime: v.override_lead, horizon: v.override_horizon },
      message: v.message,
      userId: req.user!.id,
    });
    if (!result.ok && result.kind === 'rules') {
      const errors: Record<string, string> = {};
      for (const f of result.failures) {
        const field = RULE_FIELD[f.field];
        if (!errors[field]) errors[field] = req.t(STAFF_WORDING[f.key] ?? f.key, f.params);
      }
      return renderDirect(req, res, values, errors, 422);
    }
    if (!result.ok) {
      return renderDirect(req, res, values, { start: req.t('staff.direct.error.clash') }, 409, clashViews(result.clashes, req));
    }
    setNotice(req, result.skipped.length ? 'staff.notice.bookedSkipped' : 'staff.notice.booked', {
      reference: result.reference,
      count: result.approved.length,
      skipped: result.skipped.length,
      skippedDates: result.skipped.map((s) => formatDate(s.date, req.lang, 'short')).join(', '),
    });
    res.redirect(303, `/admin/requests/${result.requestId}`);
  });

  return r;
}
