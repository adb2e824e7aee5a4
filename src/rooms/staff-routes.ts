// Rooms under /admin/rooms: create, edit, parts, deactivate/reactivate (caretaker and admin; PRODUCT.md
// gives "keep rooms and rules current" to the caretaker). Rooms with bookings are never deleted.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { Conn, DB } from '../db/database.js';
import { isClashError } from '../db/database.js';
import type { Room } from '../db/schema.js';
import { EQUIPMENT, isEquipment } from '../constants.js';
import type { MessageKey } from '../i18n/index.js';
import { audit } from '../audit/log.js';
import { findRoomById, listPartLinks, listRooms, parseEquipment } from './repository.js';
import { NotFoundError } from '../web/errors.js';
import type { NotifyDeps } from '../mail/notify.js';
import { asList, fieldErrors, setFlash, takeFlash } from '../admin/form.js';
import { cancelBookingsOfRequest } from '../admin/booking-changes.js';
import { listTemplates } from '../admin/templates.js';
import { clashView, formatRange } from '../admin/when.js';
import { blockClash, bookingClash, type Clash } from '../admin/occupancy-clashes.js';
import { findClashes, maxBufferMs, relatedRooms, type Occupant, type PartLink, type RoomShape } from '../bookings/overlap.js';


export const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const intField = (min: number, max: number, key: MessageKey) =>
  z.string().trim().regex(/^-?\d+$/, key).transform(Number).pipe(z.number().int().min(min, key).max(max, key));

const checkbox = z.any().optional().transform((v) => v === '1' || v === 'on');

export const roomSchema = z.object({
  name: z.string().trim().min(1, 'rooms.error.name').max(100, 'rooms.error.nameLong'),
  slug: z.string().trim().min(1, 'rooms.error.slug').max(60, 'rooms.error.slugLong').regex(SLUG_RE, 'rooms.error.slug'),
  description: z.string().max(4000, 'rooms.error.textLong'),
  capacity: intField(1, 10000, 'rooms.error.capacity'),
  size_m2: z.string().trim().max(10, 'rooms.error.size').transform((v) => v.replace(',', '.'))
    .refine((v) => v === '' || (/^\d+(\.\d+)?$/.test(v) && Number(v) > 0 && Number(v) <= 100000), 'rooms.error.size')
    .transform((v) => (v === '' ? null : Number(v))),
  equipment: z.array(z.string()).refine((l) => l.every((k) => isEquipment(k)), 'rooms.error.equipment'),
  accessible: checkbox,
  accessibility_notes: z.string().max(1000, 'rooms.error.textLong'),
  floor: z.string().trim().max(50, 'rooms.error.floor'),
  buffer_before_min: intField(0, 480, 'rooms.error.buffer'),
  buffer_after_min: intField(0, 480, 'rooms.error.buffer'),
  public_bookable: checkbox,
  sort_order: intField(-10000, 10000, 'rooms.error.sortOrder'),
  parts: z.array(z.string().regex(/^\d+$/, 'rooms.error.parts').transform(Number)).max(50, 'rooms.error.parts'),
});
export type RoomInput = z.infer<typeof roomSchema>;

/** The raw form, with the right shape for the schema (missing fields as '' and checkbox groups as lists). */
function formValues(body: Record<string, unknown>): Record<string, unknown> {
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
  return {
    name: str('name'), slug: str('slug'), description: str('description'), capacity: str('capacity'),
    size_m2: str('size_m2'), equipment: asList(body.equipment), accessible: body.accessible,
    accessibility_notes: str('accessibility_notes'), floor: str('floor'), buffer_before_min: str('buffer_before_min'),
    buffer_after_min: str('buffer_after_min'), public_bookable: body.public_bookable, sort_order: str('sort_order'),
    parts: asList(body.parts),
  };
}

function valuesOf(room: Room, parts: number[]): Record<string, unknown> {
  return {
    name: room.name, slug: room.slug, description: room.description, capacity: String(room.capacity),
    size_m2: room.size_m2 === null ? '' : String(room.size_m2), equipment: parseEquipment(room.equipment),
    accessible: room.accessible === 1 ? '1' : '', accessibility_notes: room.accessibility_notes, floor: room.floor,
    buffer_before_min: String(room.buffer_before_min), buffer_after_min: String(room.buffer_after_min),
    public_bookable: room.public_bookable === 1 ? '1' : '', sort_order: String(room.sort_order), parts: parts.map(String),
  };
}

