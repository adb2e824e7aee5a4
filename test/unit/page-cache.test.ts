// The public page cache's bounds (issue 16, memory): besides its count of pages, it keeps at most
// PAGE_CACHE_MAX_BYTES of them (the plain pages and their compressed copies); the oldest go first, and a page
// larger than half the bound is not kept.
import type { NextFunction, Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/context.js';
import { PAGE_CACHE_MAX_BYTES, pageCache } from '../../src/web/page-cache.js';

/** A middleware run: whether the page was rendered (next called) or answered from the cache, and the body sent. */
function visitor(ctx: Pick<AppContext, 'dataVersion' | 'clock'>) {
  const cache = pageCache(ctx as AppContext);
  return (url: string, rendered: string): { fromCache: boolean; body: string } => {
    let body: unknown;
    let fromCache = true;
    const req = { method: 'GET', path: url.split('?')[0], originalUrl: url, headers: {}, query: {} } as unknown as Request;
    const res = {
      statusCode: 200,
      locals: {},
      getHeader: (name: string) => (name === 'content-type' ? 'text/html; charset=utf-8' : undefined),
      get: (name: string) => (name.toLowerCase() === 'content-type' ? 'text/html; charset=utf-8' : undefined),
      setHeader: () => res,
      vary: () => res,
      type: () => res,
      send: (b: unknown) => {
        body = b;
        return res;
      },
    } as unknown as Response;
    const next: NextFunction = () => {
      fromCache = false;
      res.send(rendered);
    };
    cache(req, res, next);
    return { fromCache, body: Buffer.isBuffer(body) ? body.toString('utf8') : String(body) };
  };
}

const ctx = { dataVersion: () => '1', clock: () => new Date('2026-12-01T10:00:00Z') };
/** A page of `kib` KiB (kept as UTF-8 bytes, one a character here). */
const page = (n: number, kib: number) => `<p>${n}</p>`.padEnd(kib * 1024, '.');

describe('the public page cache, bounded in bytes', () => {
  it('answers pages again from the cache while they fit the bound', () => {
    const get = visitor(ctx);
    const perPage = Math.floor(PAGE_CACHE_MAX_BYTES / 1024 / 8); // eight pages fill the bound
    for (let n = 0; n < 7; n++) expect(get(`/week?date=d${n}`, page(n, perPage)).fromCache).toBe(false);
    for (let n = 0; n < 7; n++) {
      const again = get(`/week?date=d${n}`, 'rendered again');
      expect(again.fromCache).toBe(true);
      expect(again.body).toBe(page(n, perPage));
    }
  });

  it('lets the oldest pages go when new ones would pass the bound, and keeps the newest', () => {
    const get = visitor(ctx);
    const perPage = Math.floor(PAGE_CACHE_MAX_BYTES / 1024 / 4); // four pages fill the bound
    for (let n = 0; n < 6; n++) get(`/week?date=d${n}`, page(n, perPage));
    expect(get('/week?date=d0', 'rendered again').fromCache).toBe(false);
    expect(get('/week?date=d5', 'rendered again')).toEqual({ fromCache: true, body: page(5, perPage) });
  });

  it('does not keep a page larger than half the bound (room for its compressed copies)', () => {
    const get = visitor(ctx);
    const huge = page(1, PAGE_CACHE_MAX_BYTES / 2048 + 1);
    get('/week?date=huge', huge);
    expect(get('/week?date=huge', 'rendered again')).toEqual({ fromCache: false, body: 'rendered again' });
  });
});
