// The store behind the kept house week (src/web/fragment-cache.ts): fresh only under the same stamp, bounded in
// parts and in bytes, the least recently used going first.
import { describe, expect, it } from 'vitest';
import { fragmentCache } from '../../src/web/fragment-cache.js';

function world() {
  let version = 'v1';
  let now = Date.UTC(2026, 11, 1, 9, 0, 0);
  const ctx = { dataVersion: () => version, clock: () => new Date(now) };
  return { ctx, commit: (v: string) => (version = v), advance: (ms: number) => (now += ms) };
}
const part = (html: string) => ({ html, fallback: false });

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
    expect(c.size()).toEqual({ entries: 2, bytes: 4 });
  });

  it('keeps at most maxBytes (two a character), and no part larger than that', () => {
    const w = world();
    const c = fragmentCache(w.ctx, { maxEntries: 100, maxBytes: 100 });
    for (const k of ['a', 'b', 'c']) c.set(k, c.stamp(), part(k.repeat(20))); // 40 bytes each
    expect(c.size()).toEqual({ entries: 2, bytes: 80 });
    expect(c.get('a')).toBeUndefined();
    c.set('big', c.stamp(), part('x'.repeat(51)));
    expect(c.get('big')).toBeUndefined();
    expect(c.size().bytes).toBeLessThanOrEqual(100);
  });

  it('keeps nothing with maxEntries 0, and replaces a part under the same key', () => {
    const w = world();
    const off = fragmentCache(w.ctx, { maxEntries: 0, maxBytes: 1e6 });
    off.set('a', off.stamp(), part('A'));
    expect(off.get('a')).toBeUndefined();
    const c = fragmentCache(w.ctx, { maxEntries: 5, maxBytes: 1e6 });
    c.set('a', c.stamp(), part('A'));
    c.set('a', c.stamp(), { html: 'AA', fallback: true });
    expect(c.get('a')).toEqual({ html: 'AA', fallback: true });
    expect(c.size()).toEqual({ entries: 1, bytes: 4 });
  });
});
