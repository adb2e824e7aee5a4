// Rooms under /admin/rooms: create, edit, parts, deactivate/reactivate (caretaker and admin; PRODUCT.md
// gives "keep rooms and rules current" to the caretaker). Rooms with bookings are never deleted.
import type { BookingDeps } from '../bookings/events.js';
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import type { Room } from '../db/schema.js';
import { EQUIPMENT } from '../constants.js';
import { listTemplates } from '../message-templates/repository.js';
import { formatWhen } from '../time/format.js';
import { NotFoundError } from '../web/errors.js';
import { asList, fieldErrors, formBody, idParam, MESSAGE_MAX, setNotice, takeNotice } from '../web/forms.js';
import { findRoomById, listPartLinks, listRooms, upcomingBookings, upcomingCount, type UpcomingBooking } from '../rooms/repository.js';
import { formValues, newRoomValues, roomSchema } from './schema.js';
import { saveRoom, setRoomActive, type RoomClash } from './service.js';
import { clashesView, refusalView, roomFormValues, roomListView } from './view.js';

interface FormView {
  room: Room | null;
  values: Record<string, unknown>;
  errors: Record<string, string>;
  clashes?: RoomClash[];
}

export function roomAdminRoutes(ctx: AppContext): Router {
  const r = Router();
  const deps: BookingDeps = { clock: ctx.clock, notify: ctx.notify };

  async function renderForm(req: Request, res: Response, status: number, v: FormView) {
    const others = (await listRooms(ctx.db, { includeInactive: true })).filter((x) => x.id !== v.room?.id);
    res.status(status).render('admin/rooms-form', {
      title: req.t(v.room ? 'rooms.edit.title' : 'rooms.new.title', { name: v.room?.name ?? '' }),
      room: v.room,
      values: v.values,
      errors: v.errors,
      equipmentKeys: EQUIPMENT,
      partOptions: others.map((x) => ({ id: String(x.id), name: x.name, active: x.active === 1 })),
      upcoming: v.room ? await upcomingCount(ctx.db, v.room.id, ctx.clock().getTime()) : 0,
      clashes: clashesView(v.clashes ?? [], req.house.zone, req.lang, req.t),
    });
  }

  async function roomOf(id: unknown): Promise<Room> {
    const room = await findRoomById(ctx.db, idParam(id));
    if (!room) throw new NotFoundError();
    return room;
  }

  r.get('/rooms', async (req, res) => {
    const rooms = await listRooms(ctx.db, { includeInactive: true });
    res.render('admin/rooms-list', {
      title: req.t('rooms.list.title'),
      flash: takeNotice(req),
      rooms: roomListView(rooms, await listPartLinks(ctx.db), req.t),
    });
  });

  r.get('/rooms/new', async (req, res) => {
    await renderForm(req, res, 200, { room: null, errors: {}, values: newRoomValues() });
  });

  async function save(req: Request, res: Response, room: Room | null) {
    const values = formValues(formBody(req));
    const parsed = roomSchema.safeParse(values);
    if (!parsed.success) return renderForm(req, res, 400, { room, values, errors: fieldErrors(parsed.error, req.t) });
    const result = await saveRoom(ctx.db, room?.id ?? null, parsed.data, { userId: req.user!.id, now: ctx.clock().getTime() });
    if (!result.ok) {
      const { status, errors } = refusalView(result, req.t);
      return renderForm(req, res, status, { room, values, errors, clashes: result.clashes });
    }
    setNotice(req, room ? 'rooms.saved' : 'rooms.created');
    res.redirect(303, '/admin/rooms');
  }

  r.post('/rooms', (req, res) => save(req, res, null));

  r.get('/rooms/:id/edit', async (req, res) => {
    const room = await roomOf(req.params.id);
    const parts = (await listPartLinks(ctx.db)).filter((l) => l.wholeId === room.id).map((l) => l.partId);
    await renderForm(req, res, 200, { room, values: roomFormValues(room, parts), errors: {} });
  });

  r.post('/rooms/:id', async (req, res) => {
    await save(req, res, await roomOf(req.params.id));
  });

  /** The confirmation step: the room's upcoming dates, a tick to cancel them and the message to the groups. */
  async function renderDeactivate(
    req: Request,
    res: Response,
    room: Room,
    bookings: UpcomingBooking[],
    form: { message: string; error: string; posted: boolean },
  ) {
    const templates = await listTemplates(ctx.db, 'cancel');
    res.status(409).render('admin/rooms-deactivate', {
      title: req.t('rooms.deactivate.title', { name: room.name }),
      room,
      bookings: bookings.map((b) => ({
        id: b.bookingId,
        href: `/admin/requests/${b.requestId}`,
        text: req.t('staff.clash.booking', {
          reference: b.reference,
          title: b.title,
          when: formatWhen(b.start, b.end, req.house.zone, req.lang, req.t),
          room: room.name,
        }),
        status: req.t(`bookingStatus.${b.status}`),
      })),
      // The template only fills the box on the first display: a box the caretaker emptied stays empty.
      message: form.posted ? form.message : form.message || templates[0]?.body || '',
      error: form.error,
    });
  }

  r.post('/rooms/:id/deactivate', async (req, res) => {
    const room = await roomOf(req.params.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const confirmed = body.confirm_cancel === '1';
    const message = typeof body.message === 'string' ? body.message.trim() : '';
    const asked = body.step === 'confirm';
    if (message.length > MESSAGE_MAX) {
      const bookings = await upcomingBookings(ctx.db, room.id, ctx.clock().getTime());
      return renderDeactivate(req, res, room, bookings, { message, error: req.t('staff.error.messageTooLong'), posted: asked });
    }
    const ids = confirmed
      ? asList(body.cancel)
          .filter((x) => /^\d{1,12}$/.test(x))
          .map(Number)
      : [];
    const result = await setRoomActive(ctx.db, deps, room.id, false, {
      userId: req.user!.id,
      now: ctx.clock().getTime(),
      cancelBookingIds: ids,
      message,
    });
    if (!result.ok) {
      // Asked from the confirmation page without the tick (or with new dates since): say so next to the tick.
      return renderDeactivate(req, res, room, result.bookings, {
        message,
        error: asked ? req.t('rooms.deactivate.confirmNeeded', { count: result.bookings.length }) : '',
        posted: asked,
      });
    }
    setNotice(req, result.cancelled.length ? 'rooms.deactivatedCancelled' : 'rooms.deactivated');
    res.redirect(303, '/admin/rooms');
  });

  r.post('/rooms/:id/reactivate', async (req, res) => {
    await setRoomActive(ctx.db, deps, idParam(req.params.id), true, { userId: req.user!.id, now: ctx.clock().getTime() });
    setNotice(req, 'rooms.reactivated');
    res.redirect(303, '/admin/rooms');
  });

  return r;
}
