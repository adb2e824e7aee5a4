// A cache of rendered public pages for anonymous visitors. The house week is read far more often than it
// changes; a page is reused only while the data version (any commit, by any process) and the minute are
// unchanged, and only when the answer was a plain 200 that set no cookie.
import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../context.js';
import { SESSION_COOKIE_NAME } from './session-store.js';
import { chooseEncoding, compressible, encode, weakEtag, type Encoding } from './compress.js';
import { ByteBoundedLru } from './lru.js';

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
 * And at most this many bytes, the plain page and its compressed copies together: a page is 15–60 kB, so without
 * it 500 pages of many dates (a crawler) could hold ~30 MB (issue 16, memory); the oldest go first.
 */
export const PAGE_CACHE_MAX_BYTES = 8 * 1024 * 1024;

/**
 * When a cached page or part is fresh: while this stays the same. The data version (any commit, through this
 * connection or by another process on the file) and the minute of the house clock (free times and "today").
 */
export function freshnessStamp(ctx: Pick<AppContext, 'dataVersion' | 'clock'>): string {
  return `${ctx.dataVersion()}@${Math.floor(ctx.clock().getTime() / 60_000)}`;
}

interface Variant {
  body: Buffer;
  etag: string;
}

interface Entry {
  stamp: string;
  contentType: string;
  /** The answer's bytes (UTF-8) as rendered, and each encoding asked for so far with its ETag: compressed once, hashed once. */
  variants: Map<Encoding, Variant>;
}

export function pageCache(ctx: AppContext) {
  // The plain page and each compressed copy count (grow).
  const entries = new ByteBoundedLru<Entry>(MAX_ENTRIES, PAGE_CACHE_MAX_BYTES);
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
      sendVariant(
        req,
        res,
        hit,
        (b) => res.send(b),
        (added) => entries.grow(key, added),
      );
      return;
    }
    // A page sent around a kept part (fragment-cache.ts sendAround) comes plain, for this cache to keep.
    res.locals.pageCacheKeeps = true;
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      if (res.statusCode !== 200 || !(typeof body === 'string' || Buffer.isBuffer(body)) || res.getHeader('set-cookie')) return send(body);
      const page = typeof body === 'string' ? Buffer.from(body) : body;
      // The type as send() would set it for a string (a page), read before sending.
      if (!res.get('Content-Type')) res.type(typeof body === 'string' ? 'html' : 'bin');
      const entry: Entry = {
        stamp,
        contentType: String(res.getHeader('content-type')),
        variants: new Map([['identity', { body: page, etag: weakEtag(page) }]]),
      };
      // A page over half the bound is not kept (it would push out everything else).
      if (page.length <= PAGE_CACHE_MAX_BYTES / 2) entries.set(key, entry, page.length);
      else entries.delete(key);
      // The first answer is the kept one already (same bytes, same ETag as every later hit).
      sendVariant(req, res, entry, send, (added) => entries.peek(key) === entry && entries.grow(key, added));
      return res;
    };
    next();
  };
}

/** Sends the entry in the encoding this client takes best (brotli first), compressing it once per encoding. */
function sendVariant(req: Request, res: Response, entry: Entry, send: (body: Buffer) => unknown, added: (bytes: number) => void): void {
  const plain = entry.variants.get('identity')!;
  let encoding: Encoding = 'identity';
  if (compressible(res, entry.contentType, plain.body.length)) {
    res.vary('Accept-Encoding');
    encoding = chooseEncoding(req, 'br');
  }
  let variant = entry.variants.get(encoding);
  if (!variant) {
    const body = encode(plain.body, encoding, 'kept');
    entry.variants.set(encoding, (variant = { body, etag: weakEtag(body) }));
    added(body.length);
  }
  if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
  res.setHeader('ETag', variant.etag);
  send(variant.body);
}
