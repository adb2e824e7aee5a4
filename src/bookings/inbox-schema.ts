// The inbox list's URL parameters (?sort=&dir=&room=&from=&to=&kind=&status=&flag=&q=&page=): parsed into a
// filter with a catalog key per bad field, and written back as the list's address (only what differs from the
// defaults), so paging, reloads and the way back after a decision keep the same list.
import type { MessageKey } from '../i18n/index.js';
import { inCalendarRange, parseDate } from '../time/index.js';
import { DEFAULT_FILTER, INBOX_FLAGS, INBOX_KINDS, INBOX_SORTS, INBOX_STATUSES, type InboxFilter } from './inbox.js';

export const INBOX_Q_MAX = 100;

export interface ParsedInboxQuery {
  filter: InboxFilter;
  page: number;
  /** Bad parameters: the field's name → catalog key (the filter falls back to its default for them). */
  errors: Partial<Record<keyof InboxFilter, MessageKey>>;
  /** What was typed, to show again in the filter form. */
  typed: Record<keyof InboxFilter, string>;
}

const oneOf = <T extends string>(list: readonly T[], v: string): v is T => (list as readonly string[]).includes(v);

/** Reads the list's parameters from a query object (Express's req.query or URLSearchParams turned into one). */
export function parseInboxQuery(query: Record<string, unknown>): ParsedInboxQuery {
  const errors: ParsedInboxQuery['errors'] = {};
  const typed = {} as Record<keyof InboxFilter, string>;
  const filter: InboxFilter = { ...DEFAULT_FILTER };
  const text = (name: keyof InboxFilter, key: MessageKey): string | null => {
    const v = query[name];
    if (v === undefined) {
      typed[name] = '';
      return null;
    }
    if (typeof v !== 'string') {
      typed[name] = '';
      errors[name] = key;
      return null;
    }
    typed[name] = v;
    const s = v.trim();
    return s === '' ? null : s;
  };
  const sort = text('sort', 'inboxList.error.sort');
  if (sort !== null) {
    if (oneOf(INBOX_SORTS, sort)) filter.sort = sort;
    else errors.sort = 'inboxList.error.sort';
  }
  const dir = text('dir', 'inboxList.error.sort');
  if (dir !== null) {
    if (dir === 'asc' || dir === 'desc') filter.dir = dir;
    else errors.dir = 'inboxList.error.sort';
  }
  const room = text('room', 'inboxList.error.room');
  if (room !== null) {
    if (/^[1-9]\d{0,9}$/.test(room)) filter.room = Number(room);
    else errors.room = 'inboxList.error.room';
  }
  for (const name of ['from', 'to'] as const) {
    const v = text(name, 'inboxList.error.date');
    if (v === null) continue;
    const d = parseDate(v);
    if (d && inCalendarRange(d)) filter[name] = d;
    else errors[name] = 'inboxList.error.date';
  }
  if (filter.from && filter.to && filter.from > filter.to) {
    errors.to = 'inboxList.error.range';
    filter.to = null;
  }
  const kind = text('kind', 'inboxList.error.kind');
  if (kind !== null) {
    if (oneOf(INBOX_KINDS, kind)) filter.kind = kind;
    else errors.kind = 'inboxList.error.kind';
  }
  const status = text('status', 'inboxList.error.status');
  if (status !== null) {
    if (oneOf(INBOX_STATUSES, status)) filter.status = status;
    else errors.status = 'inboxList.error.status';
  }
  const flag = text('flag', 'inboxList.error.flag');
  if (flag !== null) {
    if (oneOf(INBOX_FLAGS, flag)) filter.flag = flag;
    else errors.flag = 'inboxList.error.flag';
  }
  const q = text('q', 'inboxList.error.q');
  if (q !== null) {
    if (q.length <= INBOX_Q_MAX) filter.q = q;
    else errors.q = 'inboxList.error.q';
  }
  // A page that is not a page number is the first page (an old bookmark, a typo): no message needed.
  const p = query.page;
  const page = typeof p === 'string' && /^[1-9]\d{0,5}$/.test(p) ? Number(p) : 1;
  return { filter, page, errors, typed };
}

/** The parameters that differ from the defaults, in a fixed order (page last, only when > 1). */
export function inboxParams(f: InboxFilter, page = 1): URLSearchParams {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  if (f.status !== DEFAULT_FILTER.status) p.set('status', f.status);
  if (f.room !== null) p.set('room', String(f.room));
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.kind !== DEFAULT_FILTER.kind) p.set('kind', f.kind);
  if (f.flag !== DEFAULT_FILTER.flag) p.set('flag', f.flag);
  if (f.sort !== DEFAULT_FILTER.sort || f.dir !== DEFAULT_FILTER.dir) {
    p.set('sort', f.sort);
    p.set('dir', f.dir);
  }
  if (page > 1) p.set('page', String(page));
  return p;
}

/** The list's address for a filter and page: /admin or /admin?… */
export function inboxUrl(f: InboxFilter, page = 1): string {
  const qs = inboxParams(f, page).toString();
  return qs ? `/admin?${qs}` : '/admin';
}

/**
 * Where a decision sends the caretaker back: the list address the form carried, when it is one (a local /admin
 * address whose parameters parse); rebuilt from the parsed filter, so nothing else than the list's own
 * parameters can pass through. Anything else is the plain inbox.
 */
export function safeInboxReturn(v: unknown): string {
  if (typeof v !== 'string' || v.length > 1000) return '/admin';
  const m = /^\/admin\/?(?:\?([^#]*))?$/.exec(v);
  if (!m) return '/admin';
  const query: Record<string, string> = {};
  for (const [k, val] of new URLSearchParams(m[1] ?? '')) query[k] = val;
  const parsed = parseInboxQuery(query);
  if (Object.keys(parsed.errors).length) return '/admin';
  return inboxUrl(parsed.filter, parsed.page);
}
