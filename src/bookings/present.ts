// View models of the requests area: dates, clashes and a request's status, formatted in the house zone and
// the reader's language (templates print them as they are).
import type { Booking, BookingRequest, Room } from '../db/schema.js';
import type { Lang, Translate } from '../i18n/index.js';
import { formatDate, formatInstant, formatWhen } from '../time/format.js';
import type { PublicClash } from './clashes.js';
import type { PlannedDate } from './series.js';
import type { FieldError } from './form.js';
import { describeRhythm } from './view.js';
import { holidaysBetween } from '../time/holidays.js';
import { parseDate } from '../time/index.js';
import { datesCancelledByGroup, type RequestEvent } from './repository.js';

/** A field error's text in the reader's language; the clashes it names (if any) as its `clash` parameter. */
export function fieldErrorText(e: FieldError, zone: string, lang: Lang, t: Translate): string {
  // Dates named in the message (hand-picked dates, a suggested first date) are written for people.
  const dates = Object.fromEntries(Object.entries(e.dates ?? {}).map(([k, list]) => [k, list.map((d) => formatDate(d, lang, 'date')).join(', ')]));
  const params = { ...readableDates(e.params, lang), ...dates };
  if (!e.clashes) return t(e.key, params);
  return t(e.key, { ...params, clash: e.clashes.map((c) => describeClash(c, zone, lang, t)).join(' ') });
}

/**
 * A message's dates written for people ("1. Dezember 2027", never "2027-12-01"). `value`, what was typed,
 * stays as typed.
 */
function readableDates(params: Record<string, string | number>, lang: Lang): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params)) out[k] = k !== 'value' && typeof v === 'string' && parseDate(v) ? formatDate(v, lang, 'date') : v;
  return out;
}

/** One clash for the public: the room (or the whole house), the time and, for a block, why. Never whose. */
export function describeClash(c: PublicClash, zone: string, lang: Lang, t: Translate): string {
  const when = formatWhen(c.start, c.end, zone, lang, t);
  const room = c.roomName ?? t('requests.clash.wholeHouse');
  if (c.kind === 'block') {
    const reason = c.label ?? (c.reason ? t(`blockReason.${c.reason}`) : t('status.closed'));
    return t('requests.clash.block', { room, when, reason });
  }
  return t(c.buffersOnly ? 'requests.clash.bookingBuffer' : 'requests.clash.booking', { room, when });
}

export interface PlannedDateView {
  when: string;
  status: PlannedDate['status'];
  statusText: string;
  /** Why the date is skipped or clashes. */
  reasons: string[];
}

export function plannedDateView(d: PlannedDate, zone: string, lang: Lang, t: Translate): PlannedDateView {
  const when = formatWhen(d.start, d.end, zone, lang, t);
  if (d.status === 'ok') return { when, status: 'ok', statusText: t('requests.preview.ok'), reasons: [] };
  if (d.skipReason === 'holiday') {
    return { when, status: d.status, statusText: t('requests.preview.skipped'), reasons: [t('requests.preview.holiday', { name: d.holiday ?? '' })] };
  }
  return {
    when,
    status: d.status,
    statusText: t(d.status === 'clash' ? 'requests.preview.clash' : 'requests.preview.skipped'),
    reasons: d.clashes.map((c) => describeClash(c, zone, lang, t)),
  };
}

export type OverallStatus = 'pending' | 'partly' | 'approved' | 'rejected' | 'cancelled';

/** A request's status as a whole, from its dates (skipped dates do not count). */
export function overallStatus(bookings: Pick<Booking, 'status'>[]): OverallStatus {
  const counted = bookings.filter((b) => b.status !== 'skipped');
  const has = (s: Booking['status']) => counted.some((b) => b.status === s);
  if (!counted.length || counted.every((b) => b.status === 'cancelled')) return 'cancelled';
  if (has('pending')) return has('approved') ? 'partly' : 'pending';
  if (has('approved')) return 'approved';
  return 'rejected';
}

/** Dates the group may still cancel: requested or confirmed, and not yet begun. */
export function isCancellable(b: Pick<Booking, 'status' | 'start_at'>, now: number): boolean {
  return (b.status === 'pending' || b.status === 'approved') && b.start_at > now;
}

/** A request may be edited while it is pending as a whole and none of its dates has begun. */
export function isEditable(bookings: Pick<Booking, 'status' | 'start_at'>[], now: number): boolean {
  const active = bookings.filter((b) => b.status === 'pending' || b.status === 'approved');
  return active.length > 0 && active.every((b) => b.status === 'pending') && bookings.every((b) => b.start_at > now || b.status !== 'pending');
}

export interface ManageDateView {
  id: number;
  when: string;
  status: Booking['status'];
  statusText: string;
  note: string | null;
  cancellable: boolean;
}

export interface HistoryEntry {
  when: string;
  text: string;
  message: string | null;
}

export interface ManageView {
  reference: string;
  title: string;
  roomName: string;
  status: OverallStatus;
  statusText: string;
  series: string | null;
  dates: ManageDateView[];
  history: HistoryEntry[];
  cancellableCount: number;
  editable: boolean;
}

