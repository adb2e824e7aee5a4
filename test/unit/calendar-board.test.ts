// The time-axis view model (src/calendar/board.ts, week.ts): where an entry sits on the quarter-hour axis, the
// order of a cell, and what an empty cell says. The expected lines are counted by hand from the wall clock.
import { describe, expect, it } from 'vitest';
import { block, booking, context, at, room } from '../helpers/calendar.js';
import { houseAxis, placeOn } from '../../src/calendar/board.js';
import { dayBoard, roomBoard, weekBoard, weekFrame } from '../../src/calendar/week.js';
import { dayInfo } from '../../src/calendar/slots.js';
import type { OpeningHours } from '../../src/db/schema.js';

const OPTS = { phone: '030 1234567', horizonMonths: 12 };
const ALL_DAY: OpeningHours = Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, { open: '00:00', close: '00:00' }])) as OpeningHours;

describe('the axis', () => {
  it('spans the earliest opening to the latest closing of the week, on whole hours', () => {
    const axis = houseAxis({
      '1': { open: '09:30', close: '18:00' },
      '2': null,
      '3': { open: '08:00', close: '21:15' },
      '4': null,
      '5': null,
      '6': null,
      '7': null,
    });
    expect([axis.from, axis.to, axis.rows]).toEqual([8 * 60, 22 * 60, 56]);
    expect(axis.hours.map((h) => h.label)).toEqual([
      '08:00',
      '09:00',
      '10:00',
      '11:00',
      '12:00',
      '13:00',
      '14:00',
      '15:00',
      '16:00',
      '17:00',
      '18:00',
      '19:00',
      '20:00',
      '21:00',
    ]);
    expect(axis.hours[1]!.place).toBe('qs-5 qe-9');
  });

  it('places a time span on quarter-hour lines, clipped to the axis and at least a quarter long', () => {
    const axis = houseAxis({ '1': { open: '08:00', close: '22:00' }, '2': null, '3': null, '4': null, '5': null, '6': null, '7': null });
    expect(placeOn(axis, '08:00', '10:00')).toBe('qs-1 qe-9');
    expect(placeOn(axis, '19:00', '21:00')).toBe('qs-45 qe-53');
    expect(placeOn(axis, '10:10', '10:20')).toBe('qs-9 qe-11'); // off the grid: widened to the quarters it touches
    expect(placeOn(axis, '00:00', '24:00')).toBe('qs-1 qe-57'); // a whole day: the whole axis
    expect(placeOn(axis, '06:00', '07:00')).toBe('qs-1 qe-2'); // before opening: kept visible at the top
    expect(placeOn(axis, '22:30', '23:00')).toBe('qs-56 qe-57');
  });
});

