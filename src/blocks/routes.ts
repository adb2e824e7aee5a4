// Blocked times under /admin/blocks (role-guarded by staff/routes.ts): the list with the holiday import, new,
// edit (cancelling approved bookings in the way only when the caretaker agrees), delete with a confirmation.
// Thin handlers: parse (zod), call one service, render.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { NotFoundError } from '../web/errors.js';
import { fieldErrors, formBody, idParam, queryDateOr, setNotice, takeNotice, textOf } from '../web/forms.js';
import { addDays, localDate, localTime, localToInstant, todayIn } from '../time/index.js';
import { listRooms } from '../rooms/repository.js';
import { findOccupancyClashes, type Clash } from '../bookings/occupancy-clashes.js';
import { clashView } from '../bookings/view.js';
import { formatDate, formatWhen } from '../time/format.js';
import { findBlock, listUpcomingBlocks } from './repository.js';
import { deleteBlock, importHolidays, saveBlock, type HolidayImportResult } from './service.js';
import { BLOCK_REASONS, blockSchema, holidaySchema, rejectPendingSchema } from './schema.js';
import { pendingInBlocks, pendingInside, rejectPendingDates } from './pending.js';
import type { BlockReason } from '../db/schema.js';
import type { MessageKey, Translate } from '../i18n/index.js';

