// The pure rules of regular groups (normalised matching, the allowance) and of absence (who is away on a local
// day, who gets the staff mails, which absence the public sees), each against an expectation written out by hand.
import { describe, expect, it } from 'vitest';
import { allowanceOf, fitsAllowance, misfitOf, normaliseMatch, type DateToFit } from '../../src/regular-groups/rules.js';
import { isAbsentOn, notificationRecipients, publicAbsenceUntil, withAbsenceContact, type StaffMember } from '../../src/absence/rules.js';

describe('regular group rules', () => {
  it('normalises addresses and organisation names: spaces, capitals and composed letters do not count', () => {
    expect(normaliseMatch('  Lernwerkstatt   E. V. ')).toBe('lernwerkstatt e. v.');
    expect(normaliseMatch('ERIKA@Example.ORG')).toBe('erika@example.org');
    // "Ü" typed as U + combining diaeresis is the same organisation.
    expect(normaliseMatch('Bu\u0308rgerverein')).toBe(normaliseMatch('Bürgerverein'));
    expect(normaliseMatch('Lernwerkstatt e.V.')).not.toBe(normaliseMatch('Lernwerkstatt e. V.'));
  });

  const allowance = allowanceOf({ room_ids: '[3,5]', weekdays: '2,4', start_time: '16:00', end_time: '21:00', valid_until: '2026-12-31' });
  const tuesday: DateToFit = { roomId: 3, localDate: '2026-12-01', weekday: 2, startTime: '18:00', endTime: '20:00' };

  it('accepts a date inside every limit, also touching the window and the last valid day', () => {
    expect(misfitOf(allowance, tuesday)).toBeNull();
    expect(misfitOf(allowance, { ...tuesday, startTime: '16:00', endTime: '21:00' })).toBeNull();
    expect(misfitOf(allowance, { ...tuesday, localDate: '2026-12-31', weekday: 4 })).toBeNull();
  });

  it('names the first limit a date breaks', () => {
    expect(misfitOf(allowance, { ...tuesday, roomId: 4 })).toBe('room');
    expect(misfitOf(allowance, { ...tuesday, weekday: 3 })).toBe('weekday');
    expect(misfitOf(allowance, { ...tuesday, startTime: '15:45' })).toBe('time');
    expect(misfitOf(allowance, { ...tuesday, endTime: '21:15' })).toBe('time');
    expect(misfitOf(allowance, { ...tuesday, endTime: null })).toBe('time');
    expect(misfitOf(allowance, { ...tuesday, localDate: '2027-01-05' })).toBe('validUntil');
  });

  it('lets a window to midnight hold a date ending at 24:00, and fits a series only when all dates fit', () => {
    const late = allowanceOf({ room_ids: '[3]', weekdays: '2', start_time: '20:00', end_time: '24:00', valid_until: null });
    expect(misfitOf(late, { ...tuesday, startTime: '22:00', endTime: '24:00' })).toBeNull();
    expect(fitsAllowance(allowance, [tuesday, { ...tuesday, localDate: '2026-12-08' }])).toBe(true);
    expect(fitsAllowance(allowance, [tuesday, { ...tuesday, localDate: '2026-12-08', roomId: 9 }])).toBe(false);
    expect(fitsAllowance(allowance, [])).toBe(false);
  });
});

describe('absence rules', () => {
  const m = (id: number, absentFrom: string | null = null, absentUntil: string | null = null, absencePublic = true): StaffMember => ({
    id,
    absentFrom,
    absentUntil,
    absencePublic,
  });

  it('counts both the first and the last day as absent', () => {
    const a = m(1, '2026-10-20', '2026-10-27');
    expect(['2026-10-19', '2026-10-20', '2026-10-27', '2026-10-28'].map((d) => isAbsentOn(a, d))).toEqual([false, true, true, false]);
    expect(isAbsentOn(m(1), '2026-10-20')).toBe(false);
  });

  it('sends staff mails to everyone present but the deputy, and to the deputy instead while someone is away', () => {
    const staff = [m(1, '2026-10-20', '2026-10-27'), m(2), m(3)];
    expect(notificationRecipients(staff, 3, '2026-10-19').map((s) => s.id)).toEqual([1, 2]);
    expect(notificationRecipients(staff, 3, '2026-10-20').map((s) => s.id)).toEqual([2, 3]);
    expect(notificationRecipients(staff, null, '2026-10-20').map((s) => s.id)).toEqual([2, 3]);
  });

  it('never leaves a notification without a recipient', () => {
    const alone = [m(1, '2026-10-20', '2026-10-27')];
    expect(notificationRecipients(alone, null, '2026-10-21').map((s) => s.id)).toEqual([1]);
    const bothAway = [m(1, '2026-10-20', '2026-10-27'), m(2, '2026-10-21', '2026-10-21')];
    expect(notificationRecipients(bothAway, 2, '2026-10-21').map((s) => s.id)).toEqual([1, 2]);
  });

  it('shows the public absence that runs longest, and none for an absence kept internal', () => {
    const staff = [m(1, '2026-10-20', '2026-10-27'), m(2, '2026-10-25', '2026-11-02'), m(3, '2026-10-01', '2026-12-31', false)];
    expect(publicAbsenceUntil(staff, '2026-10-19')).toBeNull();
    expect(publicAbsenceUntil(staff, '2026-10-21')).toBe('2026-10-27');
    expect(publicAbsenceUntil(staff, '2026-10-26')).toBe('2026-11-02');
    expect(publicAbsenceUntil(staff, '2026-11-03')).toBeNull();
  });

  it('replaces the contact by the alternative one where the house set it, and drops the contact name', () => {
    const house = { contactName: 'Frau Lindner', contactPhone: '030 1', contactEmail: 'haus@example.org', name: 'Haus' };
    expect(withAbsenceContact(house, { phone: '0170 2', email: '', notice: '' })).toEqual({ ...house, contactName: '', contactPhone: '0170 2' });
  });
});