describe('the house week on the axis', () => {
  const a = room({ name: 'Saal A', slug: 'saal-a' });
  const b = room({ name: 'Büro', slug: 'buero', public_bookable: 0 });

  it('is day by day, room by room, with the grid places of a day column and a room band', () => {
    const ctx = context({ now: '2026-11-23T09:00:00+01:00', rooms: [a, b] });
    const frame = weekFrame(ctx, '2026-11-26');
    const board = weekBoard(ctx, [a, b], [], frame.days, OPTS);
    expect(board.groups.map((g) => g.day.date)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    expect(board.groups[3]!.cells.map((c) => [c.room.name, c.place])).toEqual([
      ['Saal A', 'gc-5 gr-0'],
      ['Büro', 'gc-5 gr-1'],
    ]);
    expect(board.groups[3]!.dayHref).toBe('/day?date=2026-11-26');
    expect(board.rooms.map((r) => r.place)).toEqual(['gr-0', 'gr-1']);
  });

  it('lists a cell in time order, busy and free mixed, each on its lines', () => {
    const ctx = context({ now: '2026-11-23T09:00:00+01:00', rooms: [a] });
    const occ = [
      booking(a.id, '2026-11-26', '19:00', '21:00'),
      booking(a.id, '2026-11-26', '10:00', '12:00', { status: 'pending' }),
      block(a.id, at('2026-11-26', '14:00'), at('2026-11-26', '15:30')),
    ];
    const [cell] = dayBoard(ctx, [a], occ, dayInfo(ctx, '2026-11-26'), OPTS).groups[0]!.cells;
    expect(cell!.entries.map((e) => [e.kind, e.time, e.place])).toEqual([
      ['free', '08:00–10:00 Uhr', 'qs-1 qe-9'],
      ['pending', '10:00–12:00 Uhr', 'qs-9 qe-17'],
      ['free', '12:00–14:00 Uhr', 'qs-17 qe-25'],
      ['closed', '14:00–15:30 Uhr', 'qs-25 qe-31'],
      ['free', '15:30–19:00 Uhr', 'qs-31 qe-45'],
      ['approved', '19:00–21:00 Uhr', 'qs-45 qe-53'],
      ['free', '21:00–22:00 Uhr', 'qs-53 qe-57'],
    ]);
    expect(cell!.entries.filter((e) => e.kind === 'free').map((e) => e.href)).toEqual([
      '/requests/new?room=saal-a&date=2026-11-26&start=08:00&end=10:00',
      '/requests/new?room=saal-a&date=2026-11-26&start=12:00&end=14:00',
      '/requests/new?room=saal-a&date=2026-11-26&start=15:30&end=17:30',
      '/requests/new?room=saal-a&date=2026-11-26&start=21:00&end=22:00',
    ]);
    expect(cell!.note).toBeNull();
  });

  it('says why a cell offers nothing: past, short notice (with the phone), beyond the horizon, closed, office only, full', () => {
    // Now: Wednesday 25 November 10:00; two days' lead time (until Friday 10:00), a horizon of one month.
    const opening: OpeningHours = {
      '1': { open: '08:00', close: '22:00' },
      '2': { open: '08:00', close: '22:00' },
      '3': { open: '08:00', close: '22:00' },
      '4': { open: '08:00', close: '22:00' },
      '5': { open: '08:00', close: '22:00' },
      '6': { open: '08:00', close: '22:00' },
      '7': null,
    };
    const c2 = context({ now: '2026-11-25T10:00:00+01:00', rooms: [a, b], leadTimeDays: 2, horizonMonths: 1, openingHours: opening });
    const note = (date: string, r = a, occ = [] as ReturnType<typeof booking>[]) => {
      const cell = dayBoard(c2, [r], occ, dayInfo(c2, date), { phone: '030 1234567', horizonMonths: 1 }).groups[0]!.cells[0]!;
      return [cell.noteKind, cell.note];
    };
    expect(note('2026-11-24')).toEqual(['past', 'vorbei']);
    expect(note('2026-11-26')).toEqual(['shortNotice', 'zu kurzfristig: bitte anrufen unter 030 1234567']);
    expect(note('2026-11-27')).toEqual(['shortNoticeUntil', 'bis 10:00 Uhr zu kurzfristig: bitte anrufen unter 030 1234567']);
    expect(note('2026-11-28')).toEqual([null, null]);
    expect(note('2026-11-29')).toEqual(['closedDay', 'Haus geschlossen']);
    expect(note('2026-12-25')).toEqual([null, null]); // the horizon's last day may still be asked for
    expect(note('2026-12-26')).toEqual(['beyond', 'noch nicht anfragbar (mehr als 1 Monat im Voraus)']);
    expect(note('2026-11-28', b)).toEqual(['officeOnly', 'nur über das Büro']);
    expect(note('2026-11-28', a, [booking(a.id, '2026-11-28', '08:00', '21:45')])).toEqual(['full', 'keine freie Zeit mehr']);
    const noPhone = dayBoard(c2, [a], [], dayInfo(c2, '2026-11-26'), { phone: '', horizonMonths: 1 }).groups[0]!.cells[0]!;
    expect(noPhone.note).toBe('zu kurzfristig für eine Online-Anfrage: bitte im Büro anrufen');
  });
});

describe('DST days on the axis', () => {
  it('places night entries by the wall clock on the 23-hour and the 25-hour Sunday', () => {
    const r = room({ slug: 'saal' });
    for (const sunday of ['2026-03-29', '2026-10-25']) {
      const ctx = context({ now: '2026-03-01T12:00:00+01:00', rooms: [r], openingHours: ALL_DAY, horizonMonths: 24 });
      const occ = [booking(r.id, sunday, '01:00', '04:00'), booking(r.id, sunday, '19:00', '21:00')];
      const board = roomBoard(ctx, r, occ, weekFrame(ctx, sunday).days, OPTS);
      expect(board.axis.rows).toBe(96);
      const cell = board.groups[6]!.cells[0]!;
      const busy = cell.entries.filter((e) => e.kind === 'approved').map((e) => [e.time, e.place]);
      // 01:00 is line 5 and 04:00 line 17 on any day; 19:00–21:00 is lines 77–85 as on the Saturday.
      expect(busy).toEqual([
        ['01:00–04:00 Uhr', 'qs-5 qe-17'],
        ['19:00–21:00 Uhr', 'qs-77 qe-85'],
      ]);
      const saturday = board.groups[5]!.cells[0]!;
      expect(saturday.entries.filter((e) => e.kind === 'free').map((e) => e.place)).toEqual(['qs-1 qe-97']);
    }
  });
});
