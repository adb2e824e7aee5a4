// Direct booking by the caretaker (a phone request, the house's own use): the same fields as the public form
// plus a series, approved at once. Opening hours, lead time and horizon may be overridden with explicit
// checkboxes; the clash rule never (the database guard refuses a clash in the same transaction).
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { idField, wholeNumber } from '../web/input.js';
import type { AppContext } from '../context.js';
import type { DB } from '../db/database.js';
import { attempt } from '../db/attempt.js';
import type { Category, Language, SkipReason } from '../db/schema.js';
import { audit } from '../audit/log.js';
import { notify, type NotifyDeps } from '../mail/notify.js';
import { planDates } from '../bookings/plan.js';
import type { RuleFailure } from '../bookings/rules.js';
import { newManageToken, nextReference } from '../bookings/reference.js';
import type { House } from '../settings/repository.js';
import { listRooms } from '../rooms/repository.js';
import { isMessageKey, type MessageKey } from '../i18n/index.js';
import { EQUIPMENT_KEYS } from './rooms.js';
import { findOccupancyClashes, type Clash } from './occupancy-clashes.js';
import { clashView } from './when.js';
import { inStaffDateRange, queryDateOr, staffDateField } from './form.js';
import { addDays, addMonths, formatDate, parseDate, todayIn } from '../time/index.js';

/** The longest series the house may enter, even with the horizon overridden: two years and at most 110 dates. */
export const SERIES_MAX_MONTHS = 24;
export const SERIES_MAX_DATES = 110;

/** The latest last date a weekly series from `firstDate` may have (whichever limit comes first). */
export function latestSeriesEnd(firstDate: string, everyWeeks: number): string {
  const byMonths = addMonths(firstDate, SERIES_MAX_MONTHS);
  const byCount = addDays(firstDate, (SERIES_MAX_DATES - 1) * 7 * everyWeeks);
  return byMonths < byCount ? byMonths : byCount;
}

const CATEGORIES = ['education', 'culture', 'social', 'integration', 'sports', 'celebration', 'other'] as const;

export interface DirectBookingInput {
  roomId: number;
  date: string;
  start: string;
  end: string;
  series: { everyWeeks: number; lastDate: string } | null;
  title: string;
  publicTitle: string | null;
  showPublicTitle: boolean;
  organisation: string | null;
  contactName: string;
  /** May be empty for a phone booking without e-mail: then no mail goes out. */
  email: string;
  phone: string | null;
  category: Category;
  attendees: number;
  equipment: string[];
  notes: string;
  language: Language;
  override: { openingHours: boolean; leadTime: boolean; horizon: boolean };
  message: string;
  userId: number;
}

export type DirectBookingResult =
  | { ok: true; requestId: number; reference: string; approved: string[]; skipped: { date: string; reason: SkipReason }[] }
  /** Rules 1–4 and 8 (fields to fix). */
  | { ok: false; kind: 'rules'; failures: RuleFailure[] }
  /** Rule 5: nothing could be booked; the clashes are named. */
  | { ok: false; kind: 'clash'; clashes: Clash[] };

class NothingFree extends Error {
  constructor(readonly clashes: Clash[]) {
    super('clash');
  }
}

