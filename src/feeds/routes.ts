// Calendar feeds (iCalendar): per room (public), for the caretakers (secret token), per request (manage link);
// and /admin/feed, where a staff user creates or revokes their secret feed address.
import { createHash, randomBytes } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireRole } from '../auth/guard.js';
import { unknownLink } from '../web/limits.js';
import { NotFoundError } from '../web/errors.js';
import { setNotice, takeNotice } from '../web/forms.js';
import { translator } from '../i18n/index.js';
import { hashToken } from '../bookings/reference.js';
import { relatedRooms } from '../rooms/graph.js';
import { findRoomBySlug, roomGraph } from '../rooms/repository.js';
import { addDays, addMonths, dayStart, todayIn } from '../time/index.js';
import type { Language } from '../db/schema.js';
import type { House } from '../settings/repository.js';
import { serializeCalendar, type IcalCalendar } from './ical.js';
import { createFeedToken, revokeFeedToken } from './service.js';
import { publicRoomCalendar, requestCalendar, staffCalendar, uidHost, type FeedContext } from './build.js';
import { findRequestByTokenHash, findUserByFeedTokenHash, listBlocks, listPublicBookings, listRequestBookings, listStaffBookings } from './repository.js';

/** How far back the room and caretaker feeds reach; forward they reach the booking horizon. */
export const FEED_MONTHS_BACK = 3;

const tokenSchema = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/);

/** [from, to) of the room and caretaker feeds: a few months back up to the horizon. */
export function feedWindow(ctx: AppContext, house: House): { from: number; to: number } {
  const today = todayIn(ctx.clock, house.zone);
  return {
    from: dayStart(addMonths(today, -FEED_MONTHS_BACK), house.zone),
    to: dayStart(addDays(addMonths(today, house.horizonMonths), 1), house.zone),
  };
}

/**
 * Sends a calendar with a strong ETag (hash of the body): a client polling with If-None-Match gets a
 * bodiless 304 while nothing changed.
 */
export function sendCalendar(req: Request, res: Response, cal: IcalCalendar, o: { filename: string; private: boolean; download?: boolean }) {
  const body = Buffer.from(serializeCalendar(cal), 'utf8');
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
  res.set('ETag', etag);
  // A private feed holds personal data: never stored by a cache; an unchanged poll still gets its 304.
  res.set('Cache-Control', o.private ? 'private, no-store' : 'public, max-age=300, must-revalidate');
  if (o.private) res.set('X-Robots-Tag', 'noindex');
  const inm = req.get('if-none-match');
  if (
    inm &&
    inm
      .split(',')
      .map((s) => s.trim().replace(/^W\//, ''))
      .includes(etag)
  ) {
    res.status(304).end();
    return;
  }
  res.set('Content-Type', 'text/calendar; charset=utf-8');
  res.set('Content-Disposition', `${o.download ? 'attachment' : 'inline'}; filename="${o.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
  res.status(200).send(body);
}

async function feedContext(ctx: AppContext, house: House, lang: Language): Promise<FeedContext> {
  const graph = await roomGraph(ctx);
  return { host: uidHost(ctx.config.baseUrl), house, t: translator(lang), rooms: graph.rooms };
}

export function feedRoutes(ctx: AppContext): Router {
  const r = Router();

  // Public: approved bookings ("belegt" or the public title) and blocked times ("geschlossen") of one room,
  // including its parts and the wholes it belongs to. No personal data is selected at all.
  r.get('/rooms/:slug/calendar.ics', async (req, res) => {
    const room = await findRoomBySlug(ctx.db, req.params.slug);
    if (!room || room.active !== 1) throw new NotFoundError();
    const house = req.house;
    const graph = await roomGraph(ctx);
    const related = [...relatedRooms(room.id, graph.links)];
    const { from, to } = feedWindow(ctx, house);
    const [bookings, blocks] = await Promise.all([listPublicBookings(ctx.db, related, from, to), listBlocks(ctx.db, from, to, related)]);
    const fc: FeedContext = { host: uidHost(ctx.config.baseUrl), house, t: translator(house.defaultLanguage), rooms: graph.rooms };
    sendCalendar(req, res, publicRoomCalendar(fc, room, bookings, blocks), { filename: `${room.slug}.ics`, private: false });
  });

  // Caretakers: everything with details, behind the user's secret token; a wrong or revoked token is a 404.
  r.get('/admin/calendar.ics', async (req, res) => {
    const token = tokenSchema.safeParse(req.query.token);
    if (!token.success) throw new NotFoundError();
    const user = await findUserByFeedTokenHash(ctx.db, hashToken(token.data));
    if (!user) throw new NotFoundError();
    const house = req.house;
    const { from, to } = feedWindow(ctx, house);
    const [bookings, blocks] = await Promise.all([listStaffBookings(ctx.db, from, to), listBlocks(ctx.db, from, to)]);
    const fc = await feedContext(ctx, house, user.language);
    sendCalendar(req, res, staffCalendar(fc, bookings, blocks), { filename: 'raumbuch.ics', private: true });
  });

  // One request, every date, for the group (the manage-link token is the key).
  r.get('/requests/:token/calendar.ics', async (req, res) => {
    // An unknown link counts against the address like on the manage page (then 429 with the time).
    const token = tokenSchema.safeParse(req.params.token);
    const request = token.success ? await findRequestByTokenHash(ctx.db, hashToken(token.data)) : undefined;
    if (!request || request.anonymized_at !== null) throw await unknownLink(ctx.db, req, res, ctx.clock().getTime());
    const bookings = await listRequestBookings(ctx.db, request.id);
    const fc = await feedContext(ctx, req.house, request.language);
    sendCalendar(req, res, requestCalendar(fc, request, bookings), { filename: `${request.reference}.ics`, private: true, download: true });
  });

  r.use('/admin/feed', requireRole('caretaker', 'admin'));

  r.get('/admin/feed', async (req, res) => {
    res.render('admin/feed', feedPage(req, { active: Boolean(req.user!.feed_token_hash), notice: takeNotice(req) }));
  });

  // Creates (or replaces) the secret address; it is shown in this one response and never again.
  r.post('/admin/feed', async (req, res) => {
    const token = randomBytes(32).toString('base64url');
    const now = ctx.clock().getTime();
    const replaced = Boolean(req.user!.feed_token_hash);
    await createFeedToken(ctx.db, req.user!.id, hashToken(token), replaced, now);
    res.set('Cache-Control', 'no-store');
    res.render('admin/feed', feedPage(req, { active: true, url: `${ctx.config.baseUrl}/admin/calendar.ics?token=${token}` }));
  });

  r.post('/admin/feed/revoke', async (req, res) => {
    const now = ctx.clock().getTime();
    await revokeFeedToken(ctx.db, req.user!.id, now);
    setNotice(req, 'feed.page.revoked');
    res.redirect(303, '/admin/feed');
  });

  return r;
}

function feedPage(req: Request, v: { active: boolean; url?: string; notice?: string }) {
  return { title: req.t('feed.page.title'), active: v.active, url: v.url ?? null, notice: v.notice ?? '' };
}
