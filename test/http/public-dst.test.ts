import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBlockedTime, aBooking, aRoom } from '../helpers/factories.js';
import { addDays } from '../../src/time/index.js';
import { boardCell, linkParams } from '../helpers/board.js';

let t: TestApp;
afterEach(() => t?.close());

const OPEN_DAILY = JSON.stringify(Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, { open: '08:00', close: '22:00' }])));

const WEEKS = [
  { sunday: '2026-03-29', now: '2026-03-01T10:00:00+01:00', hours: 23, before: '+01:00', after: '+02:00', week: 13 },
  { sunday: '2026-10-25', now: '2026-10-01T10:00:00+02:00', hours: 25, before: '+02:00', after: '+01:00', week: 43 },
  { sunday: '2027-03-28', now: '2027-03-01T10:00:00+01:00', hours: 23, before: '+01:00', after: '+02:00', week: 12 },
];

describe('weeks with a DST change', () => {
  for (const w of WEEKS) {
    it(`renders the week of ${w.sunday}: 19:00 stays 19:00, the ${w.hours}-hour Sunday is noted`, async () => {
      t = await makeTestApp({ now: w.now });
      await t.ctx.db.updateTable('settings').set({ opening_hours: OPEN_DAILY }).where('id', '=', 1).execute();
      const r = await aRoom(t.ctx.db, { slug: 'saal', name: 'Festsaal' });
      const saturday = addDays(w.sunday, -1);
      const monday = addDays(w.sunday, 1);
      for (const date of [saturday, w.sunday, monday]) await aBooking(t.ctx.db, { roomId: r.id, date, start: '19:00', end: '21:00' });

      const week = await t.request.get(`/week?date=${w.sunday}`);
      expect(week.status).toBe(200);
      expect(week.text).toContain(`Kalenderwoche ${w.week}:`);
      // On the axis (08:00–22:00, a line per quarter hour) 19:00–21:00 has the same place and length on the
      // Saturday, on the 23- or 25-hour Sunday and on the Monday: lines 45 to 53.
      const next = await t.request.get(`/week?date=${monday}`);
      for (const [page, date] of [
        [week.text, saturday],
        [week.text, w.sunday],
        [next.text, monday],
      ] as const) {
        const busy = boardCell(page, 'Festsaal', date).entries.filter((e) => e.kind === 'approved');
        expect(busy.map((e) => [e.text, e.start, e.end])).toEqual([['Festsaal 19:00–21:00 Uhr belegt', 45, 53]]);
      }
      const sunday = boardCell(week.text, 'Festsaal', w.sunday).entries;
      expect(sunday.map((e) => [e.kind, e.start, e.end])).toEqual([
        ['free', 1, 45],
        ['approved', 45, 53],
        ['free', 53, 57],
      ]);
      expect(linkParams(sunday[0]!.href)).toMatchObject({ date: w.sunday, start: '08:00', end: '10:00' });
      expect(linkParams(sunday[2]!.href)).toMatchObject({ date: w.sunday, start: '21:00', end: '22:00' });
      expect(week.text).toContain(`der Tag hat ${w.hours} Stunden`);

      const day = await t.request.get(`/day?date=${w.sunday}`);
      expect(day.text).toContain(`der Tag hat ${w.hours} Stunden`);
      expect(boardCell(day.text, 'Festsaal', w.sunday).entries.map((e) => [e.kind, e.start, e.end])).toEqual(sunday.map((e) => [e.kind, e.start, e.end]));

      const room = await t.request.get(`/rooms/saal?date=${w.sunday}&lang=en`);
      expect(room.text).toContain(`this day has ${w.hours} hours`);
      expect(room.text.match(/19:00–21:00/g)).toHaveLength(2); // Saturday and Sunday of this week

      const api = await t.request.get(`/api/v1/availability?from=${saturday}&to=${monday}&room=saal`);
      expect(api.body.busy.map((b: { start: string; end: string }) => [b.start, b.end])).toEqual([
        [`${saturday}T19:00:00${w.before}`, `${saturday}T21:00:00${w.before}`],
        [`${w.sunday}T19:00:00${w.after}`, `${w.sunday}T21:00:00${w.after}`],
        [`${monday}T19:00:00${w.after}`, `${monday}T21:00:00${w.after}`],
      ]);
    });
  }

  it('closes the whole 23-hour day with a closure from midnight to midnight', async () => {
    t = await makeTestApp({ now: '2026-03-01T10:00:00+01:00' });
    await t.ctx.db.updateTable('settings').set({ opening_hours: OPEN_DAILY }).where('id', '=', 1).execute();
    await aRoom(t.ctx.db, { slug: 'saal', name: 'Festsaal' });
    await aBlockedTime(t.ctx.db, { from: '2026-03-29', label: 'Umstellung' });
    const week = await t.request.get('/week?date=2026-03-29');
    const sunday = boardCell(week.text, 'Festsaal', '2026-03-29');
    expect(sunday.entries.map((e) => [e.kind, e.text, e.start, e.end])).toEqual([['closed', 'Festsaal ganztägig geschlossen: Umstellung', 1, 57]]);
    expect(sunday.html).not.toContain('/requests/new');
    const api = await t.request.get('/api/v1/availability?from=2026-03-29&to=2026-03-29');
    expect(api.body.busy).toEqual([
      { room: 'saal', start: '2026-03-29T00:00:00+01:00', end: '2026-03-30T00:00:00+02:00', status: 'closed', title: 'Umstellung' },
    ]);
  });
});
