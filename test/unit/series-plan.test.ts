import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planDates } from '../../src/bookings/plan.js';
import { openDatabase, type OpenedDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { DEFAULT_OPENING_HOURS } from '../../src/settings/repository.js';
import { aBlockedTime, aBooking, aRoom } from '../helpers/factories.js';

const house = { zone: 'Europe/Berlin', openingHours: DEFAULT_OPENING_HOURS, leadTimeDays: 2, horizonMonths: 12, federalState: 'BE' };
const NOW = new Date('2026-11-23T09:00:00Z');

describe("planDates (request form, edit and the caretaker's direct booking)", () => {
  let opened: OpenedDatabase;
  beforeEach(async () => {
    opened = openDatabase(':memory:');
    await migrateToLatest(opened.db);
  });
  afterEach(() => opened.db.destroy());

  it('refuses an unknown room', async () => {
    const r = await planDates(opened.db, house, { roomId: 99, date: '2026-12-01', start: '10:00', end: '11:00' }, NOW, { lang: 'de' });
    expect(r).toEqual({ ok: false, failures: [{ field: 'room', key: 'requests.error.room', params: {} }] });
  });

  it('lets the caretaker book an office room early in the morning tomorrow, over two days, but never into a clash', async () => {
    const office = await aRoom(opened.db, { publicBookable: false });
    const input = { roomId: office.id, date: '2026-11-24', start: '06:00', endDate: '2026-11-25', end: '12:00' };
    expect((await planDates(opened.db, house, input, NOW, { lang: 'de' })).ok).toBe(false);
    const opts = { lang: 'de' as const, caretaker: true, override: { openingHours: true, leadTime: true, horizon: true } };
    const r = await planDates(opened.db, house, input, NOW, opts);
    expect(r.ok && r.dates.map((d) => [d.date, d.status, new Date(d.start).toISOString(), new Date(d.end).toISOString()])).toEqual([
      ['2026-11-24', 'ok', '2026-11-24T05:00:00.000Z', '2026-11-25T11:00:00.000Z'],
    ]);
    await aBooking(opened.db, { roomId: office.id, date: '2026-11-25', start: '11:00', end: '13:00', status: 'approved' });
    const clash = await planDates(opened.db, house, input, NOW, opts);
    expect(clash.ok && clash.dates[0]).toMatchObject({ status: 'clash', skipReason: 'clash' });
  });

  it("plans a series with holidays, closures and clashes, ignoring the request's own dates when editing", async () => {
    const room = await aRoom(opened.db);
    const own = await aBooking(opened.db, { roomId: room.id, date: '2026-12-08', start: '18:00', end: '20:00', status: 'approved' });
    await aBlockedTime(opened.db, { from: '2026-12-15' });
    const input = { roomId: room.id, date: '2026-12-01', start: '18:00', end: '20:00', series: { everyWeeks: 1, lastDate: '2026-12-29' } };
    const r = await planDates(opened.db, house, input, NOW, { lang: 'en' });
    expect(r.ok && r.dates.map((d) => [d.date, d.status, d.skipReason])).toEqual([
      ['2026-12-01', 'ok', null],
      ['2026-12-08', 'clash', 'clash'],
      ['2026-12-15', 'skipped', 'closure'],
      ['2026-12-22', 'ok', null],
      ['2026-12-29', 'ok', null],
    ]);
    const editing = await planDates(opened.db, house, input, NOW, { lang: 'en', excludeRequestId: own.requestId });
    expect(editing.ok && editing.dates[1]!.status).toBe('ok');
    const christmas = await planDates(opened.db, house, { ...input, date: '2026-12-25', series: { everyWeeks: 1, lastDate: '2027-01-01' } }, NOW, {
      lang: 'en',
    });
    expect(christmas.ok && christmas.dates.map((d) => d.holiday)).toEqual(['Christmas Day', "New Year's Day"]);
  });

  it('checks the horizon of a series on its last date', async () => {
    const room = await aRoom(opened.db);
    const r = await planDates(
      opened.db,
      house,
      { roomId: room.id, date: '2026-12-01', start: '18:00', end: '20:00', series: { everyWeeks: 4, lastDate: '2027-12-01' } },
      NOW,
      { lang: 'de' },
    );
    expect(r).toEqual({ ok: false, failures: [{ field: 'lastDate', key: 'requests.error.horizon', params: { months: 12, latest: '2027-11-23' } }] });
  });
});
