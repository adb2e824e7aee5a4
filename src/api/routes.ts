// The API's read endpoints under /api/v1: rooms, availability, the programme (src/programme/api-routes.ts) and the
// OpenAPI document. Public data only.
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { roomGraph } from '../rooms/repository.js';
import { relatedRooms } from '../rooms/graph.js';
import { listOccupants } from '../bookings/occupants.js';
import { addDays, daysBetween, daysRange, todayIn } from '../time/index.js';
import { httpErrorOf } from '../web/errors.js';
import { isDomainError } from '../errors.js';
import { availability, MAX_RANGE_DAYS } from '../calendar/availability.js';
import { dateParam, shown, slugParam } from '../calendar/params.js';
import { activeRooms, translatedLabels } from '../calendar/routes.js';
import { houseTextsFor } from '../house-texts/service.js';
import { programmeApiRoutes } from '../programme/api-routes.js';
import { ApiError } from './errors.js';
import { apiRooms } from './rooms.js';
import { openApiDocument } from './openapi.js';

/** Reads one query parameter; a refused value becomes a 400 that names it. */
function param<T>(field: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (!isDomainError(err)) throw err;
    const h = httpErrorOf(err);
    throw new ApiError(h.status, h.code, h.textKey, h.params, field);
  }
}

export function apiRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/api/v1/rooms', async (req, res) => {
    const graph = await roomGraph(ctx);
    res.set('Cache-Control', 'no-cache');
    res.json(apiRooms({ rooms: [...graph.rooms.values()], links: graph.links, t: req.t, baseUrl: ctx.config.baseUrl }));
  });

  router.get('/api/v1/availability', async (req, res) => {
    const today = todayIn(ctx.clock, req.house.zone);
    const from = param('from', () => dateParam(req.query.from, today));
    const to = param('to', () => dateParam(req.query.to, addDays(from, 6)));
    if (to < from || daysBetween(from, to).length > MAX_RANGE_DAYS) {
      throw new ApiError(400, 'bad_request', 'error.badRange', { max: MAX_RANGE_DAYS }, 'to');
    }
    const slug = slugParam(req.query.room);
    const graph = await roomGraph(ctx);
    const active = activeRooms(graph);
    let rooms = active;
    if (slug !== undefined) {
      const room = slug === null ? undefined : active.find((r) => r.slug === slug);
      if (!room) throw new ApiError(404, 'unknown_room', 'error.unknownRoom', { value: shown(req.query.room, 80) }, 'room');
      rooms = [room];
    }
    const range = daysRange(from, to, req.house.zone);
    const related = slug === undefined ? undefined : [...relatedRooms(rooms[0]!.id, graph.links)];
    // The API answers before the pages' house-text middleware: the closures' labels in the asked language here, as on the week page.
    const occupants = translatedLabels(await listOccupants(ctx.db, { from: range.start, to: range.end, roomIds: related }), await houseTextsFor(ctx, req.lang));
    res.set('Cache-Control', 'no-cache');
    res.json(availability({ from, to, zone: req.house.zone, t: req.t, rooms, links: graph.links, occupants }));
  });

  router.use(programmeApiRoutes(ctx));

  router.get('/api/v1/openapi.json', (_req, res) => {
    res.set('Cache-Control', 'no-cache');
    res.json(openApiDocument());
  });

  return router;
}
