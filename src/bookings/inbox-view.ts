// View model of the inbox list: each row's words (group, room, first date and rhythm, age, language, flags) in
// the reader's language and the house zone, and the sort links of the column headers.
import type { Lang, Translate } from '../i18n/index.js';
import { languageInfo } from '../i18n/languages.js';
import { formatAge, formatWhen } from '../time/format.js';
import type { InboxFilter, InboxRow, InboxSort } from './inbox.js';
import { inboxUrl } from './inbox-schema.js';
import { describeRhythm } from './view.js';

export interface InboxFlagView {
  kind: 'clash' | 'competing' | 'holiday' | 'first';
  text: string;
  links: { href: string; text: string }[];
}

export interface InboxRowView {
  id: number;
  reference: string;
  title: string;
  href: string;
  group: string;
  /** The contact person under the organisation (empty when the group is the person). */
  contact: string;
  language: string;
  languageCode: string;
  roomName: string;
  /** A single date: its time; a series: its rhythm in words. */
  when: string;
  /** A series: how many of its dates are open, and the soonest. */
  seriesNote: string;
  attendees: number;
  age: string;
  ageIso: string;
  statusText: string;
  open: boolean;
  isSeries: boolean;
  flags: InboxFlagView[];
}

/** How many references a flag names before "+ n"; the request's page lists them all. */
const SHOWN_REFS = 3;

function refLinks(list: { requestId: number; reference: string }[], t: Translate) {
  const shown = list.slice(0, SHOWN_REFS).map((c) => ({ href: `/admin/requests/${c.requestId}`, text: c.reference }));
  if (list.length > SHOWN_REFS) shown.push({ href: '', text: t('inboxList.flag.more', { count: list.length - SHOWN_REFS }) });
  return shown;
}

export function inboxRowView(r: InboxRow, now: number, zone: string, lang: Lang, t: Translate): InboxRowView {
  const flags: InboxFlagView[] = [];
  if (r.flags.clashes.length || r.flags.blocks.length) {
    const blocks = r.flags.blocks.map((b) => ({
      href: '',
      text: t('inboxList.flag.block', { reason: t(`blockReason.${b.reason}`), label: b.label ? ` (${b.label})` : '' }),
    }));
    flags.push({ kind: 'clash', text: t('inboxList.flag.clash'), links: [...refLinks(r.flags.clashes, t), ...blocks] });
  }
  if (r.flags.competitors.length) flags.push({ kind: 'competing', text: t('inboxList.flag.competing'), links: refLinks(r.flags.competitors, t) });
  if (r.flags.holidaySkipped) flags.push({ kind: 'holiday', text: t('inboxList.flag.holiday'), links: [] });
  if (r.flags.firstRequest) flags.push({ kind: 'first', text: t('inboxList.flag.first'), links: [] });
  const open = r.counts.pending > 0;
  const statusText = open
    ? r.counts.approved
      ? t('inboxList.status.partly')
      : t('inboxList.status.open')
    : r.counts.approved
      ? t('inboxList.status.approved')
      : r.counts.rejected
        ? t('inboxList.status.rejected')
        : t('inboxList.status.cancelled');
  const first = r.first ? formatWhen(r.first.start, r.first.end, zone, lang, t) : '';
  const rhythm = r.isSeries ? describeRhythm(r.rhythm, lang, t) : null;
  const info = languageInfo(r.language);
  return {
    id: r.id,
    reference: r.reference,
    title: r.title,
    href: `/admin/requests/${r.id}`,
    group: r.organisation || r.contactName,
    contact: r.organisation ? r.contactName : '',
    language: info.nativeName,
    languageCode: info.code,
    roomName: r.roomName,
    when: rhythm ?? first,
    seriesNote: rhythm && open && first ? t('inboxList.seriesOpen', { count: r.counts.pending, when: first }) : '',
    attendees: r.attendees,
    age: formatAge(r.createdAt, now, zone, lang),
    ageIso: new Date(r.createdAt).toISOString(),
    statusText,
    open,
    isSeries: r.isSeries,
    flags,
  };
}

export interface SortHeader {
  href: string;
  /** aria-sort of the column: the current sort's direction, else none. */
  ariaSort: 'ascending' | 'descending' | 'none';
  /** Words for screen readers after the column name: what a click does. */
  hint: string;
}

/** A column header's link: the other direction when it is the current sort, else its natural first direction. */
export function sortHeader(f: InboxFilter, sort: InboxSort, t: Translate): SortHeader {
  const current = f.sort === sort;
  // Age sorts the oldest (longest waiting) first on the first click; the others from the soonest or A.
  const natural = sort === 'age' ? 'desc' : 'asc';
  const dir = current ? (f.dir === 'asc' ? 'desc' : 'asc') : natural;
  return {
    href: inboxUrl({ ...f, sort, dir }),
    ariaSort: current ? (f.dir === 'asc' ? 'ascending' : 'descending') : 'none',
    hint: t(dir === 'asc' ? 'inboxList.sortAsc' : 'inboxList.sortDesc'),
  };
}
