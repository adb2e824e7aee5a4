// Public room pages: the list, one room's details with its week, and its month overview.
import { Router, type Request } from 'express';
import type { AppContext } from '../context.js';
import { listRooms, roomGraph } from '../rooms/repository.js';
import { relatedRooms } from '../rooms/graph.js';
import { monthDays, todayIn } from '../time/index.js';
import { activeRoom, boardOptions, leadHint, loadWindow } from './routes.js';
import { dateParam, monthParam } from './params.js';
import { roomCard, roomDetails } from './rooms.js';
import { roomBoard, weekFrame, weekOf } from './week.js';
import { roomMonth } from './month.js';

/**
 * One room's week on the time axis (the week containing ?date=, else this week): what the room page shows and the
 * embeddable availability (src/programme/embed-routes.ts) lists. Unknown or inactive room: 404.
 */
export async function loadRoomWeek(ctx: AppContext, req: Request, slug: string) {
  const graph = await roomGraph(ctx);
  const room = activeRoom(graph, slug);
  const today = todayIn(ctx.clock, req.house.zone);
  const date = dateParam(req.query.date, today);
  const { monday, sunday } = weekOf(date);
  const { cal, occupants } = await loadWindow(ctx, req, graph, monday, sunday, [...relatedRooms(room.id, graph.links)]);
  const week = weekFrame(cal, date);
  return { graph, room, date, week, board: roomBoard(cal, room, occupants, week.days, boardOptions(req)) };
}

export function roomRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/rooms', async (req, res) => {
    const rooms = await listRooms(ctx.db);
    res.render('public/rooms', { title: req.t('rooms.title'), rooms: rooms.map((r) => roomCard(r, req.t)) });
  });

  router.get('/rooms/:slug', async (req, res) => {
    const { graph, room, date, week, board } = await loadRoomWeek(ctx, req, req.params.slug);
    const details = roomDetails(room, graph.rooms, graph.links, req.t);
    res.render('public/room', {
      title: room.name,
      room: details,
      feedUrl: details.feedUrl,
      week,
      board,
      monthHref: `${details.monthHref}?month=${date.slice(0, 7)}`,
      hint: leadHint(req),
    });
  });

  router.get('/rooms/:slug/month', async (req, res) => {
    const graph = await roomGraph(ctx);
    const room = activeRoom(graph, req.params.slug);
    const today = todayIn(ctx.clock, req.house.zone);
    const month = monthParam(req.query.month, today.slice(0, 7));
    const days = monthDays(month);
    const { cal, occupants } = await loadWindow(ctx, req, graph, days[0]!, days[days.length - 1]!, [...relatedRooms(room.id, graph.links)]);
    const view = roomMonth(cal, room, occupants, month);
    res.render('public/room-month', {
      title: req.t('month.title', { room: room.name }),
      month: view,
      currentMonth: today.slice(0, 7),
      feedUrl: `${view.room.href}/calendar.ics`,
    });
  });

  return router;
}
