// A fast path for the conversions a calendar page repeats thousands of times (instant → local 'HH:MM' and
// date, "does this wall time exist once?"). Luxon creates a DateTime and asks Intl for every call; here the
// zone's UTC offset is cached per 15-minute bucket (every offset change since 1970 falls on a quarter hour),
// and the rest is arithmetic. test/unit/time-zone-clock.test.ts checks it against Luxon (src/time).
import { IANAZone } from 'luxon';

const BUCKET_MS = 15 * 60_000;
const HOUR_MS = 3_600_000;
const MAX_ENTRIES = 200_000;

const caches = new Map<string, Map<number, number>>();

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export class ZoneClock {
  readonly #zone: IANAZone;
  readonly #cache: Map<number, number>;
  /** Luxon writes 'Z' for the zone named UTC and '+00:00' for other zones at offset 0. */
  readonly #utc: boolean;

  constructor(zone: string) {
    this.#zone = IANAZone.create(zone);
    this.#utc = zone.toLowerCase() === 'utc';
    let cache = caches.get(zone);
    if (!cache) caches.set(zone, (cache = new Map<number, number>()));
    this.#cache = cache;
  }

  /** The zone's offset from UTC in minutes at an instant. */
  offset(instant: number): number {
    const bucket = Math.floor(instant / BUCKET_MS);
    let off = this.#cache.get(bucket);
    if (off === undefined) {
      if (this.#cache.size > MAX_ENTRIES) this.#cache.clear();
      off = this.#zone.offset(bucket * BUCKET_MS);
      this.#cache.set(bucket, off);
    }
    return off;
  }

  #wall(instant: number): Date {
    return new Date(instant + this.offset(instant) * 60_000);
  }

  /** Local wall-clock time 'HH:MM'. */
  time(instant: number): string {
    const d = this.#wall(instant);
    return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  }

  /** ISO 8601 with the zone's offset, e.g. 2026-10-25T19:00:00+01:00 (as isoWithOffset in src/time). */
  iso(instant: number): string {
    const off = this.offset(instant);
    const wall = new Date(instant + off * 60_000).toISOString().slice(0, 19);
    if (off === 0 && this.#utc) return `${wall}Z`;
    const abs = Math.abs(off);
    return `${wall}${off < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }

  /** Local date 'YYYY-MM-DD'. */
  date(instant: number): string {
    return this.#wall(instant).toISOString().slice(0, 10);
  }

  /**
   * The instant of a local date and 'HH:MM' ('24:00': the next midnight), when that wall time exists
   * exactly once; null in the spring gap or the doubled autumn hour (callers decide what to do then).
   */
  instant(date: string, time: string): number | null {
    // A malformed date or time stays NaN (as before): no offset matches it.
    const [y = NaN, mo = NaN, d = NaN] = date.split('-').map(Number);
    const [h = NaN, mi = NaN] = time.split(':').map(Number);
    const wall = Date.UTC(y, mo - 1, d, h, mi);
    let found: number | null = null;
    for (const o of new Set([this.offset(wall - 86_400_000), this.offset(wall + 86_400_000)])) {
      const candidate = wall - o * 60_000;
      if (this.offset(candidate) !== o) continue;
      if (found !== null && found !== candidate) return null;
      found = candidate;
    }
    return found;
  }

  /** Whether the wall-clock time of this instant exists only once (not in the doubled autumn hour). */
  isUnambiguous(instant: number): boolean {
    const off = this.offset(instant);
    const wall = instant + off * 60_000;
    for (const probe of [instant - 3 * HOUR_MS, instant + 3 * HOUR_MS]) {
      const other = this.offset(probe);
      if (other === off) continue;
      const y = wall - other * 60_000;
      if (y !== instant && this.offset(y) === other) return false;
    }
    return true;
  }
}
