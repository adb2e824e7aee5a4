import { describe, expect, it } from 'vitest';
import { dayCell, dayInfo, freeGaps, occupantsOfRoom } from '../../src/calendar/slots.js';
import { at, block, booking, context, room, ZONE } from '../helpers/calendar.js';
import { dayStart } from '../../src/time/index.js';

const NOW = '2026-11-23T07:00:00+01:00'; // Monday morning
const MIN = 60_000;

describe('free gaps', () => {
  it('offers no gap shorter than 30 minutes', () => {
    const from = 0;
    expect(freeGaps(from, 29 * MIN, [])).toEqual([]);
    expect(freeGaps(from, 60 * MIN, [{ start: 10 * MIN, end: 40 * MIN }])).toEqual([]);
  });

  it('snaps gaps inward to the 15-minute grid', () => {
    const g = freeGaps(0, 120 * MIN, [
      { start: 0, end: 10 * MIN },
      { start: 110 * MIN, end: 120 * MIN },
    ]);
    expect(g).toEqual([{ start: 15 * MIN, end: 105 * MIN }]);
  });

  it('merges overlapping busy intervals', () => {
    const g = freeGaps(0, 300 * MIN, [
      { start: 60 * MIN, end: 120 * MIN },
      { start: 90 * MIN, end: 150 * MIN },
    ]);
    expect(g).toEqual([
      { start: 0, end: 60 * MIN },
      { start: 150 * MIN, end: 300 * MIN },
    ]);
  });
});

