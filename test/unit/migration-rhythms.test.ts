// Migrating an existing database to rhythms (2026_12_01_007_rhythms): a weekly series stored before keeps its
// dates and reads as the same weekly rhythm, a single date stays single, and the new columns refuse nonsense.
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { useDatabaseBefore } from '../helpers/migration.js';
import { rhythmOf } from '../../src/bookings/series.js';
import { describeRhythm } from '../../src/bookings/view.js';
import { translator } from '../../src/i18n/index.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { aSeries } from '../helpers/series.js';

describe('the migration to rhythms', () => {
  const old = useDatabaseBefore('2026_12_01_006_languages');

  const rows = () => old.raw().prepare('SELECT * FROM requests ORDER BY id').all() as Record<string, unknown>[];

  it('keeps weekly series and single dates as they were, the weekly ones marked weekly', async () => {
    const room = await aRoom(old.db);
    const weekly = await aSeries(old.db, { roomId: room.id, dates: ['2026-12-03', '2026-12-17', '2026-12-31'] });
    old.raw().prepare('UPDATE requests SET repeat_weeks = 2 WHERE id = ?').run(weekly.requestId);
    await aBooking(old.db, { roomId: room.id, date: '2026-12-04' });
    const before = rows();
    const bookingsBefore = old.raw().prepare('SELECT * FROM bookings ORDER BY id').all();

    await migrateToLatest(old.db);

    const after = rows();
    // Columns later migrations add (the regular group, the accepted texts, public events …) are not this
    // migration's concern: the columns the rows had before keep their values, the rhythm's aside.
    const asBefore = (r: Record<string, unknown>) =>
      Object.fromEntries(Object.keys(before[0]!).map((k) => [k, k.startsWith('repeat_') && k !== 'repeat_weeks' ? undefined : r[k]]));
    expect(after.map(asBefore)).toEqual(before.map(asBefore));
    expect(after.map((r) => [r.repeat_kind, r.repeat_nth, r.repeat_dates])).toEqual([
      ['weekly', null, null],
      [null, null, null],
    ]);
    expect(old.raw().prepare('SELECT * FROM bookings ORDER BY id').all()).toEqual(bookingsBefore);

    const stored = await old.db.selectFrom('requests').selectAll().orderBy('id').execute();
    expect(rhythmOf(stored[0]!)).toEqual({ kind: 'weekly', everyWeeks: 2 });
    expect(rhythmOf(stored[1]!)).toBeNull();
    expect(describeRhythm(stored[0]!, 'de', translator('de'))).toBe(
      'alle 2 Wochen am Donnerstag, 19:00–21:00 Uhr, 3. Dezember 2026 bis 31. Dezember 2026, 3 Termine',
    );
    expect(old.raw().pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('refuses an unknown rhythm, an nth outside 1–4 and -1, and a list that is not JSON', async () => {
    const room = await aRoom(old.db);
    await migrateToLatest(old.db);
    const { requestId } = await aBooking(old.db, { roomId: room.id });
    const set = (sql: string) => () => old.raw().prepare(`UPDATE requests SET ${sql} WHERE id = ?`).run(requestId);
    expect(set(`repeat_kind = 'daily'`)).toThrow(/CHECK/);
    expect(set(`repeat_nth = 5`)).toThrow(/CHECK/);
    expect(set(`repeat_nth = 0`)).toThrow(/CHECK/);
    expect(set(`repeat_dates = 'not json'`)).toThrow(/CHECK/);
    set(`repeat_kind = 'monthly', repeat_nth = -1`)();
    set(`repeat_kind = 'dates', repeat_nth = NULL, repeat_dates = '["2026-12-08"]'`)();
  });

  it('goes down again', async () => {
    await migrateToLatest(old.db);
    await old.migrateBack();
    const columns = old.raw().pragma('table_info(requests)') as { name: string }[];
    expect(columns.map((c) => c.name)).not.toContain('repeat_kind');
  });
});