export type RoomFailure = { field: string; key: MessageKey; params?: Record<string, string> };

/**
 * A room is a set of physical spaces: one of its own, or the spaces of the rooms it is made of, at any depth
 * (a part may belong to several wholes, a whole may be made of wholes). The only layout that cannot be
 * described so is a cycle: no room may be, through any path, part of itself. The database refuses it too.
 */
export async function checkParts(db: Conn, roomId: number | null, parts: number[]): Promise<RoomFailure | null> {
  if (parts.length === 0) return null;
  if (roomId !== null && parts.includes(roomId)) return { field: 'parts', key: 'rooms.error.partSelf' };
  const links = await listPartLinks(db);
  const all = new Map((await listRooms(db, { includeInactive: true })).map((r) => [r.id, r]));
  for (const p of parts) if (!all.has(p)) return { field: 'parts', key: 'rooms.error.parts' };
  if (roomId === null) return null;
  for (const p of parts) {
    if (containsRoom(p, roomId, links)) return { field: 'parts', key: 'rooms.error.partCycle', params: { room: all.get(p)!.name } };
  }
  return null;
}

/** Is `inner` among the parts of `outer`, at any depth? */
function containsRoom(outer: number, inner: number, links: readonly PartLink[]): boolean {
  const seen = new Set<number>();
  const todo = [outer];
  while (todo.length) {
    const r = todo.pop()!;
    for (const l of links) {
      if (l.wholeId !== r || seen.has(l.partId)) continue;
      if (l.partId === inner) return true;
      seen.add(l.partId);
      todo.push(l.partId);
    }
  }
  return false;
}

async function slugTaken(db: Conn, slug: string, exceptId: number | null): Promise<boolean> {
  let q = db.selectFrom('rooms').select('id').where('slug', '=', slug);
  if (exceptId !== null) q = q.where('id', '<>', exceptId);
  return !!(await q.executeTakeFirst());
}

function roomRow(v: RoomInput) {
  return {
    name: v.name, slug: v.slug, description: v.description, capacity: v.capacity, size_m2: v.size_m2,
    equipment: JSON.stringify(EQUIPMENT.filter((k) => v.equipment.includes(k))),
    accessible: v.accessible ? 1 : 0, accessibility_notes: v.accessibility_notes, floor: v.floor,
    buffer_before_min: v.buffer_before_min, buffer_after_min: v.buffer_after_min,
    public_bookable: v.public_bookable ? 1 : 0, sort_order: v.sort_order,
  };
}

export type SaveResult = { ok: true; id: number } | { ok: false; failure: RoomFailure; status: number; clashes?: RoomClash[] };

/** Two occupants that would overlap with the new buffers or parts: the booking, and what it meets. */
export interface RoomClash {
  booking: Clash;
  other: Clash;
}

/**
 * Which approved bookings (and blocked times) would overlap if `roomId` had the buffers and parts of `v`:
 * the same overlap rule the database guard applies, run on the proposed shape, so the caretaker is told
 * which dates to move or cancel first.
 */
