// Queries for absence and deputy: the accounts' absences, the house's deputy and alternative contact, and the
// staff notification recipients of a day.
import type { Conn, DB } from '../db/database.js';
import { versioned } from '../db/versioned.js';
import { localDate } from '../time/index.js';
import { notificationRecipients, publicAbsenceUntil, type AbsenceContact, type StaffMember } from './rules.js';

export interface AbsenceSettings extends AbsenceContact {
  deputyUserId: number | null;
}

export interface StaffAccount extends StaffMember {
  email: string;
  name: string;
  language: string;
  role: string;
}

export async function absenceSettings(db: Conn): Promise<AbsenceSettings> {
  const s = await db
    .selectFrom('settings')
    .select(['deputy_user_id', 'absence_contact_phone', 'absence_contact_email', 'absence_notice'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return { deputyUserId: s.deputy_user_id, phone: s.absence_contact_phone, email: s.absence_contact_email, notice: s.absence_notice };
}

/** The active staff accounts with their absence, by id. */
export async function activeStaff(db: Conn): Promise<StaffAccount[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'language', 'role', 'absent_from', 'absent_until', 'absence_public'])
    .where('active', '=', 1)
    .orderBy('id')
    .execute();
  return rows.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    language: u.language,
    role: u.role,
    absentFrom: u.absent_from,
    absentUntil: u.absent_until,
    absencePublic: u.absence_public === 1,
  }));
}

/** Who gets a staff notification written at `now` (absent accounts → the deputy; see rules.ts). */
export async function staffRecipients(db: Conn, now: number, zone: string): Promise<StaffAccount[]> {
  const [staff, settings] = await Promise.all([activeStaff(db), absenceSettings(db)]);
  return notificationRecipients(staff, settings.deputyUserId, localDate(now, zone));
}

/** The accounts absent on a local day. */
export async function absentOn(db: Conn, day: string): Promise<Set<number>> {
  const rows = await db.selectFrom('users').select('id').where('absent_from', '<=', day).where('absent_until', '>=', day).execute();
  return new Set(rows.map((r) => r.id));
}

export interface PublicAbsence extends AbsenceContact {
  /** The last day of the absence (inclusive). */
  until: string;
}

/** The public absence on a local day: the house's alternative contact and until when; null when none runs. */
export async function publicAbsenceOn(db: Conn, day: string): Promise<PublicAbsence | null> {
  const [staff, settings] = await Promise.all([activeStaff(db), absenceSettings(db)]);
  const until = publicAbsenceUntil(staff, day);
  return until ? { until, phone: settings.phone, email: settings.email, notice: settings.notice } : null;
}

/**
 * The public absence over a span of days (the door plan's week): the first and last day of it that has one,
 * whether every day has one, and the alternative contact; null when none of the days has one.
 */
export async function publicAbsenceOver(db: Conn, days: readonly string[]): Promise<(PublicAbsence & { from: string; everyDay: boolean }) | null> {
  const [staff, settings] = await Promise.all([activeStaff(db), absenceSettings(db)]);
  const covered = days.map((d) => ({ day: d, until: publicAbsenceUntil(staff, d) })).filter((c) => c.until !== null);
  if (!covered.length) return null;
  return {
    from: covered[0]!.day,
    until: covered
      .map((c) => c.until!)
      .sort()
      .at(-1)!,
    everyDay: covered.length === days.length,
    phone: settings.phone,
    email: settings.email,
    notice: settings.notice,
  };
}

/** For pages: the absence data, reused until the next commit; the day is decided per request. */
export async function currentPublicAbsence(ctx: { db: DB; dataVersion(): string }, day: string): Promise<PublicAbsence | null> {
  const data = await versioned(ctx, 'absence', async () => ({ staff: await activeStaff(ctx.db), settings: await absenceSettings(ctx.db) }));
  const until = publicAbsenceUntil(data.staff, day);
  return until ? { until, phone: data.settings.phone, email: data.settings.email, notice: data.settings.notice } : null;
}

export async function setAbsence(db: Conn, userId: number, v: { from: string | null; until: string | null; isPublic: boolean }, now: number): Promise<void> {
  await db
    .updateTable('users')
    .set({ absent_from: v.from, absent_until: v.until, absence_public: v.isPublic ? 1 : 0, updated_at: now })
    .where('id', '=', userId)
    .execute();
}

export async function setAbsenceSettings(db: Conn, v: AbsenceSettings, now: number): Promise<void> {
  await db
    .updateTable('settings')
    .set({
      deputy_user_id: v.deputyUserId,
      absence_contact_phone: v.phone,
      absence_contact_email: v.email,
      absence_notice: v.notice,
      updated_at: now,
    })
    .where('id', '=', 1)
    .execute();
}
