// Limits stored in the database, and how a refusal tells people when to try again.
import type { Response } from 'express';
import { localTime } from '../time/index.js';

/**
 * The local wall-clock time (HH:mm, house zone) from which a limited action works again, rounded up to the
 * next full minute so that trying at the time shown always works. The catalog adds "Uhr" where it belongs.
 */
export function retryClock(retryAt: number, zone: string): string {
  return localTime(Math.ceil(retryAt / 60_000) * 60_000, zone);
}

/** Sets Retry-After (seconds) for clients that read it. */
export function setRetryAfter(res: Response, retryAt: number, now: number): void {
  res.set('Retry-After', String(Math.max(1, Math.ceil((retryAt - now) / 1000))));
}
