// The caretaker's booking work under /admin (role-guarded by admin/routes.ts): inbox and decisions, request
// detail with history, editing and cancelling dates, internal calendar, direct booking, blocked times,
// message templates and the printable door plan. Thin handlers: parse (zod), call one service, render.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { idField, wholeNumber } from '../web/input.js';
import type { AppContext } from '../context.js';
import type { MessageTemplate, User } from '../db/schema.js';
import { isMessageKey, type MessageKey, type Params, type Translate } from '../i18n/index.js';
import { BadRequestError, ConflictError, NotFoundError } from '../web/errors.js';
import { formatDate, formatInstant, localDate, localTime, localToInstant, parseDate, todayIn, addDays } from '../time/index.js';
import { listRooms, parseEquipment } from '../rooms/repository.js';
import { loadInbox } from './inbox.js';
import { approveDates, rejectDates, type ApproveResult } from './decisions.js';
import { loadRequestDetail } from './detail.js';
import { cancelDates, editDates, type EditResult } from './changes.js';
import { staffWeek } from '../calendar/staff-week.js';
import { deleteBlock, findBlock, importHolidays, listUpcomingBlocks, saveBlock, type HolidayImportResult } from '../blocks/service.js';
import { deleteTemplate, findTemplate, listTemplates, saveTemplate, TEMPLATE_KINDS } from '../message-templates/service.js';
import { printPlan } from '../calendar/print.js';
import { clashView, everyWeeks, formatRange, type ClashView } from './view.js';
import type { Clash } from './occupancy-clashes.js';
import { directBookingRoutes } from './direct.js';
import { dateParam } from '../calendar/params.js';
import { queryDateOr, staffDateField } from '../admin/form.js';

declare module 'express-session' {
  interface SessionData {
    /** A notice for the next staff page after a redirect: catalog key and parameters. */
    staffNotice?: { key: string; params?: Params };
  }
}

export const MESSAGE_MAX = 2000;

// ---------- small parsing helpers shared by the forms ----------

/** A checkbox list or single value as numbers (urlencoded without `extended` gives string | string[]). */
export const idList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v, c) => {
    const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
    const given = list.filter((s) => s !== '');
    const ids = given.map(Number);
    if (given.some((s) => !/^\d{1,15}$/.test(s)) || ids.some((n) => n <= 0)) {
      c.addIssue({ code: 'custom', message: 'staff.error.invalid' });
      return z.NEVER;
    }
    return ids;
  });

export const messageField = z.string().trim().max(MESSAGE_MAX, { message: 'staff.error.messageTooLong' }).default('');

export function fieldErrors(err: z.ZodError, t: Translate): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of err.issues) {
    const field = String(i.path[0] ?? 'form');
    if (!out[field]) out[field] = t(isMessageKey(i.message) ? i.message : 'staff.error.invalid');
  }
  return out;
}

export function idParam(v: unknown): number {
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d{1,12}$/.test(v) || !Number.isSafeInteger(n) || n <= 0) throw new NotFoundError();
  return n;
}

export function dateQuery(req: Request, clockNow: () => Date): string {
  // The public calendar's parser: a 400 for a date that does not exist or lies outside the calendar's years.
  return dateParam(req.query.date, todayIn(clockNow, req.house.zone));
}

export function setNotice(req: Request, key: MessageKey, params?: Params): void {
  req.session.staffNotice = { key, params };
}

export function takeNotice(req: Request): string | null {
  const n = req.session?.staffNotice;
  if (!n) return null;
  delete req.session.staffNotice;
  return isMessageKey(n.key) ? req.t(n.key, n.params) : null;
}

function user(req: Request): User {
  return req.user!;
}

function deps(ctx: AppContext) {
  return { baseUrl: ctx.config.baseUrl, clock: ctx.clock };
}

function templatesView(list: MessageTemplate[], kind: MessageTemplate['kind']) {
  return list.filter((t) => t.kind === kind).map((t) => ({ id: t.id, label: t.label, body: t.body }));
}

function dateList(dates: string[], req: Request): string {
  return dates.map((d) => formatDate(d, req.lang, 'long')).join('; ');
}

