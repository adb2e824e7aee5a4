// Serving pictures at fixed URLs (/media/<id>-<size>.<format>): the id and size are looked up in the database,
// nothing comes from a path someone chose. The bytes are always our own encoding, sent with our type, nosniff and
// a year-long immutable cache (a changed picture has a new id, so a new URL). Also puts the pictures public pages
// show (logo, favicon, floor plan, room photos) into res.locals for the templates.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { findVariant, mediaIndex } from './repository.js';
import { logoView, pictureView } from './view.js';
import { houseTextsFor } from '../house-texts/service.js';

const FILE = /^(\d{1,12})-(320|800|1600|logo|icon)\.(webp|png)$/;
const TYPES = { webp: 'image/webp', png: 'image/png' } as const;

export function mediaRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/media/:file', async (req, res, next) => {
    const m = FILE.exec(req.params.file);
    if (!m) return next();
    const variant = await findVariant(ctx.db, Number(m[1]), m[2]!);
    if (!variant || variant.format !== m[3]) return next();
    const etag = `"${variant.etag}"`;
    res.set({
      'Content-Type': TYPES[variant.format],
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'public, max-age=31536000, immutable',
      ETag: etag,
      // Shown inline as a picture, never as a page, and saved under our name, never the uploader's.
      'Content-Disposition': `inline; filename="${m[1]}-${m[2]}.${m[3]}"`,
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
    if (req.fresh) return res.status(304).end();
    res.send(variant.bytes);
  });
  return r;
}

/** res.locals.media: the pictures of the header and the public pages, in the page's language. */
export function mediaLocals(ctx: AppContext) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') return next();
    const [index, texts] = await Promise.all([mediaIndex(ctx), houseTextsFor(ctx, req.lang)]);
    res.locals.media = {
      logo: index.logo ? logoView(index.logo) : null,
      floorPlan: index.floorPlan ? pictureView(index.floorPlan, texts, 1600) : null,
      roomPhotos: (slug: string) => (index.photosBySlug.get(slug) ?? []).map((m) => pictureView(m, texts)),
    };
    next();
  };
}
