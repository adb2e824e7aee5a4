// Bounded lists for SQL: SQLite refuses more than 32,766 bound values per statement and expression trees
// deeper than 1,000 (an OR chain per value), so every query that takes a list takes it in slices of this size.
export const BATCH_SIZE = 500;

/** The list cut into slices of at most `size` (default BATCH_SIZE) items. */
export function chunks<T>(list: readonly T[], size: number = BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Runs `query` once per slice of `ids` (one after the other) and joins the rows. */
export async function inSlices<T>(ids: readonly number[], query: (slice: number[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (const slice of chunks(ids)) out.push(...(await query(slice)));
  return out;
}
