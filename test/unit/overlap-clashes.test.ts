import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findClashesFor } from '../../src/bookings/clashes.js';
import { localToInstant } from '../../src/time/index.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBlockedTime, aBooking, aRoom, aWholeRoom } from '../helpers/factories.js';

const ZONE = 'Europe/Berlin';
const at = (date: string, time: string) => {
  const r = localToInstant(date, time, ZONE);
  if (!r.ok) throw new Error('bad');
  return r.instant;
};

describe('findClashesFor', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp()));
  afterEach(() => t.close());

  it("finds an approved booking in a part when the whole is asked for, without the group's data", async () => {
    const a = await aRoom(t.ctx.db, { name: 'Saal A' });
    const b = await aRoom(t.ctx.db, { name: 'Saal B' });
    const whole = await aWholeRoom(t.ctx.db, [a.id, b.id], { name: 'Großer Saal' });
    await aBooking(t.ctx.db, { roomId: a.id, date: '2026-12-01', start: '10:00', end: '12:00', status: 'approved' });
    const [r] = await findClashesFor(t.ctx.db, [{ roomId: whole.id, start: at('2026-12-01', '11:00'), end: at('2026-12-01', '13:00') }], { zone: ZONE });
    expect(r!.clashes).toEqual([
      {
        kind: 'booking',
        roomId: a.id,
        roomName: 'Saal A',
        start: at('2026-12-01', '10:00'),
        end: at('2026-12-01', '12:00'),
        startDate: '2026-12-01',
        startTime: '10:00',
        endDate: '2026-12-01',
        endTime: '12:00',
        reason: null,
        label: null,
        buffersOnly: false,
      },
    ]);
    expect(JSON.stringify(r)).not.toMatch(/Mustermann|Geheim|erika/);
  });

  it('finds the whole when a part is asked for, and not the other part', async () => {
    const a = await aRoom(t.ctx.db);
    const b = await aRoom(t.ctx.db);
    const whole = await aWholeRoom(t.ctx.db, [a.id, b.id]);
    await aBooking(t.ctx.db, { roomId: whole.id, date: '2026-12-01', start: '10:00', end: '12:00' });
    const [viaWhole] = await findClashesFor(t.ctx.db, [{ roomId: a.id, start: at('2026-12-01', '10:00'), end: at('2026-12-01', '11:00') }], { zone: ZONE });
    expect(viaWhole!.clashes.map((c) => c.roomId)).toEqual([whole.id]);
    await aBooking(t.ctx.db, { roomId: a.id, date: '2026-12-02', start: '10:00', end: '12:00' });
    const [sibling] = await findClashesFor(t.ctx.db, [{ roomId: b.id, start: at('2026-12-02', '10:00'), end: at('2026-12-02', '11:00') }], { zone: ZONE });
    expect(sibling!.clashes).toEqual([]);
  });

  it('widens by buffers of both rooms and marks buffer-only clashes', async () => {
    const room = await aRoom(t.ctx.db, { bufferAfterMin: 30 });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-01', start: '10:00', end: '12:00' });
    const [touching, after] = await findClashesFor(
      t.ctx.db,
      [
        { roomId: room.id, start: at('2026-12-01', '12:15'), end: at('2026-12-01', '13:00') },
        { roomId: room.id, start: at('2026-12-01', '13:00'), end: at('2026-12-01', '14:00') },
      ],
      { zone: ZONE },
    );
    expect(touching!.clashes).toHaveLength(1);
    expect(touching!.clashes[0]!.buffersOnly).toBe(true);
    expect(after!.clashes).toEqual([]);
  });

  it('names whole-house blocks, with the label only when public', async () => {
    const room = await aRoom(t.ctx.db);
    await aBlockedTime(t.ctx.db, { from: '2026-12-24', label: 'Betriebsferien' });
    await aBlockedTime(t.ctx.db, { roomId: room.id, from: '2026-12-28', label: 'Wasserschaden intern', reason: 'renovation', isPublic: false });
    const [xmas, hidden] = await findClashesFor(
      t.ctx.db,
      [
        { roomId: room.id, start: at('2026-12-24', '10:00'), end: at('2026-12-24', '11:00') },
        { roomId: room.id, start: at('2026-12-28', '10:00'), end: at('2026-12-28', '11:00') },
      ],
      { zone: ZONE },
    );
    expect(xmas!.clashes[0]).toMatchObject({ kind: 'block', roomId: null, roomName: null, reason: 'closure', label: 'Betriebsferien' });
    expect(hidden!.clashes[0]).toMatchObject({ kind: 'block', reason: 'renovation', label: null });
  });

  it('ignores pending requests unless asked, then lists them as competing (ids only)', async () => {
    const room = await aRoom(t.ctx.db);
    const p = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-01', start: '10:00', end: '12:00', status: 'pending' });
    const cand = [{ roomId: room.id, start: at('2026-12-01', '11:00'), end: at('2026-12-01', '12:00') }];
    const [plain] = await findClashesFor(t.ctx.db, cand, { zone: ZONE });
    expect(plain).toMatchObject({ clashes: [], competing: [] });
    const [withPending] = await findClashesFor(t.ctx.db, cand, { zone: ZONE, includePending: true });
    expect(withPending).toMatchObject({ clashes: [], competing: [{ bookingId: p.bookingId, requestId: p.requestId }] });
    const [own] = await findClashesFor(t.ctx.db, cand, { zone: ZONE, includePending: true, excludeRequestId: p.requestId });
    expect(own!.competing).toEqual([]);
  });

  it('excludes the bookings being changed', async () => {
    const room = await aRoom(t.ctx.db);
    const b = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-01' });
    const [r] = await findClashesFor(t.ctx.db, [{ roomId: room.id, start: at('2026-12-01', '10:00'), end: at('2026-12-01', '11:00') }], {
      zone: ZONE,
      excludeBookingIds: [b.bookingId],
    });
    expect(r!.clashes).toEqual([]);
  });
});
