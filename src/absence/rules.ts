// Absence and deputy, pure: who is absent on a local day (from–until, both inclusive, house-zone dates), who gets
// the staff notifications then, and which alternative contact the public sees.

export interface StaffMember {
  id: number;
  absentFrom: string | null;
  absentUntil: string | null;
  /** While absent, the public pages show the house's alternative contact. */
  absencePublic: boolean;
}

/** Absent on `day` ('YYYY-MM-DD' in the house zone): from ≤ day ≤ until, both days inclusive. */
export function isAbsentOn(m: Pick<StaffMember, 'absentFrom' | 'absentUntil'>, day: string): boolean {
  return m.absentFrom !== null && m.absentUntil !== null && m.absentFrom <= day && day <= m.absentUntil;
}

/**
 * Who gets a staff notification on `day`, of the active accounts: everyone present except the deputy, and the
 * deputy while some account is absent (standing in). Nobody is left without: if that list is empty (the deputy
 * is absent too, or none is named), every active account gets it as before.
 */
export function notificationRecipients<T extends StaffMember>(active: readonly T[], deputyId: number | null, day: string): T[] {
  const deputy = active.find((m) => m.id === deputyId && !isAbsentOn(m, day));
  const someoneAbsent = active.some((m) => isAbsentOn(m, day));
  const list = active.filter((m) => !isAbsentOn(m, day) && (m.id !== deputy?.id || someoneAbsent));
  return list.length ? list : [...active];
}

export interface AbsenceContact {
  phone: string;
  email: string;
  notice: string;
}

/** The public absence shown on `day`: the last day of the running public absences (the latest), or null. */
export function publicAbsenceUntil(active: readonly StaffMember[], day: string): string | null {
  const running = active.filter((m) => m.absencePublic && isAbsentOn(m, day)).map((m) => m.absentUntil!);
  return running.length ? running.sort().at(-1)! : null;
}

/** The house contact as the public sees it during an absence: the alternative phone/e-mail where set, no contact name. */
export function withAbsenceContact<H extends { contactName: string; contactPhone: string; contactEmail: string }>(house: H, contact: AbsenceContact): H {
  return {
    ...house,
    contactName: '',
    contactPhone: contact.phone.trim() || house.contactPhone,
    contactEmail: contact.email.trim() || house.contactEmail,
  };
}
