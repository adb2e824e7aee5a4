// View models of the search page: the form (values as typed, the equipment and weekday choices) and the answer,
// every date and time already written for people in the reader's language (templates print them as they are).
import type { Room } from '../db/schema.js';
import type { Lang, MessageKey, Translate } from '../i18n/index.js';
import { EQUIPMENT } from '../constants.js';
import { describeClash } from '../bookings/present.js';
import { formatDate, formatTimeRange } from '../time/format.js';
import type { SearchErrors, SearchField, SearchValues } from './schema.js';
import type { DateAnswer, RoomAnswer, SearchResult, Unbookable } from './service.js';

/** The form's fields in page order (the error summary follows it). */
const FIELD_ORDER: SearchField[] = ['date', 'weekday', 'start', 'end', 'repeat', 'lastDate', 'attendees', 'equipment'];

export interface SearchFormView {
  values: SearchValues;
  errors: Partial<Record<SearchField, string>>;
  weekdays: { value: string; label: string }[];
  equipment: { key: string; label: string }[];
}

export function formView(values: SearchValues, errors: SearchErrors, t: Translate): SearchFormView {
  const messages: Partial<Record<SearchField, string>> = {};
  for (const f of FIELD_ORDER) {
    const e = errors[f];
    if (e) messages[f] = t(e.key, e.params);
  }
  const weekdayKeys: MessageKey[] = ['weekday.1', 'weekday.2', 'weekday.3', 'weekday.4', 'weekday.5', 'weekday.6', 'weekday.7'];
  return {
    values,
    errors: messages,
    weekdays: weekdayKeys.map((k, i) => ({ value: String(i + 1), label: t(k) })),
    equipment: EQUIPMENT.map((k) => ({ key: k, label: t(`equipment.${k}`) })),
  };
}

export type MarkKind = DateAnswer['verdict']['kind'];

export interface DateLine {
  date: string;
  label: string;
  kind: MarkKind;
  mark: string;
  reasons: string[];
}

export interface RoomResultView {
  slug: string;
  name: string;
  href: string;
  facts: string;
  /** "12 von 17 Terminen frei" / "frei" / "nicht frei". */
  summary: string;
  free: boolean;
  /** Free dates, short ("01.12."), for a weekly wish. */
  freeDates: { date: string; label: string }[];
  /** Dates that are not free, each with why. */
  notFree: DateLine[];
  alternatives: { time: string; href: string; label: string }[];
  /** Once, not free, and no other time of this length that day. */
  noAlternatives: boolean;
  request: { href: string; label: string } | null;
}

export interface SearchResultView {
  heading: string;
  wish: string;
  status: string;
  leftOut: string[];
  houseNotice: string | null;
  rooms: RoomResultView[];
  officeOnly: { name: string; href: string }[];
  officeText: string | null;
  emptyText: string | null;
}

/** The request form's query for a room and dates (its own parameter names: bookings/form.ts). */
function requestHref(room: Room, r: SearchResult, date: string, start: string, end: string, lastDate: string | null): string {
  const q = new URLSearchParams({ room: room.slug, date, start, end });
  if (lastDate !== null) {
    q.set('repeat', 'weekly');
    q.set('everyWeeks', '1');
    q.set('lastDate', lastDate);
  }
  if (r.attendees !== null) q.set('attendees', String(r.attendees));
  for (const e of r.equipment) q.append('equipment', e);
  return `/requests/new?${q.toString()}`;
}

function reasonText(reason: Unbookable, r: SearchResult, house: { leadTimeDays: number; horizonMonths: number; contactPhone: string }, t: Translate): string {
  switch (reason) {
    case 'past':
      return t('search.reason.past');
    case 'leadTime':
      return house.contactPhone
        ? t('search.reason.leadTimePhone', { days: house.leadTimeDays, phone: house.contactPhone })
        : t('search.reason.leadTime', { days: house.leadTimeDays });
    case 'horizon':
      return t('search.reason.horizon', { months: house.horizonMonths });
    case 'closedDay':
      return t('search.reason.closedDay');
    case 'openingHours':
      return t('search.reason.openingHours', { hours: r.open ? formatTimeRange(r.open.open, r.open.close, t) : '' });
    case 'time':
      return t('search.reason.time');
  }
}

const MARK: Record<MarkKind, MessageKey> = {
  free: 'search.mark.free',
  clash: 'search.mark.clash',
  closed: 'search.mark.closed',
  holiday: 'search.mark.holiday',
  unbookable: 'search.mark.unbookable',
};