function clashViews(clashes: Clash[], req: Request): ClashView[] {
  return clashes.map((c) => clashView(c, req.house.zone, req.lang, req.t));
}

// ---------- schemas ----------

// Each decision has its own message box (approve_message / reject_message), so a button can never send the
// other decision's text; `message` is read only when the decision's own box was not sent.
const decisionSchema = z.object({
  booking: idList,
  message: messageField,
  approve_message: z.string().trim().max(MESSAGE_MAX, { message: 'staff.error.messageTooLong' }).optional(),
  reject_message: z.string().trim().max(MESSAGE_MAX, { message: 'staff.error.messageTooLong' }).optional(),
  return: z.enum(['inbox', 'detail']).default('inbox'),
});

const editSchema = z.object({
  booking: idField('staff.error.invalid'),
  scope: z.enum(['one', 'following', 'all'], { message: 'staff.error.scope' }),
  date: z.string().trim().optional().transform((v) => (v ? v : undefined)).pipe(staffDateField('staff.error.date').optional()),
  start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'staff.error.time' }),
  end: z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: 'staff.error.time' }),
  room: idField('staff.error.room'),
  title: z.string().trim().min(1, { message: 'staff.error.title' }).max(200, { message: 'staff.error.titleTooLong' }),
  message: messageField,
});

const cancelSchema = z.object({
  booking: idField('staff.error.invalid'),
  scope: z.enum(['one', 'following', 'all'], { message: 'staff.error.scope' }),
  message: messageField,
});

const blockSchema = z
  .object({
    room: z.string().default(''),
    reason: z.enum(['holiday', 'closure', 'renovation', 'house_event'], { message: 'staff.error.reason' }),
    label: z.string().trim().max(200, { message: 'staff.error.labelTooLong' }).default(''),
    is_public: z.string().optional(),
    from_date: staffDateField('staff.error.date'),
    from_time: z.string().trim().default('').refine((v) => v === '' || /^([01]\d|2[0-3]):[0-5]\d$/.test(v), { message: 'staff.error.time' }),
    to_date: staffDateField('staff.error.date'),
    to_time: z.string().trim().default('').refine((v) => v === '' || /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/.test(v), { message: 'staff.error.time' }),
    cancel: idList,
    confirm_cancel: z.string().optional(),
    message: messageField,
  });

const holidaySchema = z.object({ year: wholeNumber('staff.error.year', 2000, 2100) });

const templateSchema = z.object({
  kind: z.enum(['approve', 'reject', 'cancel'], { message: 'staff.error.templateKind' }),
  label: z.string().trim().min(1, { message: 'staff.error.templateLabel' }).max(80, { message: 'staff.error.templateLabelTooLong' }),
  body: z.string().trim().min(1, { message: 'staff.error.templateBody' }).max(MESSAGE_MAX, { message: 'staff.error.messageTooLong' }),
  // An empty order is the default 0.
  sort_order: z.string().optional().transform((v) => (v === undefined || v.trim() === '' ? '0' : v)).pipe(wholeNumber('staff.error.invalid', 0, 9999)),
});