describe('a room on a day', () => {
  it('offers no free slot in the past, before the lead time or beyond the horizon', () => {
    const r = room();
    const ctx = context({ now: NOW, rooms: [r], leadTimeDays: 2, horizonMonths: 1 });
    expect(dayCell(ctx, r, dayInfo(ctx, '2026-11-20'), []).free).toEqual([]);
    expect(dayCell(ctx, r, dayInfo(ctx, '2026-11-24'), []).free).toEqual([]);
    // Lead time ends Wednesday 07:00: the slot starts at opening (08:00).
    expect(dayCell(ctx, r, dayInfo(ctx, '2026-11-25'), []).free.map((s) => [s.start, s.end])).toEqual([['08:00', '22:00']]);
    // The horizon is a whole day, as in the request rule: its last day can be asked for until closing.
    expect(dayCell(ctx, r, dayInfo(ctx, '2026-12-23'), []).free.map((s) => [s.start, s.end])).toEqual([['08:00', '22:00']]);
    expect(dayCell(ctx, r, dayInfo(ctx, '2026-12-24'), []).free).toEqual([]);
  });

  it('starts today’s free slot at the next quarter hour, not in the past', () => {
    const r = room();
    const ctx = context({ now: '2026-11-23T13:07:00+01:00', rooms: [r] });
    expect(dayCell(ctx, r, dayInfo(ctx, '2026-11-23'), []).free.map((s) => s.start)).toEqual(['13:15']);
  });

  it('offers no free slot in a room that is not publicly bookable or inactive', () => {
    const office = room({ public_bookable: 0 });
    const old = room({ active: 0 });
    const ctx = context({ now: NOW, rooms: [office, old] });
    expect(dayCell(ctx, office, dayInfo(ctx, '2026-11-26'), []).free).toEqual([]);
    expect(dayCell(ctx, old, dayInfo(ctx, '2026-11-26'), []).free).toEqual([]);
  });

  it('offers no free slot on a day the house is closed', () => {
    const r = room();
    const ctx = context({ now: NOW, rooms: [r], openingHours: { ...context({ now: NOW, rooms: [] }).openingHours, '7': null } });
    const sunday = dayCell(ctx, r, dayInfo(ctx, '2026-11-29'), []);
    expect(sunday.closedDay).toBe(true);
    expect(sunday.free).toEqual([]);
  });

  it('leaves room for both rooms’ buffers around a booking', () => {
    const r = room({ buffer_before_min: 15, buffer_after_min: 30 });
    const ctx = context({ now: NOW, rooms: [r] });
    const occ = [booking(r.id, '2026-11-26', '12:00', '14:00')];
    const cell = dayCell(ctx, r, dayInfo(ctx, '2026-11-26'), occ);
    // Before: my clean-up (30) + its set-up (15) → free until 11:15. After: its clean-up (30) + my set-up (15) → from 14:45.
    expect(cell.free.map((s) => [s.start, s.end])).toEqual([
      ['08:00', '11:15'],
      ['14:45', '22:00'],
    ]);
  });

  it('does not widen blocked times by their own buffers, only by this room’s', () => {
    const r = room({ buffer_before_min: 0, buffer_after_min: 15 });
    const ctx = context({ now: NOW, rooms: [r] });
    const occ = [block(r.id, at('2026-11-26', '12:00'), at('2026-11-26', '13:00'))];
    const cell = dayCell(ctx, r, dayInfo(ctx, '2026-11-26'), occ);
    expect(cell.free.map((s) => [s.start, s.end])).toEqual([
      ['08:00', '11:45'],
      ['13:00', '22:00'],
    ]);
  });

  it('drops a gap between bookings shorter than 30 minutes', () => {
    const r = room();
    const ctx = context({ now: NOW, rooms: [r] });
    const occ = [booking(r.id, '2026-11-26', '08:00', '10:00'), booking(r.id, '2026-11-26', '10:15', '22:00')];
    expect(dayCell(ctx, r, dayInfo(ctx, '2026-11-26'), occ).free).toEqual([]);
  });

  it('links a free slot to the request form prefilled with its first two hours', () => {
    const r = room({ slug: 'saal-a' });
    const ctx = context({ now: NOW, rooms: [r] });
    const cell = dayCell(ctx, r, dayInfo(ctx, '2026-11-26'), [booking(r.id, '2026-11-26', '08:00', '19:00')]);
    expect(cell.free).toEqual([
      {
        start: '19:00',
        end: '22:00',
        time: '19:00–22:00 Uhr',
        href: '/requests/new?room=saal-a&date=2026-11-26&start=19:00&end=21:00',
        context: `${r.name}, Donnerstag, 26. November 2026: anfragen,`,
      },
    ]);
  });

  it('never offers more than the free stretch: a shorter stretch is offered whole', () => {
    const r = room({ slug: 'saal-a' });
    const ctx = context({ now: NOW, rooms: [r] });
    const occ = [booking(r.id, '2026-11-26', '08:00', '10:15'), booking(r.id, '2026-11-26', '11:30', '20:30')];
    const cell = dayCell(ctx, r, dayInfo(ctx, '2026-11-26'), occ);
    expect(cell.free.map((f) => [f.start, f.end, new URL(f.href, 'http://x').searchParams.get('end')])).toEqual([
      ['10:15', '11:30', '11:30'],
      ['20:30', '22:00', '22:00'],
    ]);
  });

  it('shows approved, pending and closed without who booked', () => {
    const r = room();
    const ctx = context({ now: NOW, rooms: [r] });
    const occ = [
      booking(r.id, '2026-11-26', '09:00', '10:00', { publicTitle: 'Chorprobe' }),
      booking(r.id, '2026-11-26', '11:00', '12:00'),
      booking(r.id, '2026-11-26', '13:00', '14:00', { status: 'pending', publicTitle: 'Noch nicht entschieden' }),
      block(r.id, at('2026-11-26', '15:00'), at('2026-11-26', '16:00'), { label: 'Renovierung Boden', isPublic: true }),
      block(r.id, at('2026-11-26', '17:00'), at('2026-11-26', '18:00'), { label: 'Interne Sache', isPublic: false }),
    ];
    const items = dayCell(ctx, r, dayInfo(ctx, '2026-11-26'), occ).items;
    expect(items.map((i) => [i.time, i.status, i.statusText, i.title])).toEqual([
      ['09:00–10:00 Uhr', 'approved', 'belegt', 'Chorprobe'],
      ['11:00–12:00 Uhr', 'approved', 'belegt', null],
      ['13:00–14:00 Uhr', 'pending', 'angefragt', null],
      ['15:00–16:00 Uhr', 'closed', 'geschlossen', 'Renovierung Boden'],
      ['17:00–18:00 Uhr', 'closed', 'geschlossen', null],
    ]);
  });

  it('names a public block by its reason when it has no label', () => {
    const r = room();
    const ctx = context({ now: NOW, rooms: [r], lang: 'en' });
    const occ = [block(null, dayStart('2026-12-25', ZONE), dayStart('2026-12-26', ZONE), { label: '', reason: 'holiday' })];
    const [item] = dayCell(ctx, r, dayInfo(ctx, '2026-12-25'), occ).items;
    expect(item).toMatchObject({ status: 'closed', statusText: 'closed', title: 'Public holiday', allDay: true, time: 'all day' });
  });

  it('shows a whole room’s booking in its parts and a part’s booking in the whole', () => {
    const a = room({ name: 'Saal A' });
    const b = room({ name: 'Saal B' });
    const whole = room({ name: 'Großer Saal' });
    const other = room({ name: 'Küche' });
    const links = [
      { wholeId: whole.id, partId: a.id },
      { wholeId: whole.id, partId: b.id },
    ];
    const ctx = context({ now: NOW, rooms: [a, b, whole, other], links });
    const all = [booking(whole.id, '2026-11-26', '19:00', '21:00'), booking(a.id, '2026-11-27', '10:00', '12:00')];
    const cellOf = (r: typeof a, date: string) => dayCell(ctx, r, dayInfo(ctx, date), occupantsOfRoom(r.id, all, links));
    expect(cellOf(a, '2026-11-26').items.map((i) => [i.time, i.via])).toEqual([['19:00–21:00 Uhr', 'Großer Saal']]);
    expect(cellOf(b, '2026-11-26').items.map((i) => i.via)).toEqual(['Großer Saal']);
    expect(cellOf(whole, '2026-11-27').items.map((i) => [i.time, i.via])).toEqual([['10:00–12:00 Uhr', 'Saal A']]);
    // Two parts do not block each other, and an unrelated room sees nothing.
    expect(cellOf(b, '2026-11-27').items).toEqual([]);
    expect(cellOf(other, '2026-11-26').items).toEqual([]);
    expect(cellOf(a, '2026-11-26').free.map((s) => [s.start, s.end])).toEqual([
      ['08:00', '19:00'],
      ['21:00', '22:00'],
    ]);
  });

  it('clips a booking over midnight to each day', () => {
    const r = room();
    const ctx = context({ now: NOW, rooms: [r] });
    const night = { ...booking(r.id, '2026-11-27', '22:00', '23:00'), end: at('2026-11-28', '02:00') };
    expect(dayCell(ctx, r, dayInfo(ctx, '2026-11-27'), [night]).items[0]!.time).toBe('22:00–24:00 Uhr');
    expect(dayCell(ctx, r, dayInfo(ctx, '2026-11-28'), [night]).items[0]!.time).toBe('00:00–02:00 Uhr');
  });
});

