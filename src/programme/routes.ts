// The public programme (issue 15, "Was ist los im Haus"): /programme by week, one page per date with its
// calendar file, the feeds (/programme.ics, .rss, .atom), the embeddable widget, and the page on which a group
// (manage link) sets its event's public text. Only approved dates of requests marked public appear, and only
// their public title, description, kind, room and time: never a name or contact data.
import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { DateTime } from 'luxon';
import type { Feed } from 'feed';
import type { AppContext } from '../context.js';
import { BadRequestError, NotFoundError } from '../web/errors.js';
import { fieldErrors, formBody, idParam } from '../web/forms.js';
import { unknownLink } from '../web/limits.js';
import { findRequestByToken } from '../bookings/repository.js';
import { addDays, addMonths, dayStart, localDate, localTime, parseDate, todayIn, weekStart } from '../time/index.js';
import { formatDate, formatTimeRange, formatWhen } from '../time/format.js';
import { sendCalendar } from '../feeds/routes.js';
import { REFRESH_MINUTES, uidHost } from '../feeds/build.js';
import type { IcalCalendar, IcalEvent } from '../feeds/ical.js';
import { CATEGORIES } from '../constants.js';
import { isLang, LANGUAGE_REGISTRY } from '../i18n/languages.js';
import type { Translate } from '../i18n/index.js';
import type { BookingRequest } from '../db/schema.js';
import type { House } from '../settings/repository.js';
import { MAX } from '../bookings/form.js';
import { findProgrammeEvent, listProgramme, type ProgrammeEvent } from './repository.js';
import { kindParam, parsePublicText, publicTextValues, type PublicTextValues } from './schema.js';
import { setPublicText } from './service.js';
import { allowFraming, embedOrigins } from './embed.js';
import { embedRoutes } from './embed-routes.js';

/** ?week=2026-W44 (ISO week) → its Monday, or null when malformed / not a week. */
export function mondayOfIsoWeek(v: string): string | null {
  if (!/^\d{4}-W\d{2}$/.test(v)) return null;
  const d = DateTime.fromISO(v, { zone: 'UTC' });
  return d.isValid ? d.toISODate() : null;
}

/** 2026-10-26 → 2026-W44 */
export function isoWeekOf(date: string): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).toISOWeekDate()!.slice(0, 8);
}

/** How many coming events the widget lists. */
const EMBED_EVENTS = 12;

export interface ProgrammeItem {
  id: number;
  href: string;
  /** Date and time ("Mittwoch, 2. Dezember 2026, 14:30–17:00 Uhr"). */
  when: string;
  /** Under its day's heading: the times only, unless the event runs past midnight. */
  time: string;
  date: string;
  room: string;
  roomSlug: string;
  title: string;
  description: string;
  language: string;
  kind: string;
}

export function itemOf(e: ProgrammeEvent, house: House, lang: string, t: Translate): ProgrammeItem {
  return {
    id: e.id,
    href: `/programme/${e.id}`,
    when: formatWhen(e.start, e.end, house.zone, lang, t),
    time:
      localDate(e.end - 1, house.zone) === e.localDate
        ? formatTimeRange(localTime(e.start, house.zone), localTime(e.end, house.zone) === '00:00' ? '24:00' : localTime(e.end, house.zone), t)
        : formatWhen(e.start, e.end, house.zone, lang, t),
    date: formatDate(e.localDate, lang),
    room: e.roomName,
    roomSlug: e.roomSlug,
    title: e.title,
    description: e.description,
    language: e.language,
    kind: t(`category.${e.category}`),
  };
}

function icalEvent(e: ProgrammeEvent, host: string, baseUrl: string, house: House, t: Translate): IcalEvent {
  return {
    uid: `programme-${e.id}@${host}`,
    start: e.start,
    end: e.end,
    stamp: e.updatedAt,
    sequence: e.sequence,
    summary: e.title,
    description: e.description || undefined,
    location: [e.roomName, house.name].filter(Boolean).join(', '),
    status: 'CONFIRMED',
    categories: [t(`category.${e.category}`)],
    url: `${baseUrl}/programme/${e.id}`,
  };
}

/** Sends a text body with a strong ETag and the public feeds' caching (as the room feeds: 5 minutes, revalidate). */
function sendCached(req: Request, res: Response, type: string, text: string): void {
  const body = Buffer.from(text, 'utf8');
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
  res.set('ETag', etag);
  res.set('Cache-Control', 'public, max-age=300, must-revalidate');
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
  res.set('Content-Type', type);
  res.status(200).send(body);
}

/** From now to the booking horizon: what the feeds and the API list. */
export function upcomingWindow(ctx: AppContext, house: House): { from: number; to: number } {
  const today = todayIn(ctx.clock, house.zone);
  return { from: ctx.clock().getTime(), to: dayStart(addDays(addMonths(today, house.horizonMonths), 1), house.zone) };
}

/** ?kind= as a category (or none); anything else is a 400. */
export function kindOf(req: Request) {
  const kind = kindParam(req.query.kind);
  if (kind === 'bad') throw new BadRequestError('programme.error.kind');
  return kind;
}