export function resultView(
  r: SearchResult,
  house: { zone: string; leadTimeDays: number; horizonMonths: number; contactPhone: string },
  lang: Lang,
  t: Translate,
): SearchResultView {
  const time = formatTimeRange(r.start, r.end, t);
  const people = r.attendees !== null ? t('search.wish.people', { count: r.attendees }) : null;
  const wishBase = r.weekly
    ? t('search.wish.weekly', {
        weekday: formatDate(r.firstDate, lang, 'weekday'),
        from: formatDate(r.firstDate, lang, 'date'),
        to: formatDate(r.lastDate, lang, 'date'),
        time,
      })
    : t('search.wish.once', { date: formatDate(r.firstDate, lang), time });
  const equipment = r.equipment.map((e) => t(`equipment.${e}`)).join(', ');
  const wish = [wishBase, people, equipment ? t('search.wish.equipment', { list: equipment }) : null].filter(Boolean).join(' · ');

  // Every room answers for the same dates, and a whole-house closure is the same clash in each: each text is
  // formatted once per page.
  const memo = <T>(f: (k: string) => T) => {
    const cache = new Map<string, T>();
    return (k: string) => {
      let v = cache.get(k);
      if (v === undefined) cache.set(k, (v = f(k)));
      return v;
    };
  };
  const longDate = memo((d) => formatDate(d, lang));
  const shortDate = memo((d) => formatDate(d, lang, 'short'));
  const clashTexts = new Map<string, string>();
  const clashText = (c: Parameters<typeof describeClash>[0]) => {
    const key = `${c.kind}|${c.roomId}|${c.start}|${c.end}|${c.buffersOnly}`;
    let v = clashTexts.get(key);
    if (v === undefined) clashTexts.set(key, (v = describeClash(c, house.zone, lang, t)));
    return v;
  };

  const line = (a: DateAnswer): DateLine => {
    const v = a.verdict;
    let reasons: string[] = [];
    if (v.kind === 'clash' || v.kind === 'closed') reasons = v.clashes.map(clashText);
    else if (v.kind === 'holiday') reasons = [t('search.reason.holiday', { name: v.name })];
    else if (v.kind === 'unbookable') reasons = [reasonText(v.reason, r, house, t)];
    return { date: a.date, label: longDate(a.date), kind: v.kind, mark: t(MARK[v.kind]), reasons };
  };

  const rooms = r.rooms.map((a: RoomAnswer): RoomResultView => {
    const total = a.dates.length;
    const once = !r.weekly;
    const summary = once ? t(a.freeCount ? 'search.room.freeOnce' : 'search.room.notFreeOnce') : t('search.room.freeWeekly', { free: a.freeCount, total });
    const requestLabel = once ? t('search.room.requestOnce', { room: a.room.name }) : t('search.room.requestWeekly', { room: a.room.name, count: a.freeCount });
    return {
      slug: a.room.slug,
      name: a.room.name,
      href: `/rooms/${encodeURIComponent(a.room.slug)}`,
      facts: t('room.capacity.value', { n: a.room.capacity }),
      summary,
      free: a.freeCount > 0,
      freeDates: r.weekly ? a.dates.filter((d) => d.verdict.kind === 'free').map((d) => ({ date: d.date, label: shortDate(d.date) })) : [],
      notFree: a.dates.filter((d) => d.verdict.kind !== 'free').map(line),
      alternatives: a.alternatives.map((f) => {
        const range = formatTimeRange(f.start, f.end, t);
        return {
          time: range,
          href: requestHref(a.room, r, r.firstDate, f.start, f.end, null),
          label: t('search.room.alternativeLabel', { room: a.room.name, time: range }),
        };
      }),
      noAlternatives: once && a.freeCount === 0 && a.alternatives.length === 0,
      request: a.request
        ? { href: requestHref(a.room, r, a.request.firstDate, r.start, r.end, r.weekly ? a.request.lastDate : null), label: requestLabel }
        : null,
    };
  });

  const leftOut: string[] = [];
  if (r.leftOut.capacity) leftOut.push(t('search.leftOut.capacity', { count: r.leftOut.capacity }));
  if (r.leftOut.equipment) leftOut.push(t('search.leftOut.equipment', { count: r.leftOut.equipment }));

  const houseNotice = r.houseReason ? t('search.houseNotice', { reason: reasonText(r.houseReason, r, house, t) }) : null;
  const officeOnly = r.officeOnly.map((room) => ({ name: room.name, href: `/rooms/${encodeURIComponent(room.slug)}` }));
  const officeText = officeOnly.length
    ? house.contactPhone
      ? t('search.office.phone', { count: officeOnly.length, phone: house.contactPhone })
      : t('search.office.noPhone', { count: officeOnly.length })
    : null;
  let emptyText: string | null = null;
  if (!rooms.length) emptyText = t(officeOnly.length ? 'search.empty.officeOnly' : leftOut.length ? 'search.empty.leftOut' : 'search.empty.none');
  return {
    heading: t('search.result.heading'),
    wish,
    status: t('search.result.count', { count: rooms.length }),
    leftOut,
    houseNotice,
    rooms,
    officeOnly,
    officeText,
    emptyText,
  };
}
