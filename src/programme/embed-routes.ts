// The embeddable room availability (/embed/rooms/<slug>/availability, issue 15 §2): one room's week as a plain
// agenda for an <iframe> on the websites the house allows (the same setting as /embed/programme; off: 404). It
// lists what the public room page shows (src/calendar/room-routes.ts, loadRoomWeek): free times, "belegt" and a
// public title only where the group or the house made one public; never a name or contact data.
import { Router, type Request } from 'express';
import type { AppContext } from '../context.js';
import { NotFoundError } from '../web/errors.js';
import { loadRoomWeek } from '../calendar/room-routes.js';
import { allowFraming, embedOrigins } from './embed.js';

/** The widget's own address of a week (it stays inside the frame), keeping a language asked for with ?lang=. */
export function roomEmbedHref(slug: string, date: string | null, req: Pick<Request, 'lang' | 'langSource'>): string {
  const q = new URLSearchParams();
  if (date) q.set('date', date);
  if (req.langSource === 'query') q.set('lang', req.lang);
  const qs = q.toString();
  return `/embed/rooms/${encodeURIComponent(slug)}/availability${qs ? `?${qs}` : ''}`;
}

export function embedRoutes(ctx: AppContext): Router {
  const r = Router();
  const baseUrl = ctx.config.baseUrl.replace(/\/$/, '');

  r.get('/embed/rooms/:slug/availability', async (req, res) => {
    const origins = await embedOrigins(ctx.db);
    if (!origins.length) throw new NotFoundError();
    const { room, week, board } = await loadRoomWeek(ctx, req, req.params.slug);
    const roomHref = `${baseUrl}/rooms/${encodeURIComponent(room.slug)}`;
    allowFraming(res, origins);
    res.set('Cache-Control', 'public, max-age=300, must-revalidate');
    res.render('public/embed-room', {
      title: req.t('embedRoom.title', { room: room.name }),
      room: { name: room.name, href: roomHref, bookable: room.public_bookable === 1 },
      week,
      days: board.groups.map((g) => ({ day: g.day, cell: g.cells[0]! })),
      prevHref: roomEmbedHref(room.slug, week.prevDate, req),
      nextHref: roomEmbedHref(room.slug, week.nextDate, req),
      currentHref: week.isCurrent ? null : roomEmbedHref(room.slug, null, req),
      weekHref: `${roomHref}?date=${week.monday}`,
      baseUrl,
    });
  });

  return r;
}
