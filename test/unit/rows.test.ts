import { afterEach, describe, expect, it } from 'vitest';
import { newBookingRow, newRequestRow, requestColumns, type RequestFields } from '../../src/bookings/rows.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aRoom } from '../helpers/factories.js';

const fields = (o: Partial<RequestFields> = {}): RequestFields => ({
  roomId: 1,
  title: 'Chorprobe',
  publicTitle: 'Chor',
  showPublicTitle: true,
  organisation: 'Chor e. V.',
  contactName: 'Eva Muster',
  email: 'eva@example.org',
  phone: '030 1234',
  category: 'culture',
  attendees: 12,
  equipment: ['piano'],
  notes: '',
  date: '2026-12-01',
  start: '18:00',
  end: '20:00',
  series: null,
  ...o,
});
const origin = {
  reference: 'HdB-2026-0001',
  tokenHash: 'ab'.repeat(32),
  language: 'de' as const,
  rulesVersion: 1,
  privacyVersion: 1,
  source: 'public' as const,
  createdBy: null,
  now: 1_000,
};
const slot = { date: '2026-12-01', start: 1_000_000, end: 2_000_000 };

describe('request rows', () => {
  it('never marks a public title as shown when there is none', () => {
    expect(requestColumns(fields({ publicTitle: '', showPublicTitle: true }))).toMatchObject({ public_title: null, show_public_title: 0 });
    expect(requestColumns(fields({ publicTitle: null, showPublicTitle: true }))).toMatchObject({ public_title: null, show_public_title: 0 });
    expect(requestColumns(fields({ publicTitle: 'Chor', showPublicTitle: false }))).toMatchObject({ public_title: 'Chor', show_public_title: 0 });
    expect(requestColumns(fields())).toMatchObject({ public_title: 'Chor', show_public_title: 1 });
  });

  it('stores empty optional contact fields as missing, not as empty text', () => {
    expect(requestColumns(fields({ organisation: '', phone: '' }))).toMatchObject({ organisation: null, phone: null });
    expect(requestColumns(fields({ organisation: null, phone: null }))).toMatchObject({ organisation: null, phone: null });
  });

  it('keeps a single date without a series, and a series with its rhythm and last date', () => {
    expect(requestColumns(fields())).toMatchObject({ repeat_weeks: null, first_date: '2026-12-01', last_date: null, start_time: '18:00', end_time: '20:00' });
    expect(requestColumns(fields({ series: { everyWeeks: 2, lastDate: '2027-03-02' } }))).toMatchObject({ repeat_weeks: 2, last_date: '2027-03-02' });
  });

  it('a new request is unchanged, not anonymised, and says who made it', () => {
    const row = newRequestRow(fields({ equipment: ['piano', 'beamer'] }), { ...origin, source: 'house', createdBy: 7 });
    expect(row).toMatchObject({ source: 'house', created_by: 7, sequence: 0, created_at: 1_000, updated_at: 1_000, anonymized_at: null });
    expect(JSON.parse(row.equipment)).toEqual(['piano', 'beamer']);
  });
});

describe('date rows', () => {
  it('a requested date carries no decision', () => {
    expect(newBookingRow(3, 1, slot, { status: 'pending' }, 5)).toMatchObject({
      status: 'pending',
      skip_reason: null,
      decided_by: null,
      decided_at: null,
      decision_message: null,
      local_date: '2026-12-01',
      start_at: 1_000_000,
      end_at: 2_000_000,
    });
  });

  it('a date the house books is approved by the caretaker at that moment with the message', () => {
    expect(newBookingRow(3, 1, slot, { status: 'approved', decidedBy: 7, message: 'Bis dann' }, 5)).toMatchObject({
      status: 'approved',
      skip_reason: null,
      decided_by: 7,
      decided_at: 5,
      decision_message: 'Bis dann',
    });
  });

  it('a skipped date keeps its reason and no decision', () => {
    expect(newBookingRow(3, 1, slot, { status: 'skipped', reason: 'holiday' }, 5)).toMatchObject({
      status: 'skipped',
      skip_reason: 'holiday',
      decided_by: null,
      decided_at: null,
    });
  });
});

describe('the rows in the database', () => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('are accepted by the schema as they are built, for a public request and a booking by the house', async () => {
    t = await makeTestApp();
    const db = t.ctx.db;
    const room = await aRoom(db);
    const admin = await db.selectFrom('users').select('id').executeTakeFirstOrThrow();
    const pub = await db
      .insertInto('requests')
      .values(newRequestRow(fields({ roomId: room.id }), origin))
      .returning('id')
      .executeTakeFirstOrThrow();
    const house = await db
      .insertInto('requests')
      .values(
        newRequestRow(fields({ roomId: room.id, email: '', series: { everyWeeks: 1, lastDate: '2026-12-08' } }), {
          ...origin,
          reference: 'HdB-2026-0002',
          tokenHash: 'cd'.repeat(32),
          source: 'house',
          createdBy: admin.id,
        }),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('bookings')
      .values([
        newBookingRow(pub.id, room.id, slot, { status: 'pending' }, 5),
        newBookingRow(
          house.id,
          room.id,
          { ...slot, date: '2026-12-02', start: 3_000_000, end: 4_000_000 },
          { status: 'approved', decidedBy: admin.id, message: '' },
          5,
        ),
        newBookingRow(house.id, room.id, { ...slot, date: '2026-12-08' }, { status: 'skipped', reason: 'closure' }, 5),
      ])
      .execute();
    const rows = await db.selectFrom('bookings').select(['request_id', 'status', 'skip_reason']).orderBy('id').execute();
    expect(rows).toEqual([
      { request_id: pub.id, status: 'pending', skip_reason: null },
      { request_id: house.id, status: 'approved', skip_reason: null },
      { request_id: house.id, status: 'skipped', skip_reason: 'closure' },
    ]);
  });
});
