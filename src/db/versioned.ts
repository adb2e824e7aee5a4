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