/** Plans (rules 1–4, 8), then stores the request with every free date approved, in one transaction. */
export async function createDirectBooking(db: DB, deps: NotifyDeps, house: House, input: DirectBookingInput): Promise<DirectBookingResult> {
  const now = deps.clock();
  const plan = await planDates(
    db,
    { zone: house.zone, openingHours: house.openingHours, leadTimeDays: house.leadTimeDays, horizonMonths: house.horizonMonths, federalState: house.federalState },
    { roomId: input.roomId, date: input.date, start: input.start, end: input.end, attendees: input.attendees, series: input.series },
    now,
    { lang: input.language, caretaker: true, override: input.override },
  );
  if (!plan.ok) return { ok: false, kind: 'rules', failures: plan.failures };
  // The lead-time override allows short notice, never the past (rule 3 checks the past only without it).
  const past = plan.dates.find((d) => d.start < now.getTime());
  if (past) return { ok: false, kind: 'rules', failures: [{ field: 'date', key: 'requests.error.past', params: {} }] };
  if (!plan.dates.some((d) => d.status === 'ok')) {
    const clashes = (await Promise.all(plan.dates.map((d) => findOccupancyClashes(db, { roomId: input.roomId, start: d.start, end: d.end, kind: 'booking' })))).flat();
    return { ok: false, kind: 'clash', clashes };
  }
  try {
    return await db.transaction().execute(async (trx) => {
      const nowMs = now.getTime();
      const reference = await nextReference(trx, house.referencePrefix, Number(input.date.slice(0, 4)));
      const { hash } = newManageToken();
      const request = await trx.insertInto('requests').values({
        reference, token_hash: hash, room_id: input.roomId, title: input.title, public_title: input.publicTitle,
        show_public_title: input.showPublicTitle ? 1 : 0, organisation: input.organisation, contact_name: input.contactName,
        email: input.email, phone: input.phone, category: input.category, attendees: input.attendees,
        equipment: JSON.stringify(input.equipment), notes: input.notes, language: input.language,
        rules_version: house.rulesVersion, privacy_version: house.privacyVersion, source: 'house', created_by: input.userId,
        repeat_weeks: input.series?.everyWeeks ?? null, first_date: input.date, last_date: input.series?.lastDate ?? null,
        start_time: input.start, end_time: input.end, sequence: 0, created_at: nowMs, updated_at: nowMs,
      }).returning('id').executeTakeFirstOrThrow();
      const approved: { id: number; date: string }[] = [];
      const skipped: { date: string; reason: SkipReason }[] = [];
      const skippedIds: number[] = [];
      const base = { request_id: request.id, room_id: input.roomId, detached: 0, cancelled_by: null, cancelled_at: null, sequence: 0, created_at: nowMs, updated_at: nowMs };
      const lastClashes: Clash[] = [];
      for (const d of plan.dates) {
        const dateRow = { ...base, local_date: d.date, start_at: d.start, end_at: d.end };
        if (d.status === 'ok') {
          const tried = await attempt(trx, (t) => t.insertInto('bookings').values({
            ...dateRow, status: 'approved', skip_reason: null, decided_by: input.userId, decided_at: nowMs, decision_message: input.message,
          }).returning('id').executeTakeFirstOrThrow());
          if (tried.ok) {
            approved.push({ id: tried.value.id, date: d.date });
            continue;
          }
          // Booked by someone else since the plan was made: this date is skipped as a clash.
          lastClashes.push(...(await findOccupancyClashes(trx, { roomId: input.roomId, start: d.start, end: d.end, kind: 'booking' })));
        }
        const reason: SkipReason = d.skipReason ?? 'clash';
        const skippedRow = await trx.insertInto('bookings').values({
          ...dateRow, status: 'skipped', skip_reason: reason, decided_by: null, decided_at: null, decision_message: null,
        }).returning('id').executeTakeFirstOrThrow();
        skippedIds.push(skippedRow.id);
        skipped.push({ date: d.date, reason });
      }
      if (approved.length === 0) throw new NothingFree(lastClashes);
      await audit(trx, {
        at: nowMs, userId: input.userId, actor: 'user', action: 'request.created', entity: 'request', entityId: request.id,
        details: {
          source: 'house', bookingIds: approved.map((a) => a.id), dates: approved.map((a) => a.date), skipped,
          overrides: Object.entries(input.override).filter(([, v]) => v).map(([k]) => k), message: input.message,
        },
      });
      if (input.email) {
        await notify(trx, deps, {
          type: 'bookings.approved', requestId: request.id, bookingIds: approved.map((a) => a.id), message: input.message, skippedBookingIds: skippedIds,
        });
      }
      return { ok: true as const, requestId: request.id, reference, approved: approved.map((a) => a.date), skipped };
    });
  } catch (err) {
    if (err instanceof NothingFree) return { ok: false, kind: 'clash', clashes: err.clashes };
    throw err;
  }
}

