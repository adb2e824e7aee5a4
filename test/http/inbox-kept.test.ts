// The inbox list and the desk's counts are kept until the next commit (STAFF_LIST_CACHE): a request that arrives
// through another process on the same file, a decision or a change through the app shows at the next view.
import { describe, expect, it } from 'vitest';
import { appsOnFiles } from '../helpers/app.js';
import { loginAs } from '../helpers/login.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { openDatabase } from '../../src/db/database.js';

const shownIds = (html: string) => [...html.matchAll(/<tr id="request-(\d+)"/g)].map((m) => Number(m[1]));
const openCount = (html: string) => /(\d+) offen/.exec(html)?.[1];

describe('the inbox kept until the next commit', () => {
  const apps = appsOnFiles('raumbuch-inbox-kept-');

  for (const kept of [50, 0]) {
    it(`shows requests from another process, decisions and changes at once (STAFF_LIST_CACHE=${kept})`, async () => {
      const { t, file } = await apps.open({ staffListCache: kept });
      const staff = await loginAs(t, 'caretaker');
      const room = await aRoom(t.ctx.db, { name: 'Gruppenraum' });
      const first = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-10', status: 'pending', title: 'Erste' });

      let page = await staff.agent.get('/admin').expect(200);
      expect(shownIds(page.text)).toEqual([first.requestId]);
      expect(openCount(page.text)).toBe('1');
      // The same view again (kept or not): the same list.
      page = await staff.agent.get('/admin').expect(200);
      expect(shownIds(page.text)).toEqual([first.requestId]);

      // A request written by another process on the same database file.
      const other = openDatabase(file);
      let second: Awaited<ReturnType<typeof aBooking>>;
      try {
        second = await aBooking(other.db, { roomId: room.id, date: '2026-12-08', status: 'pending', title: 'Zweite' });
      } finally {
        await other.db.destroy();
      }
      page = await staff.agent.get('/admin').expect(200);
      expect(shownIds(page.text)).toEqual([second.requestId, first.requestId]);
      expect(openCount(page.text)).toBe('2');

      // A change through this process: the first request's date moves before the second's.
      const threeDays = 3 * 86_400_000;
      await t.ctx.db
        .updateTable('bookings')
        .set((eb) => ({ start_at: eb('start_at', '-', threeDays), end_at: eb('end_at', '-', threeDays), local_date: '2026-12-07' }))
        .where('id', '=', first.bookingId)
        .execute();
      page = await staff.agent.get('/admin').expect(200);
      expect(shownIds(page.text)).toEqual([first.requestId, second.requestId]);

      // A decision leaves the list of open requests.
      await t.ctx.db.updateTable('bookings').set({ status: 'rejected' }).where('id', '=', second.bookingId).execute();
      page = await staff.agent.get('/admin').expect(200);
      expect(shownIds(page.text)).toEqual([first.requestId]);
      expect(openCount(page.text)).toBe('1');
    });
  }
});
