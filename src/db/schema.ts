// The database schema as Kysely types: one place, matching db/migrations.
// Instants are UTC epoch milliseconds (INTEGER); local dates are 'YYYY-MM-DD', local times 'HH:MM'.
import type { Lang } from '../i18n/languages.js';
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Category } from '../constants.js';

/** 0 or 1 in SQLite. */
export type Flag = number;

export type Weekday = '1' | '2' | '3' | '4' | '5' | '6' | '7';
/** ISO weekday (1 = Monday) → opening interval in local time, or null when closed. */
export type OpeningHours = Record<Weekday, { open: string; close: string } | null>;

export type BookingStatus = 'pending' | 'approved' | 'rejected' | 'cancelled' | 'skipped';
export type SkipReason = 'holiday' | 'closure' | 'clash';
/** The rhythm of a series (see series.ts). */
export type RepeatKind = 'weekly' | 'monthly' | 'dates';
export type BlockReason = 'holiday' | 'closure' | 'renovation' | 'house_event';
export type { Category };
export type Role = 'caretaker' | 'admin';
/** A language code as stored: the database does not list the languages (no CHECK since migration
 *  2026_12_01_006_languages); code checks them against the registry (src/i18n/languages.ts) on the way in. */
export type Language = Lang;

export interface SettingsTable {
  id: ColumnType<1, 1 | undefined, never>;
  house_name: string;
  /** Prefix of booking references, e.g. 'HdB' in HdB-2026-0042. */
  reference_prefix: string;
  street: string;
  postal_code: string;
  city: string;
  contact_name: string;
  contact_email: string;
  contact_phone: string;
  timezone: string;
  /** Federal state code for public holidays (date-holidays, e.g. 'BE', 'NW'). */
  federal_state: string;
  default_language: Language;
  about_text: string;
  rules_text: string;
  rules_version: number;
  privacy_text: string;
  privacy_version: number;
  imprint_text: string;
  /** JSON of OpeningHours. */
  opening_hours: string;
  lead_time_days: number;
  horizon_months: number;
  retention_months: number;
  session_secret: string | null;
  /** Reminder mails to groups this many local days before each approved date; 0 = off (migration 009). */
  reminder_days: ColumnType<number, number | undefined, number>;
  /** Where and when groups get the key, shown in reminders. */
  key_pickup_text: ColumnType<string, string | undefined, string>;
  /** Local hour (0–23) from which the staff's daily summary goes out. */
  summary_hour: ColumnType<number, number | undefined, number>;
  /** Origins allowed to read /api/v1 from the browser (CORS), one per line; '*' every site; '' same-origin only (migration 017). */
  api_origins: ColumnType<string, string | undefined, string>;
  /** Public languages the house switched off, codes separated by spaces; '' = all offered (migration 015). */
  disabled_languages: ColumnType<string, string | undefined, string>;
  /** Origins allowed to embed /embed/programme in a frame, one per line ('' = embedding off; migration 016). */
  embed_origins: ColumnType<string, string | undefined, string>;
  /** 1: after each approved date the group gets a mail asking how many came (migration 018). */
  attendance_mails: ColumnType<Flag, Flag | undefined, Flag>;
  updated_at: number;
}

export interface DocumentVersionsTable {
  id: Generated<number>;
  kind: 'rules' | 'privacy';
  version: number;
  text: string;
  created_at: number;
}

export interface RoomsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: string;
  capacity: number;
  size_m2: number | null;
  /** JSON array of equipment codes (EQUIPMENT in src/constants.ts). */
  equipment: string;
  accessible: Flag;
  accessibility_notes: string;
  floor: string;
  buffer_before_min: number;
  buffer_after_min: number;
  public_bookable: Flag;
  active: Flag;
  sort_order: number;
  created_at: number;
  updated_at: number;
}

export interface RoomPartsTable {
  whole_id: number;
  part_id: number;
}

/**
 * The physical spaces each room covers, kept by triggers from room_parts: a room without parts is one space
 * (its own id); a room with parts covers its parts' spaces at any depth. Two rooms clash when these sets meet.
 */
export interface RoomSpacesTable {
  room_id: number;
  space_id: number;
}

