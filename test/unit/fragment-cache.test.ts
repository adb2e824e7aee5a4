// The store behind the kept house week (src/web/fragment-cache.ts): fresh only under the same stamp, bounded in
// parts and in bytes, the least recently used going first.
import { constants, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fragmentCache, packFragment } from '../../src/web/fragment-cache.js';

function world() {
  let version = 'v1';
  let now = Date.UTC(2026, 11, 1, 9, 0, 0);
  const ctx = { dataVersion: () => version, clock: () => new Date(now) };
  return { ctx, commit: (v: string) => (version = v), advance: (ms: number) => (now += ms) };
}
const part = (html: string, fallback = false) => packFragment({ html, fallback });
/** What a kept part counts: its string at two bytes a character, its UTF-8 bytes and their deflated copy. */
const sizeOf = (p: ReturnType<typeof part>) => p.html.length * 2 + Buffer.byteLength(p.html) + p.deflated.length;

describe('the fragment cache', () => {
  it('gives a part back only under the stamp it was built at (data version and minute)', () => {
    const w = world();
    const c = fragmentCache(w.ctx, { maxEntries: 10, maxBytes: 1e6 });
    c.set('de', c.stamp(), part('<p>a</p>'));
    expect(c.get('de')?.html).toBe('<p>a</p>');
    expect(c.get('en')).toBeUndefined();
    w.advance(59_000); // 09:00:59, the same minute
    expect(c.get('de')?.html).toBe('<p>a</p>');
    w.advance(1_000); // 09:01:00
    expect(c.get('de')).toBeUndefined();
    expect(c.size().entries).toBe(0); // a stale part is dropped, not kept
    c.set('de', c.stamp(), part('<p>b</p>'));
    w.commit('v2');
    expect(c.get('de')).toBeUndefined();
  });

  it('never keeps a part built while the data changed as fresh', () => {
    const w = world();
    const c = fragmentCache(w.ctx, { maxEntries: 10, maxBytes: 1e6 });
    const stamp = c.stamp(); // read before loading
    w.commit('v2'); // a commit while the part was built
    c.set('de', stamp, part('<p>old</p>'));
    expect(c.get('de')).toBeUndefined();
  });

  it('keeps at most maxEntries parts, dropping the least recently used', () => {
    const w = world();
    const c = fragmentCache(w.ctx, { maxEntries: 2, maxBytes: 1e6 });
    c.set('a', c.stamp(), part('A'));
    c.set('b', c.stamp(), part('B'));
    c.get('a');
    c.set('c', c.stamp(), part('C'));
    expect([c.get('a')?.html, c.get('b')?.html, c.get('c')?.html]).toEqual(['A', undefined, 'C']);
    expect(c.size()).toEqual({ entries: 2, bytes: sizeOf(part('A')) + sizeOf(part('C')) });
  });

  it('keeps at most maxBytes (the string at two bytes a character, its bytes and the deflated copy), and no part larger than that', () => {
    const w = world();
    const one = sizeOf(part('a'.repeat(20)));
    const c = fragmentCache(w.ctx, { maxEntries: 100, maxBytes: Math.floor(one * 2.5) });
    for (const k of ['a', 'b', 'c']) c.set(k, c.stamp(), part(k.repeat(20)));
    expect(c.size()).toEqual({ entries: 2, bytes: 2 * one });
    expect(c.get('a')).toBeUndefined();
    c.set('big', c.stamp(), part('x'.repeat(200)));
    expect(c.get('big')).toBeUndefined();
    expect(c.size().bytes).toBeLessThanOrEqual(Math.floor(one * 2.5));
  });

  it('packs a part as UTF-8 bytes and a raw deflate stream that inflates back to them', () => {
    const p = part('<p>Großer Saal – belegt</p>'.repeat(50));
    expect(p.bytes.toString('utf8')).toBe(p.html);
    // No final block: the stream goes on in the page's gzip stream (sendAround), so it is read up to its sync flush.
    expect(inflateRawSync(p.deflated, { finishFlush: constants.Z_SYNC_FLUSH }).equals(p.bytes)).toBe(true);
    expect(p.deflated.length).toBeLessThan(p.bytes.length / 10);
  });

  it('keeps nothing with maxEntries 0, and replaces a part under the same key', () => {
    const w = world();
    const off = fragmentCache(w.ctx, { maxEntries: 0, maxBytes: 1e6 });
    off.set('a', off.stamp(), part('A'));
    expect(off.get('a')).toBeUndefined();
    const c = fragmentCache(w.ctx, { maxEntries: 5, maxBytes: 1e6 });
    c.set('a', c.stamp(), part('A'));
    c.set('a', c.stamp(), part('AA', true));
    expect(c.get('a')).toMatchObject({ html: 'AA', fallback: true });
    expect(c.size()).toEqual({ entries: 1, bytes: sizeOf(part('AA')) });
  });
});