export async function proposedClashes(db: Conn, roomId: number | null, v: RoomInput): Promise<RoomClash[]> {
  const all = await listRooms(db, { includeInactive: true });
  const id = roomId ?? -1;
  const shapes = new Map<number, RoomShape>(all.map((r) => [r.id, { id: r.id, bufferBeforeMin: r.buffer_before_min, bufferAfterMin: r.buffer_after_min }]));
  shapes.set(id, { id, bufferBeforeMin: v.buffer_before_min, bufferAfterMin: v.buffer_after_min });
  const links: PartLink[] = [...(await listPartLinks(db)).filter((l) => l.wholeId !== id), ...v.parts.map((p) => ({ wholeId: id, partId: p }))];
  // The rooms whose set of spaces changes (this one and every room made of it, at any depth), and every room
  // that shares a space with one of them under the proposed layout.
  const affected = new Set<number>([id]);
  for (let grew = true; grew;) {
    grew = false;
    for (const l of links) if (affected.has(l.partId) && !affected.has(l.wholeId)) { affected.add(l.wholeId); grew = true; }
  }
  const involved = new Set<number>();
  for (const r of affected) for (const x of relatedRooms(r, links)) involved.add(x);
  const names = new Map(all.map((r) => [r.id, r.name]));
  const bookings = await db.selectFrom('bookings as b').innerJoin('requests as r', 'r.id', 'b.request_id')
    .select(['b.id', 'b.request_id', 'b.room_id', 'b.start_at', 'b.end_at', 'b.status', 'r.reference', 'r.title'])
    .where('b.status', '=', 'approved').where('b.room_id', 'in', [...involved]).orderBy('b.start_at').execute();
  // Like the database guard: every approved booking (past ones too, their occupancy is re-widened as well)
  // and the room's own blocks plus the whole-house ones (those sit under every room).
  const blocks = await db.selectFrom('blocked_times').selectAll()
    .where((eb) => eb.or([eb('room_id', 'in', [...involved]), eb('room_id', 'is', null)])).execute();
  const asClash = new Map<string, Clash>();
  const occupants: (Occupant & { key: string })[] = [];
  for (const b of bookings) {
    const key = `b${b.id}`;
    occupants.push({ key, kind: 'booking', id: b.id, roomId: b.room_id, start: b.start_at, end: b.end_at });
    asClash.set(key, bookingClash(b, names.get(b.room_id) ?? null));
  }
  for (const t of blocks) {
    const key = `t${t.id}`;
    occupants.push({ key, kind: 'block', id: t.id, roomId: t.room_id, start: t.start_at, end: t.end_at });
    asClash.set(key, blockClash(t, t.room_id === null ? null : names.get(t.room_id) ?? null));
  }
  const out: RoomClash[] = [];
  const seen = new Set<string>();
  // Years of history: compare each booking only with the occupants near it in time (sorted by start; both
  // sides may be widened by at most the largest buffer), not with every other one.
  occupants.sort((x, y) => x.start - y.start);
  const pad = 2 * maxBufferMs(shapes.values());
  // Earlier occupants that may still reach the current one (long blocked times stay in it as long as they last).
  let earlier: typeof occupants = [];
  for (let i = 0; i < occupants.length; i++) {
    const o = occupants[i];
    earlier = earlier.filter((x) => x.end + pad > o.start);
    const mine = o.kind === 'booking' && shapes.has(o.roomId!) && affected.has(o.roomId!);
    const near = [...earlier];
    if (mine) for (let j = i + 1; j < occupants.length && occupants[j].start < o.end + pad; j++) near.push(occupants[j]);
    earlier.push(o);
    if (!mine) continue;
    for (const hit of findClashes({ roomId: o.roomId!, start: o.start, end: o.end }, near, shapes, links)) {
      const pair = [o.key, hit.key].sort().join('|');
      if (seen.has(pair)) continue;
      seen.add(pair);
      out.push({ booking: asClash.get(o.key)!, other: asClash.get(hit.key)! });
    }
  }
  return out;
}

/**
 * Creates or updates a room and its parts in one write transaction. Changed buffers or parts re-check the
 * approved bookings (database triggers); a clash aborts the whole change (RAUMBUCH_CLASH) and nothing is stored.
 */