describe('days with a DST change', () => {
  const r = room();
  const h = { open: '00:00', close: '24:00' };
  const allDay = { '1': h, '2': h, '3': h, '4': h, '5': h, '6': h, '7': h };

  it('keeps a 19:00–21:00 booking at 19:00 before and after each change', () => {
    const ctx = context({ now: '2026-03-01T12:00:00+01:00', rooms: [r], horizonMonths: 24 });
    for (const date of ['2026-03-28', '2026-03-29', '2026-03-30', '2026-10-24', '2026-10-25', '2026-10-26', '2027-03-27', '2027-03-28']) {
      const cell = dayCell(ctx, r, dayInfo(ctx, date), [booking(r.id, date, '19:00', '21:00')]);
      expect(
        cell.items.map((i) => i.time),
        date,
      ).toEqual(['19:00–21:00 Uhr']);
      expect(cell.free.at(-1)?.start, date).toBe('21:00');
    }
  });

  it('notes the 23-hour and the 25-hour day', () => {
    const ctx = context({ now: '2026-03-01T12:00:00+01:00', rooms: [r] });
    expect(dayInfo(ctx, '2026-03-29').dstNote).toContain('23 Stunden');
    expect(dayInfo(ctx, '2026-10-25').dstNote).toContain('25 Stunden');
    expect(dayInfo(ctx, '2027-03-28').dstNote).toContain('23 Stunden');
    expect(dayInfo(ctx, '2026-03-28').dstNote).toBeNull();
    expect(dayInfo(ctx, '2026-03-29').to - dayInfo(ctx, '2026-03-29').from).toBe(23 * 3_600_000);
    expect(dayInfo(ctx, '2026-10-25').to - dayInfo(ctx, '2026-10-25').from).toBe(25 * 3_600_000);
  });

  it('shows a booking across the spring gap with its wall-clock times', () => {
    const ctx = context({ now: '2026-03-01T12:00:00+01:00', rooms: [r], openingHours: allDay });
    const occ = [booking(r.id, '2026-03-29', '01:00', '04:00')];
    expect(occ[0]!.end - occ[0]!.start).toBe(2 * 3_600_000);
    const cell = dayCell(ctx, r, dayInfo(ctx, '2026-03-29'), occ);
    expect(cell.items.map((i) => i.time)).toEqual(['01:00–04:00 Uhr']);
    expect(cell.free.map((s) => [s.start, s.end])).toEqual([
      ['00:00', '01:00'],
      ['04:00', '24:00'],
    ]);
  });

  it('never offers a slot that starts in the doubled autumn hour', () => {
    const ctx = context({ now: '2026-10-01T12:00:00+02:00', rooms: [r], openingHours: allDay });
    // Busy until 02:00 summer time: the next free minute, 02:00, exists twice; the slot starts at 03:00.
    const busy = { ...booking(r.id, '2026-10-25', '00:00', '01:00'), end: Date.parse('2026-10-25T00:00:00Z') };
    const cell = dayCell(ctx, r, dayInfo(ctx, '2026-10-25'), [busy]);
    expect(cell.items.map((i) => i.time)).toEqual(['00:00–02:00 Uhr']);
    expect(cell.free.map((s) => [s.start, s.end])).toEqual([['03:00', '24:00']]);
  });

  it('marks a closure of the whole 25-hour day as all day', () => {
    const ctx = context({ now: '2026-10-01T12:00:00+02:00', rooms: [r] });
    const day = dayInfo(ctx, '2026-10-25');
    const cell = dayCell(ctx, r, day, [block(null, day.from, day.to)]);
    expect(cell.items.map((i) => [i.allDay, i.time])).toEqual([[true, 'ganztägig']]);
    expect(cell.free).toEqual([]);
  });
});
