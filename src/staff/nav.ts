// The staff navigation in named sections (Anfragen, Kalender, Haus, Verwaltung, own account) with the counts that
// help (open requests, open dates that clash, failed mails), built once per /admin page a signed-in account sees
// (res.locals.staffNav, printed by views/partials/admin-nav.ejs). Admin-only links are left out for caretakers.
import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../context.js';
import type { Role } from '../db/schema.js';
import type { MessageKey, Translate } from '../i18n/index.js';
import { loadDeskCounts, type DeskCounts } from './counts.js';
import { keptByVersion } from '../db/versioned.js';

export interface NavLink {
  href: string;
  label: string;
  current: boolean;
  /** Numbers beside the link, each a link of its own when it leads to a filtered list. */
  badges: { text: string; href: string | null; kind: 'info' | 'alert' }[];
}

export interface NavSection {
  id: string;
  title: string;
  current: boolean;
  links: NavLink[];
}

interface LinkSpec {
  href: string;
  key: MessageKey;
  /** Whether `path` is this link's page (or one below it). */
  matches: (path: string) => boolean;
  adminOnly?: boolean;
}

const under = (prefix: string) => (path: string) => path === prefix || path.startsWith(`${prefix}/`);
const inboxPaths = (path: string) => path === '/admin' || path === '/admin/' || path.startsWith('/admin/requests');

const SECTIONS: { id: string; key: MessageKey; adminOnly?: boolean; links: LinkSpec[] }[] = [
  {
    id: 'requests',
    key: 'staffNav.requests',
    links: [
      { href: '/admin', key: 'adminNav.inbox', matches: inboxPaths },
      { href: '/admin/bookings/new', key: 'adminNav.newBooking', matches: under('/admin/bookings') },
      { href: '/admin/templates', key: 'staffNav.templates', matches: under('/admin/templates') },
      { href: '/admin/regular-groups', key: 'adminNav.regularGroups', matches: under('/admin/regular-groups') },
    ],
  },
  {
    id: 'calendar',
    key: 'staffNav.calendar',
    links: [
      { href: '/admin/calendar', key: 'staffNav.week', matches: under('/admin/calendar') },
      { href: '/admin/print', key: 'staffNav.print', matches: under('/admin/print') },
      { href: '/admin/blocks', key: 'adminNav.blocks', matches: under('/admin/blocks') },
    ],
  },
  {
    id: 'house',
    key: 'staffNav.house',
    links: [
      { href: '/admin/rooms', key: 'adminNav.rooms', matches: under('/admin/rooms') },
      { href: '/admin/settings/images', key: 'staffNav.images', matches: under('/admin/settings/images'), adminOnly: true },
      { href: '/admin/statistics', key: 'adminNav.statistics', matches: under('/admin/statistics') },
      { href: '/admin/translations', key: 'staffNav.translations', matches: under('/admin/translations') },
      { href: '/admin/feed', key: 'adminNav.feed', matches: under('/admin/feed') },
      { href: '/admin/export', key: 'adminNav.export', matches: under('/admin/export') },
    ],
  },
  {
    id: 'admin',
    key: 'staffNav.admin',
    adminOnly: true,
    links: [
      { href: '/admin/settings', key: 'adminNav.settings', matches: (p) => under('/admin/settings')(p) && !under('/admin/settings/images')(p) },
      { href: '/admin/users', key: 'adminNav.users', matches: under('/admin/users') },
      { href: '/admin/audit', key: 'adminNav.audit', matches: under('/admin/audit') },
      { href: '/admin/outbox', key: 'adminNav.outbox', matches: under('/admin/outbox') },
      { href: '/admin/data', key: 'adminNav.data', matches: under('/admin/data') },
    ],
  },
  {
    id: 'own',
    key: 'staffNav.own',
    links: [
      { href: '/admin/password', key: 'adminNav.password', matches: under('/admin/password') },
      { href: '/admin/summary', key: 'staffNav.summary', matches: under('/admin/summary') },
      { href: '/admin/absence', key: 'adminNav.absence', matches: under('/admin/absence') },
    ],
  },
];

/** The sections a role sees, the current page and section marked, the counts beside their links. */
export function navModel(path: string, role: Role, counts: DeskCounts, t: Translate): NavSection[] {
  const out: NavSection[] = [];
  for (const s of SECTIONS) {
    if (s.adminOnly && role !== 'admin') continue;
    const links = s.links
      .filter((l) => !l.adminOnly || role === 'admin')
      .map((l): NavLink => {
        const badges: NavLink['badges'] = [];
        if (l.href === '/admin') {
          badges.push({ text: t('staffNav.count.open', { count: counts.openRequests }), href: null, kind: 'info' });
          if (counts.clashDates > 0) badges.push({ text: t('staffNav.count.clashes', { count: counts.clashDates }), href: '/admin?flag=clash', kind: 'alert' });
        }
        if (l.href === '/admin/outbox' && counts.failedMails > 0) {
          badges.push({ text: t('staffNav.count.failed', { count: counts.failedMails }), href: null, kind: 'alert' });
        }
        return { href: l.href, label: t(l.key), current: l.matches(path), badges };
      });
    out.push({ id: s.id, title: t(s.key), current: links.some((l) => l.current), links });
  }
  return out;
}

export function deskCounts(ctx: AppContext) {
  // The same counts for every staff page until the next commit (by any process): one slot, kept like the inbox lists.
  const kept = keptByVersion<DeskCounts>(ctx, Math.min(1, ctx.config.staffListCache));
  return async (req: Request, res: Response, next: NextFunction) => {
    // Files (CSV, XLSX, calendar feeds) have no navigation: no query for them.
    if (req.user && !/\.(csv|xlsx|ics)$/.test(req.path)) {
      const counts = await kept('counts', () => loadDeskCounts(ctx.db));
      res.locals.staffNav = navModel(typeof res.locals.path === 'string' ? res.locals.path : req.originalUrl.split('?')[0]!, req.user.role, counts, req.t);
    }
    next();
  };
}
