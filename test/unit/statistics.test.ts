// Usage statistics on a hand-built house with known answers. Every expected number below is worked out by hand
// from the fixture (see the comments), not from the code: rooms A and B, a Großer Saal G made of A and B, a
// kitchen K; the week Monday 23 – Sunday 29 March 2026 (the spring DST Sunday), Saturday closed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBlockedTime, aRoom, aWholeRoom } from '../helpers/factories.js';
import { localToInstant } from '../../src/time/index.js';
import { statisticsFor } from '../../src/statistics/service.js';
import { statisticsSchema } from '../../src/statistics/schema.js';
import { quantile } from '../../src/statistics/compute.js';
import { anonymizeRequests } from '../../src/privacy/anonymize.js';
import type { BookingStatus, Category, OpeningHours, SkipReason } from '../../src/db/schema.js';

const ZONE = 'Europe/Berlin';
const at = (date: string, time: string) => {
  const r = localToInstant(date, time, ZONE);
  if (!r.ok) throw new Error(`${date} ${time}`);
  return r.instant;
};
const open = { open: '08:00', close: '22:00' };
/** Every day 08–22 but Saturday (closed). */
const HOURS: OpeningHours = { '1': open, '2': open, '3': open, '4': open, '5': open, '6': null, '7': open };
const NOW = at('2026-04-01', '12:00');

let t: TestApp;
let n = 0;

interface DateSpec {
  room: number;
  date: string;
  start: string;
  end: string;
  status?: BookingStatus;
  skip?: SkipReason;
  cancelledBy?: 'group' | 'house';
  decidedAt?: number | null;
  message?: string | null;
}

