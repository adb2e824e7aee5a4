// The ways a domain operation can fail, each with a stable code, in one place. Services return these codes (or
// throw a DomainError for the few that end the request); they never take a translator and never throw HTTP
// errors. The web edge (src/web/errors.ts, `httpErrorOf`) maps each code to an HTTP status and catalog texts.

export const DOMAIN_ERROR_CODES = [
  /** The thing asked for does not exist (or no longer does). */
  'not_found',
  /** The change is refused because the data changed meanwhile or a rule forbids it in this state. */
  'conflict',
  /** The database guard refused: the time is taken (a booking or a blocked time in a shared space). */
  'clash',
  /** A decision or change names a date that is not one of the request's own. */
  'foreign_date',
  /** None of the chosen dates still takes place (all were rejected, cancelled or skipped): nothing to change. */
  'not_live',
  /** The room a change names does not exist. */
  'unknown_room',
  /** A date asked for (a query value) is no date; params: value, from, to (the calendar's years). */
  'bad_date',
  /** A month asked for is no month; params as bad_date. */
  'bad_month',
  /** A date or month asked for lies outside the calendar's years; params as bad_date. */
  'date_out_of_range',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** A domain failure that ends the request; `code` picks status and texts at the edge. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    /** Placeholder values for the edge's message (never personal data: they may reach logs). */
    readonly params?: Record<string, string | number>,
  ) {
    super(code);
    this.name = 'DomainError';
  }
}

export function isDomainError(err: unknown): err is DomainError {
  return err instanceof DomainError;
}

/**
 * Why the database could not be written (disk full, read-only, I/O failure), when that is the reason for this error;
 * null for any other error. It reads the SQLite error code only, so the web edge can classify a failure without
 * importing src/db.
 */
export type StorageFailure = 'full' | 'readonly' | 'error';

export function storageFailure(err: unknown): StorageFailure | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (code === 'SQLITE_FULL') return 'full';
  if (code.startsWith('SQLITE_READONLY')) return 'readonly';
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) return 'error';
  return null;
}