export interface RequestsTable {
  id: Generated<number>;
  /** Readable over the phone: HdB-2026-0042. */
  reference: string;
  /** SHA-256 (hex) of the manage-link token; the token itself is never stored. */
  token_hash: string;
  room_id: number;
  title: string;
  public_title: string | null;
  show_public_title: Flag;
  /** Listed in the public programme (/programme) on its approved dates (migration 016). */
  public_event: Generated<Flag>;
  /** Plain text shown in the programme; stored in the language it was written in (`public_language`). */
  public_description: string | null;
  public_language: string | null;
  organisation: string | null;
  contact_name: string;
  email: string;
  phone: string | null;
  category: Category;
  attendees: number;
  /** JSON array of equipment keys wished for. */
  equipment: string;
  notes: string;
  language: Language;
  /** The German house rules / privacy notice version in force when the request was sent (settings). */
  rules_version: number;
  privacy_version: number;
  /** The language the group was shown the house rules / privacy notice in (migration 011: the house language
   *  before), and the version of that translation; null when the house language's own text was shown. */
  rules_lang: ColumnType<string, string | undefined, string>;
  rules_translation_version: ColumnType<number | null, number | null | undefined, number | null>;
  privacy_lang: ColumnType<string, string | undefined, string>;
  privacy_translation_version: ColumnType<number | null, number | null | undefined, number | null>;
  /** 'public' (request form) or 'house' (entered by the caretaker). */
  source: 'public' | 'house';
  created_by: number | null;
  /** Series: every N weeks from first_date to last_date at start_time–end_time; null for a single booking. */
  repeat_weeks: number | null;
  /** The rhythm of a series: 'weekly' (repeat_weeks), 'monthly' (repeat_nth), 'dates' (repeat_dates); null for a single date. */
  repeat_kind: RepeatKind | null;
  /** Monthly: the 1st–4th weekday (of first_date's weekday) in each month, or -1 for the last one. */
  repeat_nth: number | null;
  /** Hand-picked: a JSON array of the further local dates 'YYYY-MM-DD' after first_date, sorted (the last is last_date). */
  repeat_dates: string | null;
  first_date: string;
  last_date: string | null;
  start_time: string;
  end_time: string;
  /** Raised on every change, for iCalendar SEQUENCE. */
  sequence: number;
  created_at: number;
  updated_at: number;
  /** Set when retention removed the personal data. */
  anonymized_at: number | null;
}

export interface BookingsTable {
  id: Generated<number>;
  request_id: number;
  room_id: number;
  /** The occurrence's date in the house zone (for a series: which date of the series it is). */
  local_date: string;
  start_at: number;
  end_at: number;
  status: BookingStatus;
  skip_reason: SkipReason | null;
  /** 1 when this date was changed on its own and must keep its own values when the series is edited. */
  detached: Flag;
  decided_by: number | null;
  decided_at: number | null;
  decision_message: string | null;
  cancelled_by: 'group' | 'house' | null;
  cancelled_at: number | null;
  sequence: number;
  created_at: number;
  updated_at: number;
}

export interface BlockedTimesTable {
  id: Generated<number>;
  /** null: the whole house. */
  room_id: number | null;
  start_at: number;
  end_at: number;
  reason: BlockReason;
  label: string;
  is_public: Flag;
  created_by: number | null;
  created_at: number;
  updated_at: number;
}

/** Maintained only by triggers: each approved booking's buffered interval (under its room) and each
 * blocked time (under its room, or every room for the whole house). An insert that overlaps a row of the
 * room itself, its parts or the wholes it is part of is aborted with RAUMBUCH_CLASH, so no code path can
 * store a double booking. */
/** One row per physical space an occupant takes (see room_spaces); the database guard compares per space. */
export interface OccupancyTable {
  id: Generated<number>;
  /** The physical space: the id of a room that has no parts. */
  space_id: number;
  start_at: number;
  end_at: number;
  kind: 'booking' | 'block';
  booking_id: number | null;
  blocked_time_id: number | null;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  active: Flag;
  must_change_password: Flag;
  language: Language;
  /** SHA-256 of the secret token of the caretaker's private calendar feed. */
  feed_token_hash: string | null;
  /** 1: the account gets the daily summary mail (default); 0: switched off. */
  daily_summary: ColumnType<Flag, Flag | undefined, Flag>;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
}

export interface SessionsTable {
  sid: string;
  expires_at: number;
  data: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  user_id: number | null;
  /** 'user' (a logged-in account), 'group' (through a manage link), 'system'. */
  actor: 'user' | 'group' | 'system';
  action: string;
  entity: string;
  entity_id: number | null;
  /** JSON with what changed; never passwords or tokens. */
  details: string;
}

