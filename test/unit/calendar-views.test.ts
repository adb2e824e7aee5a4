import { describe, expect, it } from 'vitest';
import { houseWeek, roomWeek, todayInRooms } from '../../src/calendar/week.js';
import { roomMonth } from '../../src/calendar/month.js';
import { availability } from '../../src/calendar/availability.js';
import { translator } from '../../src/i18n/index.js';
import { at, block, booking, context, room, ZONE } from '../helpers/calendar.js';
import { dayStart } from '../../src/time/index.js';

describe('the house week', () => {
  it('shows Monday to Sunday of the ISO week with its number, and marks today', () => {
    const r = room();
    const ctx = context({ now: '2026-11-25T09:00:00+01:00', rooms: [r] });
    const w = houseWeek(ctx, [r], [], '2026-11-28');
    expect(w.days.map((d) => d.date)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    expect(w.caption).toBe('Kalenderwoche 48: 23. November 2026 bis 29. November 2026');
    expect(w.days.filter((d) => d.isToday).map((d) => d.date)).toEqual(['2026-11-25']);
    expect(w.rows[0]!.cells.map((c) => c.isToday)).toEqual([false, false, true, false, false, false, false]);
    expect([w.prevDate, w.nextDate, w.isCurrent]).toEqual(['2026-11-16', '2026-11-30', true]);
  });

  it('speaks English with ?lang=en', () => {
    const r = room();
    const ctx = context({ now: '2026-11-25T09:00:00+01:00', rooms: [r], lang: 'en' });
    const w = houseWeek(ctx, [r], [], '2026-11-23');
    expect(w.caption).toBe('Week 48: 23 November 2026 to 29 November 2026');
    expect(w.days[0]!.weekdayName).toBe('Monday');
  });

  it('crosses the year into ISO week 53', () => {
    const r = room();
    const ctx = context({ now: '2026-11-25T09:00:00+01:00', rooms: [r] });
    const w = houseWeek(ctx, [r], [], '2027-01-01');
    expect(w.monday).toBe('2026-12-28');
    expect(w.weekNumber).toBe(53);
    expect(w.isCurrent).toBe(false);
  });

  for (const [sunday, hours, before, after] of [
    ['2026-03-29', 23, '+01:00', '+02:00'],
    ['2026-10-25', 25, '+02:00', '+01:00'],
    ['2027-03-28', 23, '+01:00', '+02:00'],
  ] as const) {
    it(`renders the DST week of ${sunday} with a ${hours}-hour Sunday and 19:00 staying 19:00`, () => {
      const r = room({ slug: 'saal' });
      const ctx = context({ now: '2026-03-01T12:00:00+01:00', rooms: [r], horizonMonths: 24 });
      const saturday = `${sunday.slice(0, 8)}${String(Number(sunday.slice(8)) - 1).padStart(2, '0')}`;
      const occ = [booking(r.id, saturday, '19:00', '21:00'), booking(r.id, sunday, '19:00', '21:00')];
      const w = houseWeek(ctx, [r], occ, sunday);
      const cells = w.rows[0]!.cells;
      expect(cells[6]!.to - cells[6]!.from).toBe(hours * 3_600_000);
      expect(cells[6]!.dstNote).toContain(`${hours} Stunden`);
      expect(cells[5]!.items.map((i) => i.time)).toEqual(['19:00–21:00 Uhr']);
      expect(cells[6]!.items.map((i) => i.time)).toEqual(['19:00–21:00 Uhr']);
      expect(cells[6]!.free.map((s) => [s.start, s.end])).toContainEqual(['08:00', '19:00']);
      expect(cells[6]!.free.map((s) => s.href)).toContain(`/requests/new?room=saal&date=${sunday}&start=08:00&end=10:00`);
      const api = availability({ from: saturday, to: sunday, zone: ZONE, t: translator('de'), rooms: [r], links: [], occupants: occ });
      expect(api.busy.map((b) => b.start)).toEqual([`${saturday}T19:00:00${before}`, `${sunday}T19:00:00${after}`]);
    });
  }

  it('shows each room’s own and related bookings in one pass', () => {
    const a = room({ name: 'Saal A' });
    const whole = room({ name: 'Großer Saal' });
    const links = [{ wholeId: whole.id, partId: a.id }];
    const ctx = context({ now: '2026-11-23T09:00:00+01:00', rooms: [a, whole], links });
    const w = houseWeek(ctx, [whole, a], [booking(whole.id, '2026-11-26', '19:00', '21:00')], '2026-11-26');
    expect(w.rows.map((row) => row.cells[3]!.items.map((i) => i.via))).toEqual([[null], ['Großer Saal']]);
  });
});

describe('one room’s week and today', () => {
  it('lists the days of the week as rows for the room', () => {
    const r = room({ name: 'Gruppenraum' });
    const ctx = context({ now: '2026-11-23T09:00:00+01:00', rooms: [r] });
    const w = roomWeek(ctx, r, [booking(r.id, '2026-11-24', '09:00', '12:00', { publicTitle: 'Deutschkurs' })], '2026-11-24');
    expect(w.room.name).toBe('Gruppenraum');
    expect(w.cells).toHaveLength(7);
    expect(w.cells[1]!.items.map((i) => [i.time, i.title])).toEqual([['09:00–12:00 Uhr', 'Deutschkurs']]);
  });

  it('tells what is on today in each room', () => {
    const a = room();
    const b = room();
    const ctx = context({ now: '2026-11-23T09:00:00+01:00', rooms: [a, b] });
    const today = todayInRooms(ctx, [a, b], [booking(a.id, '2026-11-23', '14:00', '16:00'), booking(b.id, '2026-11-24', '14:00', '16:00')]);
    expect(today.rows.map((row) => row.items.map((i) => i.time))).toEqual([['14:00–16:00 Uhr'], []]);
  });
});

describe('the month overview', () => {
  const r = room({ slug: 'kueche', buffer_after_min: 30 });
  const ctx = context({
    now: '2026-11-23T09:00:00+01:00',
    rooms: [r],
    openingHours: { ...context({ now: '2026-11-23T09:00:00+01:00', rooms: [] }).openingHours, '7': null },
  });

  it('lays the month out Monday to Sunday with empty cells around it', () => {
    const m = roomMonth(ctx, r, [], '2026-11');
    expect(m.weeks).toHaveLength(6);
    expect(m.weeks[0]!.slice(0, 6)).toEqual([null, null, null, null, null, null]);
    expect(m.weeks[0]![6]?.date).toBe('2026-11-01');
    expect(m.weeks[5]![0]?.date).toBe('2026-11-30');
    expect(m.weeks[5]!.slice(1)).toEqual([null, null, null, null, null, null]);
    expect(m.title).toBe('November 2026');
    expect([m.prevMonth, m.nextMonth]).toEqual(['2026-10', '2026-12']);
    expect(m.weeks[4]![0]).toMatchObject({ date: '2026-11-23', isToday: true, href: '/rooms/kueche?date=2026-11-23' });
  });

  it('tells free, partly booked, booked and closed days apart', () => {
    const occ = [
      booking(r.id, '2026-12-01', '10:00', '12:00'),
      booking(r.id, '2026-12-02', '08:00', '21:45'), // with the 30-minute buffer nothing is left
      block(r.id, dayStart('2026-12-03', ZONE), dayStart('2026-12-04', ZONE)),
      block(r.id, at('2026-12-04', '06:00'), at('2026-12-04', '07:00')), // before opening: the day stays free
    ];
    const m = roomMonth(ctx, r, occ, '2026-12');
    const status = new Map(
      m.weeks
        .flat()
        .filter((d) => d)
        .map((d) => [d!.date, d!.statusText]),
    );
    // Soft hyphens (\u00ad) mark where a narrow month cell on a phone may break a word: at a syllable.
    expect(status.get('2026-12-01')).toBe('teil\u00adweise be\u00adlegt');
    expect(status.get('2026-12-02')).toBe('be\u00adlegt');
    expect(status.get('2026-12-03')).toBe('ge\u00adschlos\u00adsen');
    expect(status.get('2026-12-04')).toBe('frei');
    expect(status.get('2026-12-05')).toBe('frei');
    expect(status.get('2026-12-06')).toBe('ge\u00adschlos\u00adsen'); // Sunday: the house is closed
  });
});

describe('the availability answer', () => {
  const a = room({ slug: 'saal-a', name: 'Saal A' });
  const b = room({ slug: 'saal-b', name: 'Saal B' });
  const whole = room({ slug: 'grosser-saal', name: 'Großer Saal' });
  const links = [
    { wholeId: whole.id, partId: a.id },
    { wholeId: whole.id, partId: b.id },
  ];

  it('shows a booking of the whole as busy in each part, and a part’s in the whole', () => {
    const occ = [booking(whole.id, '2026-11-26', '19:00', '21:00'), booking(a.id, '2026-11-27', '10:00', '12:00', { status: 'pending' })];
    const r = availability({ from: '2026-11-23', to: '2026-11-29', zone: ZONE, t: translator('de'), rooms: [whole, a, b], links, occupants: occ });
    expect(r.busy).toEqual([
      { room: 'grosser-saal', start: '2026-11-26T19:00:00+01:00', end: '2026-11-26T21:00:00+01:00', status: 'approved' },
      { room: 'saal-a', start: '2026-11-26T19:00:00+01:00', end: '2026-11-26T21:00:00+01:00', status: 'approved' },
      { room: 'saal-b', start: '2026-11-26T19:00:00+01:00', end: '2026-11-26T21:00:00+01:00', status: 'approved' },
      { room: 'grosser-saal', start: '2026-11-27T10:00:00+01:00', end: '2026-11-27T12:00:00+01:00', status: 'pending' },
      { room: 'saal-a', start: '2026-11-27T10:00:00+01:00', end: '2026-11-27T12:00:00+01:00', status: 'pending' },
    ]);
    expect(r.rooms).toEqual([
      { slug: 'grosser-saal', name: 'Großer Saal' },
      { slug: 'saal-a', name: 'Saal A' },
      { slug: 'saal-b', name: 'Saal B' },
    ]);
    expect(r.timezone).toBe('Europe/Berlin');
  });

  it('gives a title only for a chosen public title of an approved booking or a public block', () => {
    const occ = [
      booking(a.id, '2026-11-24', '10:00', '11:00', { publicTitle: 'Seniorencafé' }),
      booking(a.id, '2026-11-24', '12:00', '13:00', { publicTitle: 'Wartet noch', status: 'pending' }),
      block(a.id, at('2026-11-24', '14:00'), at('2026-11-24', '15:00'), { label: 'Fensterputz', isPublic: true }),
      block(a.id, at('2026-11-24', '16:00'), at('2026-11-24', '17:00'), { label: 'Geheim', isPublic: false }),
    ];
    const r = availability({ from: '2026-11-24', to: '2026-11-24', zone: ZONE, t: translator('en'), rooms: [a], links: [], occupants: occ });
    expect(r.busy.map((x) => [x.status, x.title])).toEqual([
      ['approved', 'Seniorencafé'],
      ['pending', undefined],
      ['closed', 'Fensterputz'],
      ['closed', undefined],
    ]);
    expect(JSON.stringify(r)).not.toContain('Geheim');
    expect(JSON.stringify(r)).not.toContain('Wartet noch');
  });
});