async function aRequest(o: {
  room: number;
  category: Category;
  attendees: number;
  organisation?: string | null;
  email?: string;
  series?: boolean;
  source?: 'public' | 'house';
  createdAt?: number;
  dates: Omit<DateSpec, 'room'>[];
}) {
  const k = ++n;
  const req = await t.ctx.db
    .insertInto('requests')
    .values({
      reference: `HdB-2026-${String(k).padStart(4, '0')}`,
      token_hash: `hash-${k}`,
      room_id: o.room,
      title: `Titel ${k}`,
      public_title: null,
      show_public_title: 0,
      organisation: o.organisation === undefined ? null : o.organisation,
      contact_name: `Kontakt ${k}`,
      email: o.email ?? `kontakt${k}@example.org`,
      phone: null,
      category: o.category,
      attendees: o.attendees,
      equipment: '[]',
      notes: '',
      language: 'de',
      rules_version: 1,
      privacy_version: 1,
      source: o.source ?? 'public',
      created_by: null,
      repeat_weeks: o.series ? 1 : null,
      first_date: o.dates[0]!.date,
      last_date: o.series ? o.dates[o.dates.length - 1]!.date : null,
      start_time: o.dates[0]!.start,
      end_time: o.dates[0]!.end,
      sequence: 0,
      created_at: o.createdAt ?? 0,
      updated_at: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ids: number[] = [];
  for (const d of o.dates) {
    const b = await t.ctx.db
      .insertInto('bookings')
      .values({
        request_id: req.id,
        room_id: o.room,
        local_date: d.date,
        start_at: at(d.date, d.start),
        end_at: d.end === '24:00' ? at(d.date, '24:00') : at(d.date, d.end),
        status: d.status ?? 'approved',
        skip_reason: d.skip ?? null,
        detached: 0,
        decided_by: null,
        decided_at: d.decidedAt ?? null,
        decision_message: d.message ?? null,
        cancelled_by: d.cancelledBy ?? null,
        cancelled_at: d.cancelledBy ? 0 : null,
        sequence: 0,
        created_at: 0,
        updated_at: 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(b.id);
  }
  return { id: req.id, bookings: ids };
}

async function report(bookingId: number, tookPlace: boolean, attended: number | null) {
  await t.ctx.db
    .insertInto('attendance')
    .values({ booking_id: bookingId, took_place: tookPlace ? 1 : 0, attended, reported_by: 'staff', reported_at: NOW })
    .execute();
}

const params = (q: Record<string, string>) =>
  statisticsSchema.parse({ period: 'custom', year: '', quarter: '', month: '', from: '2026-03-23', to: '2026-03-29', room: '', category: '', group: '', ...q });
const run = (q: Record<string, string> = {}, hours: OpeningHours = HOURS) => statisticsFor(t.ctx.db, params(q), { zone: ZONE, openingHours: hours }, NOW);

let A: number, B: number, G: number, K: number;

beforeEach(async () => {
  t = await makeTestApp({ now: '2026-04-01T12:00:00+02:00' });
  A = (await aRoom(t.ctx.db, { name: 'Saal A' })).id;
  B = (await aRoom(t.ctx.db, { name: 'Saal B' })).id;
  G = (await aWholeRoom(t.ctx.db, [A, B], { name: 'Großer Saal' })).id;
  K = (await aRoom(t.ctx.db, { name: 'Küche' })).id;
  await t.ctx.db
    .insertInto('message_templates')
    .values({ kind: 'reject', label: 'Belegt', body: 'Der Raum ist zu dieser Zeit belegt.', sort_order: 1 })
    .execute();
  // Blocked: K on Wednesday 08–12 (4 h of its opening hours); the whole house Thursday 20–24 (20–22 inside the opening hours).
  await aBlockedTime(t.ctx.db, { roomId: K, from: '2026-03-25', fromTime: '08:00', toTime: '12:00', reason: 'renovation' });
  await aBlockedTime(t.ctx.db, { roomId: null, from: '2026-03-26', fromTime: '20:00', to: '2026-03-27', toTime: '00:00', reason: 'house_event' });
});
afterEach(() => t.close());

/** The week's dates; returns the ids the tests report attendance on. */
async function fillWeek() {
  // b1: A Mon 10–12, education, 10 expected, Lernwerk; lead time 0.5 days; 8 came.
  const b1 = await aRequest({
    room: A,
    category: 'education',
    attendees: 10,
    organisation: 'Lernwerk',
    createdAt: at('2026-03-10', '12:00'),
    dates: [{ date: '2026-03-23', start: '10:00', end: '12:00', decidedAt: at('2026-03-11', '00:00') }],
  });
  // b2: Großer Saal Tue 18–21, culture, 100 expected; lead 4 days; did not take place.
  const b2 = await aRequest({
    room: G,
    category: 'culture',
    attendees: 100,
    organisation: 'Chor',
    createdAt: at('2026-03-01', '00:00'),
    dates: [{ date: '2026-03-24', start: '18:00', end: '21:00', decidedAt: at('2026-03-05', '00:00') }],
  });
  // S1: weekly series in B on Sundays 19–21, sports, no organisation (the e-mail is the group); lead 1 day.
  // Only Sunday 29 March (the DST day: still 2 hours) lies in the period.
  await aRequest({
    room: B,
    category: 'sports',
    attendees: 12,
    email: 'Turn@Example.org',
    series: true,
    createdAt: at('2026-02-20', '00:00'),
    dates: [
      { date: '2026-03-22', start: '19:00', end: '21:00', decidedAt: at('2026-02-21', '00:00') },
      { date: '2026-03-29', start: '19:00', end: '21:00', decidedAt: at('2026-02-21', '00:00') },
      { date: '2026-04-05', start: '19:00', end: '21:00', decidedAt: at('2026-02-21', '00:00') },
    ],
  });
  // S2: weekly series in K on Thursdays 20–22: the 26th is skipped (closure: the house event); the 19th is outside.
  await aRequest({
    room: K,
    category: 'integration',
    attendees: 15,
    organisation: 'Café International',
    series: true,
    dates: [
      { date: '2026-03-19', start: '20:00', end: '22:00', decidedAt: at('2026-03-01', '00:00') },
      { date: '2026-03-26', start: '20:00', end: '22:00', status: 'skipped', skip: 'closure' },
    ],
  });
  // b4: K Fri 07–09 entered by the house (no lead time), same group as b1 written differently: 2 h booked, 1 h inside opening hours.
  await aRequest({
    room: K,
    category: 'social',
    attendees: 5,
    organisation: ' lernwerk ',
    source: 'house',
    dates: [{ date: '2026-03-27', start: '07:00', end: '09:00', decidedAt: at('2026-03-20', '00:00') }],
  });
  // b5: A Thu 10:00–11:30 cancelled by the group (approved first: lead 3 days). b6: K Mon 10–11 cancelled by the house.
  await aRequest({
    room: A,
    category: 'social',
    attendees: 4,
    createdAt: at('2026-03-02', '00:00'),
    dates: [{ date: '2026-03-26', start: '10:00', end: '11:30', status: 'cancelled', cancelledBy: 'group', decidedAt: at('2026-03-05', '00:00') }],
  });
  await aRequest({
    room: K,
    category: 'social',
    attendees: 4,
    dates: [{ date: '2026-03-23', start: '10:00', end: '11:00', status: 'cancelled', cancelledBy: 'house' }],
  });
  // b7: B Mon 14–16 refused with the template "Belegt" (lead 2 days); b8: A Tue 10–12 refused with an own text (lead 6 days).
  await aRequest({
    room: B,
    category: 'culture',
    attendees: 50,
    createdAt: at('2026-03-01', '00:00'),
    dates: [
      {
        date: '2026-03-23',
        start: '14:00',
        end: '16:00',
        status: 'rejected',
        decidedAt: at('2026-03-03', '00:00'),
        message: 'Der Raum ist zu dieser Zeit belegt.',
      },
    ],
  });
  await aRequest({
    room: A,
    category: 'other',
    attendees: 5,
    createdAt: at('2026-03-14', '00:00'),
    dates: [
      { date: '2026-03-24', start: '10:00', end: '12:00', status: 'rejected', decidedAt: at('2026-03-20', '00:00'), message: 'Bitte an einem anderen Tag.' },
    ],
  });
  // b9, b10: A Wed 14–16 and 17–18, celebrations of two groups whose data retention has since removed.
  const b9 = await aRequest({
    room: A,
    category: 'celebration',
    attendees: 30,
    organisation: 'Familie X',
    dates: [{ date: '2026-03-25', start: '14:00', end: '16:00' }],
  });
  const b10 = await aRequest({
    room: A,
    category: 'celebration',
    attendees: 20,
    organisation: 'Familie Y',
    dates: [{ date: '2026-03-25', start: '17:00', end: '18:00' }],
  });
  await t.ctx.db.transaction().execute((trx) => anonymizeRequests(trx, [b9.id, b10.id], NOW));
  // Not counted: a pending date (B Fri), an approved date after the period (A Tue 31 March).
  await aRequest({ room: B, category: 'culture', attendees: 9, dates: [{ date: '2026-03-27', start: '10:00', end: '12:00', status: 'pending' }] });
  await aRequest({ room: A, category: 'culture', attendees: 9, dates: [{ date: '2026-03-31', start: '10:00', end: '12:00' }] });
  await report(b1.bookings[0]!, true, 8);
  await report(b2.bookings[0]!, false, null);
}

describe('statistics of a hand-built week', () => {
  it('counts booked hours per room (each date once, in the room it was booked for) and in total', async () => {
    await fillWeek();
    const { stats } = await run();
    // A: b1 2 h + b9 2 h + b10 1 h; G: b2 3 h; B: S1 2 h (DST Sunday); K: b4 2 h (also the hour before opening).
    expect(stats.total).toEqual({ dates: 6, hours: 12 });
    const byName = Object.fromEntries(stats.rooms.map((r) => [r.name, { dates: r.dates, hours: r.hours }]));
    expect(byName).toEqual({
      'Saal A': { dates: 3, hours: 5 },
      'Großer Saal': { dates: 1, hours: 3 },
      'Saal B': { dates: 1, hours: 2 },
      Küche: { dates: 1, hours: 2 },
    });
  });

  it('measures occupancy per physical space against opening hours minus blocked times', async () => {
    await fillWeek();
    const { stats } = await run();
    // 6 open days × 14 h = 84 h per space; A, B lose the house event 20–22 (82 h), K also Wednesday 08–12 (78 h).
    // Occupied: A = b1 2 + G 3 + b9 2 + b10 1 = 8; B = G 3 + S1 2 = 5; K = b4 08–09 only = 1.
    const bySpace = Object.fromEntries(stats.spaces.map((s) => [s.name, [s.available, s.occupied]]));
    expect(bySpace).toEqual({ 'Saal A': [82, 8], 'Saal B': [82, 5], Küche: [78, 1] });
    expect(stats.spaces.map((s) => s.name)).not.toContain('Großer Saal');
    expect(stats.house.available).toBe(242);
    expect(stats.house.occupied).toBe(14);
    expect(stats.house.rate).toBeCloseTo(14 / 242, 10);
  });

  it('splits occupancy by weekday and by local hour of the day', async () => {
    await fillWeek();
    const { stats } = await run();
    const wd = Object.fromEntries(stats.weekdays.map((w) => [w.weekday, [w.available, w.occupied]]));
    // 3 spaces × 14 h = 42 a day; Wed −4 (K blocked), Thu −6 (house event on 3 spaces); Saturday closed.
    expect(wd).toEqual({ 1: [42, 2], 2: [42, 6], 3: [38, 3], 4: [36, 0], 5: [42, 1], 6: [0, 0], 7: [42, 2] });
    expect(stats.weekdays.find((w) => w.weekday === 6)!.rate).toBeNull();
    const hours = Object.fromEntries(stats.hoursOfDay.map((h) => [h.hour, [h.available, h.occupied]]));
    // 6 days × 3 spaces = 18 per hour from 8 to 21; K blocked 8–11 on Wednesday (−1 each), house event 20, 21 (−3 each).
    expect(hours).toEqual({
      8: [17, 1],
      9: [17, 0],
      10: [17, 1],
      11: [17, 1],
      12: [18, 0],
      13: [18, 0],
      14: [18, 1],
      15: [18, 1],
      16: [18, 0],
      17: [18, 1],
      18: [18, 2],
      19: [18, 3],
      20: [15, 3],
      21: [15, 0],
    });
  });

  it('counts events, distinct groups (anonymised requests still count) and attendance with how many dates reported', async () => {
    await fillWeek();
    const { stats } = await run();
    // Groups: lernwerk (b1 and b4), chor, turn@example.org, two anonymised requests.
    expect(stats.groups).toBe(5);
    expect(stats.requests).toBe(6);
    // 10 + 100 + 12 + 5 + 30 + 20 expected; b1 reported 8, b2 did not take place.
    expect(stats.attendance).toEqual({ expected: 177, pastDates: 6, reported: 2, actual: 8, noShows: 1 });
  });

  it('shares by kind of event, regular against one-off use', async () => {
    await fillWeek();
    const { stats } = await run();
    const cats = Object.fromEntries(stats.categories.map((c) => [c.category, [c.dates, c.hours]]));
    expect(cats).toEqual({ education: [1, 2], culture: [1, 3], social: [1, 2], integration: [0, 0], sports: [1, 2], celebration: [2, 3], other: [0, 0] });
    expect(stats.categories.find((c) => c.category === 'culture')!.share).toBeCloseTo(0.25, 10);
    expect(stats.kinds).toEqual({ series: { dates: 1, hours: 2 }, single: { dates: 5, hours: 10 } });
  });

  it('counts cancellations, refusals with their reasons and skipped dates of series', async () => {
    await fillWeek();
    const { stats } = await run();
    expect(stats.cancellations).toEqual({ group: 1, house: 1 });
    expect(stats.refusals.dates).toBe(2);
    expect(stats.refusals.requests).toBe(2);
    expect(stats.refusals.reasons).toEqual(
      expect.arrayContaining([
        { reason: 'Belegt', kind: 'template', dates: 1 },
        { reason: null, kind: 'own', dates: 1 },
      ]),
    );
    expect(stats.skipped).toEqual([
      { reason: 'holiday', dates: 0 },
      { reason: 'closure', dates: 1 },
      { reason: 'clash', dates: 0 },
    ]);
  });

  it('gives the lead time from request to first decision as quartiles (public requests only)', async () => {
    await fillWeek();
    const { stats } = await run();
    // 0.5, 1, 2, 3, 4, 6 days → Q1 1.25, median 2.5, Q3 3.75 (linear between ranks).
    expect(stats.leadTimeDays.count).toBe(6);
    expect(stats.leadTimeDays.q1).toBeCloseTo(1.25, 10);
    expect(stats.leadTimeDays.median).toBeCloseTo(2.5, 10);
    expect(stats.leadTimeDays.q3).toBeCloseTo(3.75, 10);
    expect(quantile([], 0.5)).toBeNull();
  });

  it('filters by room: the room and every room sharing space with it, occupancy of its spaces only', async () => {
    await fillWeek();
    const { stats } = await run({ room: String(A) });
    // A's own dates (5 h) and the Großer Saal's (3 h); B's and K's are out.
    expect(stats.total).toEqual({ dates: 4, hours: 8 });
    expect(stats.spaces.map((s) => [s.name, s.available, s.occupied])).toEqual([['Saal A', 82, 8]]);
    expect(stats.cancellations).toEqual({ group: 1, house: 0 });
    expect(stats.refusals.dates).toBe(1);
  });

  it('filters by group (organisation or e-mail as stored, any case) and by kind of event', async () => {
    await fillWeek();
    const lernwerk = await run({ group: 'LERNWERK' });
    expect(lernwerk.stats.total).toEqual({ dates: 2, hours: 4 });
    expect(lernwerk.stats.groups).toBe(1);
    const turn = await run({ group: 'turn@example.org' });
    expect(turn.stats.total).toEqual({ dates: 1, hours: 2 });
    const party = await run({ category: 'celebration' });
    expect(party.stats.total).toEqual({ dates: 2, hours: 3 });
    expect(party.stats.groups).toBe(2);
  });
});

describe('DST days', () => {
  const always = { open: '00:00', close: '24:00' };
  const ALL: OpeningHours = { '1': always, '2': always, '3': always, '4': always, '5': always, '6': always, '7': always };

  it('the spring Sunday has 23 hours, the autumn Sunday 25; a night date counts its real hours in local hours', async () => {
    const R = (await aRoom(t.ctx.db, { name: 'Nachtcafé' })).id;
    // B/A/G/K exist too (4 spaces): one room alone through the room filter.
    await aRequest({ room: R, category: 'culture', attendees: 5, dates: [{ date: '2026-03-29', start: '01:00', end: '04:00' }] });
    await aRequest({ room: R, category: 'culture', attendees: 5, dates: [{ date: '2026-10-25', start: '01:00', end: '04:00' }] });
    await aRequest({ room: R, category: 'culture', attendees: 5, dates: [{ date: '2026-10-25', start: '19:00', end: '21:00' }] });
    const spring = await run({ from: '2026-03-29', to: '2026-03-29', room: String(R) }, ALL);
    // 01:00–04:00 on the spring Sunday: 02:00 does not exist, so 2 real hours; hour 1 and hour 3 one each.
    expect(spring.stats.total).toEqual({ dates: 1, hours: 2 });
    expect(spring.stats.house.available).toBe(23);
    const sh = Object.fromEntries(spring.stats.hoursOfDay.map((h) => [h.hour, h.occupied]));
    expect([sh[1], sh[2] ?? 0, sh[3]]).toEqual([1, 0, 1]);
    const autumn = await run({ from: '2026-10-25', to: '2026-10-25', room: String(R) }, ALL);
    // 01:00–04:00 on the autumn Sunday: 02:00 happens twice, so 4 real hours; plus 19–21 = 2 hours.
    expect(autumn.stats.total).toEqual({ dates: 2, hours: 6 });
    expect(autumn.stats.house.available).toBe(25);
    const ah = Object.fromEntries(autumn.stats.hoursOfDay.map((h) => [h.hour, [h.available, h.occupied]]));
    expect(ah[2]).toEqual([2, 2]);
    expect(ah[19]).toEqual([1, 1]);
  });
});

describe('a series summed date by date', () => {
  it('counts each date of one request in its own room, with its own status, report and decision', async () => {
    // One weekly-ish request in A, 7 expected, created 1 March 00:00. Its dates in the week:
    // Mon 10–12 approved (decided 2 March, 6 came), Wed 10–12 approved (did not take place), Fri 10–12 approved and
    // then moved to B (decided 1 March 12:00: the first decision, lead time 0.5 days), Tue refused with the
    // template's text between spaces and a line break, Thu cancelled by the house, Sun cancelled with no side
    // recorded (counted as the group's).
    const s = await aRequest({
      room: A,
      category: 'education',
      attendees: 7,
      organisation: 'Sprachtreff',
      series: true,
      createdAt: at('2026-03-01', '00:00'),
      dates: [
        { date: '2026-03-23', start: '10:00', end: '12:00', decidedAt: at('2026-03-02', '00:00') },
        { date: '2026-03-25', start: '10:00', end: '12:00', decidedAt: at('2026-03-03', '00:00') },
        { date: '2026-03-27', start: '10:00', end: '12:00', decidedAt: at('2026-03-01', '12:00') },
        {
          date: '2026-03-24',
          start: '10:00',
          end: '12:00',
          status: 'rejected',
          decidedAt: at('2026-03-04', '00:00'),
          message: '  Der Raum ist zu dieser Zeit belegt.\n',
        },
        { date: '2026-03-26', start: '10:00', end: '12:00', status: 'cancelled', cancelledBy: 'house' },
        { date: '2026-03-29', start: '10:00', end: '12:00', status: 'cancelled' },
      ],
    });
    await t.ctx.db.updateTable('bookings').set({ room_id: B }).where('id', '=', s.bookings[2]!).execute();
    await t.ctx.db.updateTable('bookings').set({ cancelled_by: null }).where('id', '=', s.bookings[5]!).execute();
    await report(s.bookings[0]!, true, 6);
    await report(s.bookings[1]!, false, null);

    const { stats } = await run();
    expect(stats.total).toEqual({ dates: 3, hours: 6 });
    expect(stats.rooms.map((r) => [r.name, r.dates, r.hours])).toEqual([
      ['Saal A', 2, 4],
      ['Saal B', 1, 2],
    ]);
    expect(stats.spaces.map((x) => [x.name, x.occupied])).toEqual([
      ['Saal A', 4],
      ['Saal B', 2],
      ['Küche', 0],
    ]);
    expect([stats.requests, stats.groups]).toEqual([1, 1]);
    expect(stats.attendance).toEqual({ expected: 21, pastDates: 3, reported: 2, actual: 6, noShows: 1 });
    expect(stats.kinds).toEqual({ series: { dates: 3, hours: 6 }, single: { dates: 0, hours: 0 } });
    expect(stats.cancellations).toEqual({ group: 1, house: 1 });
    expect(stats.refusals).toEqual({ dates: 1, requests: 1, reasons: [{ reason: 'Belegt', kind: 'template', dates: 1 }] });
    expect(stats.leadTimeDays.count).toBe(1);
    expect(stats.leadTimeDays.median).toBeCloseTo(0.5, 10);
  });
});
