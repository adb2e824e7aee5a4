// The caretaker's calendar pages under /admin (role-guarded by staff/routes.ts): the week with every detail and
// the printable door plan. Thin handlers: parse the date, build the view model, render.
import { Router, type Request } from 'express';
import type { AppContext } from '../context.js';
import { BadRequestError } from '../web/errors.js';
import { addDays, todayIn } from '../time/index.js';
import { weekOf } from './week.js';
import { formatDate } from '../time/format.js';
import { publicAbsenceOver } from '../absence/repository.js';
import { withAbsenceContact } from '../absence/rules.js';
import { listRooms } from '../rooms/repository.js';
import { dateParam } from './params.js';
import { staffWeek } from './staff-week.js';
import { printPlan } from './print.js';
import { fragmentCache, packFragment, pieceStore, renderFragment, sendAround } from '../web/fragment-cache.js';
import { dailyList } from './daily-list.js';

/** The public calendar's parser: a 400 for a date that does not exist or lies outside the calendar's years. */
function dateQuery(req: Request, ctx: AppContext): string {
  return dateParam(req.query.date, todayIn(ctx.clock, req.house.zone));
}

/** Staff weeks kept at most (a busy house's week is ~40 kB of page). */
export const STAFF_WEEK_BYTES = 2 * 1024 * 1024;

export function staffCalendarRoutes(ctx: AppContext): Router {
  const r = Router();
  const now = () => ctx.clock().getTime();
  // The week's grid (the bulk of the page and of its cost) rendered once per week and language and kept under the
  // inbox's rule: until the next commit by any process and at most for the minute of the house clock (today's
  // column moves at midnight). Nothing in it depends on who of the staff is looking. The page around it (navigation,
  // date field) is rendered for every request. STAFF_LIST_CACHE=0 keeps none.
  const keptWeeks = fragmentCache(ctx, { maxEntries: ctx.config.staffListCache, maxBytes: STAFF_WEEK_BYTES });
  const weekPieces = pieceStore(16, 512 * 1024);

  r.get('/calendar', async (req, res) => {
    // Read before the week is loaded: a commit meanwhile makes what is kept stale at once.
    const stamp = keptWeeks.stamp();
    const date = dateQuery(req, ctx);
    const { monday } = weekOf(date);
    const key = `${req.lang}\n${monday}`;
    let grid = keptWeeks.get(key);
    if (!grid) {
      const week = await staffWeek(ctx.db, { house: req.house, now: now(), lang: req.lang, t: req.t, date });
      grid = packFragment(await renderFragment(res, 'admin/calendar-grid', { week }));
      keptWeeks.set(key, stamp, grid);
    }
    const today = todayIn(ctx.clock, req.house.zone);
    const nav = { monday, date, today, prevDate: addDays(monday, -7), nextDate: addDays(monday, 7) };
    sendAround(req, res, 'admin/calendar', { title: req.t('staff.calendar.title'), week: nav }, 'weekGrid', grid, weekPieces);
  });

  // The daily list beside the door plan: staff only (contact data), A4 portrait, today by default.
  r.get('/print/day', async (req, res) => {
    const date = dateQuery(req, ctx);
    const list = await dailyList(ctx.db, { date, zone: req.house.zone, lang: req.lang, t: req.t });
    res.set('Cache-Control', 'no-store');
    res.render('admin/print-day', {
      title: req.t('staffHouse.day.title', { date: list.heading }),
      bodyClass: 'print-day',
      list,
      keyText: req.house.keyPickupText.trim(),
      today: todayIn(ctx.clock, req.house.zone),
    });
  });

  r.get('/print', async (req, res) => {
    const date = dateQuery(req, ctx);
    const roomSlug = typeof req.query.room === 'string' && req.query.room !== '' ? req.query.room : undefined;
    const rooms = await listRooms(ctx.db);
    if (roomSlug && !rooms.some((rm) => rm.slug === roomSlug)) throw new BadRequestError('error.unknownRoom', { value: roomSlug.slice(0, 60) });
    const plan = await printPlan(ctx.db, { house: req.house, now: now(), lang: req.lang, t: req.t, date, roomSlug, baseUrl: ctx.config.baseUrl });
    // The plan hangs on the door for the rest of its week: during a public absence in those days its footer names
    // the alternative contact, as the public pages do (src/absence); the dates say when it applies.
    const { monday } = weekOf(date);
    const today = todayIn(ctx.clock, req.house.zone);
    const week = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
    const ahead = week.filter((d) => d >= today);
    const absence = await publicAbsenceOver(ctx.db, ahead.length ? ahead : week);
    const contact = absence?.everyDay ? withAbsenceContact(req.house, absence) : req.house;
    res.render('admin/print', {
      contact: { phone: contact.contactPhone, email: contact.contactEmail },
      absence: absence && {
        from: formatDate(absence.from, req.lang),
        until: formatDate(absence.until, req.lang),
        ...withAbsenceContact(req.house, absence),
      },
      title: plan.roomName ? req.t('staff.print.titleRoom', { room: plan.roomName }) : req.t('staff.print.titleHouse'),
      bodyClass: 'print-plan',
      plan,
      rooms: rooms.map((rm) => ({ slug: rm.slug, name: rm.name })),
      roomSlug: roomSlug ?? '',
      date,
    });
  });

  return r;
}