// ---------- the form ----------

const checkbox = z.string().optional().transform((v) => v !== undefined && v !== '');
const optionalText = (max: number, key: MessageKey) =>
  z.string().trim().max(max, { message: key }).default('').transform((v) => (v === '' ? null : v));

const directSchema = z.object({
  room: idField('staff.error.room'),
  date: staffDateField('staff.error.date'),
  start: z.string().trim().min(1, { message: 'staff.error.time' }).max(5, { message: 'staff.error.time' }),
  end: z.string().trim().min(1, { message: 'staff.error.time' }).max(5, { message: 'staff.error.time' }),
  repeat: z.enum(['', '1', '2', '3', '4'], { message: 'staff.error.invalid' }).default(''),
  last_date: z.string().trim().default(''),
  title: z.string().trim().min(1, { message: 'staff.error.title' }).max(200, { message: 'staff.error.titleTooLong' }),
  public_title: optionalText(200, 'staff.error.titleTooLong'),
  show_public_title: checkbox,
  organisation: optionalText(200, 'staff.direct.error.tooLong'),
  contact_name: z.string().trim().min(1, { message: 'staff.direct.error.contact' }).max(200, { message: 'staff.direct.error.tooLong' }),
  email: z.string().trim().max(254, { message: 'staff.direct.error.email' }).default('')
    .refine((v) => v === '' || z.email().safeParse(v).success, { message: 'staff.direct.error.email' }),
  phone: optionalText(50, 'staff.direct.error.tooLong'),
  category: z.enum(CATEGORIES, { message: 'staff.direct.error.category' }),
  attendees: wholeNumber('staff.direct.error.attendees', 1, 100_000),
  equipment: z.union([z.string(), z.array(z.string())]).optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .refine((l) => l.every((k) => EQUIPMENT_KEYS.includes(k)), { message: 'staff.error.invalid' }),
  notes: z.string().trim().max(2000, { message: 'staff.error.messageTooLong' }).default(''),
  language: z.enum(['de', 'en'], { message: 'staff.error.invalid' }).default('de'),
  override_hours: checkbox,
  override_lead: checkbox,
  override_horizon: checkbox,
  message: z.string().trim().max(2000, { message: 'staff.error.messageTooLong' }).default(''),
});

/** The public form's words tell a group to call the house; staff get words that point to what they can do. */
const STAFF_WORDING: Partial<Record<string, MessageKey>> = {
  'requests.error.leadTime': 'staff.direct.error.leadTime',
  'requests.error.past': 'staff.direct.error.past',
};

const RULE_FIELD: Record<RuleFailure['field'], string> = {
  room: 'room', date: 'date', start: 'start', end: 'end', endDate: 'end', attendees: 'attendees', lastDate: 'last_date', repeat: 'repeat',
};

const TEXT_FIELDS = ['room', 'date', 'start', 'end', 'repeat', 'last_date', 'title', 'public_title', 'organisation', 'contact_name', 'email', 'phone', 'category', 'attendees', 'notes', 'language', 'message'] as const;
const CHECK_FIELDS = ['show_public_title', 'override_hours', 'override_lead', 'override_horizon'] as const;

