// Offers in words, for the staff pages, the group's offer page and the offer mail: one option as people say it.
import type { Translate } from '../i18n/index.js';
import { formatTimeRange, formatWhen } from '../time/format.js';
import { localToInstantLenient } from '../time/index.js';

export interface OptionLike {
  roomName: string;
  date: string | null;
  start: string;
  end: string;
}

/**
 * "Freitag, 4. Dezember 2026, 16:00–18:00 Uhr – Gruppenraum" for a single date; for a series "Gruppenraum,
 * 16:00–18:00 Uhr, an allen 5 offenen Terminen" (a series keeps its days).
 */
export function describeOption(o: OptionLike, c: { zone: string; lang: string; t: Translate; count: number }): string {
  if (o.date) {
    const when = formatWhen(localToInstantLenient(o.date, o.start, c.zone), localToInstantLenient(o.date, o.end, c.zone), c.zone, c.lang, c.t);
    return c.t('offer.option.single', { when, room: o.roomName });
  }
  return c.t('offer.option.series', { room: o.roomName, time: formatTimeRange(o.start, o.end, c.t), count: c.count });
}
