// GET /api/v1/programme: the coming public events as JSON. Mounted by the API router (src/api/routes.ts), so it
// shares the API's door (documented paths and parameters, 405 with Allow), CORS and JSON errors.
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { isoWithOffset } from '../time/index.js';
import { upcomingEvents } from './routes.js';

export function programmeApiRoutes(ctx: AppContext): Router {
  const r = Router();
  const baseUrl = ctx.config.baseUrl.replace(/\/$/, '');

  r.get('/api/v1/programme', async (req, res) => {
    const events = await upcomingEvents(ctx, req);
    const zone = req.house.zone;
    res.set('Cache-Control', 'no-cache');
    res.json({
      events: events.map((e) => ({
        id: e.id,
        date: e.localDate,
        start: isoWithOffset(e.start, zone),
        end: isoWithOffset(e.end, zone),
        room: { slug: e.roomSlug, name: e.roomName },
        title: e.title,
        description: e.description,
        kind: e.category,
        language: e.language,
        url: `${baseUrl}/programme/${e.id}`,
      })),
    });
  });

  return r;
}
