// The statistics' charts are kept per report and data version (src/statistics/present.ts): a write through the
// app or a commit by another process on the same database file must show in the next report's charts, and a
// report asked again without a write must not draw again.
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/login.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { useTempDatabaseFile } from '../helpers/temp-database.js';
import { openDatabase, type OpenedDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { cachedCharts } from '../../src/statistics/present.js';

const MARCH = '/admin/statistics/report?period=month&year=2026&month=03';

/** The rooms chart's description (what a screen reader says), from the report. */
function roomsChart(html: string): string {
  const m = /<desc id="chart-rooms-desc">([^<]*)<\/desc>/.exec(html);
  if (!m) throw new Error('no rooms chart');
  return m[1]!;
}

describe('the statistics charts after a write', () => {
  const file = useTempDatabaseFile();
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('show a date booked through the app in the next report', async () => {
    t = await makeTestApp({ now: '2026-04-01T12:00:00+02:00' });
    const room = await aRoom(t.ctx.db, { name: 'Saal A' });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-03-23', start: '10:00', end: '12:00' });
    const { agent } = await loginAs(t, 'caretaker');
    const first = await agent.get(MARCH).expect(200);
    expect(roomsChart(first.text)).toContain('Saal A: 2');
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-03-25', start: '09:00', end: '12:30' });
    const second = await agent.get(MARCH).expect(200);
    expect(roomsChart(second.text)).toContain('Saal A: 5,5');
  });

  it('show a date committed by another process on the same database file', async () => {
    t = await makeTestApp({ now: '2026-04-01T12:00:00+02:00', config: { databasePath: file.path() } });
    const room = await aRoom(t.ctx.db, { name: 'Saal A' });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-03-23', start: '10:00', end: '12:00' });
    const { agent } = await loginAs(t, 'caretaker');
    expect(roomsChart((await agent.get(MARCH).expect(200)).text)).toContain('Saal A: 2');
    await file.fromOtherConnection((other) => aBooking(other, { roomId: room.id, date: '2026-03-26', start: '18:00', end: '19:00' }));
    expect(roomsChart((await agent.get(MARCH).expect(200)).text)).toContain('Saal A: 3');
  });
});

describe('the chart cache', () => {
  const file = useTempDatabaseFile();
  let a: OpenedDatabase;
  let b: OpenedDatabase;
  afterEach(async () => {
    await a.db.destroy();
    await b.db.destroy();
  });

  it('draws a report once while nothing is written, and again after a commit by this or another connection', async () => {
    a = openDatabase(file.path());
    await migrateToLatest(a.db);
    b = openDatabase(file.path());
    let drawings = 0;
    const report = () => cachedCharts(a, a.dataVersion(), 'de\nMärz', async () => ({ rooms: `<svg>${++drawings}</svg>` }));

    expect(await report()).toEqual({ rooms: '<svg>1</svg>' });
    expect(await report()).toEqual({ rooms: '<svg>1</svg>' });
    // Another report (another language) is drawn for itself.
    expect(await cachedCharts(a, a.dataVersion(), 'en\nMärz', async () => ({ rooms: '<svg>en</svg>' }))).toEqual({ rooms: '<svg>en</svg>' });
    expect(drawings).toBe(1);

    await aRoom(b.db, { name: 'Neuer Raum' });
    // The next request (each one starts by telling the store) sees the other connection's commit.
    a.store.requestArrived();
    expect(await report()).toEqual({ rooms: '<svg>2</svg>' });
    await aRoom(a.db, { name: 'Noch ein Raum' });
    expect(await report()).toEqual({ rooms: '<svg>3</svg>' });
    expect(await report()).toEqual({ rooms: '<svg>3</svg>' });

    // Asked twice at once: drawn once.
    await aRoom(a.db, { name: 'Dritter Raum' });
    const [x, y] = await Promise.all([report(), report()]);
    expect(x).toBe(y);
    expect(drawings).toBe(4);
  });
});
