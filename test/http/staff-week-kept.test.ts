// The staff week's grid is kept per week and language until the next commit (STAFF_LIST_CACHE): a booking that
// arrives through another process on the same file, a decision or a change through the app shows at the next
// view; the page around the grid (the asked date, the links) is made for every request.
import { describe, expect, it } from 'vitest';
import { appsOnFiles } from '../helpers/app.js';
import { loginAs } from '../helpers/login.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { openDatabase } from '../../src/db/database.js';

describe('the staff week kept until the next commit', () => {
  const apps = appsOnFiles('raumbuch-week-kept-');

  for (const kept of [50, 0]) {
    it(`shows bookings from another process, decisions and changes at once (STAFF_LIST_CACHE=${kept})`, async () => {
      const { t, file } = await apps.open({ staffListCache: kept });
      const staff = await loginAs(t, 'caretaker');
      const room = await aRoom(t.ctx.db, { name: 'Gruppenraum' });
      const first = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-10', status: 'approved', title: 'Erstes Treffen' });

      let page = await staff.agent.get('/admin/calendar?date=2026-12-09').expect(200);
      expect(page.text).toContain('Erstes Treffen');
      expect(page.text).toContain('Kalenderwoche 50');
      // Another day of the same week: the same grid, but the page around it names the asked day.
      page = await staff.agent.get('/admin/calendar?date=2026-12-11').expect(200);
      expect(page.text).toContain('Erstes Treffen');
      expect(page.text).toContain('value="2026-12-11"');
      expect(page.text).toContain('href="/admin/print/day?date=2026-12-11"');
      expect(page.text).not.toContain('value="2026-12-09"');

      // A booking written by another process on the same database file.
      const other = openDatabase(file);
      try {
        await aBooking(other.db, { roomId: room.id, date: '2026-12-08', status: 'pending', title: 'Zweites Treffen' });
      } finally {
        await other.db.destroy();
      }
      page = await staff.agent.get('/admin/calendar?date=2026-12-09').expect(200);
      expect(page.text).toContain('Zweites Treffen');
      expect(page.text).toContain('Erstes Treffen');

      // A change through this process: the first one is renamed, then cancelled.
      await t.ctx.db.updateTable('requests').set({ title: 'Umbenanntes Treffen' }).where('id', '=', first.requestId).execute();
      page = await staff.agent.get('/admin/calendar?date=2026-12-09').expect(200);
      expect(page.text).toContain('Umbenanntes Treffen');
      expect(page.text).not.toContain('Erstes Treffen');

      // Each language has its own grid, and the German one is still German afterwards.
      const en = await staff.agent.get('/admin/calendar?date=2026-12-09&lang=en').expect(200);
      expect(en.text).toContain('Week 50');
      expect(en.text).not.toContain('Kalenderwoche 50');
      page = await staff.agent.get('/admin/calendar?date=2026-12-09&lang=de').expect(200);
      expect(page.text).toContain('Kalenderwoche 50');

      // A browser asking for gzip gets the same page as one stream (the kept grid spliced between the page's parts;
      // supertest inflates it, and a broken stream would fail there).
      const zipped = await staff.agent
        .get('/admin/calendar?date=2026-12-09')
        .set('Accept-Encoding', 'gzip')
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(zipped.headers['content-encoding']).toBe('gzip');
      const plain = await staff.agent.get('/admin/calendar?date=2026-12-09').set('Accept-Encoding', 'identity').expect(200);
      expect((zipped.body as Buffer).toString('utf8')).toBe(plain.text);
    });
  }
});
