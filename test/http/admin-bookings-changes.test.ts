// The house edits and cancels dates: one date, this and the following dates, the whole series. Exceptions
// (skipped, cancelled, changed on their own) stay what they are when the series is edited.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { aSeries } from '../helpers/series.js';
import { localDate, localTime } from '../../src/time/index.js';

const ZONE = 'Europe/Berlin';

describe('editing and cancelling dates', () => {
  let t: TestApp;
  let staff: LoggedIn;
  let roomId: number;
  beforeEach(async () => {
    t = await makeTestApp();
    staff = await loginAs(t, 'caretaker');
    roomId = (await aRoom(t.ctx.db, { name: 'Gruppenraum' })).id;
  });
  afterEach(() => t.close());

  async function post(path: string, body: Record<string, string>) {
    const token = await staff.csrf('/admin');
    return staff.agent
      .post(path)
      .type('form')
      .send({ _csrf: token, ...body });
  }

  async function dates(requestId: number) {
    const rows = await t.ctx.db.selectFrom('bookings').selectAll().where('request_id', '=', requestId).orderBy('id').execute();
    return rows.map((b) => ({
      date: localDate(b.start_at, ZONE),
      local: b.local_date,
      time: `${localTime(b.start_at, ZONE)}-${localTime(b.end_at, ZONE)}`,
      status: b.status,
      detached: b.detached,
      sequence: b.sequence,
    }));
  }

  const series = () =>
    aSeries(t.ctx.db, {
      roomId,
      status: 'approved',
      dates: ['2026-12-02', '2026-12-09', '2026-12-16', '2026-12-23', '2026-12-30'],
      each: {
        1: { status: 'skipped', skipReason: 'holiday' },
        2: { status: 'cancelled' },
        3: { start: '18:00', end: '20:00', detached: true },
      },
    });

  it('refuses an edit off the 15-minute grid and one with an unknown scope, changing nothing', async () => {
    const s = await series();
    const before = await dates(s.requestId);
    const grid = await post(`/admin/requests/${s.requestId}/edit`, {
      booking: String(s.bookingIds[0]),
      scope: 'all',
      start: '18:10',
      end: '20:00',
      room: String(roomId),
      title: 'Chorprobe',
    });
    expect(grid.status).toBe(422);
    expect(grid.text).toContain('15-Minuten-Takt');
    expect(grid.text).toContain('aria-invalid="true"');
    const scope = await post(`/admin/requests/${s.requestId}/edit`, {
      booking: String(s.bookingIds[0]),
      scope: 'everything',
      start: '18:00',
      end: '20:00',
      room: String(roomId),
      title: 'Chorprobe',
    });
    expect(scope.status).toBe(400);
    expect(await dates(s.requestId)).toEqual(before);
  });

  it('edits the whole series and keeps the skipped, cancelled and individually changed dates as they were', async () => {
    const s = await series();
    const page = await staff.agent.get(`/admin/requests/${s.requestId}/edit?booking=${s.bookingIds[0]}`);
    expect(page.status).toBe(200);
    const res = await post(`/admin/requests/${s.requestId}/edit`, {
      booking: String(s.bookingIds[0]),
      scope: 'all',
      start: '18:30',
      end: '20:30',
      room: String(roomId),
      title: 'Chorprobe',
      message: 'Neue Zeit',
    });
    expect(res.status).toBe(303);
    expect((await dates(s.requestId)).map(({ date, time, status, detached }) => ({ date, time, status, detached }))).toEqual([
      { date: '2026-12-02', time: '18:30-20:30', status: 'approved', detached: 0 },
      { date: '2026-12-09', time: '19:00-21:00', status: 'skipped', detached: 0 },
      { date: '2026-12-16', time: '19:00-21:00', status: 'cancelled', detached: 0 },
      { date: '2026-12-23', time: '18:00-20:00', status: 'approved', detached: 1 },
      { date: '2026-12-30', time: '18:30-20:30', status: 'approved', detached: 0 },
    ]);
    const req = await t.ctx.db.selectFrom('requests').selectAll().where('id', '=', s.requestId).executeTakeFirstOrThrow();
    expect(req).toMatchObject({ start_time: '18:30', end_time: '20:30', sequence: 1 });
    const seqs = (await dates(s.requestId)).map((d) => d.sequence);
    expect(seqs).toEqual([1, 0, 0, 0, 1]);
    const log = await t.ctx.db.selectFrom('audit_log').select('details').where('action', '=', 'request.changed').executeTakeFirstOrThrow();
    expect(JSON.parse(log.details)).toMatchObject({ scope: 'all', dates: ['2026-12-02', '2026-12-30'] });
  });

  it('moves one date to another day: it becomes detached and stays so when the series is edited later', async () => {
    const s = await series();
    const one = await post(`/admin/requests/${s.requestId}/edit`, {
      booking: String(s.bookingIds[4]),
      scope: 'one',
      date: '2026-12-31',
      start: '10:00',
      end: '12:00',
      room: String(roomId),
      title: 'Chorprobe',
    });
    expect(one.status).toBe(303);
    const all = await post(`/admin/requests/${s.requestId}/edit`, {
      booking: String(s.bookingIds[0]),
      scope: 'all',
      start: '17:00',
      end: '19:00',
      room: String(roomId),
      title: 'Chorprobe',
    });
    expect(all.status).toBe(303);
    const d = await dates(s.requestId);
    expect(d[0]).toMatchObject({ date: '2026-12-02', time: '17:00-19:00' });
    expect(d[3]).toMatchObject({ date: '2026-12-23', time: '18:00-20:00', detached: 1 });
    expect(d[4]).toMatchObject({ date: '2026-12-31', local: '2026-12-31', time: '10:00-12:00', detached: 1, status: 'approved' });
  });

  it('tells the group when the house moves a pending date, with the typed message', async () => {
    const asked = await aBooking(t.ctx.db, { roomId, status: 'pending', date: '2026-12-01', email: 'gruppe@example.org' });
    const res = await post(`/admin/requests/${asked.requestId}/edit`, {
      booking: String(asked.bookingId),
      scope: 'one',
      date: '2026-12-02',
      start: '14:00',
      end: '16:00',
      room: String(roomId),
      title: 'Gruppentreffen',
      message: 'Am Dienstag ist der Raum schon vergeben, Mittwoch geht.',
    });
    expect(res.status).toBe(303);
    expect((await dates(asked.requestId))[0]).toMatchObject({ date: '2026-12-02', time: '14:00-16:00', status: 'pending' });
    const mails = await t.ctx.db.selectFrom('outbox').selectAll().where('to_address', '=', 'gruppe@example.org').execute();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('Das Haus hat Ihre Anfrage geändert');
    expect(mails[0]!.text_body).toContain('Entschieden ist darüber noch nicht');
    expect(mails[0]!.text_body).not.toContain('Buchung');
    expect(mails[0]!.text_body).toContain('Am Dienstag ist der Raum schon vergeben, Mittwoch geht.');
    expect(mails[0]!.text_body).toContain('14:00');
    const admin = await loginAs(t, 'admin');
    const log = await admin.agent.get('/admin/audit');
    expect(log.text).toMatch(/hat <a href="\/admin\/requests\/\d+">die Anfrage [^<]+<\/a> geändert\.<\/p>\s*<code class="audit-code">request\.changed<\/code>/);
  });

  it('tells the group the house cancelled its request, not a booking, when no cancelled date was approved', async () => {
    const asked = await aBooking(t.ctx.db, { roomId, status: 'pending', date: '2026-12-01', email: 'gruppe@example.org' });
    const res = await post(`/admin/requests/${asked.requestId}/cancel`, {
      booking: String(asked.bookingId),
      scope: 'one',
      message: 'Der Raum wird renoviert.',
    });
    expect(res.status).toBe(303);
    const mails = await t.ctx.db.selectFrom('outbox').selectAll().where('to_address', '=', 'gruppe@example.org').execute();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('Das Haus hat Ihre Anfrage abgesagt');
    expect(mails[0]!.text_body).toContain('leider müssen wir diese angefragten Termine absagen:');
    expect(mails[0]!.text_body).not.toContain('Buchung');
    expect(mails[0]!.text_body).toContain('Der Raum wird renoviert.');
  });

  it('edits this and all following dates only', async () => {
    const s = await aSeries(t.ctx.db, { roomId, status: 'approved', dates: ['2026-12-02', '2026-12-09', '2026-12-16'] });
    const res = await post(`/admin/requests/${s.requestId}/edit`, {
      booking: String(s.bookingIds[1]),
      scope: 'following',
      start: '20:00',
      end: '21:30',
      room: String(roomId),
      title: 'Chorprobe',
    });
    expect(res.status).toBe(303);
    expect((await dates(s.requestId)).map((d) => d.time)).toEqual(['19:00-21:00', '20:00-21:30', '20:00-21:30']);
  });

  it('keeps the wall-clock time across the change to summer time', async () => {
    const s = await aSeries(t.ctx.db, { roomId, status: 'approved', dates: ['2027-03-24', '2027-03-31'] });
    const res = await post(`/admin/requests/${s.requestId}/edit`, {
      booking: String(s.bookingIds[0]),
      scope: 'all',
      start: '19:30',
      end: '21:00',
      room: String(roomId),
      title: 'Chorprobe',
    });
    expect(res.status).toBe(303);
    expect((await dates(s.requestId)).map((d) => d.time)).toEqual(['19:30-21:00', '19:30-21:00']);
  });

  it('refuses an edit into an approved booking, naming it, and changes no date at all', async () => {
    const s = await aSeries(t.ctx.db, { roomId, status: 'approved', dates: ['2026-12-02', '2026-12-09'] });
    const other = await aBooking(t.ctx.db, { roomId, date: '2026-12-09', start: '17:00', end: '18:00', status: 'approved', title: 'Kochkurs' });
    const before = await dates(s.requestId);
    const res = await post(`/admin/requests/${s.requestId}/edit`, {
      booking: String(s.bookingIds[0]),
      scope: 'all',
      start: '17:30',
      end: '19:00',
      room: String(roomId),
      title: 'Chorprobe',
    });
    expect(res.status).toBe(409);
    expect(res.text).toContain(other.reference);
    expect(res.text).toContain('Kochkurs');
    expect(await dates(s.requestId)).toEqual(before);
  });

  it('moves dates to another room only when it holds the group, and keeps a smaller room from blocking a time change', async () => {
    const s = await aSeries(t.ctx.db, { roomId, status: 'approved', dates: ['2026-12-02', '2026-12-09'] }); // 10 attendees
    const small = (await aRoom(t.ctx.db, { name: 'Besprechungsraum', capacity: 6 })).id;
    const large = (await aRoom(t.ctx.db, { name: 'Saal', capacity: 80 })).id;
    const before = await dates(s.requestId);
    const refused = await post(`/admin/requests/${s.requestId}/edit`, {
      booking: String(s.bookingIds[0]),
      scope: 'all',
      start: '18:00',
      end: '20:00',
      room: String(small),
      title: 'Chorprobe',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toMatch(/id="room-error">[^<]*Besprechungsraum fasst höchstens 6 Personen/);
    expect(refused.text).toMatch(new RegExp(`<option value="${small}" selected>`));
    expect(await dates(s.requestId)).toEqual(before);

    const moved = await post(`/admin/requests/${s.requestId}/edit`, {
      booking: String(s.bookingIds[0]),
      scope: 'all',
      start: '18:00',
      end: '20:00',
      room: String(large),
      title: 'Chorprobe',
    });
    expect(moved.status).toBe(303);
    const rooms = await t.ctx.db.selectFrom('bookings').select('room_id').where('request_id', '=', s.requestId).execute();
    expect(rooms.map((r) => r.room_id)).toEqual([large, large]);

    // The room shrinks later: a change of time in the same room still goes through.
    await t.ctx.db.updateTable('rooms').set({ capacity: 4 }).where('id', '=', large).execute();
    const retimed = await post(`/admin/requests/${s.requestId}/edit`, {
      booking: String(s.bookingIds[0]),
      scope: 'all',
      start: '18:30',
      end: '20:00',
      room: String(large),
      title: 'Chorprobe',
    });
    expect(retimed.status).toBe(303);
  });

  it('cancels one date with a message: the slot is free at once', async () => {
    const s = await aSeries(t.ctx.db, { roomId, status: 'approved', dates: ['2026-12-02', '2026-12-09'] });
    const res = await post(`/admin/requests/${s.requestId}/cancel`, { booking: String(s.bookingIds[1]), scope: 'one', message: 'Eigenbedarf' });
    expect(res.status).toBe(303);
    const b = await t.ctx.db.selectFrom('bookings').selectAll().where('id', '=', s.bookingIds[1]!).executeTakeFirstOrThrow();
    expect(b).toMatchObject({ status: 'cancelled', cancelled_by: 'house', decision_message: 'Eigenbedarf', sequence: 1 });
    expect(await t.ctx.db.selectFrom('occupancy').selectAll().where('booking_id', '=', s.bookingIds[1]!).execute()).toEqual([]);
    const log = await t.ctx.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'request.cancelled').executeTakeFirstOrThrow();
    expect(JSON.parse(log.details)).toMatchObject({ bookingIds: [s.bookingIds[1]], message: 'Eigenbedarf' });
    const detail = await staff.agent.get(`/admin/requests/${s.requestId}`);
    expect(detail.text).toContain('Abgesagt');
  });

  it('cancels a whole series: every date that still takes place, the skipped one stays skipped', async () => {
    const s = await series();
    const res = await post(`/admin/requests/${s.requestId}/cancel`, { booking: String(s.bookingIds[0]), scope: 'all', message: 'Umbau' });
    expect(res.status).toBe(303);
    expect((await dates(s.requestId)).map((d) => d.status)).toEqual(['cancelled', 'skipped', 'cancelled', 'cancelled', 'cancelled']);
    const second = await post(`/admin/requests/${s.requestId}/cancel`, { booking: String(s.bookingIds[0]), scope: 'all', message: 'Umbau' });
    expect(second.status).toBe(400);
  });
});