export function staffRoutes(ctx: AppContext): Router {
  const r = Router();
  const now = () => ctx.clock().getTime();

  // ---------- inbox ----------

  r.get('/', async (req, res) => {
    const [inbox, templates] = await Promise.all([loadInbox(ctx.db), listTemplates(ctx.db)]);
    const { zone } = req.house;
    const t = req.t;
    const approveTpl = templatesView(templates, 'approve');
    const rejectTpl = templatesView(templates, 'reject');
    res.render('admin/inbox', {
      title: t('staff.inbox.title'),
      notice: takeNotice(req),
      approveBody: approveTpl[0]?.body ?? '',
      rejectBody: rejectTpl[0]?.body ?? '',
      requests: inbox.requests.map((q) => ({
        id: q.id,
        reference: q.reference,
        title: q.title,
        group: q.organisation ? `${q.organisation} – ${q.contactName}` : q.contactName,
        attendees: q.attendees,
        category: t(`category.${q.category}`),
        roomName: q.roomName,
        series: q.isSeries ? t('staff.series.every', { every: everyWeeks(q.repeatWeeks ?? 1, t) }) : null,
        source: q.source === 'house' ? t('staff.source.house') : null,
        dates: q.pending.map((d) => ({
          bookingId: d.bookingId,
          when: formatRange(d.start, d.end, zone, req.lang, t),
          roomName: d.roomId !== q.roomId ? d.roomName : null,
          clashes: [
            ...d.clashBookingIds.map((id) => {
              const c = inbox.clashBookings.get(id)!;
              return {
                href: `/admin/requests/${c.requestId}`,
                text: t('staff.clash.booking', { reference: c.reference, title: c.title, when: formatRange(c.start, c.end, zone, req.lang, t), room: c.roomName }),
              };
            }),
            ...d.clashBlockIds.map((id) => {
              const c = inbox.clashBlocks.get(id)!;
              return {
                href: null,
                text: t('staff.clash.block', {
                  reason: t(`blockReason.${c.reason as 'holiday'}`), label: c.label ? ` (${c.label})` : '',
                  when: formatRange(c.start, c.end, zone, req.lang, t), room: c.roomName ?? t('staff.wholeHouse'),
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
    const input = { requestId: id, bookingIds: parsed.data.booking, message, userId: user(req).id };
    const back = parsed.data.return === 'detail' ? `/admin/requests/${id}` : '/admin';
    if (kind === 'reject') {
      const result = await rejectDates(ctx.db, deps(ctx), input);
      if (result.rejected.length === 0) throw new ConflictError('staff.error.notPending');
      setNotice(req, 'staff.notice.rejected', { count: result.rejected.length, dates: result.rejected.map((d) => formatDate(d.localDate, req.lang, 'long')).join('; ') });
      return res.redirect(303, back);
    }
    const result = await approveDates(ctx.db, deps(ctx), input);
    if (result.refused.length === 0) {
      if (result.approved.length === 0) throw new ConflictError('staff.error.notPending');
      setNotice(req, 'staff.notice.approved', { count: result.approved.length, dates: dateList(result.approved.map((d) => d.localDate), req) });
      return res.redirect(303, back);
    }
    // Some or all dates clash: what was free is approved (committed), the rest stays pending; say which and why.
    // The typed message stays in the approval box (for the dates still open), not the template again.
    return renderDetail(req, res, id, { status: 409, outcome: approveOutcome(result, req), approveMessage: message });
  }

  function approveOutcome(result: ApproveResult, req: Request) {
    return {
      approved: result.approved.length ? req.t('staff.notice.approved', { count: result.approved.length, dates: dateList(result.approved.map((d) => d.localDate), req) }) : null,
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
    const equipment = parseEquipment(q.equipment).map((k) => (isMessageKey(`equipment.${k}`) ? t(`equipment.${k}` as MessageKey) : k));
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
        language: q.language === 'de' ? t('layout.language.de') : t('layout.language.en'),
        source: q.source === 'house' ? t('staff.source.houseBy', { name: detail.createdByName ?? '–' }) : t('staff.source.public'),
        roomName: detail.roomName,
        series: q.repeat_weeks !== null
          ? t('staff.series.definition', {
            every: everyWeeks(q.repeat_weeks, t), from: formatDate(q.first_date, req.lang), to: formatDate(q.last_date ?? q.first_date, req.lang), start: q.start_time, end: q.end_time,
          })
          : null,
        // Only a group that sent the form accepted the texts; for a booking the house entered nobody did.
        versions: q.source === 'public'
          ? t('staff.request.versions', { rules: q.rules_version, privacy: q.privacy_version })
          : t('staff.request.versionsHouse'),
        createdAt: formatInstant(q.created_at, zone, req.lang),
        anonymized: q.anonymized_at !== null,
        anonymizedOn: q.anonymized_at !== null ? formatInstant(q.anonymized_at, zone, req.lang) : '',
      },
      dates: detail.dates.map((b) => ({
        id: b.id,
        when: formatRange(b.start_at, b.end_at, zone, req.lang, t),
        roomName: b.room_id !== q.room_id ? b.roomName : null,
        status: b.status,
        statusText: t(`bookingStatus.${b.status}`) + (b.skip_reason ? ` (${t(`staff.skip.${b.skip_reason}`)})` : ''),
        detached: b.detached === 1,
        past: b.end_at <= nowMs,
        pending: b.status === 'pending',
        live: b.status === 'pending' || b.status === 'approved',
        decision: b.decided_at
          ? t('staff.request.decidedBy', { name: b.deciderName ?? (b.cancelled_by === 'group' ? t('staff.request.theGroup') : '–'), at: formatInstant(b.decided_at, zone, req.lang) })
          : b.cancelled_by === 'group' && b.cancelled_at ? t('staff.request.cancelledByGroup', { at: formatInstant(b.cancelled_at, zone, req.lang) }) : null,
        message: b.decision_message,
      })),
      hasPending: detail.dates.some((b) => b.status === 'pending'),
      isSeries: q.repeat_weeks !== null,
      history: detail.history.map((h) => {
        let details: Record<string, unknown> = {};
        try {
          details = JSON.parse(h.details) as Record<string, unknown>;
        } catch { /* an unreadable entry shows without details */ }
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

  async function renderEdit(req: Request, res: Response, id: number, bookingId: number, form: Partial<EditForm>, errors: Record<string, string> = {}, status = 200, clashes: ClashView[] = []) {
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
      when: formatRange(b.start_at, b.end_at, zone, req.lang, req.t),
      statusText: req.t(`bookingStatus.${b.status}`),
      live: b.status === 'pending' || b.status === 'approved',
      isSeries: detail.request.repeat_weeks !== null,
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
      ['scope', 'date', 'start', 'end', 'room', 'title', 'message'].map((k) => [k, typeof body[k] === 'string' ? (body[k] as string) : '']),
    );
    const parsed = editSchema.safeParse(body);
    if (!parsed.success) return renderEdit(req, res, id, bookingId, form, fieldErrors(parsed.error, req.t), 400);
    const v = parsed.data;
    const rooms = await listRooms(ctx.db, { includeInactive: true });
    if (!rooms.some((rm) => rm.id === v.room)) return renderEdit(req, res, id, bookingId, form, { room: req.t('staff.error.room') }, 400);
    const result: EditResult = await editDates(ctx.db, deps(ctx), {
      requestId: id, bookingId, scope: v.scope, date: v.scope === 'one' ? v.date : undefined, start: v.start, end: v.end,
      roomId: v.room, title: v.title, message: v.message, userId: user(req).id, zone: req.house.zone,
    });
    if (!result.ok) {
      const date = formatDate(result.date, req.lang, 'long');
      if (result.kind === 'rule') {
        const f = result.failure;
        const field = f.field === 'start' || f.field === 'end' ? f.field : f.field === 'attendees' ? 'room' : 'date';
        return renderEdit(req, res, id, bookingId, form, { [field]: `${date}: ${req.t(f.key as MessageKey, f.params)}` }, 422);
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
      const form = { cancelScope: String(body.scope ?? 'one'), cancelMessage: String(body.message ?? '') };
      return renderEdit(req, res, id, bookingId, form, { cancelScope: errs.scope, cancelMessage: errs.message }, 400);
    }
    const cancelled = await cancelDates(ctx.db, deps(ctx), {
      requestId: id, bookingId, scope: parsed.data.scope, message: parsed.data.message, userId: user(req).id,
    });
    setNotice(req, 'staff.notice.cancelled', { count: cancelled.length });
    res.redirect(303, `/admin/requests/${id}`);
  });

  // ---------- internal calendar ----------

  r.get('/calendar', async (req, res) => {
    const date = dateQuery(req, ctx.clock);
    const week = await staffWeek(ctx.db, { house: req.house, now: now(), lang: req.lang, t: req.t, date });
    res.render('admin/calendar', { title: req.t('staff.calendar.title'), week });
  });

  // ---------- direct booking ----------

  r.use(directBookingRoutes(ctx));

  // ---------- blocked times ----------

  interface BlockForm {
    room: string;
    reason: string;
    label: string;
    is_public: boolean;
    from_date: string;
    from_time: string;
    to_date: string;
    to_time: string;
    message: string;
  }

  async function renderBlocks(req: Request, res: Response, status = 200, importResult: HolidayImportResult | null = null, importErrors: Record<string, string> = {}) {
    const blocks = await listUpcomingBlocks(ctx.db, now());
    const { zone } = req.house;
    const year = Number(todayIn(ctx.clock, zone).slice(0, 4));
    res.status(status).render('admin/blocks', {
      title: req.t('staff.blocks.title'),
      notice: takeNotice(req),
      blocks: blocks.map((b) => ({
        id: b.id,
        when: formatRange(b.start_at, b.end_at, zone, req.lang, req.t),
        room: b.roomName ?? req.t('staff.wholeHouse'),
        reason: req.t(`blockReason.${b.reason}`),
        label: b.label,
        visibility: b.is_public ? req.t('staff.blocks.public') : req.t('staff.blocks.internal'),
      })),
      state: req.house.federalState,
      yearValue: typeof req.body?.year === 'string' ? req.body.year : String(year + 1),
      importErrors,
      importResult: importResult && {
        imported: importResult.imported.map((h) => `${formatDate(h.date, req.lang, 'long')}: ${h.name}`),
        existing: importResult.existing.map((h) => `${formatDate(h.date, req.lang, 'long')}: ${h.name}`),
        withBookings: importResult.withBookings.map((h) => ({
          text: `${formatDate(h.date, req.lang, 'long')}: ${h.name}`,
          bookings: clashViews(h.bookings, req),
        })),
      },
    });
  }

  async function renderBlockForm(req: Request, res: Response, opts: { id?: number; form: BlockForm; errors?: Record<string, string>; status?: number; inTheWay?: Clash[] }) {
    const [rooms, templates] = await Promise.all([listRooms(ctx.db), listTemplates(ctx.db, 'cancel')]);
    const title = opts.id === undefined ? req.t('staff.blocks.new') : req.t('staff.blocks.edit');
    res.status(opts.status ?? 200).render('admin/blocks-form', {
      title,
      action: opts.id === undefined ? '/admin/blocks' : `/admin/blocks/${opts.id}`,
      id: opts.id ?? null,
      rooms: rooms.map((rm) => ({ id: String(rm.id), name: rm.name })),
      reasons: (['holiday', 'closure', 'renovation', 'house_event'] as const).map((k) => ({ value: k, label: req.t(`blockReason.${k}`) })),
      values: { ...opts.form, message: opts.form.message || (opts.inTheWay?.length ? templates[0]?.body ?? '' : '') },
      errors: opts.errors ?? {},
      inTheWay: (opts.inTheWay ?? []).map((c) => ({ id: c.bookingId!, ...clashView(c, req.house.zone, req.lang, req.t) })),
    });
  }

  function blockFormFromBody(body: Record<string, unknown>): BlockForm {
    const s = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
    return {
      room: s('room'), reason: s('reason'), label: s('label'), is_public: body.is_public !== undefined, from_date: s('from_date'),
      from_time: s('from_time'), to_date: s('to_date'), to_time: s('to_time'), message: s('message'),
    };
  }

  async function submitBlock(req: Request, res: Response, id?: number) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const form = blockFormFromBody(body);
    const parsed = blockSchema.safeParse(body);
    if (!parsed.success) return renderBlockForm(req, res, { id, form, errors: fieldErrors(parsed.error, req.t), status: 400 });
    const v = parsed.data;
    let roomId: number | null = null;
    if (v.room !== '') {
      const rooms = await listRooms(ctx.db, { includeInactive: true });
      roomId = Number(v.room);
      if (!rooms.some((rm) => rm.id === roomId)) return renderBlockForm(req, res, { id, form, errors: { room: req.t('staff.error.room') }, status: 400 });
    }
    const zone = req.house.zone;
    const s = localToInstant(v.from_date, v.from_time || '00:00', zone);
    const e = localToInstant(v.to_date, v.to_time || '24:00', zone);
    const errors: Record<string, string> = {};
    const timeError = (r: { ok: false; reason: string }, date: string) =>
      req.t(r.reason === 'gap' ? 'staff.error.dstGap' : r.reason === 'ambiguous' ? 'staff.error.dstAmbiguous' : 'staff.error.time', { date: formatDate(date, req.lang) });
    if (!s.ok) errors.from_time = timeError(s, v.from_date);
    if (!e.ok) errors.to_time = timeError(e, v.to_date);
    if (s.ok && e.ok && e.instant <= s.instant) errors.to_date = req.t('staff.error.blockOrder');
    if (Object.keys(errors).length || !s.ok || !e.ok) return renderBlockForm(req, res, { id, form, errors, status: 400 });
    const result = await saveBlock(ctx.db, deps(ctx), {
      id, roomId, start: s.instant, end: e.instant, reason: v.reason, label: v.label, isPublic: v.is_public !== undefined,
      cancelBookingIds: v.confirm_cancel ? v.cancel : [], message: v.message, userId: user(req).id,
    });
    if (!result.ok) {
      return renderBlockForm(req, res, {
        id, form, status: 409, inTheWay: result.bookings,
        errors: { confirm_cancel: req.t('staff.blocks.inTheWay', { count: result.bookings.length }) },
      });
    }
    setNotice(req, result.cancelled.length ? 'staff.notice.blockSavedCancelled' : 'staff.notice.blockSaved', { count: result.cancelled.length });
    res.redirect(303, '/admin/blocks');
  }

  r.get('/blocks', async (req, res) => renderBlocks(req, res));

  r.get('/blocks/new', async (req, res) => {
    const today = todayIn(ctx.clock, req.house.zone);
    const date = queryDateOr(req.query.date, today);
    await renderBlockForm(req, res, {
      form: { room: '', reason: 'closure', label: '', is_public: true, from_date: date, from_time: '', to_date: date, to_time: '', message: '' },
    });
  });

  r.post('/blocks', (req, res) => submitBlock(req, res));

  r.post('/blocks/holidays', async (req, res) => {
    const parsed = holidaySchema.safeParse(req.body ?? {});
    if (!parsed.success) return renderBlocks(req, res, 400, null, fieldErrors(parsed.error, req.t));
    const result = await importHolidays(ctx.db, {
      state: req.house.federalState, year: parsed.data.year, zone: req.house.zone, lang: req.house.defaultLanguage, now: now(), userId: user(req).id,
    });
    await renderBlocks(req, res, 200, result);
  });

  r.get('/blocks/:id/edit', async (req, res) => {
    const id = idParam(req.params.id);
    const b = await findBlock(ctx.db, id);
    if (!b) throw new NotFoundError();
    const zone = req.house.zone;
    const endDate = localDate(b.end_at, zone);
    const endTime = localTime(b.end_at, zone);
    await renderBlockForm(req, res, {
      id,
      form: {
        room: b.room_id === null ? '' : String(b.room_id), reason: b.reason, label: b.label, is_public: b.is_public === 1,
        from_date: localDate(b.start_at, zone), from_time: localTime(b.start_at, zone) === '00:00' ? '' : localTime(b.start_at, zone),
        // An end at midnight is shown as the last whole day.
        to_date: endTime === '00:00' ? addDays(endDate, -1) : endDate, to_time: endTime === '00:00' ? '' : endTime, message: '',
      },
    });
  });

  r.post('/blocks/:id', (req, res) => submitBlock(req, res, idParam(req.params.id)));

  /** Deleting takes a second step (no JavaScript needed): without confirm=1 the page asks first. */
  function confirmed(req: Request): boolean {
    return (req.body as Record<string, unknown> | undefined)?.confirm === '1';
  }

  r.post('/blocks/:id/delete', async (req, res) => {
    const id = idParam(req.params.id);
    if (!confirmed(req)) {
      const b = await findBlock(ctx.db, id);
      if (!b) throw new NotFoundError();
      const roomName = b.room_id === null ? req.t('staff.wholeHouse') : (await listRooms(ctx.db, { includeInactive: true })).find((x) => x.id === b.room_id)?.name ?? '';
      return res.render('admin/confirm-delete', {
        title: req.t('staff.blocks.deleteTitle'), question: req.t('staff.blocks.deleteQuestion'),
        what: `${formatRange(b.start_at, b.end_at, req.house.zone, req.lang, req.t)} · ${roomName} · ${req.t(`blockReason.${b.reason}`)}${b.label ? ` (${b.label})` : ''}`,
        action: `/admin/blocks/${id}/delete`, back: '/admin/blocks',
      });
    }
    await deleteBlock(ctx.db, now(), id, user(req).id);
    setNotice(req, 'staff.notice.blockDeleted');
    res.redirect(303, '/admin/blocks');
  });

  // ---------- message templates ----------

  r.get('/templates', async (req, res) => {
    const list = await listTemplates(ctx.db);
    res.render('admin/inbox-templates', {
      title: req.t('staff.templates.title'),
      notice: takeNotice(req),
      groups: TEMPLATE_KINDS.map((kind) => ({ kind, label: req.t(`staff.templates.kind.${kind}`), items: list.filter((x) => x.kind === kind) })),
    });
  });

  async function renderTemplateForm(req: Request, res: Response, id: number | null, values: Record<string, string>, errors: Record<string, string> = {}, status = 200) {
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
    const values = Object.fromEntries(['kind', 'label', 'body', 'sort_order'].map((k) => [k, typeof body[k] === 'string' ? (body[k] as string) : '']));
    const parsed = templateSchema.safeParse(body);
    if (!parsed.success) return renderTemplateForm(req, res, id, values, fieldErrors(parsed.error, req.t), 400);
    const v = parsed.data;
    await saveTemplate(ctx.db, now(), user(req).id, { kind: v.kind, label: v.label, body: v.body, sortOrder: v.sort_order }, id ?? undefined);
    setNotice(req, 'staff.notice.templateSaved');
    res.redirect(303, '/admin/templates');
  }

  r.post('/templates', (req, res) => submitTemplate(req, res, null));
  r.post('/templates/:id', (req, res) => submitTemplate(req, res, idParam(req.params.id)));
  r.post('/templates/:id/delete', async (req, res) => {
    const id = idParam(req.params.id);
    if (!confirmed(req)) {
      const tpl = await findTemplate(ctx.db, id);
      if (!tpl) throw new NotFoundError();
      return res.render('admin/confirm-delete', {
        title: req.t('staff.templates.deleteTitle'), question: req.t('staff.templates.deleteQuestion'),
        what: `${tpl.label} (${req.t(`staff.templates.kind.${tpl.kind}`)})`,
        action: `/admin/templates/${id}/delete`, back: '/admin/templates',
      });
    }
    await deleteTemplate(ctx.db, now(), user(req).id, id);
    setNotice(req, 'staff.notice.templateDeleted');
    res.redirect(303, '/admin/templates');
  });

  // ---------- printable weekly plan ----------

  r.get('/print', async (req, res) => {
    const date = dateQuery(req, ctx.clock);
    const roomSlug = typeof req.query.room === 'string' && req.query.room !== '' ? req.query.room : undefined;
    const rooms = await listRooms(ctx.db);
    if (roomSlug && !rooms.some((rm) => rm.slug === roomSlug)) throw new BadRequestError('error.unknownRoom', { value: roomSlug.slice(0, 60) });
    const plan = await printPlan(ctx.db, { house: req.house, now: now(), lang: req.lang, t: req.t, date, roomSlug, baseUrl: ctx.config.baseUrl });
    res.render('admin/print', {
      title: plan.roomName ? req.t('staff.print.titleRoom', { room: plan.roomName }) : req.t('staff.print.titleHouse'),
      bodyClass: 'print-plan',
      plan,
      rooms: rooms.map((rm) => ({ slug: rm.slug, name: rm.name })),
      roomSlug: roomSlug ?? '',
      date,
    });
  });

  return r;
}
