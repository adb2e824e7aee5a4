// Values read on almost every page but changed a few times a year (the house settings, the rooms and their
// parts), kept in memory and reused while the database's data version is unchanged: any commit, through this
// connection or by another process on the same file, makes the next read load them again. Callers treat
// the value as read-only: it is shared by every request until the next commit.
import type { DB } from './database.js';

interface Slot {
  version: string;
  value: Promise<unknown>;
}

const slots = new WeakMap<DB, Map<string, Slot>>();

export function versioned<T>(ctx: { db: DB; dataVersion(): string }, name: string, load: () => Promise<T>): Promise<T> {
  let byName = slots.get(ctx.db);
  if (!byName) slots.set(ctx.db, (byName = new Map<string, Slot>()));
  const version = ctx.dataVersion();
  const slot = byName.get(name);
  if (slot && slot.version === version) return slot.value as Promise<T>;
  const value = load();
  byName.set(name, { version, value });
  // A failed load is not kept.
  value.catch(() => byName.get(name)?.value === value && byName.delete(name));
  return value;
}

/**
 * Values for many keys (a list per filter and page), each reused while the data version is unchanged, at most
 * `max` of them (the least recently used go first; 0 keeps none). The version is read before the load starts,
 * so a commit while it runs makes the value stale at once. Callers treat values as read-only.
 */
export function keptByVersion<T>(ctx: { dataVersion(): string }, max: number): (key: string, load: () => Promise<T>) => Promise<T> {
  const kept = new Map<string, Slot>();
  return (key, load) => {
    if (max <= 0) return load();
    const version = ctx.dataVersion();
    const slot = kept.get(key);
    kept.delete(key);
    if (slot && slot.version === version) {
      kept.set(key, slot);
      return slot.value as Promise<T>;
    }
    const value = load();
    while (kept.size >= max) kept.delete(kept.keys().next().value as string);
    kept.set(key, { version, value });
    value.catch(() => kept.get(key)?.value === value && kept.delete(key));
    return value;
  };
}