export async function saveRoom(db: Conn, roomId: number | null, v: RoomInput, actor: { userId: number; now: number }): Promise<SaveResult> {
  try {
    return await db.transaction().execute(async (trx) => {
      if (await slugTaken(trx, v.slug, roomId)) return { ok: false, status: 409, failure: { field: 'slug', key: 'rooms.error.slugTaken' } };
      const partFailure = await checkParts(trx, roomId, v.parts);
      if (partFailure) return { ok: false, status: 400, failure: partFailure };
      const row = roomRow(v);
      let id: number;
      let changes: Record<string, unknown> = {};
      if (roomId === null) {
        id = (await trx.insertInto('rooms').values({ ...row, active: 1, created_at: actor.now, updated_at: actor.now })
          .returning('id').executeTakeFirstOrThrow()).id;
        changes = { ...row };
      } else {
        const before = await findRoomById(trx, roomId);
        if (!before) throw new NotFoundError();
        for (const [k, val] of Object.entries(row)) {
          if (before[k as keyof Room] !== val) changes[k] = { from: before[k as keyof Room], to: val };
        }
        await trx.updateTable('rooms').set({ ...row, updated_at: actor.now }).where('id', '=', roomId).execute();
        id = roomId;
      }
      const oldParts = (await trx.selectFrom('room_parts').select('part_id').where('whole_id', '=', id).execute()).map((r) => r.part_id);
      const wanted = [...new Set(v.parts)];
      const removed = oldParts.filter((p) => !wanted.includes(p));
      const added = wanted.filter((p) => !oldParts.includes(p));
      if (removed.length) await trx.deleteFrom('room_parts').where('whole_id', '=', id).where('part_id', 'in', removed).execute();
      for (const p of added) await trx.insertInto('room_parts').values({ whole_id: id, part_id: p }).execute();
      if (removed.length || added.length) changes.parts = { from: oldParts, to: wanted };
      await audit(trx, {
        at: actor.now, userId: actor.userId, actor: 'user', action: roomId === null ? 'room.created' : 'room.updated',
        entity: 'room', entityId: id, details: changes,
      });
      return { ok: true, id };
    });
  } catch (err) {
    if (isClashError(err)) return { ok: false, status: 409, failure: { field: 'form', key: 'rooms.error.clash' }, clashes: await proposedClashes(db, roomId, v) };
    throw err;
  }
}

export type SetActiveResult =
  | { ok: true; cancelled: number[] }
  /** Upcoming approved or pending dates in the room that the caretaker has not (yet) agreed to cancel. */
  | { ok: false; bookings: UpcomingBooking[] };

export interface UpcomingBooking {
  bookingId: number;
  requestId: number;
  reference: string;
  title: string;
  status: 'approved' | 'pending';
  start: number;
  end: number;
  localDate: string;
  email: string;
}

/** The room's dates that still lie ahead (or are running) and still take place: approved or pending. */
export async function upcomingBookings(db: Conn, roomId: number, now: number): Promise<UpcomingBooking[]> {
  const rows = await db.selectFrom('bookings as b').innerJoin('requests as r', 'r.id', 'b.request_id')
    .select(['b.id', 'b.request_id', 'r.reference', 'r.title', 'b.status', 'b.start_at', 'b.end_at', 'b.local_date', 'r.email'])
    .where('b.room_id', '=', roomId).where('b.status', 'in', ['approved', 'pending']).where('b.end_at', '>', now)
    .orderBy('b.start_at').orderBy('b.id')
    .execute();
  return rows.map((b) => ({
    bookingId: b.id, requestId: b.request_id, reference: b.reference, title: b.title, status: b.status as 'approved' | 'pending',
    start: b.start_at, end: b.end_at, localDate: b.local_date, email: b.email,
  }));
}

/**
 * Deactivates or reactivates a room. A deactivated room leaves the calendars and forms, so its upcoming
 * dates would be left approved but invisible: it is deactivated only together with cancelling them (each group
 * gets the message), in the same transaction, and only those the caretaker was shown.
 */