export interface OutboxTable {
  id: Generated<number>;
  created_at: number;
  to_address: string;
  language: Language;
  kind: string;
  subject: string;
  text_body: string;
  html_body: string;
  /** JSON array of { filename, contentType, content } */
  attachments: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  sent_at: number | null;
  request_id: number | null;
  /** The manage token for MANAGE_TOKEN_PLACEHOLDER, AES-256-GCM encrypted (src/mail/secrets.ts); removed once sent. */
  secret: ColumnType<string | null, string | null | undefined, string | null>;
  /** Reply-To of the mail: the house's contact address (mails to groups), the group's (staff mails about a request). */
  reply_to: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface MessageTemplatesTable {
  id: Generated<number>;
  kind: 'approve' | 'reject' | 'cancel';
  label: string;
  body: string;
  sort_order: number;
}

export interface ReferenceCountersTable {
  year: number;
  last: number;
}

/** One failed login, counted per account (lower-cased e-mail) and per client address. */
/** Scratch rows of the health check's write probe; always empty between checks. */
export interface StorageProbeTable {
  id: number;
  data: Buffer;
}

export interface LoginFailuresTable {
  id: Generated<number>;
  scope: 'account' | 'ip';
  key: string;
  at: number;
}

/** One event counted by a public limit (see src/web/limits.ts), per bucket and client address. */
export interface RateEventsTable {
  id: Generated<number>;
  bucket: string;
  key: string;
  at: number;
}

export type MediaKind = 'room_photo' | 'floor_plan' | 'logo';
export type MediaFormat = 'webp' | 'png';

/** A picture (a room's photo, the floor plan, the logo) with the alt texts the staff wrote. */
export interface MediaTable {
  id: Generated<number>;
  kind: MediaKind;
  /** Set exactly for room photos. */
  room_id: number | null;
  /** Order of a room's photos (smallest first). */
  position: number;
  /** The alt text in the house language (German unless the house chose otherwise): the source of its translations,
   *  which are house texts of kind 'media', field 'alt' (house_text_translations, migration 020). */
  alt_de: string;
  /** Of the upright picture (after the EXIF rotation). */
  width: number;
  height: number;
  created_at: number;
}

/** One size of a picture, as we encoded it; served at /media/<media_id>-<name>.<format>. */
export interface MediaVariantsTable {
  media_id: number;
  /** '320', '800', '1600' (widths), 'logo' (header height), 'icon' (the favicon). */
  name: string;
  format: MediaFormat;
  width: number;
  height: number;
  etag: string;
  bytes: Buffer;
}

/** One reminder sent for one date (UNIQUE booking_id, kind): written in the transaction that queues its mail. */
export interface RemindersTable {
  id: Generated<number>;
  booking_id: number;
  kind: 'group';
  sent_at: number;
  outbox_id: number | null;
}

/** The daily summary sent to one account for one local day (UNIQUE user_id, local_date). */
export interface DailySummariesTable {
  id: Generated<number>;
  user_id: number;
  local_date: string;
  sent_at: number;
  outbox_id: number | null;
}

/** Further manage links of a request (those of reminder mails): SHA-256 of the token, never the token. */
export interface ManageTokensTable {
  token_hash: string;
  request_id: number;
  created_at: number;
}

/** Reported attendance of an approved date (statistics): a number, or took_place 0 for a date that did not happen. */
export interface AttendanceTable {
  booking_id: number;
  attended: number | null;
  took_place: Flag;
  reported_by: 'staff' | 'group';
  reported_at: number;
}

/** The attendance mail of one date (UNIQUE booking_id, migration 018): SHA-256 of its link, never the link. */
export interface AttendanceLinksTable {
  id: Generated<number>;
  booking_id: number;
  request_id: number;
  token_hash: string;
  sent_at: number;
  /** After this instant the link shows a kind "expired" page instead of the form. */
  expires_at: number;
  outbox_id: number | null;
}

/** What a house text is of: the house (owner 0: about, rules, privacy, imprint, key pickup), a room, a blocked
 *  time, a picture (its alt text; owner: the media id). */
export type HouseTextKind = 'house' | 'room' | 'block' | 'media';

/** A translation of one house text into one language; the source (house language) stays in its own table. */
export interface HouseTextTranslationsTable {
  id: Generated<number>;
  kind: HouseTextKind;
  /** The room's or blocked time's id; 0 for the house's own texts. */
  owner_id: number;
  field: string;
  lang: string;
  text: string;
  /** SHA-256 (hex) of the source text this translation was made from: another hash now means outdated. */
  source_hash: string;
  /** Raised on every save of this translation. */
  version: number;
  updated_at: number;
  updated_by: number | null;
}

/** An internal note of the staff on a request (migration 012): never shown to the group, never in its mails. */
export interface RequestNotesTable {
  id: Generated<number>;
  request_id: number;
  /** The author; null once the account is gone. */
  user_id: number | null;
  body: string;
  created_at: number;
}

/** "Another time or room" offered to a group: one link (SHA-256 of its token) with its options (migration 012). */
export interface OffersTable {
  id: Generated<number>;
  request_id: number;
  token_hash: string;
  /** The staff's message to the group. */
  message: string;
  /** 'open' until accepted or replaced by a newer offer ('withdrawn'); past expires_at an open offer is expired. */
  status: 'open' | 'accepted' | 'withdrawn';
  created_by: number | null;
  created_at: number;
  expires_at: number;
  answered_at: number | null;
  accepted_option_id: number | null;
}

/** One offered option: a room and times; local_date only for a single date (a series keeps its dates). */
export interface OfferOptionsTable {
  id: Generated<number>;
  offer_id: number;
  position: number;
  room_id: number;
  local_date: string | null;
  start_time: string;
  end_time: string;
}

export interface Database {
  settings: SettingsTable;
  document_versions: DocumentVersionsTable;
  rooms: RoomsTable;
  room_parts: RoomPartsTable;
  room_spaces: RoomSpacesTable;
  requests: RequestsTable;
  bookings: BookingsTable;
  blocked_times: BlockedTimesTable;
  occupancy: OccupancyTable;
  users: UsersTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  message_templates: MessageTemplatesTable;
  reference_counters: ReferenceCountersTable;
  login_failures: LoginFailuresTable;
  storage_probe: StorageProbeTable;
  rate_events: RateEventsTable;
  media: MediaTable;
  media_variants: MediaVariantsTable;
  reminders: RemindersTable;
  daily_summaries: DailySummariesTable;
  manage_tokens: ManageTokensTable;
  attendance: AttendanceTable;
  attendance_links: AttendanceLinksTable;
  house_text_translations: HouseTextTranslationsTable;
  request_notes: RequestNotesTable;
  offers: OffersTable;
  offer_options: OfferOptionsTable;
}

export type Settings = Selectable<SettingsTable>;
export type Room = Selectable<RoomsTable>;
export type NewRoom = Insertable<RoomsTable>;
export type RoomUpdate = Updateable<RoomsTable>;
/** A group's request (table `requests`): who asks, for what; its dates are `Booking` rows. Not Express's `Request`. */
export type BookingRequest = Selectable<RequestsTable>;
export type NewRequest = Insertable<RequestsTable>;
export type Booking = Selectable<BookingsTable>;
export type NewBooking = Insertable<BookingsTable>;
export type BlockedTime = Selectable<BlockedTimesTable>;
export type NewBlockedTime = Insertable<BlockedTimesTable>;
export type User = Selectable<UsersTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type OutboxMail = Selectable<OutboxTable>;
export type MessageTemplate = Selectable<MessageTemplatesTable>;

// Migration 2026_12_01_013_regular_groups: regular groups approved within their allowance, absence and deputy.
// (Declaration merging: these add columns to the tables above.)

/** A regular group ("Stammgruppe"): its requests that fit the allowance and clash with nothing are approved at once. */
export interface RegularGroupsTable {
  id: Generated<number>;
  /** Matched against a request's e-mail address or organisation, both normalised (src/regular-groups/rules.ts). */
  match_kind: 'email' | 'organisation';
  match_value: string;
  /** How staff call the group (the address or the organisation as typed). */
  label: string;
  /** JSON array of room ids it may use. */
  room_ids: string;
  /** ISO weekdays it may use, e.g. '1,3,5' (1 = Monday). */
  weekdays: string;
  /** The local time window 'HH:MM'–'HH:MM' every date must lie in ('24:00' for midnight). */
  start_time: string;
  end_time: string;
  /** Last local date the allowance covers (inclusive); null: open-ended. */
  valid_until: string | null;
  note: string;
  created_by: number | null;
  created_at: number;
  updated_at: number;
}

export interface RequestsTable {
  /** The regular group whose allowance approved the request at once (null: decided by staff or still open). */
  auto_group_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** That group's label when it approved (kept if the group is removed later). */
  auto_group_label: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface UsersTable {
  /** Absent for these local dates (both inclusive); null: present. */
  absent_from: ColumnType<string | null, string | null | undefined, string | null>;
  absent_until: ColumnType<string | null, string | null | undefined, string | null>;
  /** 1: while absent, the public pages show the house's alternative contact. */
  absence_public: ColumnType<Flag, Flag | undefined, Flag>;
}

export interface SettingsTable {
  /** The account that gets an absent account's staff notifications. */
  deputy_user_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** The house's alternative public contact and notice text, shown during a public absence. */
  absence_contact_phone: ColumnType<string, string | undefined, string>;
  absence_contact_email: ColumnType<string, string | undefined, string>;
  absence_notice: ColumnType<string, string | undefined, string>;
}

export interface Database {
  regular_groups: RegularGroupsTable;
}

export type RegularGroup = Selectable<RegularGroupsTable>;
