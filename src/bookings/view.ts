// Formatting of instants and clashes for the staff pages (view models call these; templates never do date maths).
import type { Lang, Translate } from '../i18n/index.js';
import type { BookingRequest } from '../db/schema.js';
import { formatDate, formatTimeRange, formatWhen } from '../time/format.js';
import type { Clash } from './occupancy-clashes.js';
import { nthWord, rhythmOf, seriesDates, type Nth, type Rhythm } from './series.js';

/** A rhythm in words: "jeden Dienstag", "alle 2 Wochen am Dienstag", "jeden letzten Dienstag im Monat". */
export function rhythmText(rhythm: Rhythm, firstDate: string, lang: Lang, t: Translate): string {
  const weekday = formatDate(firstDate, lang, 'weekday');
  if (rhythm.kind === 'weekly') return t('rhythm.weekly', { weeks: rhythm.everyWeeks, weekday });
  if (rhythm.kind === 'monthly') return t('rhythm.monthly', { nth: nthWord(rhythm.nth as Nth), weekday });
  return t('rhythm.dates');
}

/**
 * A request's series in words, the one description of every place that names it (the group's manage page,
 * the inbox, the request detail, mails): "jeden letzten Dienstag im Monat, 19:00–21:00 Uhr, 27. Januar 2027 bis
 * 30. Juni 2027, 6 Termine". Null for a single date. The count is the dates of the rhythm, skipped ones included.
 */
export function describeRhythm(
  r: Pick<BookingRequest, 'repeat_kind' | 'repeat_weeks' | 'repeat_nth' | 'repeat_dates' | 'first_date' | 'last_date' | 'start_time' | 'end_time'>,
  lang: Lang,
  t: Translate,
): string | null {
  const rhythm = rhythmOf(r);
  if (!rhythm) return null;
  const lastDate = r.last_date ?? r.first_date;
  return t('rhythm.summary', {
    rhythm: rhythmText(rhythm, r.first_date, lang, t),
    time: formatTimeRange(r.start_time, r.end_time, t),
    from: formatDate(r.first_date, lang, 'date'),
    to: formatDate(lastDate, lang, 'date'),
    count: seriesDates({ firstDate: r.first_date, lastDate, rhythm }).length,
  });
}

export interface ClashView {
  kind: 'booking' | 'block';
  /** Link to the clashing request (bookings only). */
  href: string | null;
  /** One readable line: reference, title, time and room (or the block's reason and label). */
  text: string;
}

export function clashView(c: Clash, zone: string, lang: Lang, t: Translate): ClashView {
  const when = formatWhen(c.start, c.end, zone, lang, t);
  if (c.kind === 'booking') {
    return {
      kind: 'booking',
      href: `/admin/requests/${c.requestId}`,
      text: t('staff.clash.booking', { reference: c.reference ?? '', title: c.title ?? '', when, room: c.roomName ?? '' }),
    };
  }
  const reason = c.reason ? t(`blockReason.${c.reason}`) : '';
  return {
    kind: 'block',
    href: null,
    text: t('staff.clash.block', {
      reason,
      label: c.label ? ` (${c.label})` : '',
      when,
      room: c.roomName ?? t('staff.wholeHouse'),
    }),
  };
}