export function blockRoutes(ctx: AppContext): Router {
  const r = Router();
  const now = () => ctx.clock().getTime();
  const deps = { clock: ctx.clock, notify: ctx.notify };

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
    pending_seen: number[];
    reject: number[];
  }

  /** The message to the groups a kind of closure suggests (editable); staff language. */
  const DEFAULT_MESSAGES: Record<BlockReason, MessageKey> = {
    holiday: 'staffHouse.blocks.defaultMessage.holiday',
    closure: 'staffHouse.blocks.defaultMessage.closure',
    renovation: 'staffHouse.blocks.defaultMessage.renovation',
    house_event: 'staffHouse.blocks.defaultMessage.house_event',
  };
  const defaultMessage = (t: Translate, reason: string) =>
    t(DEFAULT_MESSAGES[(BLOCK_REASONS as readonly string[]).includes(reason) ? (reason as BlockReason) : 'closure']);
  /** A message still as suggested for some kind follows a change of the kind. */
  const isDefaultMessage = (t: Translate, message: string) => BLOCK_REASONS.some((k) => defaultMessage(t, k) === message.trim());

  async function renderBlocks(
    req: Request,
    res: Response,
    status = 200,
    importResult: HolidayImportResult | null = null,
    importErrors: Record<string, string> = {},
  ) {
    const [blocks, pending] = await Promise.all([listUpcomingBlocks(ctx.db, now()), pendingInBlocks(ctx.db, now())]);
    const { zone } = req.house;
    const kinds = new Set(pending.map((p) => p.blockReason));
    const year = Number(todayIn(ctx.clock, zone).slice(0, 4));
    res.status(status).render('admin/blocks', {
      title: req.t('staff.blocks.title'),
      notice: takeNotice(req),
      blocks: blocks.map((b) => ({
        id: b.id,
        when: formatWhen(b.start_at, b.end_at, zone, req.lang, req.t),
        room: b.roomName ?? req.t('staff.wholeHouse'),
        reason: req.t(`blockReason.${b.reason}`),
        label: b.label,
        visibility: b.is_public ? req.t('staff.blocks.public') : req.t('staff.blocks.internal'),
      })),
      pending: pending.map((c) => ({ id: c.bookingId!, ...clashView(c, zone, req.lang, req.t), reason: req.t(`blockReason.${c.blockReason}`) })),
      pendingMessage: defaultMessage(req.t, kinds.size === 1 ? [...kinds][0]! : 'closure'),
      state: req.house.federalState,
      yearValue: textOf(formBody(req).year, String(year + 1)),
      importErrors,
      importResult: importResult && {
        imported: importResult.imported.map((h) => `${formatDate(h.date, req.lang, 'long')}: ${h.name}`),
        existing: importResult.existing.map((h) => `${formatDate(h.date, req.lang, 'long')}: ${h.name}`),
        withBookings: importResult.withBookings.map((h) => ({
          text: `${formatDate(h.date, req.lang, 'long')}: ${h.name}`,
          bookings: h.bookings.map((c) => clashView(c, req.house.zone, req.lang, req.t)),
        })),
      },
    });
  }

  async function renderBlockForm(
    req: Request,
    res: Response,
    opts: {
      id?: number;
      form: BlockForm;
      errors?: Record<string, string>;
      status?: number;
      inTheWay?: Clash[];
      pending?: Clash[];
      /** After "check the period": say so also when nothing is inside. */
      checked?: boolean;
    },
  ) {
    const rooms = await listRooms(ctx.db);
    const pending = opts.pending ?? [];
    const inTheWay = opts.inTheWay ?? [];
    const review = inTheWay.length > 0 || pending.length > 0;
    const message =
      opts.form.message === '' || isDefaultMessage(req.t, opts.form.message) ? (review ? defaultMessage(req.t, opts.form.reason) : '') : opts.form.message;
    // A date shown for the first time is ticked for rejection; one shown before keeps the caretaker's choice.
    const seen = new Set(opts.form.pending_seen);
    const ticked = new Set(opts.form.reject);
    const title = opts.id === undefined ? req.t('staff.blocks.new') : req.t('staff.blocks.edit');
    res.status(opts.status ?? 200).render('admin/blocks-form', {
      title,
      action: opts.id === undefined ? '/admin/blocks' : `/admin/blocks/${opts.id}`,
      id: opts.id ?? null,
      rooms: rooms.map((rm) => ({ id: String(rm.id), name: rm.name })),
      reasons: BLOCK_REASONS.map((k) => ({ value: k, label: req.t(`blockReason.${k}`) })),
      values: { ...opts.form, message },
      errors: opts.errors ?? {},
      inTheWay: inTheWay.map((c) => ({ id: c.bookingId!, ...clashView(c, req.house.zone, req.lang, req.t) })),
      pending: pending.map((c) => ({
        id: c.bookingId!,
        ...clashView(c, req.house.zone, req.lang, req.t),
        ticked: !seen.has(c.bookingId!) || ticked.has(c.bookingId!),
      })),
      checked: opts.checked === true && !review,
    });
  }

  function blockFormFromBody(body: Record<string, unknown>): BlockForm {
    const s = (k: string) => (typeof body[k] === 'string' ? body[k] : '');
    return {
      room: s('room'),
      reason: s('reason'),
      label: s('label'),
      is_public: body.is_public !== undefined,
      from_date: s('from_date'),
      from_time: s('from_time'),
      to_date: s('to_date'),
      to_time: s('to_time'),
      message: s('message'),
      pending_seen: ids(body.pending_seen),
      reject: ids(body.reject),
    };
  }

  function ids(v: unknown): number[] {
    const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
    return list.filter((x): x is string => typeof x === 'string' && /^\d{1,15}$/.test(x)).map(Number);
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
      req.t(r.reason === 'gap' ? 'staff.error.dstGap' : r.reason === 'ambiguous' ? 'staff.error.dstAmbiguous' : 'staff.error.time', {
        date: formatDate(date, req.lang),
      });
    if (!s.ok) errors.from_time = timeError(s, v.from_date);
    if (!e.ok) errors.to_time = timeError(e, v.to_date);
    if (s.ok && e.ok && e.instant <= s.instant) errors.to_date = req.t('staff.error.blockOrder');
    if (Object.keys(errors).length || !s.ok || !e.ok) return renderBlockForm(req, res, { id, form, errors, status: 400 });
    const span = { roomId, start: s.instant, end: e.instant };
    const pending = await pendingInside(ctx.db, span);
    if (v.check !== undefined) {
      const inTheWay = (await findOccupancyClashes(ctx.db, { ...span, kind: 'block', excludeBlockId: id })).filter((c) => c.kind === 'booking');
      return renderBlockForm(req, res, { id, form, inTheWay, pending, checked: true });
    }
    // Pending requests the caretaker has not seen yet are shown first; nothing is stored.
    const seen = new Set(v.pending_seen);
    const unseen = pending.filter((c) => !seen.has(c.bookingId!));
    if (unseen.length) {
      const inTheWay = (await findOccupancyClashes(ctx.db, { ...span, kind: 'block', excludeBlockId: id })).filter((c) => c.kind === 'booking');
      return renderBlockForm(req, res, {
        id,
        form,
        status: 409,
        inTheWay,
        pending,
        errors: { pending: req.t('staffHouse.blocks.pendingInside', { count: pending.length }) },
      });
    }
    // Only dates the caretaker saw can be ticked; saveBlock refuses the lot when one was decided meanwhile.
    const toReject = v.reject.filter((b) => seen.has(b));
    const result = await saveBlock(ctx.db, deps, {
      id,
      roomId,
      start: s.instant,
      end: e.instant,
      reason: v.reason,
      label: v.label,
      isPublic: v.is_public !== undefined,
      cancelBookingIds: v.confirm_cancel ? v.cancel : [],
      rejectBookingIds: toReject,
      message: v.message,
      userId: req.user!.id,
    });
    if (!result.ok && result.reason === 'inTheWay') {
      return renderBlockForm(req, res, {
        id,
        form,
        status: 409,
        inTheWay: result.bookings,
        pending,
        errors: { confirm_cancel: req.t('staff.blocks.inTheWay', { count: result.bookings.length }) },
      });
    }
    if (!result.ok) {
      const inTheWay = (await findOccupancyClashes(ctx.db, { ...span, kind: 'block', excludeBlockId: id })).filter((c) => c.kind === 'booking');
      const fresh = await pendingInside(ctx.db, span);
      return renderBlockForm(req, res, {
        id,
        form: { ...form, reject: form.reject.filter((b) => !result.bookingIds.includes(b)) },
        status: 409,
        inTheWay,
        pending: fresh,
        errors: { pending: req.t('staffHouse.blocks.pendingDecided', { count: result.bookingIds.length }) },
      });
    }
    const rejected = result.rejected;
    if (rejected) setNotice(req, 'staffHouse.blocks.savedRejected', { cancelled: result.cancelled.length, rejected });
    else setNotice(req, result.cancelled.length ? 'staff.notice.blockSavedCancelled' : 'staff.notice.blockSaved', { count: result.cancelled.length });
    res.redirect(303, '/admin/blocks');
  }

  r.get('/blocks', async (req, res) => renderBlocks(req, res));

  r.get('/blocks/new', async (req, res) => {
    const today = todayIn(ctx.clock, req.house.zone);
    const date = queryDateOr(req.query.date, today);
    await renderBlockForm(req, res, {
      form: {
        room: '',
        reason: 'closure',
        label: '',
        is_public: true,
        from_date: date,
        from_time: '',
        to_date: date,
        to_time: '',
        message: '',
        pending_seen: [],
        reject: [],
      },
    });
  });

  r.post('/blocks', (req, res) => submitBlock(req, res));

  r.post('/blocks/holidays', async (req, res) => {
    const parsed = holidaySchema.safeParse(req.body ?? {});
    if (!parsed.success) return renderBlocks(req, res, 400, null, fieldErrors(parsed.error, req.t));
    const result = await importHolidays(ctx.db, {
      state: req.house.federalState,
      year: parsed.data.year,
      zone: req.house.zone,
      lang: req.house.defaultLanguage,
      now: now(),
      userId: req.user!.id,
    });
    await renderBlocks(req, res, 200, result);
  });

  // The one-time check on the blocks page: reject pending dates that fall into stored blocked times.
  r.post('/blocks/pending/reject', async (req, res) => {
    const parsed = rejectPendingSchema.safeParse(req.body ?? {});
    if (!parsed.success || parsed.data.reject.length === 0) {
      setNotice(req, 'staffHouse.blocks.pendingNoneChosen');
      return res.redirect(303, '/admin/blocks#pending-h');
    }
    const inBlocks = new Set((await pendingInBlocks(ctx.db, now())).map((c) => c.bookingId!));
    const rejected = await rejectPendingDates(ctx.db, deps, {
      bookingIds: parsed.data.reject.filter((b) => inBlocks.has(b)),
      message: parsed.data.message,
      userId: req.user!.id,
    });
    setNotice(req, 'staffHouse.blocks.pendingRejected', { count: rejected });
    res.redirect(303, '/admin/blocks');
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
        room: b.room_id === null ? '' : String(b.room_id),
        reason: b.reason,
        label: b.label,
        is_public: b.is_public === 1,
        from_date: localDate(b.start_at, zone),
        from_time: localTime(b.start_at, zone) === '00:00' ? '' : localTime(b.start_at, zone),
        // An end at midnight is shown as the last whole day.
        to_date: endTime === '00:00' ? addDays(endDate, -1) : endDate,
        to_time: endTime === '00:00' ? '' : endTime,
        message: '',
        pending_seen: [],
        reject: [],
      },
    });
  });

  r.post('/blocks/:id', (req, res) => submitBlock(req, res, idParam(req.params.id)));

  r.post('/blocks/:id/delete', async (req, res) => {
    const id = idParam(req.params.id);
    // Deleting takes a second step (no JavaScript needed): without confirm=1 the page asks first.
    if ((req.body as Record<string, unknown> | undefined)?.confirm !== '1') {
      const b = await findBlock(ctx.db, id);
      if (!b) throw new NotFoundError();
      const roomName =
        b.room_id === null ? req.t('staff.wholeHouse') : ((await listRooms(ctx.db, { includeInactive: true })).find((x) => x.id === b.room_id)?.name ?? '');
      return res.render('admin/confirm-delete', {
        title: req.t('staff.blocks.deleteTitle'),
        question: req.t('staff.blocks.deleteQuestion'),
        what: `${formatWhen(b.start_at, b.end_at, req.house.zone, req.lang, req.t)} · ${roomName} · ${req.t(`blockReason.${b.reason}`)}${b.label ? ` (${b.label})` : ''}`,
        action: `/admin/blocks/${id}/delete`,
        back: '/admin/blocks',
      });
    }
    await deleteBlock(ctx.db, now(), id, req.user!.id);
    setNotice(req, 'staff.notice.blockDeleted');
    res.redirect(303, '/admin/blocks');
  });

  return r;
}
