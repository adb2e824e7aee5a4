// The audit log's details in words (pure): each known field with its name in the staff language, changes as
// "Raum: Kleiner Saal → Großer Saal", times in the house zone, yes/no for flags, room names for room ids, a
// count for lists of dates. A field this version does not know is shown as it was stored ("key: value"), so
// old entries and entries of newer versions keep working.
import type { Translate } from '../i18n/index.js';
import { isMessageKey } from '../i18n/index.js';
import { formatDate, formatInstant, formatTimeRange, formatWhen } from '../time/format.js';
import { isLang, languageInfo } from '../i18n/languages.js';

export interface WordsContext {
  t: Translate;
  zone: string;
  lang: string;
  /** Room id → name (also inactive rooms). */
  rooms: Map<number, string>;
}

/** Fields whose value is a 0/1 flag or boolean. */
const FLAGS = new Set(['publicEvent', 'isPublic', 'accessible', 'public_bookable', 'wasApproved', 'whole', 'dailySummary', 'replaced', 'active']);
/** Fields holding a list of booking ids: shown as a count. */
const ID_LISTS = new Set(['bookingIds', 'cancelledBookingIds', 'cancelledIds']);
/** Fields holding instants (epoch milliseconds). */
const INSTANTS = new Set(['start', 'end', 'cutoff']);

function fieldLabel(c: WordsContext, key: string): string {
  const k = `staffHouse.audit.field.${key}`;
  return isMessageKey(k) ? c.t(k) : key;
}

const isDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
const isHhmm = (v: unknown): v is string => typeof v === 'string' && /^\d{2}:\d{2}$/.test(v);