export async function setRoomActive(
  db: DB,
  deps: NotifyDeps,
  roomId: number,
  active: boolean,
  actor: { userId: number; now: number; cancelBookingIds?: number[]; message?: string },
): Promise<SetActiveResult> {
  return db.transaction().execute(async (trx) => {
    const room = await findRoomById(trx, roomId);
    if (!room) throw new NotFoundError();
    if ((room.active === 1) === active) return { ok: true as const, cancelled: [] };
    const cancelled: number[] = [];
    if (!active) {
      const upcoming = await upcomingBookings(trx, roomId, actor.now);
      const agreed = new Set(actor.cancelBookingIds ?? []);
      if (upcoming.some((b) => !agreed.has(b.bookingId))) return { ok: false as const, bookings: upcoming };
      const byRequest = new Map<number, UpcomingBooking[]>();
      for (const b of upcoming) byRequest.set(b.requestId, [...(byRequest.get(b.requestId) ?? []), b]);
      for (const [requestId, list] of byRequest) {
        cancelled.push(...(await cancelBookingsOfRequest(trx, deps, {
          requestId, email: list[0].email, message: actor.message ?? '', userId: actor.userId, now: actor.now, reason: 'room_deactivated',
          bookings: list.map((b) => ({ id: b.bookingId, status: b.status, local_date: b.localDate })),
        })));
      }
    }
    await trx.updateTable('rooms').set({ active: active ? 1 : 0, updated_at: actor.now }).where('id', '=', roomId).execute();
    await audit(trx, {
      at: actor.now, userId: actor.userId, actor: 'user', action: active ? 'room.reactivated' : 'room.deactivated', entity: 'room', entityId: roomId,
      ...(cancelled.length ? { details: { cancelledBookingIds: cancelled } } : {}),
    });
    return { ok: true as const, cancelled };
  });
}

