// Rendered parts of public pages (the house week's grid), kept for the visitors the page cache cannot serve:
// anyone with a session cookie or a ?lang= choice. A part is reused under exactly the page cache's freshness
// rule (freshnessStamp: the data version, which any commit by any process changes, and the minute of the house
// clock), and only for the same key (the caller names the language and what was asked for). At most
// `maxEntries` parts and `maxBytes` are kept (least recently used go first): a few dozen weeks, a few megabytes.
import type { Response } from 'express';
import type { AppContext } from '../context.js';
import { freshnessStamp } from './page-cache.js';

export interface Fragment {
  html: string;
  /** A text in it was shown in German because the language lacks it (the page's fallback note). */
  fallback: boolean;
}

interface Entry extends Fragment {
  stamp: string;
  bytes: number;
}

export interface FragmentCacheOptions {
  /** How many parts at most (0: nothing is kept). */
  maxEntries: number;
  /** Their size at most, counted as two bytes a character (what a string may take in memory). */
  maxBytes: number;
}

export interface FragmentCache {
  /** The part under `key` when it is still fresh, else undefined (a stale one is dropped). */
  get(key: string): Fragment | undefined;
  /**
   * Keeps a part under `key`, stamped with the freshness `stamp` read BEFORE its data was loaded (so a commit
   * while it was built makes it stale at once, never "fresh" with old data).
   */
  set(key: string, stamp: string, fragment: Fragment): void;
  /** Reads the stamp to hand to set() later. */
  stamp(): string;
  /** What is kept now. */
  size(): { entries: number; bytes: number };
}

export function fragmentCache(ctx: Pick<AppContext, 'dataVersion' | 'clock'>, opts: FragmentCacheOptions): FragmentCache {
  const entries = new Map<string, Entry>();
  let bytes = 0;
  const drop = (key: string) => {
    const e = entries.get(key);
    if (!e) return;
    bytes -= e.bytes;
    entries.delete(key);
  };
  return {
    stamp: () => freshnessStamp(ctx),
    get(key) {
      const e = entries.get(key);
      if (!e) return undefined;
      if (e.stamp !== freshnessStamp(ctx)) {
        drop(key);
        return undefined;
      }
      // Most recently used last (a Map keeps insertion order).
      entries.delete(key);
      entries.set(key, e);
      return { html: e.html, fallback: e.fallback };
    },
    set(key, stamp, fragment) {
      drop(key);
      const size = fragment.html.length * 2;
      if (opts.maxEntries <= 0 || size > opts.maxBytes) return;
      while (entries.size >= opts.maxEntries || bytes + size > opts.maxBytes) drop(entries.keys().next().value as string);
      entries.set(key, { ...fragment, stamp, bytes: size });
      bytes += size;
    },
    size: () => ({ entries: entries.size, bytes }),
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

/** Puts a kept part on this page: its HTML, and the page's fallback note when a text in it fell back. */
export function useFragment(res: Response, fragment: Fragment): string {
  const flag = fallbackFlag(res);
  if (fragment.fallback && flag) flag.used = true;
  return fragment.html;
}
