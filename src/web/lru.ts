// The bookkeeping the page cache, the kept parts and the compressed page pieces share: at most so many entries
// and so many bytes, the least recently used going first. What a byte is (a string's two per character, a
// Buffer's length) is the caller's count.

interface Slot<V> {
  value: V;
  bytes: number;
}

export class ByteBoundedLru<V> {
  private readonly slots = new Map<string, Slot<V>>();
  private total = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  /** The value under `key`, now the most recently used. */
  get(key: string): V | undefined {
    const slot = this.slots.get(key);
    if (!slot) return undefined;
    // Most recently used last (a Map keeps insertion order).
    this.slots.delete(key);
    this.slots.set(key, slot);
    return slot.value;
  }

  /** The value under `key`, leaving the order as it is. */
  peek(key: string): V | undefined {
    return this.slots.get(key)?.value;
  }

  /**
   * Keeps `value` (replacing what was under `key`), letting the least recently used others go to stay within
   * the bounds. Returns false, keeping nothing, when it alone is over the bytes or nothing may be kept.
   */
  set(key: string, value: V, bytes: number): boolean {
    this.delete(key);
    if (this.maxEntries <= 0 || bytes > this.maxBytes) return false;
    while (this.slots.size >= this.maxEntries) this.delete(this.slots.keys().next().value as string);
    this.slots.set(key, { value, bytes: 0 });
    this.grow(key, bytes);
    return true;
  }

  /** Counts `added` more bytes for the entry under `key` (a copy kept beside it), letting the oldest others go. */
  grow(key: string, added: number): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    slot.bytes += added;
    this.total += added;
    for (const other of this.slots.keys()) {
      if (this.total <= this.maxBytes) break;
      if (other !== key) this.delete(other);
    }
  }

  delete(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    this.total -= slot.bytes;
    this.slots.delete(key);
  }

  /** What is kept now. */
  size(): { entries: number; bytes: number } {
    return { entries: this.slots.size, bytes: this.total };
  }
}