export function directBookingRoutes(ctx: AppContext): Router {
  const r = Router();

  async function render(req: Request, res: Response, values: Record<string, unknown>, errors: Record<string, string> = {}, status = 200, clashes: ReturnType<typeof clashView>[] = []) {
    const [rooms, templates] = await Promise.all([
      listRooms(ctx.db),
      ctx.db.selectFrom('message_templates').select('body').where('kind', '=', 'approve').orderBy('sort_order').orderBy('id').execute(),
    ]);
    const equipment = Array.isArray(values.equipment) ? (values.equipment as string[]) : typeof values.equipment === 'string' ? [values.equipment] : [];
    res.status(status).render('admin/booking-new', {
      title: req.t('staff.direct.title'),
      rooms: rooms.map((rm) => ({ id: String(rm.id), name: rm.name, capacity: rm.capacity, publicBookable: rm.public_bookable === 1 })),
      categories: CATEGORIES.map((c) => ({ value: c, label: req.t(`category.${c}`) })),
      equipmentOptions: EQUIPMENT_KEYS.map((k) => ({ value: k, label: req.t(`equipment.${k}` as MessageKey), checked: equipment.includes(k) })),
      values: { message: templates[0]?.body ?? '', ...values },
      errors,
      clashes,
    });
  }

  r.get('/bookings/new', async (req, res) => {
    const today = todayIn(ctx.clock, req.house.zone);
    const date = queryDateOr(req.query.date, today);
    const room = typeof req.query.room === 'string' && /^\d+$/.test(req.query.room) ? req.query.room : '';
    await render(req, res, { room, date, start: '', end: '', repeat: '', last_date: '', category: 'other', attendees: '', language: req.house.defaultLanguage });
  });

  r.post('/bookings', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values: Record<string, unknown> = Object.fromEntries(TEXT_FIELDS.map((k) => [k, typeof body[k] === 'string' ? body[k] : '']));
    for (const k of CHECK_FIELDS) values[k] = body[k] !== undefined && body[k] !== '';
    values.equipment = body.equipment;
    const parsed = directSchema.safeParse(body);
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const i of parsed.error.issues) {
        const f = String(i.path[0] ?? 'form');
        if (!errors[f]) errors[f] = req.t(isMessageKey(i.message) ? i.message : 'staff.error.invalid');
      }
      return render(req, res, values, errors, 400);
    }
    const v = parsed.data;
    if (v.repeat !== '') {
      const last = parseDate(v.last_date);
      if (!last) return render(req, res, values, { last_date: req.t('staff.direct.error.lastDate') }, 400);
      const latest = latestSeriesEnd(v.date, Number(v.repeat));
      if (last > latest) {
        return render(req, res, values, {
          last_date: req.t('staff.direct.error.seriesTooLong', { months: SERIES_MAX_MONTHS, count: SERIES_MAX_DATES, latest: formatDate(latest, req.lang) }),
        }, 422);
      }
      if (!inStaffDateRange(last)) return render(req, res, values, { last_date: req.t('staff.error.dateOutOfRange') }, 400);
    }
    const result = await createDirectBooking(ctx.db, { baseUrl: ctx.config.baseUrl, clock: ctx.clock }, req.house, {
      roomId: v.room, date: v.date, start: v.start, end: v.end,
      series: v.repeat === '' ? null : { everyWeeks: Number(v.repeat), lastDate: v.last_date },
      title: v.title, publicTitle: v.public_title, showPublicTitle: v.show_public_title, organisation: v.organisation,
      contactName: v.contact_name, email: v.email, phone: v.phone, category: v.category, attendees: v.attendees,
      equipment: v.equipment, notes: v.notes, language: v.language,
      override: { openingHours: v.override_hours, leadTime: v.override_lead, horizon: v.override_horizon },
      message: v.message, userId: req.user!.id,
    });
    if (!result.ok && result.kind === 'rules') {
      const errors: Record<string, string> = {};
      for (const f of result.failures) {
        const field = RULE_FIELD[f.field];
        if (!errors[field]) errors[field] = req.t(STAFF_WORDING[f.key] ?? (f.key as MessageKey), f.params);
      }
      return render(req, res, values, errors, 422);
    }
    if (!result.ok) {
      return render(req, res, values, { start: req.t('staff.direct.error.clash') }, 409,
        result.clashes.map((c) => clashView(c, req.house.zone, req.lang, req.t)));
    }
    req.session.staffNotice = {
      key: result.skipped.length ? 'staff.notice.bookedSkipped' : 'staff.notice.booked',
      params: {
        reference: result.reference, count: result.approved.length, skipped: result.skipped.length,
        skippedDates: result.skipped.map((s) => formatDate(s.date, req.lang, 'short')).join(', '),
      },
    };
    res.redirect(303, `/admin/requests/${result.requestId}`);
  });

  return r;
}
