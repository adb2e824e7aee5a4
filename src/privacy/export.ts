// The export a requester receives (DSGVO Art. 15) as a document: the stored data (service.ts findStoredData) with
// instants in the house zone and each date, status and logged action written out in the person's language. A view:
// it translates, so it is not in service.ts (services never take or build a translator).
import { auditActionLabel } from '../audit/view.js';
import { isLang, isMessageKey, translator, type Lang } from '../i18n/index.js';
import { isoWithOffset } from '../time/index.js';
import { formatWhen } from '../time/format.js';
import { MANAGE_TOKEN_PLACEHOLDER } from '../mail/secrets.js';
import type { StoredData } from './service.js';

export interface ExportContext {
  /** The moment of the export. */
  now: Date;
  /** The house's time zone: every instant is written as its local time there. */
  zone: string;
  /** Names of the rooms by id (inactive ones included). */
  rooms: Map<number, string>;
  /** Used when the address has no request to take the person's language from. */
  defaultLanguage: Lang;
}

/**
 * The export a requester receives (Art. 15 DSGVO): their data without internal secrets (the manage-link
 * hash), readable by the person it is about. Instants are ISO 8601 with the house's offset (the database's
 * epoch milliseconds mean nothing to a person), rooms are named, and each date, status and logged action is
 * also written out in the language the person used for their last request.
 */
export function exportDocument(data: StoredData, c: ExportContext): Record<string, unknown> {
  const lastRequest = data.requests.at(-1);
  const lang: Lang = lastRequest && isLang(lastRequest.language) ? lastRequest.language : c.defaultLanguage;
  const t = translator(lang);
  const iso = (at: number) => isoWithOffset(at, c.zone);
  const isoOrNull = (at: number | null) => (at === null ? null : iso(at));
  const label = (key: string, fallback: string) => (isMessageKey(key) ? t(key) : fallback);
  return {
    exportedAt: iso(c.now.getTime()),
    email: data.email,
    note: t('data.export.note', { zone: c.zone }),
    timezone: c.zone,
    language: lang,
    // The words first, then every stored field.
    requests: data.requests.map(({ token_hash: _hash, staffNotes, ...r }) => ({
      room: c.rooms.get(r.room_id) ?? null,
      category_label: label(`category.${r.category}`, r.category),
      ...r,
      equipment: parseJson(r.equipment),
      created_at: iso(r.created_at),
      updated_at: iso(r.updated_at),
      anonymized_at: isoOrNull(r.anonymized_at),
      bookings: r.bookings.map((b) => ({
        when: formatWhen(b.start_at, b.end_at, c.zone, lang, t),
        room: c.rooms.get(b.room_id) ?? null,
        status_label: label(`bookingStatus.${b.status}`, b.status),
        ...b,
        start_at: iso(b.start_at),
        end_at: iso(b.end_at),
        decided_at: isoOrNull(b.decided_at),
        cancelled_at: isoOrNull(b.cancelled_at),
        created_at: iso(b.created_at),
        updated_at: iso(b.updated_at),
      })),
      // The text the group gave for the public programme (/programme, its feeds, the widget) is the group's data too.
      public_programme:
        r.public_event === 1 || r.public_title !== null || r.public_description !== null
          ? { listed: r.public_event === 1, title: r.public_title, description: r.public_description, language: r.public_language }
          : null,
      internal_notes: staffNotes.map((n) => ({ text: n.body, created_at: iso(n.created_at) })),
    })),
    mails: data.mails.map((m) => ({
      status_label: label(`outbox.status.${m.status}`, m.status),
      ...m,
      // The stored mail never held the manage link (src/mail/secrets.ts): "…" where it went.
      text_body: m.text_body.split(MANAGE_TOKEN_PLACEHOLDER).join('…'),
      html_body: m.html_body.split(MANAGE_TOKEN_PLACEHOLDER).join('…'),
      created_at: iso(m.created_at),
      next_attempt_at: iso(m.next_attempt_at),
      sent_at: isoOrNull(m.sent_at),
    })),
    auditLog: data.audit.map((e) => ({ action_label: auditActionLabel(t, e.action), ...e, at: iso(e.at), details: parseJson(e.details) })),
  };
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}
