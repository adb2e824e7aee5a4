import { describe, expect, it } from 'vitest';
import {
  checkBookable,
  checkBooking,
  checkCapacity,
  checkEndAfterStart,
  checkGrid,
  checkHorizon,
  checkLeadTime,
  checkMaxDuration,
  checkMinDuration,
  checkOpeningHours,
  resolveLocalTime,
  type RuleHouse,
} from '../../src/bookings/rules.js';
import { DEFAULT_OPENING_HOURS } from '../../src/settings/repository.js';
import { localToInstant } from '../../src/time/index.js';

const ZONE = 'Europe/Berlin';
const house: RuleHouse = { zone: ZONE, openingHours: DEFAULT_OPENING_HOURS, leadTimeDays: 2, horizonMonths: 12 };
const room = { capacity: 20, name: 'Gruppenraum', active: 1, public_bookable: 1 };
const at = (date: string, time: string) => {
  const r = localToInstant(date, time, ZONE);
  if (!r.ok) throw new Error('bad');
  return r.instant;
};
// Monday 23 November 2026, 10:00 in Berlin.
const NOW = at('2026-11-23', '10:00');

describe('rule 1: local times in the house zone', () => {
  it('refuses a date that does not exist', () => {
    const r = resolveLocalTime('2026-02-30', '10:00', ZONE, { date: 'date', time: 'start' });
    expect(r).toEqual({ ok: false, failure: { field: 'date', key: 'requests.error.dateInvalid', params: { value: '2026-02-30' } } });
  });

  it('refuses a malformed time', () => {
    const r = resolveLocalTime('2026-12-01', '25:00', ZONE, { date: 'date', time: 'start' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.failure).toMatchObject({ field: 'start', key: 'requests.error.timeInvalid' });
  });

  it('refuses a time in the spring gap (29 March 2026, 02:30)', () => {
    const r = resolveLocalTime('2026-03-29', '02:30', ZONE, { date: 'date', time: 'start' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.failure).toEqual({ field: 'start', key: 'requests.error.dstGap', params: { date: '2026-03-29', time: '02:30' } });
  });

  it('refuses a time in the doubled autumn hour (25 October 2026, 02:30)', () => {
    const r = resolveLocalTime('2026-10-25', '02:30', ZONE, { date: 'date', time: 'end' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.failure).toMatchObject({ field: 'end', key: 'requests.error.dstAmbiguous' });
  });

  it('accepts 24:00 as an end time only', () => {
    expect(resolveLocalTime('2026-12-01', '24:00', ZONE, { date: 'date', time: 'end' })).toEqual({ ok: true, instant: at('2026-12-02', '00:00') });
    expect(resolveLocalTime('2026-12-01', '24:00', ZONE, { date: 'date', time: 'start' }).ok).toBe(false);
  });
});

describe('rule 2: order, length and grid', () => {
  it('refuses an end not after the start', () => {
    expect(checkEndAfterStart(at('2026-12-01', '10:00'), at('2026-12-01', '10:00'))?.key).toBe('requests.error.endBeforeStart');
    expect(checkEndAfterStart(at('2026-12-01', '10:00'), at('2026-12-01', '10:15'))).toBeNull();
  });

  it('refuses less than 30 minutes and accepts exactly 30', () => {
    expect(checkMinDuration(at('2026-12-01', '10:00'), at('2026-12-01', '10:15'))).toMatchObject({
      field: 'end',
      key: 'requests.error.tooShort',
      params: { minutes: 30 },
    });
    expect(checkMinDuration(at('2026-12-01', '10:00'), at('2026-12-01', '10:30'))).toBeNull();
  });

  it('refuses more than 7 days', () => {
    expect(checkMaxDuration(at('2026-12-01', '10:00'), at('2026-12-08', '10:00'))).toBeNull();
    expect(checkMaxDuration(at('2026-12-01', '10:00'), at('2026-12-08', '10:15'))?.key).toBe('requests.error.tooLong');
  });

  it('refuses times off the 15-minute grid, naming the field', () => {
    expect(checkGrid('10:10', '11:00')).toMatchObject({ field: 'start', key: 'requests.error.grid' });
    expect(checkGrid('10:00', '11:05')).toMatchObject({ field: 'end', key: 'requests.error.grid' });
    expect(checkGrid('10:45', '11:15')).toBeNull();
  });
});

describe('rule 3: opening hours, lead time, horizon', () => {
  const span = (date: string, startTime: string, endTime: string) => ({ date, startTime, endDate: date, endTime });

  it('refuses a day the house is closed (Sunday by default)', () => {
    expect(checkOpeningHours(span('2026-12-06', '10:00', '12:00'), DEFAULT_OPENING_HOURS)).toMatchObject({ field: 'date', key: 'requests.error.closedDay' });
  });

  it('refuses a start before opening and an end after closing', () => {
    expect(checkOpeningHours(span('2026-12-01', '07:45', '09:00'), DEFAULT_OPENING_HOURS)).toMatchObject({
      field: 'start',
      params: { open: '08:00', close: '22:00' },
    });
    expect(checkOpeningHours(span('2026-12-01', '20:00', '22:15'), DEFAULT_OPENING_HOURS)).toMatchObject({ field: 'end', key: 'requests.error.openingHours' });
    expect(checkOpeningHours(span('2026-12-01', '08:00', '22:00'), DEFAULT_OPENING_HOURS)).toBeNull();
  });

  it('uses the weekday of the date (Saturday opens at 10:00)', () => {
    expect(checkOpeningHours(span('2026-12-05', '09:00', '11:00'), DEFAULT_OPENING_HOURS)?.field).toBe('start');
    expect(checkOpeningHours(span('2026-12-05', '10:00', '11:00'), DEFAULT_OPENING_HOURS)).toBeNull();
  });

  it('accepts midnight as an end when the house closes at 24:00', () => {
    const late = { ...DEFAULT_OPENING_HOURS, '2': { open: '08:00', close: '24:00' } };
    expect(checkOpeningHours({ date: '2026-12-01', startTime: '20:00', endDate: '2026-12-02', endTime: '00:00' }, late)).toBeNull();
    expect(checkOpeningHours({ date: '2026-12-01', startTime: '20:00', endDate: '2026-12-02', endTime: '00:00' }, DEFAULT_OPENING_HOURS)?.field).toBe('end');
  });

  it('refuses a start in the past and one closer than the lead time', () => {
    expect(checkLeadTime(at('2026-11-23', '09:00'), NOW, 2, ZONE)?.key).toBe('requests.error.past');
    expect(checkLeadTime(at('2026-11-25', '09:45'), NOW, 2, ZONE)).toMatchObject({ field: 'date', key: 'requests.error.leadTime', params: { days: 2 } });
    expect(checkLeadTime(at('2026-11-25', '10:00'), NOW, 2, ZONE)).toBeNull();
  });

  it('counts the lead time in wall-clock days over a DST change', () => {
    const now = at('2027-03-27', '10:00');
    // 28 March 2027 has 23 hours: 10:00 two days later is only 47 hours away and still fine.
    expect(checkLeadTime(at('2027-03-29', '10:00'), now, 2, ZONE)).toBeNull();
    expect(checkLeadTime(at('2027-03-29', '09:45'), now, 2, ZONE)?.key).toBe('requests.error.leadTime');
  });

  it('refuses a date beyond the horizon', () => {
    expect(checkHorizon('2027-11-23', '2026-11-23', 12)).toBeNull();
    expect(checkHorizon('2027-11-24', '2026-11-23', 12)).toMatchObject({
      field: 'date',
      key: 'requests.error.horizon',
      params: { months: 12, latest: '2027-11-23' },
    });
  });
});

describe('rule 4 and bookable rooms', () => {
  it('refuses more attendees than the room holds', () => {
    expect(checkCapacity(21, room)).toMatchObject({ field: 'attendees', key: 'requests.error.capacity', params: { capacity: 20, room: 'Gruppenraum' } });
    expect(checkCapacity(20, room)).toBeNull();
    expect(checkCapacity(0, room)?.key).toBe('requests.error.attendees');
  });

  it('refuses a room not bookable by the public, unless the caretaker books it', () => {
    expect(checkBookable({ active: 1, public_bookable: 0 })?.key).toBe('requests.error.notBookable');
    expect(checkBookable({ active: 1, public_bookable: 0 }, { caretaker: true })).toBeNull();
    expect(checkBookable({ active: 0, public_bookable: 1 }, { caretaker: true })?.key).toBe('requests.error.room');
  });
});

describe('checkBooking', () => {
  it('collects one failure per field', () => {
    const r = checkBooking({ date: '2026-11-24', start: '07:10', end: '07:20', attendees: 50 }, house, room, NOW);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byField = Object.fromEntries(r.failures.map((f) => [f.field, f.key]));
    expect(byField).toEqual({
      attendees: 'requests.error.capacity',
      end: 'requests.error.tooShort',
      start: 'requests.error.grid',
      date: 'requests.error.leadTime',
    });
  });

  it('lets the caretaker override opening hours, lead time and horizon', () => {
    const input = { date: '2026-11-24', start: '06:00', end: '07:00' };
    expect(checkBooking(input, house, room, NOW).ok).toBe(false);
    const r = checkBooking(input, house, room, NOW, { override: { openingHours: true, leadTime: true, horizon: true } });
    expect(r).toEqual({ ok: true, start: at('2026-11-24', '06:00'), end: at('2026-11-24', '07:00') });
    const far = checkBooking({ date: '2028-01-04', start: '10:00', end: '11:00' }, house, room, NOW, { override: { horizon: true } });
    expect(far.ok).toBe(true);
  });

  it('books over several days for the caretaker with an end date', () => {
    const r = checkBooking({ date: '2026-12-01', start: '10:00', endDate: '2026-12-03', end: '12:00' }, house, room, NOW, { override: { openingHours: true } });
    expect(r).toEqual({ ok: true, start: at('2026-12-01', '10:00'), end: at('2026-12-03', '12:00') });
  });

  it('returns the UTC interval of a valid booking', () => {
    const r = checkBooking({ date: '2026-12-01', start: '18:00', end: '20:00', attendees: 12 }, house, room, NOW);
    expect(r).toEqual({ ok: true, start: Date.UTC(2026, 11, 1, 17), end: Date.UTC(2026, 11, 1, 19) });
  });
});
