// A cache of rendered public pages for anonymous visitors. The house week is read far more often than it
// changes; a page is reused only while the data version (any commit, by any process) and the minute are
// unchanged, and only when the answer was a plain 200 that set no cookie.
import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../context.js';
import { SESSION_COOKIE_NAME } from './session-store.js';

const CACHEABLE = [
  /^\/$/,
  /^\/(week|day)$/,
  /^\/rooms(\/[^/]+)?$/,
  /^\/rooms\/[^/]+\/month$/,
  /^\/api\/v1\/availability$/,
  /^\/(rules|privacy|imprint|how-to-book)$/,
];
const MAX_ENTRIES = 500;
/**
 * And at most this much, counted as two bytes a character (what a string may take in memory): a page is 15–60 kB,
 * so without it 500 pages of many dates (a crawler) could hold ~30 MB (issue 16, memory); the oldest go first.
 */
export const PAGE_CACHE_MAX_BYTES = 8 * 1024 * 1024;

/**
 * When a cached page or part is fresh: while this stays the same. The data version (any commit, through this
 * connection or by another process on the file) and the minute of the house clock (free times and "today").
 */
export function freshnessStamp(ctx: Pick<AppContext, 'dataVersion' | 'clock'>): string {
  return `${ctx.dataVersion()}@${Math.floor(ctx.clock().getTime() / 60_000)}`;
}

interface Entry {
  stamp: string;
  contentType: string;
  body: string;
  bytes: number;
}

export function pageCache(ctx: AppContext) {
  const entries = new Map<string, Entry>();
  let bytes = 0;
  const drop = (key: string) => {
    const e = entries.get(key);
    if (!e) return;
    bytes -= e.bytes;
    entries.delete(key);
  };
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || !CACHEABLE.some((re) => re.test(req.path))) return next();
    const cookies = req.headers.cookie ?? '';
    // A visitor with a session (a form in progress, a login) or choosing a language (?lang sets a cookie) gets a fresh page.
    if (cookies.includes(`${SESSION_COOKIE_NAME}=`) || 'lang' in req.query) return next();
    const langCookie = /(?:^|;\s*)lang=([^;]*)/.exec(cookies)?.[1] ?? '';
    const key = `${req.originalUrl}\n${langCookie}\n${req.headers['accept-language'] ?? ''}`;
    const stamp = freshnessStamp(ctx);
    const hit = entries.get(key);
    if (hit && hit.stamp === stamp) {
      // As the language middleware says on a rendered page: the language comes from these headers.
      res.vary('Accept-Language');
      res.vary('Cookie');
      res.type(hit.contentType);
      res.send(hit.body);
      return;
    }
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      const size = typeof body === 'string' ? body.length * 2 : 0;
      if (res.statusCode === 200 && typeof body === 'string' && !res.getHeader('set-cookie') && size <= PAGE_CACHE_MAX_BYTES) {
        drop(key);
        while (entries.size >= MAX_ENTRIES || bytes + size > PAGE_CACHE_MAX_BYTES) drop(entries.keys().next().value as string);
        entries.set(key, { stamp, contentType: String(res.getHeader('content-type') ?? 'text/html'), body, bytes: size });
        bytes += size;
      }
      return send(body);
    };
    next();
  };
}
