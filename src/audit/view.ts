// The audit log page's view model: entries with readable labels, links and detail lines, in the house zone.
import type { Lang, Translate } from '../i18n/index.js';
import { isMessageKey } from '../i18n/index.js';
import { formatInstant } from '../time/format.js';
import { isAuditAction } from './log.js';
import type { AuditRow } from './repository.js';
import { detailsInWords, entrySentence, type WordsContext } from './words.js';
import { AUDIT_AREAS } from './schema.js';

/** Details as readable "key: value" lines (nested values as compact JSON). */
export function detailLines(json: string): string[] {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return [json];
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return [JSON.stringify(v)];
  return Object.entries(v as Record<string, unknown>).map(([k, val]) => {
    if (val && typeof val === 'object' && !Array.isArray(val) && 'from' in val && 'to' in val) {
      return `${k}: ${JSON.stringify(val.from)} → ${JSON.stringify(val.to)}`;
    }
    return `${k}: ${typeof val === 'string' ? val : JSON.stringify(val)}`;
  });
}

/** The readable name of an action code (a code this version does not know stays as it is). */
export function auditActionLabel(t: Translate, code: string): string {
  return isAuditAction(code) ? t(`audit.action.${code}`) : code;
}

/** The readable name of an entity code (a code this version does not know stays as it is). */
export function auditEntityLabel(t: Translate, code: string): string {
  const key = `audit.entity.${code}`;
  return isMessageKey(key) ? t(key) : code;
}

const ENTITY_LINKS: Record<string, (id: number) => string> = {
  room: (id) => `/admin/rooms/${id}/edit`,
  request: (id) => `/admin/requests/${id}`,
};

/** What an entry is about, by name where the database still knows it (reference, room, block), else by number. */
function entityText(e: AuditRow, t: Translate): string {
  if (e.entity === 'request' && e.request_reference) return t('staffHouse.audit.request', { reference: e.request_reference });
  if (e.entity === 'room' && e.room_name) return t('staffHouse.audit.room', { name: e.room_name });
  if (e.entity === 'blocked_time' && e.block_reason) {
    return t('staffHouse.audit.block', { what: e.block_label || t(`blockReason.${e.block_reason}`) });
  }
  return e.entity_id === null ? auditEntityLabel(t, e.entity) : `${auditEntityLabel(t, e.entity)} #${e.entity_id}`;
}

export function auditEntryView(e: AuditRow, zone: string, lang: Lang, t: Translate, rooms: Map<number, string> = new Map()) {
  const words: WordsContext = { t, zone, lang, rooms };
  return {
    id: e.id,
    at: formatInstant(e.at, zone, lang),
    who: e.user_name ?? t(e.actor === 'group' ? 'audit.actor.group' : e.actor === 'system' ? 'audit.actor.system' : 'audit.actor.deleted'),
    action: e.action,
    actionLabel: auditActionLabel(t, e.action),
    /** The entry as one sentence: "Anna Schmidt hat " + object (linked where it has a page) + " zugesagt." */
    sentence: entrySentence(e, t, { action: auditActionLabel(t, e.action), entity: auditEntityLabel(t, e.entity) }),
    entity: entityText(e, t),
    entityHref: e.entity_id !== null ? (ENTITY_LINKS[e.entity]?.(e.entity_id) ?? '') : '',
    details: detailsInWords(e.details, words),
  };
}

export function auditFilterOptions(choices: { actions: string[]; entities: string[]; users: { id: number; name: string; email: string }[] }, t: Translate) {
  return {
    actions: choices.actions.map((code) => ({ code, label: auditActionLabel(t, code) })),
    entities: choices.entities.map((code) => ({ code, label: auditEntityLabel(t, code) })),
    users: choices.users.map((u) => ({ id: String(u.id), label: `${u.name} (${u.email})` })),
    areas: (Object.keys(AUDIT_AREAS) as (keyof typeof AUDIT_AREAS)[]).map((code) => ({ code, label: t(`staffHouse.audit.area.${code}`) })),
  };
}