/** The manage page: overall status, each date with its status, and the house's decisions in time order. */
export function manageView(
  request: BookingRequest,
  bookings: Booking[],
  room: Room | undefined,
  now: number,
  zone: string,
  lang: Lang,
  t: Translate,
  /** The group's edits and cancellations and the house's changes, from the audit log. */
  events: RequestEvent[] = [],
  /** Names of the public holidays on the request's skipped dates, by local date (as the preview named them). */
  holidayNames: ReadonlyMap<string, string> = new Map(),
): ManageView {
  const status = overallStatus(bookings);
  // Dates the group cancelled itself ("absagen"); its other cancelled dates were dropped by an edit.
  const cancelledByGroup = datesCancelledByGroup(events);
  const dates = bookings.map((b): ManageDateView => {
    let note: string | null = null;
    if (b.status === 'skipped' && b.skip_reason) {
      const holiday = b.skip_reason === 'holiday' ? holidayNames.get(b.local_date) : undefined;
      note = holiday ? t('requests.preview.holiday', { name: holiday }) : t(`requests.skip.${b.skip_reason}`);
    }
    if (b.status === 'cancelled') {
      note = t(
        b.cancelled_by === 'house'
          ? 'requests.manage.cancelledByHouse'
          : cancelledByGroup.has(b.id)
            ? 'requests.manage.cancelledByGroup'
            : 'requests.manage.droppedByEdit',
      );
    }
    return {
      id: b.id,
      when: formatWhen(b.start_at, b.end_at, zone, lang, t),
      status: b.status,
      statusText: t(`bookingStatus.${b.status}`),
      note,
      cancellable: isCancellable(b, now),
    };
  });
  // Decisions of the house, one entry per moment and outcome (a whole series decided at once is one entry).
  // A date the group cancelled after its approval still shows the approval.
  const groups = new Map<string, { at: number; outcome: 'approved' | 'rejected' | 'cancelled'; message: string | null; count: number }>();
  const add = (at: number | null, outcome: 'approved' | 'rejected' | 'cancelled', message: string | null) => {
    if (at === null) return;
    const key = `${at}|${outcome}|${message ?? ''}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { at, outcome, message, count: 1 });
  };
  for (const b of bookings) {
    if (b.status === 'approved' || (b.status === 'cancelled' && b.cancelled_by === 'group')) add(b.decided_at, 'approved', b.decision_message);
    else if (b.status === 'rejected') add(b.decided_at, 'rejected', b.decision_message);
    else if (b.status === 'cancelled' && b.cancelled_by === 'house') add(b.cancelled_at ?? b.decided_at, 'cancelled', b.decision_message);
  }
  const entries: { at: number; text: string; message: string | null }[] = [...groups.values()].map((g) => ({
    at: g.at,
    text: t(`requests.history.${g.outcome}`, { count: g.count }),
    message: g.message && g.message.trim() ? g.message : null,
  }));
  // What the group did itself, and changes of the house (its cancellations and decisions are above).
  for (const e of events) {
    if (e.action === 'request.update') {
      const text = e.cancelledIds.length ? t('requests.history.editedDropping', { count: e.cancelledIds.length }) : t('requests.history.edited');
      entries.push({ at: e.at, text, message: null });
    } else if (e.action === 'booking.cancel' && e.actor === 'group') {
      entries.push({ at: e.at, text: t('requests.history.cancelledByGroup', { count: e.bookingIds.length }), message: null });
    } else if (e.action === 'request.changed') {
      const text = e.bookingIds.length ? t('requests.history.changedByHouse', { count: e.bookingIds.length }) : t('requests.history.changedByHouseTitle');
      entries.push({ at: e.at, text, message: e.message });
    }
  }
  entries.unshift({ at: request.created_at, text: t('requests.history.received'), message: null });
  // Stable: entries of the same moment keep the order above (received first).
  const history: HistoryEntry[] = entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at - b.e.at || a.i - b.i)
    .map(({ e }) => ({ when: formatInstant(e.at, zone, lang), text: e.text, message: e.message }));
  const series = describeRhythm(request, lang, t);
  return {
    reference: request.reference,
    title: request.title,
    roomName: room?.name ?? '',
    status,
    statusText: t(`requests.overall.${status}`),
    series,
    dates,
    history,
    cancellableCount: dates.filter((d) => d.cancellable).length,
    editable: isEditable(bookings, now),
  };
}

/** The names of the public holidays on which dates of the request were skipped, in the reader's language. */
export function holidayNamesOf(bookings: Pick<Booking, 'status' | 'skip_reason' | 'local_date'>[], state: string, lang: Lang): Map<string, string> {
  const days = bookings
    .filter((b) => b.status === 'skipped' && b.skip_reason === 'holiday')
    .map((b) => b.local_date)
    .sort();
  if (!days.length) return new Map();
  const wanted = new Set(days);
  return new Map(
    holidaysBetween(state, days[0]!, days[days.length - 1]!, lang)
      .filter((h) => wanted.has(h.date))
      .map((h) => [h.date, h.name]),
  );
}
