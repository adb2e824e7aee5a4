// Answers compressed in one call on the finished body, not through a compression stream per answer. Profiled on the
// rendered house week (29 kB, BENCHMARKS.md): the compression middleware's brotli stream cost ~1.4 ms of the one
// event loop per answer, more than rendering the page; gzip in one call costs ~0.15 ms (29 kB → 3.8 kB). And the
// middleware wraps every response it sees (its closures were a tenth of what a request allocates), so it is used
// only where answers are streamed: the static files (src/web/assets.ts) and the CSV export. Pages kept by the page
// cache are compressed once per encoding, with more effort (brotli).
import type { NextFunction, Request, Response } from 'express';
import { hash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export type Encoding = 'br' | 'gzip' | 'identity';

/** Smaller answers are sent as they are (the compression middleware's threshold). */
const THRESHOLD = 1024;
const COMPRESSIBLE = /^(?:text\/|application\/(?:json|xml|rss\+xml|atom\+xml|javascript)|image\/svg\+xml)/;

/**
 * zlib's settings for anything deflated for one answer: an 8 KiB window and a smaller hash keep its state at
 * ~100 KB instead of 256 KB, which the C library (MALLOC_MMAP_THRESHOLD_ set, docs/raumbuch.service) gave back to
 * the system and fetched again for every answer: a staff inbox (47 kB) cost 9.6 ms of CPU compressed against
 * 5.4 ms plain, and zlib's set-up and close were 30 % of a rendered week. Pages grow by a few per cent at most.
 */
export const ZLIB_PER_ANSWER = { windowBits: 13, memLevel: 7 };

/** Weak ETags as Express makes them (length and SHA-1 of the body), hashed in one call instead of through a Hash object. */
export function weakEtag(body: Buffer | string): string {
  return weakEtagOf(body, Buffer.byteLength(body));
}

/** The same form for an answer of `length` bytes whose ETag is hashed from `hashed` (a spliced page: its pieces' digests). */
export function weakEtagOf(hashed: Buffer | string, length: number): string {
  return `W/"${length.toString(16)}-${hash('sha1', hashed, 'base64').slice(0, 27)}"`;
}

/** The encoding for this answer: `prefer` when the client takes it, else the other one it takes, else none. */
export function chooseEncoding(req: Request, prefer: 'br' | 'gzip'): Encoding {
  if (!req.headers['accept-encoding']) return 'identity';
  const other = prefer === 'br' ? 'gzip' : 'br';
  if (req.acceptsEncodings(prefer) === prefer) return prefer;
  return req.acceptsEncodings(other) === other ? other : 'identity';
}

/** Whether an answer of this type and size is worth compressing, and may be (no `Cache-Control: no-transform`). */
export function compressible(res: Response, type: string, bytes: number): boolean {
  return bytes >= THRESHOLD && COMPRESSIBLE.test(type) && !/\bno-transform\b/.test(String(res.getHeader('Cache-Control') ?? ''));
}

/**
 * `body` in `encoding`: gzip at level 6; brotli at quality 4 for an answer made for one request ('fast') and 5 for
 * one the page cache sends many times ('kept': 7 % smaller for a house week, ~1–2 ms once; higher qualities up
 * to 9 gain nothing more on a page and cost up to 80 ms). Brotli's window is 256 KiB: no page is larger.
 */
export function encode(body: Buffer, encoding: Encoding, effort: 'fast' | 'kept'): Buffer {
  if (encoding === 'identity') return body;
  if (encoding === 'gzip') return gzipSync(body, { level: 6, ...ZLIB_PER_ANSWER });
  return brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: effort === 'kept' ? 5 : 4,
      [constants.BROTLI_PARAM_LGWIN]: 18,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
}

/**
 * Compresses every answer sent whole (`res.send`: pages, JSON, calendar feeds) in one call, when the browser takes
 * it, and marks each of a compressible type `Vary: Accept-Encoding`. Pages come gzip-compressed (brotli only for a
 * browser without gzip): gzip in one call costs a rendered page ~0.15 ms, brotli's ~0.5 ms. Streamed answers (the
 * static files, the CSV export) go through the compression middleware where they are served; an answer that
 * already has a Content-Encoding (the page cache's, the spliced week) is sent as it is.
 */
export function answerCompression() {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'POST') return next();
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      if (!(typeof body === 'string' || Buffer.isBuffer(body)) || res.getHeader('Content-Encoding') || res.statusCode === 204 || res.statusCode === 304) {
        return send(body);
      }
      // The type as send() would set it for a string (a page) or bytes.
      if (!res.get('Content-Type')) res.type(typeof body === 'string' ? 'html' : 'bin');
      const type = String(res.getHeader('Content-Type'));
      if (!COMPRESSIBLE.test(type)) return send(body);
      res.vary('Accept-Encoding');
      const encoding = compressible(res, type, Buffer.byteLength(body)) ? chooseEncoding(req, 'gzip') : 'identity';
      if (encoding === 'identity') return send(body);
      // send() names the charset of a string; sent as bytes, the text is UTF-8 all the same.
      if (typeof body === 'string' && !/;\s*charset=/i.test(type)) res.setHeader('Content-Type', `${type}; charset=utf-8`);
      res.setHeader('Content-Encoding', encoding);
      return send(encode(typeof body === 'string' ? Buffer.from(body) : body, encoding, 'fast'));
    };
    next();
  };
}
