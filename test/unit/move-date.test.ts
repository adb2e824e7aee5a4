// Moving one date (src/bookings/move.ts), the step a house change and an accepted offer share: a move onto a
// taken time is refused by the database guard, names what is in the way and leaves the date where it was.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBlockedTime, aBooking, aRoom } from '../helpers/factories.js';
import { moveDate } from '../../src/bookings/move.js';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
});
afterEach(async () => {
  await t.close();
});

// 2026-12-03 is a Thursday in winter time (UTC+1): local 14:00 is 13:00 UTC.
const at = (date: string, hhmm: string) => new Date(`${date}T${hhmm}:00+01:00`).getTime();

async function row(id: number) {
  return t.ctx.db
    .selectFrom('bookings')
    .select(['local_date', 'start_at', 'end_at', 'room_id', 'status', 'sequence'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

describe('moveDate', () => {
  it('refuses a move onto another approved date in the room and names that date', async () => {
    const room = await aRoom(t.ctx.db);
    const other = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-03', start: '14:00', end: '16:00', status: 'approved' });
    const mine = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-02', start: '10:00', end: '12:00', status: 'pending' });
    const before = await row(mine.bookingId);
    const result = await t.ctx.db.transaction().execute((trx) =>
      moveDate(trx, {
        bookingId: mine.bookingId,
        status: 'pending',
        date: '2026-12-03',
        start: at('2026-12-03', '15:00'),
        end: at('2026-12-03', '17:00'),
        roomId: room.id,
        now: 1,
        also: { status: 'approved' },
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.clashes.map((c) => [c.kind, c.bookingId, c.reference])).toEqual([['booking', other.bookingId, other.reference]]);
    expect(await row(mine.bookingId)).toEqual(before);
  });

  it('refuses a move into a blocked time of the whole house', async () => {
    const room = await aRoom(t.ctx.db);
    const block = await aBlockedTime(t.ctx.db, { from: '2026-12-24' });
    const mine = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-22', status: 'approved' });
    const result = await t.ctx.db.transaction().execute((trx) =>
      moveDate(trx, {
        bookingId: mine.bookingId,
        status: 'approved',
        date: '2026-12-24',
        start: at('2026-12-24', '10:00'),
        end: at('2026-12-24', '11:00'),
        roomId: room.id,
        now: 1,
      }),
    );
    expect(result).toMatchObject({ ok: false, clashes: [{ kind: 'block', blockId: block.id }] });
    expect((await row(mine.bookingId)).local_date).toBe('2026-12-22');
  });

  it('moves a date beside another one (end meets start) and counts up its sequence', async () => {
    const room = await aRoom(t.ctx.db);
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-03', start: '14:00', end: '16:00' });
    const mine = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-02', status: 'pending' });
    const result = await t.ctx.db.transaction().execute((trx) =>
      moveDate(trx, {
        bookingId: mine.bookingId,
        status: 'pending',
        date: '2026-12-03',
        start: at('2026-12-03', '16:00'),
        end: at('2026-12-03', '18:00'),
        roomId: room.id,
        now: 5,
        also: { status: 'approved' },
      }),
    );
    expect(result).toEqual({ ok: true, moved: true });
    expect(await row(mine.bookingId)).toEqual({
      local_date: '2026-12-03',
      start_at: Date.UTC(2026, 11, 3, 15),
      end_at: Date.UTC(2026, 11, 3, 17),
      room_id: room.id,
      status: 'approved',
      sequence: 1,
    });
  });

  it('leaves a date alone that was decided meanwhile', async () => {
    const mine = await aBooking(t.ctx.db, { date: '2026-12-02', status: 'rejected' });
    const before = await row(mine.bookingId);
    const result = await t.ctx.db.transaction().execute((trx) =>
      moveDate(trx, {
        bookingId: mine.bookingId,
        status: 'pending',
        date: '2026-12-04',
        start: at('2026-12-04', '10:00'),
        end: at('2026-12-04', '12:00'),
        roomId: mine.roomId,
        now: 1,
        also: { status: 'approved' },
      }),
    );
    expect(result).toEqual({ ok: true, moved: false });
    expect(await row(mine.bookingId)).toEqual(before);
  });
});
