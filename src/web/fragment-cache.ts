// Rendered parts of pages, kept: the house week's grid, for the visitors the page cache cannot serve (anyone with a
// session cookie or a ?lang= choice), and the staff inbox's rows (src/bookings/staff-routes.ts). A part is reused under exactly the page cache's freshness
// rule (freshnessStamp: the data version, which any commit by any process changes, and the minute of the house
// clock), and only for the same key (the caller names the language and what was asked for). At most
// `maxEntries` parts and `maxBytes` are kept (least recently used go first): a few dozen weeks, a few megabytes.
import type { Request, Response } from 'express';
import { hash } from 'node:crypto';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { finishPage } from '../i18n/index.js';
import { chooseEncoding, weakEtagOf, ZLIB_PER_ANSWER } from './compress.js';
import type { AppContext } from '../context.js';
import { freshnessStamp } from './page-cache.js';
import { ByteBoundedLru } from './lru.js';
import { crc32Combine, crc32Shift } from './crc32-combine.js';

export interface Fragment {
  html: string;
  /** A text in it was shown in German because the language lacks it (the page's fallback note). */
  fallback: boolean;
}

/**
 * Bytes sent many times inside a spliced page (sendAround), with what the page's gzip trailer and ETag need from
 * them, worked out once: their CRC-32, the factor that moves a CRC past them (crc32-combine.ts) and a SHA-1.
 */
interface Spliced {
  bytes: Buffer;
  /** Raw deflate of `bytes`: a start or kept part ends with a sync flush (byte-aligned, no final block), an end finishes the stream. */
  deflated: Buffer;
  crc: number;
  shift: number;
  digest: Buffer;
}

function spliced(bytes: Buffer, deflated: Buffer): Spliced {
  return { bytes, deflated, crc: crc32(bytes), shift: crc32Shift(bytes.length), digest: hash('sha1', bytes, 'buffer') };
}

/** A part ready to be sent many times: its UTF-8 bytes and those bytes deflated once (see sendAround). */
export interface PackedFragment extends Fragment, Spliced {}

export function packFragment(f: Fragment): PackedFragment {
  const bytes = Buffer.from(f.html);
  return { ...f, ...spliced(bytes, deflateRawSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH })) };
}

interface Entry extends PackedFragment {
  stamp: string;
}

export interface FragmentCacheOptions {
  /** How many parts at most (0: nothing is kept). */
  maxEntries: number;
  /** Their size at most, counted as two bytes a character (what a string may take in memory). */
  maxBytes: number;
}

export interface FragmentCache {
  /** The part under `key` when it is still fresh, else undefined (a stale one is dropped). */
  get(key: string): PackedFragment | undefined;
  /**
   * Keeps a part under `key`, stamped with the freshness `stamp` read BEFORE its data was loaded (so a commit
   * while it was built makes it stale at once, never "fresh" with old data).
   */
  set(key: string, stamp: string, fragment: PackedFragment): void;
  /** Reads the stamp to hand to set() later. */
  stamp(): string;
  /** What is kept now. */
  size(): { entries: number; bytes: number };
}

export function fragmentCache(ctx: Pick<AppContext, 'dataVersion' | 'clock'>, opts: FragmentCacheOptions): FragmentCache {
  const entries = new ByteBoundedLru<Entry>(opts.maxEntries, opts.maxBytes);
  return {
    stamp: () => freshnessStamp(ctx),
    get(key) {
      const e = entries.get(key);
      if (!e) return undefined;
      if (e.stamp !== freshnessStamp(ctx)) {
        entries.delete(key);
        return undefined;
      }
      return e;
    },
    set(key, stamp, fragment) {
      // The string (up to two bytes a character), its UTF-8 bytes and the deflated copy.
      entries.set(key, { ...fragment, stamp }, fragment.html.length * 2 + fragment.bytes.length + fragment.deflated.length);
    },
    size: () => entries.size(),
  };
}

/** The page's fallback-note flag (src/i18n useLanguage): null in a complete language. */
function fallbackFlag(res: Response): { used: boolean } | null {
  return (res.locals as { fallbackNote?: { used: boolean } | null }).fallbackNote ?? null;
}

/** Renders `view` with the response's locals into a part (not sent), noting whether a text fell back to German. */
export function renderFragment(res: Response, view: string, locals: object): Promise<Fragment> {
  return new Promise((resolve, reject) => {
    res.render(view, locals, (err: Error | null, html: string) => (err ? reject(err) : resolve({ html, fallback: fallbackFlag(res)?.used === true })));
  });
}