/** How many not-yet-ended approved or pending bookings a room has (shown before deactivating). */
async function upcomingCount(db: Conn, roomId: number, now: number): Promise<number> {
  const row = await db.selectFrom('bookings').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('room_id', '=', roomId).where('status', 'in', ['approved', 'pending']).where('end_at', '>', now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

interface FormView {
  room: Room | null;
  values: Record<string, unknown>;
  errors: Record<string, string>;
  clashes?: RoomClash[];
}

async function renderForm(ctx: AppContext, req: Request, res: Response, status: number, v: FormView) {
  const others = (await listRooms(ctx.db, { includeInactive: true })).filter((r) => r.id !== v.room?.id);
  res.status(status).render('admin/rooms-form', {
    title: req.t(v.room ? 'rooms.edit.title' : 'rooms.new.title', { name: v.room?.name ?? '' }),
    room: v.room,
    values: v.values,
    errors: v.errors,
    equipmentKeys: EQUIPMENT,
    partOptions: others.map((r) => ({ id: String(r.id), name: r.name, active: r.active === 1 })),
    upcoming: v.room ? await upcomingCount(ctx.db, v.room.id, ctx.clock().getTime()) : 0,
    clashes: (v.clashes ?? []).slice(0, 50).map((c) => {
      const a = clashView(c.booking, req.house.zone, req.lang, req.t);
      const b = clashView(c.other, req.house.zone, req.lang, req.t);
      return { first: a, second: b };
    }),
  });
}

function parseId(v: string): number {
  if (!/^\d{1,9}$/.test(v)) throw new NotFoundError();
  return Number(v);
}

export function roomAdminRoutes(ctx: AppContext): Router {
  const r = Router();

  r.get('/rooms', async (req, res) => {
    const rooms = await listRooms(ctx.db, { includeInactive: true });
    const links = await listPartLinks(ctx.db);
    const byId = new Map(rooms.map((x) => [x.id, x]));
    res.render('admin/rooms-list', {
      title: req.t('rooms.list.title'),
      flash: takeFlash(req),
      rooms: rooms.map((x) => ({
        id: x.id, name: x.name, slug: x.slug, capacity: x.capacity, active: x.active === 1, publicBookable: x.public_bookable === 1,
        buffers: req.t('rooms.list.buffers', { before: x.buffer_before_min, after: x.buffer_after_min }),
        parts: links.filter((l) => l.wholeId === x.id).map((l) => byId.get(l.partId)?.name ?? '').join(', '),
      })),
    });
  });

  r.get('/rooms/new', async (req, res) => {
    await renderForm(ctx, req, res, 200, {
      room: null, errors: {},
      values: { name: '', slug: '', description: '', capacity: '', size_m2: '', equipment: [], accessible: '', accessibility_notes: '',
        floor: '', buffer_before_min: '0', buffer_after_min: '0', public_bookable: '1', sort_order: '0', parts: [] },
    });
  });

  async function save(req: Request, res: Response, room: Room | null) {
    const values = formValues(req.body ?? {});
    const parsed = roomSchema.safeParse(values);
    if (!parsed.success) return renderForm(ctx, req, res, 400, { room, values, errors: fieldErrors(req, parsed.error.issues) });
    const result = await saveRoom(ctx.db, room?.id ?? null, parsed.data, { userId: req.user!.id, now: ctx.clock().getTime() });
    if (!result.ok) {
      return renderForm(ctx, req, res, result.status, {
        room, values, errors: { [result.failure.field]: req.t(result.failure.key, result.failure.params) }, clashes: result.clashes,
      });
    }
    setFlash(req, room ? 'rooms.saved' : 'rooms.created');
    res.redirect(303, '/admin/rooms');
  }

  r.post('/rooms', (req, res) => save(req, res, null));

  r.get('/rooms/:id/edit', async (req, res) => {
    const room = await findRoomById(ctx.db, parseId(req.params.id));
    if (!room) throw new NotFoundError();
    const parts = (await listPartLinks(ctx.db)).filter((l) => l.wholeId === room.id).map((l) => l.partId);
    await renderForm(ctx, req, res, 200, { room, values: valuesOf(room, parts), errors: {} });
  });

  r.post('/rooms/:id', async (req, res) => {
    const room = await findRoomById(ctx.db, parseId(req.params.id));
    if (!room) throw new NotFoundError();
    await save(req, res, room);
  });

  /** The confirmation step: the room's upcoming dates, a tick to cancel them and the message to the groups. */
  async function renderDeactivate(req: Request, res: Response, room: Room, bookings: UpcomingBooking[], form: { message: string; error: string; posted: boolean }) {
    const templates = await listTemplates(ctx.db, 'cancel');
    res.status(409).render('admin/rooms-deactivate', {
      title: req.t('rooms.deactivate.title', { name: room.name }),
      room,
      bookings: bookings.map((b) => ({
        id: b.bookingId, href: `/admin/requests/${b.requestId}`,
        text: req.t('staff.clash.booking', { reference: b.reference, title: b.title, when: formatRange(b.start, b.end, req.house.zone, req.lang, req.t), room: room.name }),
        status: req.t(`bookingStatus.${b.status}`),
      })),
      // The template only fills the box on the first display: a box the caretaker emptied stays empty.
      message: form.posted ? form.message : form.message || templates[0]?.body || '',
      error: form.error,
    });
  }

  r.post('/rooms/:id/deactivate', async (req, res) => {
    const room = await findRoomById(ctx.db, parseId(req.params.id));
    if (!room) throw new NotFoundError();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const confirmed = body.confirm_cancel === '1';
    const message = typeof body.message === 'string' ? body.message.trim() : '';
    const asked = body.step === 'confirm';
    if (message.length > 2000) {
      const bookings = await upcomingBookings(ctx.db, room.id, ctx.clock().getTime());
      return renderDeactivate(req, res, room, bookings, { message, error: req.t('staff.error.messageTooLong'), posted: asked });
    }
    const ids = confirmed ? asList(body.cancel).filter((x) => /^\d{1,12}$/.test(x)).map(Number) : [];
    const result = await setRoomActive(ctx.db, { baseUrl: ctx.config.baseUrl, clock: ctx.clock }, room.id, false, {
      userId: req.user!.id, now: ctx.clock().getTime(), cancelBookingIds: ids, message,
    });
    if (!result.ok) {
      // Asked from the confirmation page without the tick (or with new dates since): say so next to the tick.
      return renderDeactivate(req, res, room, result.bookings, {
        message, error: asked ? req.t(result.bookings.length === 1 ? 'rooms.deactivate.confirmNeededOne' : 'rooms.deactivate.confirmNeeded', { count: result.bookings.length }) : '', posted: asked,
      });
    }
    setFlash(req, result.cancelled.length ? 'rooms.deactivatedCancelled' : 'rooms.deactivated');
    res.redirect(303, '/admin/rooms');
  });

  r.post('/rooms/:id/reactivate', async (req, res) => {
    await setRoomActive(ctx.db, { baseUrl: ctx.config.baseUrl, clock: ctx.clock }, parseId(req.params.id), true, { userId: req.user!.id, now: ctx.clock().getTime() });
    setFlash(req, 'rooms.reactivated');
    res.redirect(303, '/admin/rooms');
  });

  return r;
}

