// House settings: one row, read per request (cheap, and always current across processes).
import { randomBytes } from 'node:crypto';
import type { Conn, DB } from '../db/database.js';
import type { Language, OpeningHours, Settings } from '../db/schema.js';
import type { Clock } from '../time/index.js';
import { LANGUAGES, REFERENCE_LANGUAGE, type Lang } from '../i18n/languages.js';
import { versioned } from '../db/versioned.js';

export interface House {
  name: string;
  referencePrefix: string;
  street: string;
  postalCode: string;
  city: string;
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  zone: string;
  federalState: string;
  defaultLanguage: Language;
  aboutText: string;
  rulesText: string;
  rulesVersion: number;
  privacyText: string;
  privacyVersion: number;
  imprintText: string;
  openingHours: OpeningHours;
  leadTimeDays: number;
  horizonMonths: number;
  retentionMonths: number;
  /** Reminders: local days before each approved date (0 = off), the key pickup text, the summary's hour. */
  reminderDays: number;
  keyPickupText: string;
  summaryHour: number;
  /** Attendance mails: after each approved date the group is asked how many came (migration 018). */
  attendanceMails: boolean;
  /** Origins whose pages may read the API from the browser (CORS): ['*'] every site, [] same-origin only. */
  apiOrigins: string[];
  /** The languages offered on the public side (switch, negotiation): German and the default always. */
  languages: Lang[];
}

/** The offered languages of a stored 'disabled_languages' value. */
export function offeredLanguages(disabled: string, defaultLanguage: string): Lang[] {
  const off = new Set(disabled.split(/\s+/).filter(Boolean));
  return LANGUAGES.filter((l) => l === REFERENCE_LANGUAGE || l === defaultLanguage || !off.has(l));
}

export const DEFAULT_OPENING_HOURS: OpeningHours = {
  '1': { open: '08:00', close: '22:00' },
  '2': { open: '08:00', close: '22:00' },
  '3': { open: '08:00', close: '22:00' },
  '4': { open: '08:00', close: '22:00' },
  '5': { open: '08:00', close: '22:00' },
  '6': { open: '10:00', close: '22:00' },
  '7': null,
};

export function toHouse(s: Settings): House {
  return {
    name: s.house_name,
    referencePrefix: s.reference_prefix,
    street: s.street,
    postalCode: s.postal_code,
    city: s.city,
    contactName: s.contact_name,
    contactEmail: s.contact_email,
    contactPhone: s.contact_phone,
    zone: s.timezone,
    federalState: s.federal_state,
    defaultLanguage: s.default_language,
    aboutText: s.about_text,
    rulesText: s.rules_text,
    rulesVersion: s.rules_version,
    privacyText: s.privacy_text,
    privacyVersion: s.privacy_version,
    imprintText: s.imprint_text,
    openingHours: JSON.parse(s.opening_hours) as OpeningHours,
    leadTimeDays: s.lead_time_days,
    horizonMonths: s.horizon_months,
    retentionMonths: s.retention_months,
    reminderDays: s.reminder_days,
    keyPickupText: s.key_pickup_text,
    summaryHour: s.summary_hour,
    attendanceMails: s.attendance_mails === 1,
    apiOrigins: s.api_origins.split('\n').filter(Boolean),
    languages: offeredLanguages(s.disabled_languages, s.default_language),
  };
}

export async function getHouse(db: Conn): Promise<House> {
  const row = await db.selectFrom('settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  return toHouse(row);
}

/** The house settings for a request, reused until the next commit (see db/versioned.ts). Read-only. */
export function currentHouse(ctx: { db: DB; dataVersion(): string }): Promise<House> {
  return versioned(ctx, 'house', () => getHouse(ctx.db));
}

/** Creates the settings row with neutral defaults when the database is new. */
export async function ensureSettings(db: Conn, clock: Clock): Promise<void> {
  const now = clock().getTime();
  await db
    .insertInto('settings')
    .values({
      id: 1,
      house_name: 'Raumbuch',
      reference_prefix: 'RB',
      street: '',
      postal_code: '',
      city: '',
      contact_name: '',
      contact_email: '',
      contact_phone: '',
      timezone: 'Europe/Berlin',
      federal_state: 'BE',
      default_language: 'de',
      about_text: '',
      rules_text: '',
      rules_version: 1,
      privacy_text: '',
      privacy_version: 1,
      imprint_text: '',
      opening_hours: JSON.stringify(DEFAULT_OPENING_HOURS),
      lead_time_days: 2,
      horizon_months: 12,
      retention_months: 6,
      session_secret: null,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  for (const kind of ['rules', 'privacy'] as const) {
    await db
      .insertInto('document_versions')
      .values({ kind, version: 1, text: '', created_at: now })
      .onConflict((oc) => oc.columns(['kind', 'version']).doNothing())
      .execute();
  }
}

/** SESSION_SECRET from the environment, else the one kept in the database (generated once). */
export async function sessionSecret(db: Conn, fromEnv: string | undefined): Promise<string> {
  if (fromEnv) return fromEnv;
  const row = await db.selectFrom('settings').select('session_secret').where('id', '=', 1).executeTakeFirstOrThrow();
  if (row.session_secret) return row.session_secret;
  const secret = randomBytes(32).toString('hex');
  await db.updateTable('settings').set({ session_secret: secret }).where('id', '=', 1).where('session_secret', 'is', null).execute();
  const again = await db.selectFrom('settings').select('session_secret').where('id', '=', 1).executeTakeFirstOrThrow();
  return again.session_secret!;
}

/** The settings row as stored (for a change: compared field by field before writing). */
export async function findSettingsRow(db: Conn): Promise<Settings> {
  return db.selectFrom('settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
}

export type SettingsUpdate = Partial<Omit<Settings, 'id' | 'reference_prefix' | 'session_secret'>>;

export async function updateSettingsRow(db: Conn, row: SettingsUpdate): Promise<void> {
  await db.updateTable('settings').set(row).where('id', '=', 1).execute();
}

/** Keeps a published version of the house rules or the privacy notice. */
export async function insertDocumentVersion(db: Conn, kind: 'rules' | 'privacy', version: number, text: string, now: number): Promise<void> {
  await db.insertInto('document_versions').values({ kind, version, text, created_at: now }).execute();
}