/** A page's start or end around its kept part. */
type Piece = Spliced;

/**
 * The starts and ends sent last, by their exact text: a page's head, navigation and footer come out the same for
 * every visitor of one page in one language, and deflating them (a fresh zlib state each time) cost more than
 * rendering them. Only the compression is kept: the page is still rendered for every request, and a start that
 * differs by one character is deflated anew. About 2–3 kB a piece.
 */
export interface PieceStore {
  starts: ByteBoundedLru<Piece>;
  ends: ByteBoundedLru<Piece>;
}

/** A store of pieces: the public pages share one; a staff page keeps its own (its starts hold a member's name and form token). */
export function pieceStore(entries: number, bytes: number): PieceStore {
  return { starts: new ByteBoundedLru<Piece>(entries, bytes), ends: new ByteBoundedLru<Piece>(entries, bytes) };
}

const PUBLIC_PIECES = pieceStore(64, 1024 * 1024);

function pieceOf(kept: ByteBoundedLru<Piece>, text: string, flush: number): Piece {
  const known = kept.get(text);
  if (known) return known;
  const bytes = Buffer.from(text);
  const piece = spliced(bytes, deflateRawSync(bytes, { ...ZLIB_PER_ANSWER, finishFlush: flush }));
  kept.set(text, piece, text.length * 2 + bytes.length + piece.deflated.length);
  return piece;
}

/** Marks where the kept part goes in the page rendered around it (sendAround). */
const SLOT = '<!--kept-part-->';
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);

/**
 * Renders `view` around a kept part (the local `slot` stands for it) and sends the page. A browser that takes gzip
 * gets one gzip stream spliced from three raw deflate pieces: the page's start and end (2–3 kB, each deflated once
 * for each text it comes out as: `starts`, `ends`) and the part deflated once when it was kept (a sync flush ends
 * it on a byte boundary, so the next piece follows as new blocks); the trailer's CRC-32 and length are those of
 * the whole page. Compressing only the few kB around
 * the part is what makes a rendered week cheap (BENCHMARKS.md). A visitor the page cache is about to keep the
 * page for gets it plain, as the cache keeps pages uncompressed and compresses them itself.
 */
export function sendAround(
  req: Request,
  res: Response,
  view: string,
  locals: object,
  slot: string,
  part: PackedFragment,
  pieces: PieceStore = PUBLIC_PIECES,
): void {
  const flag = fallbackFlag(res);
  if (part.fallback && flag) flag.used = true;
  // Object.assign, not a spread (see views.ts): Express adds `_locals` to this object.
  res.render(view, Object.assign({}, locals, { [slot]: SLOT }), (err: Error | null, html: string) => {
    if (err) return req.next?.(err);
    const page = finishPage(res, html);
    const at = page.indexOf(SLOT);
    // A view that does not show the part would otherwise be sent cut at the wrong place.
    if (at < 0) return req.next?.(new Error(`${view} does not show ${slot}`));
    res.type('html');
    res.vary('Accept-Encoding');
    if (req.method === 'HEAD' || res.locals.pageCacheKeeps === true || chooseEncoding(req, 'gzip') !== 'gzip') {
      // Plain (or brotli for a browser without gzip: answerCompression).
      res.send(Buffer.concat([Buffer.from(page.slice(0, at)), part.bytes, Buffer.from(page.slice(at + SLOT.length))]));
      return;
    }
    const start = pieceOf(pieces.starts, page.slice(0, at), constants.Z_SYNC_FLUSH);
    const end = pieceOf(pieces.ends, page.slice(at + SLOT.length), constants.Z_FINISH);
    const length = start.bytes.length + part.bytes.length + end.bytes.length;
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc32Combine(crc32Combine(start.crc, part.crc, part.shift), end.crc, end.shift), 0);
    trailer.writeUInt32LE(length >>> 0, 4);
    const body = Buffer.concat([GZIP_HEADER, start.deflated, part.deflated, end.deflated, trailer]);
    res.setHeader('Content-Encoding', 'gzip');
    // The weak ETag hashed from the three pieces' digests instead of the whole body.
    res.setHeader('ETag', weakEtagOf(Buffer.concat([start.digest, part.digest, end.digest]), body.length));
    res.send(body);
  });
}
