// The caretaker's booking desk under /admin (role-guarded by staff/routes.ts): inbox and decisions, request
// detail with history, changing and cancelling dates, direct booking. Thin handlers: parse (zod), call one
// service, render.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import type { MessageTemplate } from '../db/schema.js';
import { isMessageKey, type MessageKey } from '../i18n/index.js';
import { BadRequestError, ConflictError, NotFoundError } from '../web/errors.js';
import { fieldErrors, idParam, queryDateOr, setNotice, takeNotice, textOf } from '../web/forms.js';
import { sessionIfAny, sessionOf } from '../web/sessions.js';
import { fragmentCache, packFragment, pieceStore, renderFragment, sendAround, type PackedFragment } from '../web/fragment-cache.js';
import { inCalendarRange, localDate, localTime, parseDate, todayIn } from '../time/index.js';
import { listRooms, parseEquipment } from '../rooms/repository.js';
import { listTemplates } from '../message-templates/repository.js';
import { CATEGORIES, EQUIPMENT, isEquipment } from '../constants.js';
import { languageInfo } from '../i18n/languages.js';
import {
  AUTO_APPROVED_DAYS,
  INBOX_FLAGS,
  INBOX_KINDS,
  INBOX_SORTS,
  INBOX_STATUSES,
  keptInboxLists,
  recentAutoApproved,
  referencesOf,
  type InboxFilter,
} from './inbox.js';
import { inboxParams, inboxUrl, parseInboxQuery, safeInboxReturn } from './inbox-schema.js';
import { inboxRowView, sortHeader } from './inbox-view.js';
import { decideMany, type BulkOutcome } from './bulk.js';
import { approveDates, rejectDates, type ApproveResult } from './decisions.js';
import { loadCompetitors, loadRequestDetail } from './detail.js';
import { cancelDates, editDates, type EditResult } from './changes.js';
import { createDirectBooking, latestSeriesEnd, planDirectBooking, SERIES_MAX_DATES, SERIES_MAX_MONTHS, type DirectBookingInput } from './direct.js';
import { fieldErrorText, plannedDateView } from './present.js';
import { rhythmOfValues } from './service.js';
import { lastPicked, MAX_PICKED_DATES, type Rhythm } from './series.js';
import type { RuleFailure } from './rules.js';
import type { Clash } from './occupancy-clashes.js';
import { clashView, describeRhythm, type ClashView } from './view.js';
import { rhythmOf } from './series.js';
import { formatDate, formatInstant, formatWhen } from '../time/format.js';
import { bulkSchema, cancelSchema, decisionSchema, directSchema, editSchema } from './staff-schema.js';
import { acceptedTextsLine } from '../house-texts/view.js';

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
  nth: 'nth',
  dates: 'picked_dates',
};

/** The direct booking's fields its dates depend on: the preview checks these and nothing else. */
const PLAN_FIELDS = new Set([
  'room',
  'date',
  'start',
  'end',
  'repeat',
  'nth',
  'last_date',
  'picked_dates',
  'language',
  'override_hours',
  'override_lead',
  'override_horizon',
]);
/** Stand-ins for the group's details a preview does not need (never stored: a preview stores nothing). */
const PREVIEW_FILL: Record<string, string | undefined> = {
  title: '-',
  public_title: '',
  organisation: '',
  contact_name: '-',
  email: '',
  phone: '',
  category: 'other',
  attendees: '1',
  equipment: undefined,
  notes: '',
  message: '',
};