/** The coming public events of ?kind= (feeds and API). */
export async function upcomingEvents(ctx: AppContext, req: Request): Promise<ProgrammeEvent[]> {
  const { from, to } = upcomingWindow(ctx, req.house);
  return listProgramme(ctx.db, from, to, kindOf(req));
}

export function programmeRoutes(ctx: AppContext): Router {
  const r = Router();
  const baseUrl = ctx.config.baseUrl.replace(/\/$/, '');
  const host = uidHost(ctx.config.baseUrl);

  r.get('/programme', async (req, res) => {
    const house = req.house;
    const today = todayIn(ctx.clock, house.zone);
    const current = weekStart(today);
    let monday = current;
    if (typeof req.query.week === 'string' && req.query.week !== '') {
      const m = mondayOfIsoWeek(req.query.week);
      if (!m) throw new BadRequestError('programme.error.week');
      monday = m;
    } else if (typeof req.query.from === 'string' && req.query.from !== '') {
      const d = parseDate(req.query.from);
      if (!d) throw new BadRequestError('programme.error.week');
      monday = weekStart(d);
    } else if (req.query.week !== undefined || req.query.from !== undefined) {
      if (Array.isArray(req.query.week) || Array.isArray(req.query.from)) throw new BadRequestError('programme.error.week');
    }
    const kind = kindOf(req);
    const sunday = addDays(monday, 6);
    const from = Math.max(dayStart(monday, house.zone), ctx.clock().getTime());
    const to = dayStart(addDays(monday, 7), house.zone);
    const events = monday < current ? [] : await listProgramme(ctx.db, from, to, kind);
    const days: { date: string; label: string; items: ProgrammeItem[] }[] = [];
    for (const e of events) {
      let day = days.at(-1);
      if (!day || day.date !== e.localDate) {
        day = { date: e.localDate, label: formatDate(e.localDate, req.lang), items: [] };
        days.push(day);
      }
      day.items.push(itemOf(e, house, req.lang, req.t));
    }
    const horizon = addMonths(today, house.horizonMonths);
    const q = (week: string) => `/programme?week=${week}${kind ? `&kind=${kind}` : ''}`;
    res.set('Cache-Control', 'no-cache');
    res.render('public/programme', {
      title: req.t('programme.title'),
      weekLabel: req.t('programme.weekLabel', {
        week: isoWeekOf(monday).slice(6),
        from: formatDate(monday, req.lang, 'date'),
        to: formatDate(sunday, req.lang, 'date'),
      }),
      week: isoWeekOf(monday),
      days,
      kind,
      kinds: CATEGORIES.map((c) => ({ key: c, label: req.t(`category.${c}`) })),
      prevHref: monday > current ? q(isoWeekOf(addDays(monday, -7))) : null,
      currentHref: monday !== current ? q(isoWeekOf(current)) : null,
      nextHref: addDays(monday, 7) <= horizon ? q(isoWeekOf(addDays(monday, 7))) : null,
    });
  });

  async function eventOr404(v: unknown): Promise<ProgrammeEvent> {
    const e = await findProgrammeEvent(ctx.db, idParam(v));
    if (!e) throw new NotFoundError();
    return e;
  }

  r.get('/programme/:id', async (req, res) => {
    const e = await eventOr404(req.params.id);
    res.set('Cache-Control', 'no-cache');
    res.render('public/programme-event', {
      title: e.title,
      event: itemOf(e, req.house, req.lang, req.t),
      icsHref: `/programme/${e.id}/calendar.ics`,
      past: e.end <= ctx.clock().getTime(),
    });
  });

  r.get('/programme/:id/calendar.ics', async (req, res) => {
    const e = await eventOr404(req.params.id);
    const cal: IcalCalendar = { name: e.title, zone: req.house.zone, events: [icalEvent(e, host, baseUrl, req.house, req.t)] };
    sendCalendar(req, res, cal, { filename: `programme-${e.id}.ics`, private: false, download: true });
  });

  const upcoming = (req: Request) => upcomingEvents(ctx, req);

  r.get('/programme.ics', async (req, res) => {
    const events = await upcoming(req);
    const cal: IcalCalendar = {
      name: req.t('programme.feedTitle', { house: req.house.name }),
      zone: req.house.zone,
      refreshMinutes: REFRESH_MINUTES,
      events: events.map((e) => icalEvent(e, host, baseUrl, req.house, req.t)),
    };
    sendCalendar(req, res, cal, { filename: 'programme.ics', private: false });
  });

  let feedModule: Promise<typeof import('feed')> | undefined;
  async function newsFeed(req: Request): Promise<Feed> {
    // feed (and its XML writer) loads with the first news feed asked for, not at start.
    const { Feed } = await (feedModule ??= import('feed'));
    const events = await upcoming(req);
    const house = req.house;
    const updated = events.reduce((m, e) => Math.max(m, e.updatedAt), 0);
    const feed = new Feed({
      title: req.t('programme.feedTitle', { house: house.name }),
      description: req.t('programme.feedDescription', { house: house.name }),
      id: `${baseUrl}/programme`,
      link: `${baseUrl}/programme`,
      language: req.lang,
      updated: new Date(updated || dayStart(todayIn(ctx.clock, house.zone), house.zone)),
      generator: 'Raumbuch',
      copyright: house.name,
      feedLinks: { rss: `${baseUrl}/programme.rss`, atom: `${baseUrl}/programme.atom` },
    });
    for (const e of events) {
      const item = itemOf(e, house, req.lang, req.t);
      feed.addItem({
        title: `${item.date}: ${item.title}`,
        id: `${baseUrl}/programme/${e.id}`,
        link: `${baseUrl}/programme/${e.id}`,
        description: `${item.when} · ${item.room} · ${item.kind}${item.description ? `\n\n${item.description}` : ''}`,
        date: new Date(e.updatedAt),
        published: new Date(e.start),
        category: [{ name: item.kind }],
      });
    }
    return feed;
  }

  r.get('/programme.rss', async (req, res) => sendCached(req, res, 'application/rss+xml; charset=utf-8', (await newsFeed(req)).rss2()));
  r.get('/programme.atom', async (req, res) => sendCached(req, res, 'application/atom+xml; charset=utf-8', (await newsFeed(req)).atom1()));

  // The widget: the coming public events on a page without the site's chrome, for an <iframe> on the allowed
  // origins' websites (setting "embed_origins"; off by default: then 404 with frame-ancestors 'none').
  r.get('/embed/programme', async (req, res) => {
    const origins = await embedOrigins(ctx.db);
    if (!origins.length) throw new NotFoundError();
    const events = await listProgramme(ctx.db, ctx.clock().getTime(), upcomingWindow(ctx, req.house).to, kindOf(req), EMBED_EVENTS);
    const days: { date: string; label: string; items: ProgrammeItem[] }[] = [];
    for (const e of events) {
      let day = days.at(-1);
      if (!day || day.date !== e.localDate) {
        day = { date: e.localDate, label: formatDate(e.localDate, req.lang), items: [] };
        days.push(day);
      }
      day.items.push(itemOf(e, req.house, req.lang, req.t));
    }
    allowFraming(res, origins);
    res.set('Cache-Control', 'public, max-age=300, must-revalidate');
    res.render('public/embed-programme', { title: req.t('programme.title'), days, baseUrl });
  });

  // The widget's second part: one room's week (src/programme/embed-routes.ts).
  r.use(embedRoutes(ctx));

  // The group's page for its public text (linked from the manage page): no re-approval needed, as the dates
  // and the room do not change.
  async function requestOr404(req: Request, res: Response): Promise<{ token: string; request: BookingRequest }> {
    const token = String(req.params.token);
    const request = await findRequestByToken(ctx.db, token);
    if (!request) throw await unknownLink(ctx.db, req, res, ctx.clock().getTime());
    return { token, request };
  }

  r.get('/requests/:token/public', async (req, res) => {
    const { token, request } = await requestOr404(req, res);
    res.set('Cache-Control', 'no-store');
    renderPublicText(req, res, 200, { action: `/requests/${token}/public`, back: `/requests/${token}`, values: storedValues(request, req.lang), errors: {} });
  });

  r.post('/requests/:token/public', async (req, res) => {
    const { token, request } = await requestOr404(req, res);
    const values = publicTextValues(formBody(req));
    const parsed = parsePublicText(values);
    res.set('Cache-Control', 'no-store');
    if (!parsed.ok) {
      renderPublicText(req, res, 422, {
        action: `/requests/${token}/public`,
        back: `/requests/${token}`,
        values,
        errors: fieldErrors(parsed.issues, req.t, 'programme.error.invalid'),
      });
      return;
    }
    await setPublicText(ctx.db, request.id, parsed.data, { now: ctx.clock().getTime(), actor: 'group' });
    res.redirect(303, `/requests/${token}?done=public`);
  });

  return r;
}

/** The form's values from a stored request (the text's language: stored, else the page's). */
export function storedValues(r: BookingRequest, lang: string): PublicTextValues {
  return {
    publicEvent: r.public_event === 1,
    publicTitle: r.public_title ?? '',
    publicDescription: r.public_description ?? '',
    publicLanguage: r.public_language && isLang(r.public_language) ? r.public_language : lang,
  };
}

export function renderPublicText(
  req: Request,
  res: Response,
  status: number,
  o: { action: string; back: string; values: PublicTextValues; errors: Record<string, string>; staff?: boolean },
): void {
  res.status(status).render('requests/public-text', {
    title: req.t('programme.edit.title'),
    ...o,
    // The staff reach this form from the request detail page, a group from its manage page.
    backLabel: o.staff ? req.t('staff.programme.back') : req.t('programme.edit.back'),
    max: MAX,
    languages: LANGUAGE_REGISTRY.map((l) => ({ code: l.code, name: l.nativeName })),
  });
}