function value(c: WordsContext, key: string, v: unknown): string {
  if (v === null || v === undefined || v === '') {
    if (key === 'roomId') return c.t('staff.wholeHouse');
    return '–';
  }
  if (FLAGS.has(key) && (typeof v === 'boolean' || v === 0 || v === 1)) return c.t(v === true || v === 1 ? 'staffHouse.audit.yes' : 'staffHouse.audit.no');
  if (typeof v === 'boolean') return c.t(v ? 'staffHouse.audit.yes' : 'staffHouse.audit.no');
  if (key === 'roomId' && typeof v === 'number') return c.rooms.get(v) ?? `#${v}`;
  // Lists of websites (settings: embed_origins, api_origins) are stored one per line.
  if (key.endsWith('origins') && typeof v === 'string') return v.split('\n').filter(Boolean).join(', ') || '–';
  if ((key === 'publicLanguage' || key === 'lang') && isLang(v)) return languageInfo(v).nativeName;
  if (key === 'parts' && Array.isArray(v)) return v.map((id) => (typeof id === 'number' ? (c.rooms.get(id) ?? `#${id}`) : String(id))).join(', ') || '–';
  if (key === 'reason' && typeof v === 'string') {
    const k = `blockReason.${v}`;
    if (isMessageKey(k)) return c.t(k);
  }
  if (key === 'status' && typeof v === 'string') {
    const k = `staffHouse.export.status.${v}`;
    if (isMessageKey(k)) return c.t(k);
  }
  if (INSTANTS.has(key) && typeof v === 'number' && v > 1e11) return formatInstant(v, c.zone, c.lang);
  if (ID_LISTS.has(key) && Array.isArray(v)) return c.t('staffHouse.audit.dates', { count: v.length });
  if (isDate(v)) return formatDate(v, c.lang, 'date');
  if (Array.isArray(v)) {
    if (v.every(isDate)) return v.length > 6 ? c.t('staffHouse.audit.dates', { count: v.length }) : v.map((d) => formatDate(d, c.lang, 'short')).join(', ');
    return v.map((x) => (typeof x === 'string' || typeof x === 'number' ? String(x) : JSON.stringify(x))).join(', ');
  }
  if (key === 'equipment' && typeof v === 'string' && v.startsWith('[')) {
    try {
      const list = JSON.parse(v) as unknown[];
      return (
        list
          .map((e) => {
            const k = `equipment.${String(e)}`;
            return isMessageKey(k) ? c.t(k) : String(e);
          })
          .join(', ') || '–'
      );
    } catch {
      return v;
    }
  }
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

const isChange = (v: unknown): v is { from: unknown; to: unknown } => !!v && typeof v === 'object' && !Array.isArray(v) && 'from' in v && 'to' in v;

/** A time span from start/end fields: instants (blocks) or 'HH:MM' (a change of dates). */
function span(c: WordsContext, start: unknown, end: unknown): string | null {
  if (typeof start === 'number' && typeof end === 'number' && start > 1e11) return formatWhen(start, end, c.zone, c.lang, c.t);
  if (isHhmm(start) && isHhmm(end)) return formatTimeRange(start, end, c.t);
  return null;
}

/** The lines of one entry's details. */
export function detailsInWords(json: string, c: WordsContext): string[] {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return [json];
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return [JSON.stringify(v)];
  const d = { ...(v as Record<string, unknown>) };
  const lines: string[] = [];
  const label = (k: string) => fieldLabel(c, k);
  // A change of dates by the house names what it was (`was`, since 2026-12) and what it became.
  const was = d.was && typeof d.was === 'object' ? (d.was as Record<string, unknown>) : null;
  delete d.was;
  const now = span(c, d.start, d.end);
  if (now !== null) {
    const before = was ? span(c, was.start, was.end) : null;
    lines.push(`${c.t('staffHouse.audit.field.time')}: ${before && before !== now ? `${before} → ${now}` : now}`);
    delete d.start;
    delete d.end;
  }
  // A house text (src/house-texts): which text of the house, a room or a closure (not the text itself).
  if ((d.kind === 'house' || d.kind === 'room' || d.kind === 'block') && typeof d.field === 'string') {
    const fieldKey = `houseText.field.${d.field.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase())}`;
    const field = isMessageKey(fieldKey) ? c.t(fieldKey) : d.field;
    const owner =
      d.kind === 'room' && typeof d.owner === 'number'
        ? (c.rooms.get(d.owner) ?? `#${d.owner}`)
        : d.kind === 'block'
          ? c.t('staffHouse.audit.textOfBlock', { id: String(d.owner) })
          : null;
    lines.push(`${c.t('staffHouse.audit.field.text')}: ${owner ? `${owner}: ${field}` : field}`);
    delete d.kind;
    delete d.field;
    delete d.owner;
  }
  if ('roomId' in d && was && 'roomId' in was && was.roomId !== d.roomId) {
    lines.push(`${label('roomId')}: ${value(c, 'roomId', was.roomId)} → ${value(c, 'roomId', d.roomId)}`);
    delete d.roomId;
  }
  for (const [k, val] of Object.entries(d)) {
    if (k === 'changed' && Array.isArray(val)) {
      lines.push(`${label('changed')}: ${val.map((x) => (typeof x === 'string' ? label(x) : String(x))).join(', ')}`);
      continue;
    }
    if (isChange(val)) lines.push(`${label(k)}: ${value(c, k, val.from)} → ${value(c, k, val.to)}`);
    else lines.push(`${label(k)}: ${value(c, k, val)}`);
  }
  return lines;
}

/*
 * Actions told as a sentence have their own catalog key `audit.sentence.<action>` (with {who} and {object}); any
 * other action reads "{who}: {label} – {object}" (`audit.sentence.other`), so a new action still reads as words
 * before it has its own.
 */

export interface EntryForSentence {
  actor: string;
  action: string;
  entity: string;
  entity_id: number | null;
  user_name: string | null;
  request_reference: string | null;
  room_name: string | null;
  block_label: string | null;
  block_reason: string | null;
}

/** What an entry is about, as the object of a sentence ("die Anfrage R-2026-0042", "den Raum Saal A"). */
function objectOf(e: EntryForSentence, t: Translate, entityLabel: string): string {
  const id = e.entity_id === null ? '' : `#${e.entity_id}`;
  if (e.entity === 'request') return t('audit.object.request', { name: e.request_reference ?? id });
  if (e.entity === 'room') return t('audit.object.room', { name: e.room_name ?? id });
  if (e.entity === 'blocked_time') {
    const reasonKey = `blockReason.${e.block_reason ?? ''}`;
    const what = e.block_label || (e.block_reason && isMessageKey(reasonKey) ? t(reasonKey) : '');
    return what ? t('audit.object.blockNamed', { name: what }) : t('audit.object.block', { name: id });
  }
  if (e.entity === 'user') return t('audit.object.user', { name: id });
  if (e.entity === 'message_template') return t('audit.object.message_template', { name: id });
  return id ? `${entityLabel} ${id}` : entityLabel;
}

/** Who did it, at the start of a sentence: the account's name, else the group, the system or a deleted account. */
function subjectOf(e: EntryForSentence, t: Translate): string {
  if (e.user_name) return e.user_name;
  return t(
    e.actor === 'group'
      ? 'audit.subject.group'
      : e.actor === 'system'
        ? 'audit.subject.system'
        : e.actor === 'user'
          ? 'audit.subject.deleted'
          : 'audit.subject.unknown',
  );
}

/** A marker the object stands in for while the sentence is built, so the page can link it. */
const SLOT = '\u0001';

/**
 * One entry as one sentence in the staff language, split around its object so the page can link it:
 * "Anna Schmidt hat " + "die Anfrage R-2026-0042" + " zugesagt."
 */
export function entrySentence(
  e: EntryForSentence,
  t: Translate,
  labels: { action: string; entity: string },
): { before: string; object: string; after: string } {
  const object = objectOf(e, t, labels.entity);
  const who = subjectOf(e, t);
  const key = `audit.sentence.${e.action}`;
  const text = isMessageKey(key) ? t(key, { who, object: SLOT }) : t('audit.sentence.other', { who, action: labels.action, object: SLOT });
  const at = text.indexOf(SLOT);
  if (at < 0) return { before: text, object: '', after: '' };
  return { before: text.slice(0, at), object, after: text.slice(at + SLOT.length) };
}
