// The one builder of request and booking rows, shared by the public request form and the caretaker's direct
// booking: what a request stores from its fields, and what a new date row holds (requested, approved or skipped).
import type { Category, Language, NewBooking, NewRequest, SkipReason } from '../db/schema.js';
import { rhythmColumns, type Rhythm } from './series.js';

/** A request's own fields, however they were entered (public form or the caretaker's form). */
export interface RequestFields {
  roomId: number;
  title: string;
  /** '' or null: no public title. */
  publicTitle: string | null;
  /** Shown on public pages only when there is a public title. */
  showPublicTitle: boolean;
  /** Listed in the public programme (absent: left as it is, e.g. the caretaker's direct booking). */
  publicEvent?: boolean;
  publicDescription?: string;
  organisation: string | null;
  contactName: string;
  /** May be '' for a phone booking by the house (then no mail goes out). */
  email: string;
  phone: string | null;
  category: Category;
  attendees: number;
  /** Equipment keys wished for (already limited to what the room offers). */
  equipment: string[];
  notes: string;
  /** First (or only) date and the wall-clock times of every date. */
  date: string;
  start: string;
  end: string;
  /** A series: every `everyWeeks` weeks, or in `rhythm`, up to `lastDate` (a hand-picked list: its last date). */
  series: ({ lastDate: string } & ({ everyWeeks: number; rhythm?: undefined } | { rhythm: Rhythm; everyWeeks?: number })) | null;
}

/** The request's columns that a group (or the house) chose; an edit updates exactly these. */
export function requestColumns(f: RequestFields) {
  return {
    room_id: f.roomId,
    title: f.title,
    public_title: f.publicTitle || null,
    show_public_title: f.showPublicTitle && f.publicTitle ? (1 as const) : (0 as const),
    ...(f.publicEvent === undefined
      ? {}
      : {
          public_event: f.publicEvent && f.publicTitle && f.publicDescription ? (1 as const) : (0 as const),
          public_description: f.publicDescription || null,
        }),
    organisation: f.organisation || null,
    contact_name: f.contactName,
    email: f.email,
    phone: f.phone || null,
    category: f.category,
    attendees: f.attendees,
    equipment: JSON.stringify(f.equipment),
    notes: f.notes,
    ...rhythmColumns(f.series ? (f.series.rhythm ?? { kind: 'weekly', everyWeeks: f.series.everyWeeks ?? 1 }) : null),
    first_date: f.date,
    last_date: f.series?.lastDate ?? null,
    start_time: f.start,
    end_time: f.end,
  };
}

export interface AcceptedTexts {
  rulesLang: string;
  rulesTranslationVersion: number | null;
  privacyLang: string;
  privacyTranslationVersion: number | null;
}

/** Who made a new request and under which texts: the columns the fields do not say. */
export interface RequestOrigin {
  reference: string;
  tokenHash: string;
  language: Language;
  rulesVersion: number;
  privacyVersion: number;
  /** In which language (and translation version, null for the house language's text) the group was shown the
   *  house rules and the privacy notice it accepted (src/house-texts); a booking the house entered has none. */
  accepted?: AcceptedTexts;
  /** 'house': entered by the caretaker `createdBy`. */
  source: 'public' | 'house';
  createdBy: number | null;
  now: number;
}

/** A new request row. */
export function newRequestRow(f: RequestFields, o: RequestOrigin): NewRequest {
  return {
    reference: o.reference,
    token_hash: o.tokenHash,
    ...requestColumns(f),
    language: o.language,
    public_language: f.publicEvent ? o.language : null,
    rules_version: o.rulesVersion,
    privacy_version: o.privacyVersion,
    ...(o.accepted && {
      rules_lang: o.accepted.rulesLang,
      rules_translation_version: o.accepted.rulesTranslationVersion,
      privacy_lang: o.accepted.privacyLang,
      privacy_translation_version: o.accepted.privacyTranslationVersion,
    }),
    source: o.source,
    created_by: o.createdBy,
    sequence: 0,
    created_at: o.now,
    updated_at: o.now,
    anonymized_at: null,
  };
}

/** What a new date is: asked for by a group, approved at once by the house, or skipped with its reason. */
export type NewDateState = { status: 'pending' } | { status: 'approved'; decidedBy: number; message: string } | { status: 'skipped'; reason: SkipReason };

/** A new date row of a request. */
export function newBookingRow(
  requestId: number,
  roomId: number,
  d: { date: string; start: number; end: number },
  state: NewDateState,
  now: number,
): NewBooking {
  return {
    request_id: requestId,
    room_id: roomId,
    local_date: d.date,
    start_at: d.start,
    end_at: d.end,
    status: state.status,
    skip_reason: state.status === 'skipped' ? state.reason : null,
    detached: 0,
    decided_by: state.status === 'approved' ? state.decidedBy : null,
    decided_at: state.status === 'approved' ? now : null,
    decision_message: state.status === 'approved' ? state.message : null,
    cancelled_by: null,
    cancelled_at: null,
    sequence: 0,
    created_at: now,
    updated_at: now,
  };
}
