// The byte-bounded LRU the page cache, the kept parts and the compressed page pieces share (src/web/lru.ts).
import { describe, expect, it } from 'vitest';
import { ByteBoundedLru } from '../../src/web/lru.js';

describe('ByteBoundedLru', () => {
  it('keeps at most maxEntries values, letting the least recently used go first', () => {
    const lru = new ByteBoundedLru<string>(2, 1000);
    lru.set('a', 'A', 1);
    lru.set('b', 'B', 1);
    expect(lru.get('a')).toBe('A'); // a is now the most recently used
    lru.set('c', 'C', 1);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe('A');
    expect(lru.get('c')).toBe('C');
    expect(lru.size()).toEqual({ entries: 2, bytes: 2 });
  });

  it('keeps at most maxBytes, and refuses a value larger than that alone', () => {
    const lru = new ByteBoundedLru<string>(10, 100);
    lru.set('a', 'A', 40);
    lru.set('b', 'B', 40);
    lru.set('c', 'C', 40); // 120 > 100: a goes
    expect(lru.peek('a')).toBeUndefined();
    expect(lru.size()).toEqual({ entries: 2, bytes: 80 });
    expect(lru.set('huge', 'H', 101)).toBe(false);
    expect(lru.peek('huge')).toBeUndefined();
    expect(lru.size()).toEqual({ entries: 2, bytes: 80 });
  });

  it('counts bytes added to an entry later, letting others go but never the entry itself', () => {
    const lru = new ByteBoundedLru<string>(10, 100);
    lru.set('a', 'A', 30);
    lru.set('b', 'B', 30);
    lru.grow('b', 50); // 110: a goes, b stays
    expect(lru.peek('a')).toBeUndefined();
    expect(lru.size()).toEqual({ entries: 1, bytes: 80 });
    lru.grow('b', 50); // b alone over the bound: it is still the one kept
    expect(lru.peek('b')).toBe('B');
    lru.grow('gone', 10); // nothing under that key: nothing counted
    expect(lru.size()).toEqual({ entries: 1, bytes: 130 });
  });

  it('replaces a value under the same key with its new size, and peek leaves the order as it is', () => {
    const lru = new ByteBoundedLru<string>(2, 1000);
    lru.set('a', 'A', 10);
    lru.set('a', 'A2', 20);
    expect(lru.size()).toEqual({ entries: 1, bytes: 20 });
    lru.set('b', 'B', 1);
    expect(lru.peek('a')).toBe('A2'); // not made the most recently used
    lru.set('c', 'C', 1);
    expect(lru.peek('a')).toBeUndefined();
    lru.delete('b');
    expect(lru.size()).toEqual({ entries: 1, bytes: 1 });
  });

  it('keeps nothing with maxEntries 0', () => {
    const lru = new ByteBoundedLru<string>(0, 100);
    expect(lru.set('a', 'A', 1)).toBe(false);
    expect(lru.size()).toEqual({ entries: 0, bytes: 0 });
  });
});