const TEXT_FIELDS = [
  'room',
  'date',
  'start',
  'end',
  'repeat',
  'nth',
  'last_date',
  'picked_dates',
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

/** What the request detail page has that lives above bookings (notes, offers: src/offers), handed in by src/staff/routes.ts. */
export interface DeskExtensions {
  /** More data for the detail page's template; `state` carries a refused form's values and errors back. */
  detailSections?(req: Request, requestId: number, state: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Further routes that show the detail page again (a form's errors next to its field). */
  /** Which of these requests wait for the group's answer to an offer (the inbox marks them "Alternative angeboten"). */
  offeredRequests?(requestIds: number[]): Promise<Set<number>>;
  routes?(
    r: Router,
    renderDetail: (req: Request, res: Response, id: number, extras: { status?: number; state?: Record<string, unknown> }) => Promise<void>,
  ): void;
}

/** Requests on one page of the inbox (the soonest first). */
export const INBOX_PAGE_SIZE = 25;
const inboxPage = (page: number) => ({ offset: (page - 1) * INBOX_PAGE_SIZE, limit: INBOX_PAGE_SIZE });
/** What the inbox's kept rows may take (about 120 kB a page of 25 rows: text, bytes, deflated). */
export const INBOX_ROWS_BYTES = 2 * 1024 * 1024;

/** What a bulk decision did, in words: the requests decided and those not decided with why. */
export interface BulkResultView {
  action: 'approve' | 'reject' | null;
  decided: { href: string; text: string }[];
  notDecided: { href: string; reference: string; reason: string; clashes: ClashView[] }[];
  error?: string;
}

declare module 'express-session' {
  interface SessionData {
    /** A bulk decision's outcome, shown once on the list it returned to. */
    inboxResult?: BulkResultView;
  }
}

function bulkResultView(outcomes: BulkOutcome[], refs: Map<number, string>, action: 'approve' | 'reject', req: Request): BulkResultView {
  const view: BulkResultView = { action, decided: [], notDecided: [] };
  for (const o of outcomes) {
    const reference = refs.get(o.requestId) ?? `#${o.requestId}`;
    const href = `/admin/requests/${o.requestId}`;
    const decidedKey = action === 'approve' ? 'inboxList.result.approvedRequest' : 'inboxList.result.rejectedRequest';
    if (o.kind === 'decided' || o.kind === 'partly') view.decided.push({ href, text: req.t(decidedKey, { reference, count: o.count }) });
    if (o.kind === 'partly' || o.kind === 'refused') {
      // Some dates (partly) or all of them (refused) were in the way of another booking: named with what clashed.
      view.notDecided.push({
        href,
        reference,
        reason: req.t(o.kind === 'partly' ? 'inboxList.result.partlyRefused' : 'inboxList.result.refused', {
          count: o.refused.length,
          dates: dateList(
            o.refused.map((d) => d.localDate),
            req,
          ),
        }),
        clashes: clashViews(
          o.refused.flatMap((d) => d.clashes),
          req,
        ),
      });
    } else if (o.kind !== 'decided') {
      view.notDecided.push({
        href,
        reference,
        reason: req.t(o.kind === 'notFound' ? 'inboxList.result.notFound' : 'inboxList.result.notPending'),
        clashes: [],
      });
    }
  }
  return view;
}

export function bookingDeskRoutes(ctx: AppContext, ext: DeskExtensions = {}): Router {
  const r = Router();
  const now = () => ctx.clock().getTime();
  const deps = { clock: ctx.clock, notify: ctx.notify };

  // ---------- inbox ----------

  // A list (per filter and page) is read again only after a commit by any process: paging, sorting back and forth,
  // a reload or a second caretaker cost no queries (STAFF_LIST_CACHE). Ages are not kept with the list (see keptRows).
  const keptLists = keptInboxLists(ctx, ctx.config.staffListCache);
  const inboxList = (filter: InboxFilter, page: number) => keptLists(filter, inboxPage(page));
  // A page's rows rendered (the bulk of the page: 25 rows, 40 kB), kept per list and language under the public
  // week's freshness rule: until the next commit by any process and at most for the minute of the house clock (ages
  // like "vor 3 Minuten" are made again each minute; a page with an age in seconds is not kept). The page around
  // them (notice, result, filters, form token) is rendered for every request. Nothing in a row depends on who is
  // looking; an offer that runs out within the minute keeps its mark until the minute ends (its end writes nothing).
  // STAFF_LIST_CACHE=0 keeps none.
  const keptRows = fragmentCache(ctx, { maxEntries: ctx.config.staffListCache, maxBytes: INBOX_ROWS_BYTES });
  // The page around them, deflated per text (a member's start: their name and form token), apart from the public pages'.
  const inboxPieces = pieceStore(16, 512 * 1024);

  r.get('/', async (req, res) => renderInbox(req, res, req.query as Record<string, unknown>));

  /**
   * The inbox list for the list parameters in `query` (the page's own, or those a decision carried back), with
   * a message next to each bad parameter (400; the list is shown without that filter).
   */
  async function renderInbox(req: Request, res: Response, query: Record<string, unknown>, result: BulkResultView | null = null, status?: number) {
    // Read before anything the rows show is loaded: a commit meanwhile makes what is kept stale at once.
    const stamp = keptRows.stamp();
    const parsed = parseInboxQuery(query);
    // The outcome of a bulk decision that went through completely comes after its redirect, once.
    const session = sessionIfAny(req);
    if (!result && session?.inboxResult) {
      result = session.inboxResult;
      delete session.inboxResult;
    }
    const [rooms, templates] = await Promise.all([listRooms(ctx.db, { includeInactive: true }), listTemplates(ctx.db)]);
    const { filter, errors } = parsed;
    if (filter.room !== null && !rooms.some((rm) => rm.id === filter.room)) {
      errors.room = 'inboxList.error.room';
      filter.room = null;
    }
    // INBOX_PAGE_SIZE requests a page: 300 open requests on one page would be half a megabyte to send and to read.
    const first = await inboxList(filter, parsed.page);
    const pages = Math.max(1, Math.ceil(first.total / INBOX_PAGE_SIZE));
    // A page beyond the last (requests were decided meanwhile): the last page.
    const page = Math.min(parsed.page, pages);
    const list = page === parsed.page ? first : await inboxList(filter, page);
    const t = req.t;
    const approveTpl = decisionTemplates(templates, req, 'approve');
    const rejectTpl = decisionTemplates(templates, req, 'reject');
    const here = inboxUrl(filter, page);
    const isDefault = here === '/admin' || here.startsWith('/admin?page=');
    const activeFilters = [
      filter.status !== 'open',
      filter.room !== null,
      filter.from !== null,
      filter.to !== null,
      filter.kind !== 'all',
      filter.flag !== 'all',
    ].filter(Boolean).length;
    const filtersOpen = activeFilters > 0 || filter.sort !== 'date' || filter.dir !== 'asc' || Object.keys(errors).some((k) => k !== 'q');
    const errorText = Object.fromEntries(Object.entries(errors).map(([k, key]) => [k, t(key)]));
    const rowsKey = `${req.lang}\n${here}`;
    let rowsPart: PackedFragment | undefined = list.rows.length ? keptRows.get(rowsKey) : undefined;
    if (list.rows.length && !rowsPart) {
      const offered = ext.offeredRequests ? await ext.offeredRequests(list.rows.map((row) => row.id)) : new Set<number>();
      const at = now();
      const rows = list.rows.map((row) => ({ ...inboxRowView(row, at, req.house.zone, req.lang, t), offered: offered.has(row.id) }));
      rowsPart = packFragment(await renderFragment(res, 'admin/inbox-rows', { rows }));
      // An age in seconds ("vor 20 Sekunden") would stand still for the minute: such a page is not kept.
      if (list.rows.every((row) => at - row.createdAt >= 60_000)) keptRows.set(rowsKey, stamp, rowsPart);
    }
    const sorts = Object.fromEntries(INBOX_SORTS.map((s) => [s, sortHeader(filter, s, t)]));
    // Beside the open requests: what a regular group's allowance approved at once lately (never pending, so never listed there).
    const auto = filter.status === 'open' ? await recentAutoApproved(ctx.db, now() - AUTO_APPROVED_DAYS * 86_400_000) : { total: 0, rows: [] };
    const locals = {
      title: t('staff.inbox.title'),
      notice: takeNotice(req),
      result,
      here,
      hereParams: [...inboxParams(filter, page)],
      filterParams: [...inboxParams(filter)],
      typed: parsed.typed,
      filter,
      errors: errorText,
      isDefault,
      activeFilters,
      filtersOpen,
      rooms: rooms.map((rm) => ({ id: rm.id, name: rm.name })),
      sorts,
      options: {
        status: INBOX_STATUSES.map((v) => ({ value: v, label: t(`inboxList.statusFilter.${v}`) })),
        kind: INBOX_KINDS.map((v) => ({ value: v, label: t(`inboxList.kind.${v}`) })),
        flag: INBOX_FLAGS.map((v) => ({ value: v, label: t(`inboxList.flagFilter.${v}`) })),
        sort: INBOX_SORTS.map((v) => ({ value: v, label: t(`inboxList.sort.${v}`) })),
      },
      approveTpl,
      rejectTpl,
      pager: {
        page,
        pages,
        shown: list.rows.length
          ? t('inboxList.shown', { from: (page - 1) * INBOX_PAGE_SIZE + 1, to: (page - 1) * INBOX_PAGE_SIZE + list.rows.length, total: list.total })
          : '',
        prev: page > 1 ? inboxUrl(filter, page - 1) : '',
        next: page < pages ? inboxUrl(filter, page + 1) : '',
      },
      hasRows: rowsPart !== undefined,
      autoApproved: {
        total: auto.total,
        more: auto.total - auto.rows.length,
        rows: auto.rows.map((a) => ({
          href: `/admin/requests/${a.id}`,
          reference: a.reference,
          text: t('inboxList.autoApproved.item', {
            title: a.title,
            group: a.group,
            date: formatDate(a.firstDate, req.lang, 'date'),
            at: formatInstant(a.approvedAt, req.house.zone, req.lang),
          }),
        })),
      },
    };
    res.status(status ?? (Object.keys(errors).length ? 400 : 200));
    if (rowsPart) sendAround(req, res, 'admin/inbox', locals, 'inboxRows', rowsPart, inboxPieces);
    else res.render('admin/inbox', { ...locals, inboxRows: '' });
  }

  // ---------- several decisions at once ----------

  r.post('/requests/bulk', async (req, res) => {
    const posted = (req.body ?? {}) as Record<string, unknown>;
    // The ticked requests come as ids (the list's checkboxes) or ids[] (the name other clients use).
    const body: Record<string, unknown> = { ...posted, ids: posted.ids ?? posted['ids[]'] };
    const back = safeInboxReturn(body.list);
    const backQuery = Object.fromEntries(new URLSearchParams(back.split('?')[1] ?? ''));
    const parsed = bulkSchema.safeParse(body);
    if (!parsed.success) {
      const errs = fieldErrors(parsed.error, req.t);
      const text = errs.ids ?? errs.action ?? Object.values(errs)[0] ?? req.t('staff.error.invalid');
      return renderInbox(req, res, backQuery, { action: null, decided: [], notDecided: [], error: text }, 400);
    }
    const { action, ids } = parsed.data;
    const message = (action === 'approve' ? parsed.data.approve_message : parsed.data.reject_message) ?? parsed.data.message;
    const outcomes = await decideMany(ctx.db, deps, { requestIds: ids, action, message, userId: req.user!.id });
    const refs = await referencesOf(ctx.db, ids);
    const view = bulkResultView(outcomes, refs, action, req);
    if (view.notDecided.length === 0) {
      sessionOf(req).inboxResult = view;
      return res.redirect(303, back);
    }
    // Some were not decided: the list again (its filters and page), with what went through and what did not and why.
    return renderInbox(req, res, backQuery, view, 409);
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
    const back = parsed.data.return === 'detail' ? `/admin/requests/${id}` : safeInboxReturn(parsed.data.list);
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
    /** A refused form of an extension (notes, offers) with its values and errors. */
    state?: Record<string, unknown>;
  }

  async function renderDetail(req: Request, res: Response, id: number, extras: DetailExtras = {}) {
    const detail = await loadRequestDetail(ctx.db, id);
    if (!detail) throw new NotFoundError();
    const [templates, competition, sections] = await Promise.all([
      listTemplates(ctx.db),
      loadCompetitors(ctx.db, id),
      ext.detailSections ? ext.detailSections(req, id, extras.state ?? {}) : Promise.resolve({}),
    ]);
    const t = req.t;
    const { zone } = req.house;
    const q = detail.request;
    const nowMs = now();
    const equipment = parseEquipment(q.equipment).map((k) => (isEquipment(k) ? t(`equipment.${k}`) : k));
    const age = (created: number) => t('desk.compare.age', { days: Math.max(0, Math.floor((nowMs - created) / 86_400_000)) });
    const column = (
      r: typeof q,
      c: { roomName: string; pendingCount: number; firstRequest: boolean; overlapping: { start: number; end: number; roomName: string }[]; self: boolean },
    ) => ({
      id: r.id,
      self: c.self,
      reference: r.reference,
      title: r.title,
      group: r.organisation ? `${r.organisation} – ${r.contact_name}` : r.contact_name,
      roomName: c.roomName,
      series: describeRhythm(r, req.lang, t),
      first: formatDate(r.first_date, req.lang, 'long'),
      pendingCount: c.pendingCount,
      overlapping: c.overlapping.map((o) => `${formatWhen(o.start, o.end, zone, req.lang, t)} · ${o.roomName}`),
      attendees: r.attendees,
      category: t(`category.${r.category}`),
      equipment: parseEquipment(r.equipment)
        .map((k) => (isEquipment(k) ? t(`equipment.${k}`) : k))
        .join(', '),
      notes: r.notes,
      age: age(r.created_at),
      createdAt: formatInstant(r.created_at, zone, req.lang),
      firstRequest: c.firstRequest,
    });
    const competing = competition.competitors.length
      ? [
          column(q, {
            roomName: detail.roomName,
            pendingCount: competition.pendingCount,
            firstRequest: competition.firstRequest,
            overlapping: [],
            self: true,
          }),
          ...competition.competitors.map((c) => column(c.request, { ...c, self: false })),
        ]
      : [];
    res.status(extras.status ?? 200).render('admin/request', {
      ...sections,
      competing,
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
        versions: q.source === 'public' ? acceptedTextsLine(q, t, req.lang) : t('staff.request.versionsHouse'),
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
  ext.routes?.(r, renderDetail);

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
    preview: { dates: ReturnType<typeof plannedDateView>[]; okCount: number } | null = null,
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
      preview,
      maxPickedDates: MAX_PICKED_DATES,
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
    preview: { dates: ReturnType<typeof plannedDateView>[]; okCount: number } | null = null,
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
      preview,
      maxPickedDates: MAX_PICKED_DATES,
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
      nth: '1',
      last_date: '',
      picked_dates: '',
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
    // "Termine anzeigen" looks at when and where only: the group's details may still be empty or unfinished.
    const isPreview = body.action === 'preview';
    let parsed = directSchema.safeParse(body);
    if (!parsed.success && isPreview) {
      const failing = new Set(parsed.error.issues.map((i) => String(i.path[0])));
      const planErrors = Object.fromEntries(Object.entries(fieldErrors(parsed.error, req.t)).filter(([k]) => PLAN_FIELDS.has(k)));
      if (Object.keys(planErrors).length) return renderDirect(req, res, values, planErrors, 400);
      const filled = Object.fromEntries(Object.entries(PREVIEW_FILL).filter(([k]) => failing.has(k)));
      parsed = directSchema.safeParse({ ...body, ...filled });
    }
    if (!parsed.success) {
      return renderDirect(req, res, values, fieldErrors(parsed.error, req.t), 400);
    }
    const v = parsed.data;
    // The series in the public form's rhythms (series.ts), with the house's own limit on its length.
    let series: DirectBookingInput['series'] = null;
    if (v.repeat === 'dates') {
      const { rhythm, bad } = rhythmOfValues({ repeat: 'dates', everyWeeks: '', nth: '', pickedDates: v.picked_dates });
      if (bad.length) return renderDirect(req, res, values, { picked_dates: req.t('rhythm.error.bad', { count: bad.length, values: bad.join(', ') }) }, 400);
      if (rhythm?.kind === 'dates') series = { rhythm, lastDate: lastPicked(v.date, rhythm.dates) };
    } else if (v.repeat !== '') {
      const last = parseDate(v.last_date);
      if (!last) return renderDirect(req, res, values, { last_date: req.t('staff.direct.error.lastDate') }, 400);
      const rhythm: Rhythm =
        v.repeat === 'monthly' ? { kind: 'monthly', nth: v.nth === 'last' ? -1 : Number(v.nth) } : { kind: 'weekly', everyWeeks: Number(v.repeat) };
      series = { rhythm, lastDate: last };
    }
    if (series) {
      const latest = latestSeriesEnd(v.date, series.rhythm);
      if (series.lastDate > latest) {
        const field = v.repeat === 'dates' ? 'picked_dates' : 'last_date';
        const text = req.t('staff.direct.error.seriesTooLong', { months: SERIES_MAX_MONTHS, count: SERIES_MAX_DATES, latest: formatDate(latest, req.lang) });
        return renderDirect(req, res, values, { [field]: text }, 422);
      }
      if (!inCalendarRange(series.lastDate)) return renderDirect(req, res, values, { last_date: req.t('staff.error.dateOutOfRange') }, 400);
    }
    const input = {
      roomId: v.room,
      date: v.date,
      start: v.start,
      end: v.end,
      series,
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
    };
    const ruleErrors = (failures: RuleFailure[]) => {
      const errors: Record<string, string> = {};
      for (const f of failures) {
        const field = RULE_FIELD[f.field];
        if (!errors[field])
          errors[field] = fieldErrorText({ key: STAFF_WORDING[f.key] ?? f.key, params: f.params, dates: f.dates }, req.house.zone, req.lang, req.t);
      }
      return errors;
    };
    // "Termine anzeigen": the dates as they would be booked, nothing stored.
    if (isPreview) {
      const plan = await planDirectBooking(ctx.db, ctx.clock(), req.house, input);
      if (!plan.ok) return renderDirect(req, res, values, ruleErrors(plan.failures), 422);
      const preview = {
        dates: plan.dates.map((d) => plannedDateView(d, req.house.zone, req.lang, req.t)),
        okCount: plan.dates.filter((d) => d.status === 'ok').length,
      };
      return renderDirect(req, res, values, {}, 200, [], preview);
    }
    const result = await createDirectBooking(ctx.db, deps, req.house, input);
    if (!result.ok && result.kind === 'rules') return renderDirect(req, res, values, ruleErrors(result.failures), 422);
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
