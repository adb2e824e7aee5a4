// The staff pages for pictures: a room's photos (/admin/rooms/:id/photos: caretaker and admin) and the house's
// logo and floor plan (/admin/settings/images: admin only). Uploads arrive parsed by upload.ts; a refused upload
// or alt text comes back on its form, next to its field, with the typed alt texts kept.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import type { MediaKind, Room } from '../db/schema.js';
import type { MessageKey, Translate } from '../i18n/index.js';
import { requireRole } from '../auth/guard.js';
import { findRoomById } from '../rooms/repository.js';
import { NotFoundError } from '../web/errors.js';
import { formBody, idParam, setNotice, takeNotice, textOf } from '../web/forms.js';
import { MAX_INPUT_PIXELS, MAX_UPLOAD_BYTES, PHOTO_WIDTHS } from './images.js';
import { houseImages, listRoomPhotos } from './repository.js';
import {
  addPicture,
  ALT_MAX,
  describePicture,
  MAX_ROOM_PHOTOS,
  movePhoto,
  pictureOf,
  removePicture,
  type AltProblem,
  type Refusal,
  type UploadProblem,
} from './service.js';
import { logoView, pictureView } from './view.js';
import { languageNameIn } from '../house-texts/view.js';

const FILE_TEXTS: Record<UploadProblem, MessageKey> = {
  missing: 'media.error.missing',
  type: 'media.error.type',
  decode: 'media.error.decode',
  dimensions: 'media.error.dimensions',
  too_large: 'media.error.tooLarge',
  too_many_files: 'media.error.oneFile',
  bad_form: 'media.error.badForm',
  too_many_photos: 'media.error.tooManyPhotos',
};
const ALT_TEXTS: Record<AltProblem, MessageKey> = { required: 'media.error.altRequired', too_long: 'media.error.altTooLong' };

/** The limits as people read them (also on the forms). */
export const LIMIT_PARAMS = {
  maxMb: MAX_UPLOAD_BYTES / 1024 / 1024,
  maxMegapixels: MAX_INPUT_PIXELS / 1_000_000,
  maxPhotos: MAX_ROOM_PHOTOS,
  altMax: ALT_MAX,
  widths: PHOTO_WIDTHS.join(', '),
};

function errorsOf(r: Refusal, t: Translate): Record<string, string> {
  const out: Record<string, string> = {};
  if (r.file) out.file = t(FILE_TEXTS[r.file], LIMIT_PARAMS);
  if (r.alt_de) out.alt_de = t(ALT_TEXTS[r.alt_de], LIMIT_PARAMS);
  return out;
}

const statusOf = (r: Refusal) => (r.file === 'too_large' ? 413 : 400);

function altInput(req: Request) {
  const body = formBody(req);
  return { altDe: textOf(body.alt_de).trim() };
}

/** One form's state on a re-rendered page: which form (upload, or the alt texts of a picture), its values and errors. */
interface FormState {
  form: 'upload' | number;
  values: Record<string, string>;
  errors: Record<string, string>;
  /** A good file sent with a refused alt text: browsers never fill a file field again, so say to choose it again. */
  reselect?: boolean;
}

