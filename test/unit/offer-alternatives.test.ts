// Which alternatives "Andere Zeit oder anderen Raum anbieten" lists, in a hand-built house: other rooms at the
// same time (parts and wholes, capacity, equipment, closures, rooms only the office gives out), the same room at
// nearby times (±2 h in 30-minute steps, opening hours, clashes with a whole), the neighbouring days (closures),
// and for a series only what is free on every open date.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBlockedTime, aBooking, aRoom, aWholeRoom } from '../helpers/factories.js';
import { aSeries } from '../helpers/series.js';
import { getHouse } from '../../src/settings/repository.js';
import { findAlternatives, type OfferOption } from '../../src/offers/alternatives.js';
import { openDatesOf } from '../../src/offers/service.js';

describe('the alternatives offered for a pending request', () => {
  let t: TestApp;
  let saalA: { id: number; name: string };
  let saalB: { id: number; name: string };
  let gross: { id: number; name: string };
  beforeEach(async () => {
    // Now: Monday 23 November 2026, 10:00; lead time 2 days; open Mon–Fri 08–22, Sat 10–22.
    t = await makeTestApp();
    saalA = await aRoom(t.ctx.db, { name: 'Saal A', capacity: 40 });
    saalB = await aRoom(t.ctx.db, { name: 'Saal B', capacity: 40 });
    gross = await aWholeRoom(t.ctx.db, [saalA.id, saalB.id], { name: 'Großer Saal', capacity: 80 });
  });
  afterEach(() => t.close());

  async function alternatives(requestId: number, single: boolean): Promise<OfferOption[]> {
    const open = await openDatesOf(t.ctx.db, requestId, t.clock().getTime());
    const house = await getHouse(t.ctx.db);
    return findAlternatives(t.ctx, house, { request: open!.request, dates: open!.dates, single }, t.clock(), 'de');
  }
  const brief = (os: OfferOption[]) => os.map((o) => `${o.kind} ${o.roomName} ${o.date ?? '-'} ${o.start}-${o.end}`);

  it('offers for a single date: free rooms that fit, nearby free times in the same room, and the free neighbouring days', async () => {
    await aRoom(t.ctx.db, { name: 'Seminarraum', capacity: 20 });
    await aRoom(t.ctx.db, { name: 'Klein', capacity: 8 });
    await aRoom(t.ctx.db, { name: 'Ohne Tische', capacity: 30, equipment: [] });
    const closed = await aRoom(t.ctx.db, { name: 'Werkstatt', capacity: 30 });
    await aRoom(t.ctx.db, { name: 'Büro', capacity: 30, publicBookable: false });
    await aBlockedTime(t.ctx.db, { roomId: closed.id, from: '2026-12-04', fromTime: '13:00', toTime: '15:00', reason: 'renovation' });
    // Saal B is taken at the wished time; the Großer Saal (A + B) from 16:00, so Saal A is taken from 16:00 too.
    await aBooking(t.ctx.db, { roomId: saalB.id, date: '2026-12-04', start: '14:00', end: '16:00', status: 'approved' });
    await aBooking(t.ctx.db, { roomId: gross.id, date: '2026-12-04', start: '16:00', end: '17:00', status: 'approved' });
    // The Saturday is closed for the whole house.
    await aBlockedTime(t.ctx.db, { from: '2026-12-05', reason: 'house_event' });
    const { requestId } = await aBooking(t.ctx.db, { roomId: saalA.id, date: '2026-12-04', start: '14:00', end: '16:00', status: 'pending', attendees: 15 });
    await t.ctx.db.updateTable('requests').set({ equipment: '["chairs_tables"]' }).where('id', '=', requestId).execute();

    expect(brief(await alternatives(requestId, true))).toEqual([
      `room Seminarraum 2026-12-04 14:00-16:00`,
      // Nearest first; 14:30 and later would run into the Großer Saal's booking at 16:00.
      `time Saal A 2026-12-04 13:30-15:30`,
      `time Saal A 2026-12-04 13:00-15:00`,
      `time Saal A 2026-12-04 12:30-14:30`,
      `time Saal A 2026-12-04 12:00-14:00`,
      // Thursday is free; Saturday is closed.
      `day Saal A 2026-12-03 14:00-16:00`,
    ]);
  });

  it('offers nothing earlier than the lead time', async () => {
    // Wednesday 25 November 10:00–12:00 is exactly the lead time (two days) ahead: earlier times and the day before are too soon.
    const { requestId } = await aBooking(t.ctx.db, { roomId: saalA.id, date: '2026-11-25', start: '10:00', end: '12:00', status: 'pending' });
    const times = brief(await alternatives(requestId, true)).filter((s) => s.startsWith('time') || s.startsWith('day'));
    expect(times).toEqual([
      'time Saal A 2026-11-25 10:30-12:30',
      'time Saal A 2026-11-25 11:00-13:00',
      'time Saal A 2026-11-25 11:30-13:30',
      'time Saal A 2026-11-25 12:00-14:00',
      // Only the day after; Tuesday is within the lead time.
      'day Saal A 2026-11-26 10:00-12:00',
    ]);
  });

  // Opening hours: 20:30–22:30 would end after the house closes at 22:00.
  it('offers a series only rooms and times free on every open date, and no other days', async () => {
    const seminar = await aRoom(t.ctx.db, { name: 'Seminarraum', capacity: 20 });
    const dates = ['2026-12-04', '2026-12-11', '2026-12-18'];
    await aBlockedTime(t.ctx.db, { roomId: seminar.id, from: '2026-12-11', fromTime: '18:00', toTime: '22:00', reason: 'renovation' });
    await aBooking(t.ctx.db, { roomId: saalA.id, date: '2026-12-11', start: '17:00', end: '18:00', status: 'approved' });
    const { requestId } = await aSeries(t.ctx.db, { roomId: saalA.id, dates, start: '19:00', end: '21:00' });

    expect(brief(await alternatives(requestId, false))).toEqual([
      'room Saal B - 19:00-21:00',
      'room Großer Saal - 19:00-21:00',
      'time Saal A - 18:30-20:30',
      'time Saal A - 19:30-21:30',
      'time Saal A - 18:00-20:00',
      'time Saal A - 20:00-22:00',
    ]);
  });

  it('offers nothing for a request without open dates ahead', async () => {
    const { requestId } = await aBooking(t.ctx.db, { roomId: saalA.id, date: '2026-12-04', status: 'approved' });
    expect(await alternatives(requestId, true)).toEqual([]);
  });
});
