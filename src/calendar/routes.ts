// Public routes: the start page, the house week and day. No login, no personal data. (The API is src/api.)
import { Router, type Request } from 'express';
import type { AppContext } from '../context.js';
import type { Room } from '../db/schema.js';
import { loadRoomGraph, roomGraph } from '../rooms/repository.js';
import { listOccupants, type CalendarOccupant } from '../bookings/occupants.js';
import type { HouseTexts } from '../house-texts/service.js';
import { daysRange, todayIn } from '../time/index.js';
import { NotFoundError } from '../web/errors.js';
import { fragmentCache, packFragment, renderFragment, sendAround, type PackedFragment } from '../web/fragment-cache.js';
import { calendarContext, type CalendarContext } from './slots.js';
import { dayBoard, dayFrame, todayInRooms, weekBoard, weekFrame, weekOf } from './week.js';
import type { BoardOptions } from './board.js';
import { openingHoursList, roomCard } from './rooms.js';
import { dateParam, slugParam } from './params.js';

const DAY_MS = 86_400_000;
/** The kept house weeks' size at most (their count is config.weekCacheWeeks): two bytes a character. */
export const WEEK_CACHE_BYTES = 4 * 1024 * 1024;

type RoomGraph = Awaited<ReturnType<typeof loadRoomGraph>>;

/** The active rooms in their order. */
export function activeRooms(graph: RoomGraph): Room[] {
  return [...graph.rooms.values()].filter((r) => r.active === 1);
}

/** An active room by slug, else a 404. */
export function activeRoom(graph: RoomGraph, slug: string): Room {
  const room = activeRooms(graph).find((r) => r.slug === slug);
  if (!room) throw new NotFoundError();
  return room;
}

/** A public closure's label in the page language where the house translated it (src/house-texts), else as written. */
export function translatedLabels(occupants: CalendarOccupant[], texts: Pick<HouseTexts, 'text'>): CalendarOccupant[] {
  return occupants.map((o) => (o.kind === 'block' && o.isPublic && o.label ? { ...o, label: texts.text('block', o.id, 'label').text } : o));
}

/**
 * The occupants of local days [from, to] (plus a day either side, for buffers and night-long bookings)
 * in one query, and the calendar context. `roomIds`: only these rooms (a room and its parts/wholes).
 */
export async function loadWindow(ctx: AppContext, req: Request, graph: RoomGraph, from: string, to: string, roomIds?: number[]) {
  const range = daysRange(from, to, req.house.zone);
  const occupants = translatedLabels(await listOccupants(ctx.db, { from: range.start - DAY_MS, to: range.end + DAY_MS, roomIds }), req.houseTexts);
  const cal: CalendarContext = calendarContext({
    house: req.house,
    now: ctx.clock().getTime(),
    lang: req.lang,
    t: req.t,
    rooms: graph.rooms,
    links: graph.links,
  });
  return { occupants, cal };
}

/** Rooms, their parts and the occupants of local days [from, to] for the whole house. */
export async function loadCalendar(ctx: AppContext, req: Request, from: string, to: string) {
  const graph = await roomGraph(ctx);
  const { occupants, cal } = await loadWindow(ctx, req, graph, from, to);
  return { graph, occupants, cal, active: activeRooms(graph) };
}

/** Whether the house has an online-request window worth explaining (lead time, horizon, phone). */
export function leadHint(req: Request) {
  return { days: req.house.leadTimeDays, months: req.house.horizonMonths, phone: req.house.contactPhone };
}

/** What the time-axis views say in an empty cell: the house phone for short notice, the horizon. */
export function boardOptions(req: Request): BoardOptions {
  return { phone: req.house.contactPhone, horizonMonths: req.house.horizonMonths };
}

export function publicRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const today = todayIn(ctx.clock, req.house.zone);
    const { cal, active, occupants } = await loadCalendar(ctx, req, today, today);
    const h = req.house;
    res.render('public/home', {
      title: h.name,
      today: todayInRooms(cal, active, occupants),
      rooms: active.map((r) => roomCard(r, req.t)),
      opening: openingHoursList(h.openingHours, req.t),
    });
  });

  // The week's content is the same for every visitor of a language (public data only): rendered once per language,
  // date asked for and freshness stamp, so a visitor the page cache cannot serve (a session cookie, ?lang=) gets
  // only the page around it rendered.
  const weeks = fragmentCache(ctx, { maxEntries: ctx.config.weekCacheWeeks, maxBytes: WEEK_CACHE_BYTES });
  router.get('/week', async (req, res) => {
    const today = todayIn(ctx.clock, req.house.zone);
    const date = dateParam(req.query.date, today);
    const title = req.t('week.title');
    const key = `${req.lang}\n${today}\n${date}`;
    let main: PackedFragment | undefined = weeks.get(key);
    if (!main) {
      const stamp = weeks.stamp();
      const { monday, sunday } = weekOf(date);
      const { cal, active, occupants } = await loadCalendar(ctx, req, monday, sunday);
      const week = weekFrame(cal, date);
      main = packFragment(
        await renderFragment(res, 'public/week-main', {
          title,
          week,
          board: weekBoard(cal, active, occupants, week.days, boardOptions(req)),
          hint: leadHint(req),
        }),
      );
      weeks.set(key, stamp, main);
    }
    sendAround(req, res, 'public/week', { title }, 'weekMain', main);
  });

  router.get('/day', async (req, res) => {
    const today = todayIn(ctx.clock, req.house.zone);
    const date = dateParam(req.query.date, today);
    const { cal, active, occupants, graph } = await loadCalendar(ctx, req, date, date);
    // ?room=SLUG: one room's day (a room's agenda, day by day), else every room.
    const room = req.query.room === undefined ? undefined : activeRoom(graph, slugParam(req.query.room) ?? '');
    const frame = dayFrame(cal, date, room);
    res.render('public/day', {
      title: room ? req.t('axis.day.roomTitle', { room: room.name, day: frame.info.label }) : req.t('axis.day.title', { day: frame.info.label }),
      day: frame,
      board: dayBoard(cal, room ? [room] : active, occupants, frame.info, boardOptions(req)),
      hint: leadHint(req),
    });
  });

  return router;
}
