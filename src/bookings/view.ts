// Formatting of instants and clashes for the staff pages (view models call these; templates never do date maths).
import type { Lang, Translate } from '../i18n/index.js';
import { formatWhen } from '../time/format.js';
import type { Clash } from './occupancy-clashes.js';

/** "jede Woche" / "alle 2 Wochen": a series' rhythm (1 to 4 weeks, as the database allows), in the requests' words. */
export function everyWeeks(weeks: number, t: Translate): string {
  return t('requests.everyWeeks', { weeks });
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
