// Adding, describing, ordering and removing pictures, each change in one write transaction with its audit entry.
// The upload is checked and re-encoded (images.ts) before the transaction: no image work while the database is locked.
import type { DB } from '../db/database.js';
import type { MediaKind } from '../db/schema.js';
import { audit } from '../audit/log.js';
import { processImage, type ImageRefusal } from './images.js';
import { countRoomPhotos, deleteMedia, findMedia, insertMedia, listRoomPhotos, setMediaPosition, updateMediaAlt, type MediaItem } from './repository.js';

/** Alt texts are short descriptions, not captions. */
export const ALT_MAX = 300;
/** Photos a room may have (the page stays light, the database small). */
export const MAX_ROOM_PHOTOS = 12;

/** Why an upload was refused: the rest of the form's values are kept by the caller. */
export type UploadProblem = ImageRefusal | 'missing' | 'too_large' | 'too_many_files' | 'bad_form' | 'too_many_photos';
export type AltProblem = 'required' | 'too_long';

/** The alt text in the house language (field alt_de); the other languages are translations (src/house-texts). */
export interface AltInput {
  altDe: string;
}

export interface Refusal {
  file?: UploadProblem;
  alt_de?: AltProblem;
}

export type ChangeResult = { ok: true; id: number } | { ok: false; refusal: Refusal };

interface Actor {
  userId: number;
  now: number;
}

/**
 * The alt text's rule: the house language's text is required (a picture nobody can describe to a blind visitor is
 * not shown) and short; its translations are checked by the translation form (src/house-texts).
 */
export function altRefusal(alt: AltInput, needed = true): Refusal {
  if (alt.altDe.length > ALT_MAX) return { alt_de: 'too_long' };
  if (needed && !alt.altDe) return { alt_de: 'required' };
  return {};
}

const empty = (r: Refusal) => Object.keys(r).length === 0;

/**
 * Adds a picture: a room's next photo, or the house's floor plan or logo (replacing the one before). `upload` is
 * the uploaded bytes (undefined: none sent), `uploadProblem` what the multipart parser refused, if anything.
 */
export async function addPicture(
  db: DB,
  target: { kind: MediaKind; roomId: number | null },
  upload: { bytes?: Buffer; problem?: UploadProblem },
  alt: AltInput,
  actor: Actor,
): Promise<ChangeResult> {
  // The logo's text is always the house name (it stands for it); the others need the admin's description.
  const refusal = altRefusal(alt, target.kind !== 'logo');
  if (upload.problem) refusal.file = upload.problem;
  else if (!upload.bytes || upload.bytes.length === 0) refusal.file = 'missing';
  if (target.roomId !== null && !refusal.file && (await countRoomPhotos(db, target.roomId)) >= MAX_ROOM_PHOTOS) refusal.file = 'too_many_photos';
  if (!empty(refusal) || !upload.bytes) return { ok: false, refusal };
  const processed = await processImage(upload.bytes, target.kind);
  if (!processed.ok) return { ok: false, refusal: { file: processed.code } };
  const { width, height, variants } = processed.image;
  return db.transaction().execute(async (trx): Promise<ChangeResult> => {
    if (target.kind !== 'room_photo') {
      const old = await trx.selectFrom('media').select('id').where('kind', '=', target.kind).execute();
      for (const o of old) await deleteMedia(trx, o.id);
    }
    const id = await insertMedia(trx, { ...target, ...alt, width, height, now: actor.now }, variants);
    await audit(trx, {
      at: actor.now,
      userId: actor.userId,
      actor: 'user',
      action: 'media.uploaded',
      entity: target.roomId === null ? 'settings' : 'room',
      entityId: target.roomId,
      details: { media: id, kind: target.kind, width, height },
    });
    return { ok: true, id };
  });
}

/** The picture `id` if it is of this kind (and this room's, for a photo); undefined otherwise. */
export async function pictureOf(db: DB, id: number, kind: MediaKind, roomId: number | null): Promise<MediaItem | undefined> {
  const m = await findMedia(db, id);
  return m && m.kind === kind && m.roomId === roomId ? m : undefined;
}

export async function removePicture(db: DB, m: MediaItem, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await deleteMedia(trx, m.id);
    await audit(trx, {
      at: actor.now,
      userId: actor.userId,
      actor: 'user',
      action: 'media.removed',
      entity: m.roomId === null ? 'settings' : 'room',
      entityId: m.roomId,
      details: { media: m.id, kind: m.kind },
    });
  });
}

export async function describePicture(db: DB, m: MediaItem, alt: AltInput, actor: Actor): Promise<ChangeResult> {
  const refusal = altRefusal(alt);
  if (!empty(refusal)) return { ok: false, refusal };
  await db.transaction().execute(async (trx) => {
    await updateMediaAlt(trx, m.id, alt.altDe);
    await audit(trx, {
      at: actor.now,
      userId: actor.userId,
      actor: 'user',
      action: 'media.described',
      entity: m.roomId === null ? 'settings' : 'room',
      entityId: m.roomId,
      details: { media: m.id, alt_de: { from: m.altDe, to: alt.altDe } },
    });
  });
  return { ok: true, id: m.id };
}

/** Moves a room's photo one place up (earlier) or down; the first photo is the room's thumbnail. */
export async function movePhoto(db: DB, roomId: number, id: number, direction: 'up' | 'down', actor: Actor): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const list = await listRoomPhotos(trx, roomId);
    const i = list.findIndex((m) => m.id === id);
    const j = direction === 'up' ? i - 1 : i + 1;
    if (i < 0 || j < 0 || j >= list.length) return false;
    [list[i], list[j]] = [list[j]!, list[i]!];
    for (const [pos, m] of list.entries()) if (m.position !== pos) await setMediaPosition(trx, m.id, pos);
    await audit(trx, {
      at: actor.now,
      userId: actor.userId,
      actor: 'user',
      action: 'media.reordered',
      entity: 'room',
      entityId: roomId,
      details: { media: id, order: list.map((m) => m.id) },
    });
    return true;
  });
}