export function mediaStaffRoutes(ctx: AppContext): Router {
  const r = Router();
  const actor = (req: Request) => ({ userId: req.user!.id, now: ctx.clock().getTime() });

  async function roomOf(id: unknown): Promise<Room> {
    const room = await findRoomById(ctx.db, idParam(id));
    if (!room) throw new NotFoundError();
    return room;
  }

  async function renderRoom(req: Request, res: Response, room: Room, status: number, state?: FormState) {
    const photos = await listRoomPhotos(ctx.db, room.id);
    res.status(status).render('admin/room-photos', {
      title: req.t('media.room.title', { name: room.name }),
      flash: takeNotice(req),
      room,
      photos: photos.map((m) => pictureView(m, req.houseTexts)),
      state: state ?? { form: 'upload', values: {}, errors: {} },
      limits: LIMIT_PARAMS,
      houseLanguage: req.house.defaultLanguage,
      houseLanguageName: languageNameIn(req.house.defaultLanguage, req.lang),
    });
  }

  r.get('/rooms/:id/photos', async (req, res) => renderRoom(req, res, await roomOf(req.params.id), 200));

  r.post('/rooms/:id/photos', async (req, res) => {
    const room = await roomOf(req.params.id);
    const alt = altInput(req);
    const result = await addPicture(ctx.db, { kind: 'room_photo', roomId: room.id }, { bytes: req.file?.buffer, problem: req.uploadProblem }, alt, actor(req));
    if (!result.ok) {
      return renderRoom(req, res, room, statusOf(result.refusal), {
        form: 'upload',
        values: { alt_de: alt.altDe },
        errors: errorsOf(result.refusal, req.t),
        reselect: Boolean(req.file) && !result.refusal.file,
      });
    }
    setNotice(req, 'media.added');
    res.redirect(303, `/admin/rooms/${room.id}/photos`);
  });

  async function photoOf(room: Room, id: unknown) {
    const m = await pictureOf(ctx.db, idParam(id), 'room_photo', room.id);
    if (!m) throw new NotFoundError();
    return m;
  }

  r.post('/rooms/:id/photos/:photo/alt', async (req, res) => {
    const room = await roomOf(req.params.id);
    const m = await photoOf(room, req.params.photo);
    const alt = altInput(req);
    const result = await describePicture(ctx.db, m, alt, actor(req));
    if (!result.ok) {
      return renderRoom(req, res, room, 400, { form: m.id, values: { alt_de: alt.altDe }, errors: errorsOf(result.refusal, req.t) });
    }
    setNotice(req, 'media.described');
    res.redirect(303, `/admin/rooms/${room.id}/photos`);
  });

  r.post('/rooms/:id/photos/:photo/move', async (req, res) => {
    const room = await roomOf(req.params.id);
    const m = await photoOf(room, req.params.photo);
    const direction = formBody(req).direction === 'up' ? 'up' : 'down';
    if (await movePhoto(ctx.db, room.id, m.id, direction, actor(req))) setNotice(req, 'media.moved');
    res.redirect(303, `/admin/rooms/${room.id}/photos`);
  });

  r.post('/rooms/:id/photos/:photo/delete', async (req, res) => {
    const room = await roomOf(req.params.id);
    const m = await photoOf(room, req.params.photo);
    await removePicture(ctx.db, m, actor(req));
    setNotice(req, 'media.removed');
    res.redirect(303, `/admin/rooms/${room.id}/photos`);
  });

  // The house's logo and floor plan: admin only, like the rest of the settings.
  r.use('/settings/images', requireRole('admin'));

  async function renderHouse(req: Request, res: Response, status: number, state?: FormState & { kind?: MediaKind }) {
    const { logo, floorPlan } = await houseImages(ctx.db);
    res.status(status).render('admin/settings-images', {
      title: req.t('media.house.title'),
      flash: takeNotice(req),
      logo: logo ? logoView(logo) : null,
      floorPlan: floorPlan ? pictureView(floorPlan, req.houseTexts) : null,
      state: state ?? { form: 'upload', values: {}, errors: {} },
      limits: LIMIT_PARAMS,
      houseLanguage: req.house.defaultLanguage,
      houseLanguageName: languageNameIn(req.house.defaultLanguage, req.lang),
    });
  }

  r.get('/settings/images', (req, res) => renderHouse(req, res, 200));

  for (const [path, kind] of [
    ['logo', 'logo'],
    ['floor-plan', 'floor_plan'],
  ] as const) {
    r.post(`/settings/images/${path}`, async (req, res) => {
      const alt = kind === 'logo' ? { altDe: '' } : altInput(req);
      const result = await addPicture(ctx.db, { kind, roomId: null }, { bytes: req.file?.buffer, problem: req.uploadProblem }, alt, actor(req));
      if (!result.ok) {
        return renderHouse(req, res, statusOf(result.refusal), {
          kind,
          form: 'upload',
          values: { alt_de: alt.altDe },
          errors: errorsOf(result.refusal, req.t),
          reselect: Boolean(req.file) && !result.refusal.file,
        });
      }
      setNotice(req, 'media.added');
      res.redirect(303, '/admin/settings/images');
    });

    r.post(`/settings/images/${path}/delete`, async (req, res) => {
      const { logo, floorPlan } = await houseImages(ctx.db);
      const m = kind === 'logo' ? logo : floorPlan;
      if (m) {
        await removePicture(ctx.db, m, actor(req));
        setNotice(req, 'media.removed');
      }
      res.redirect(303, '/admin/settings/images');
    });
  }

  r.post('/settings/images/floor-plan/alt', async (req, res) => {
    const { floorPlan } = await houseImages(ctx.db);
    if (!floorPlan) throw new NotFoundError();
    const alt = altInput(req);
    const result = await describePicture(ctx.db, floorPlan, alt, actor(req));
    if (!result.ok) {
      return renderHouse(req, res, 400, {
        kind: 'floor_plan',
        form: floorPlan.id,
        values: { alt_de: alt.altDe },
        errors: errorsOf(result.refusal, req.t),
      });
    }
    setNotice(req, 'media.described');
    res.redirect(303, '/admin/settings/images');
  });

  return r;
}
