// Closures that touch requests: a new blocked time lists the pending requests inside it (beside the approved
// bookings) and rejects the ticked ones in the same step with the closure's message (prefilled from its kind);
// pending requests inside blocked times already stored are named on the blocks page with the same action.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { aBlockedTime, aBooking, aRoom, aWholeRoom } from '../helpers/factories.js';

describe('closures and pending requests', () => {
  let t: TestApp;
  let staff: LoggedIn;
  beforeEach(async () => {
    t = await makeTestApp();
    staff = await loginAs(t, 'caretaker');
  });
  afterEach(() => t.close());

  async function post(path: string, body: Record<string, string | string[]>) {
    const token = await staff.csrf('/admin/blocks');
    return staff.agent
      .post(path)
      .type('form')
      .send({ _csrf: token, ...body });
  }
  const statusOf = async (bookingId: number) =>
    await t.ctx.db.selectFrom('bookings').select(['status', 'decision_message']).where('id', '=', bookingId).executeTakeFirstOrThrow();
  const blocks = () => t.ctx.db.selectFrom('blocked_times').selectAll().execute();

  it('lists pending requests inside a new block before saving, and rejects the ticked ones with the message in one step', async () => {
    const a = await aRoom(t.ctx.db, { name: 'Saal A' });
    const b = await aRoom(t.ctx.db, { name: 'Saal B' });
    const whole = await aWholeRoom(t.ctx.db, [a.id, b.id], { name: 'Großer Saal' });
    const inWhole = await aBooking(t.ctx.db, {
      roomId: whole.id,
      date: '2026-12-14',
      start: '18:00',
      end: '20:00',
      status: 'pending',
      title: 'Chorprobe',
      email: 'chor@example.org',
    });
    const inA = await aBooking(t.ctx.db, {
      roomId: a.id,
      date: '2026-12-15',
      start: '10:00',
      end: '12:00',
      status: 'pending',
      title: 'Yoga',
      email: 'yoga@example.org',
    });
    await t.ctx.db.updateTable('requests').set({ language: 'en' }).where('id', '=', inA.requestId).execute();
    const otherRoom = await aBooking(t.ctx.db, { roomId: b.id, date: '2026-12-14', start: '18:00', end: '20:00', status: 'pending', title: 'Tanzkurs' });
    const afterwards = await aBooking(t.ctx.db, { roomId: a.id, date: '2026-12-20', start: '10:00', end: '12:00', status: 'pending', title: 'Später' });

    const body = { room: String(a.id), reason: 'renovation', label: 'Neuer Boden', is_public: '1', from_date: '2026-12-14', to_date: '2026-12-18' };

    // "Check the period" shows what is inside and stores nothing.
    const check = await post('/admin/blocks', { ...body, check: '1' });
    expect(check.status).toBe(200);
    expect(check.text).toContain('Offene Anfragen in diesem Zeitraum');
    expect(check.text).toContain(inWhole.reference);
    expect(check.text).toContain(inA.reference);
    expect(check.text).not.toContain(otherRoom.reference);
    expect(check.text).not.toContain(afterwards.reference);
    // The message fits the kind: a renovation, not a house event.
    expect(check.text).toContain('wird der Raum in dieser Zeit renoviert');
    expect(check.text).not.toContain('Veranstaltung des Hauses');
    expect(await blocks()).toEqual([]);

    // Saving without having seen them shows them first (nothing stored, the typed values kept).
    const first = await post('/admin/blocks', body);
    expect(first.status).toBe(409);
    expect(first.text).toContain('liegen 2 offene Anfragen');
    expect(first.text).toContain('value="Neuer Boden"');
    expect(await blocks()).toEqual([]);
    expect((await statusOf(inA.bookingId)).status).toBe('pending');

    // Seen both, ticked one: the block is stored, that one rejected with the (edited) message, the other stays.
    const ok = await post('/admin/blocks', {
      ...body,
      pending_seen: [String(inWhole.bookingId), String(inA.bookingId)],
      reject: String(inA.bookingId),
      message: 'Wegen des neuen Bodens geschlossen. / Closed for the new floor.',
    });
    expect(ok.status).toBe(303);
    expect(await blocks()).toHaveLength(1);
    expect(await statusOf(inA.bookingId)).toEqual({ status: 'rejected', decision_message: 'Wegen des neuen Bodens geschlossen. / Closed for the new floor.' });
    expect((await statusOf(inWhole.bookingId)).status).toBe('pending');
    expect((await statusOf(otherRoom.bookingId)).status).toBe('pending');

    const mails = await t.ctx.db.selectFrom('outbox').select(['to_address', 'language', 'text_body']).where('request_id', '=', inA.requestId).execute();
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to_address: 'yoga@example.org', language: 'en' });
    expect(mails[0]!.text_body).toContain('Closed for the new floor.');
    const log = await t.ctx.db.selectFrom('audit_log').select(['action', 'entity_id', 'user_id']).where('action', '=', 'request.rejected').execute();
    expect(log).toEqual([{ action: 'request.rejected', entity_id: inA.requestId, user_id: staff.user.id }]);

    const list = await staff.agent.get('/admin/blocks');
    expect(list.text).toContain('1 offene Anfrage abgelehnt');
  });

  it('suggests a message that fits each kind of closure', async () => {
    const room = await aRoom(t.ctx.db, { name: 'Lehrküche' });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-14', status: 'pending' });
    const expected: Record<string, string> = {
      renovation: 'renoviert',
      house_event: 'für eine Veranstaltung des Hauses',
      holiday: 'an diesem Feiertag geschlossen',
      closure: 'Leider ist das Haus in dieser Zeit geschlossen.',
    };
    for (const [reason, text] of Object.entries(expected)) {
      const res = await post('/admin/blocks', { room: String(room.id), reason, from_date: '2026-12-14', to_date: '2026-12-14', check: '1' });
      expect(res.status).toBe(200);
      const message = /<textarea id="message"[^>]*>([^<]*)<\/textarea>/.exec(res.text)?.[1] ?? '';
      expect(message, reason).toContain(text);
      for (const [other, otherText] of Object.entries(expected)) if (other !== reason) expect(message, `${reason} vs ${other}`).not.toContain(otherText);
    }
    // A message the caretaker wrote is kept; a suggestion follows a change of kind.
    const own = await post('/admin/blocks', {
      room: String(room.id),
      reason: 'renovation',
      from_date: '2026-12-14',
      to_date: '2026-12-14',
      check: '1',
      message: 'Eigener Text',
    });
    expect(own.text).toContain('>Eigener Text</textarea>');
    const follow = await post('/admin/blocks', {
      room: String(room.id),
      reason: 'holiday',
      from_date: '2026-12-14',
      to_date: '2026-12-14',
      check: '1',
      message: 'Leider wird der Raum in dieser Zeit renoviert und kann nicht genutzt werden. Bitte entschuldigen Sie.',
    });
    expect(follow.text).toContain('an diesem Feiertag geschlossen');
  });

  it('says so when nothing is inside the period', async () => {
    const res = await post('/admin/blocks', { room: '', reason: 'closure', from_date: '2026-12-14', to_date: '2026-12-14', check: '1' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('In diesem Zeitraum liegen keine Buchungen und keine offenen Anfragen.');
    expect(await blocks()).toEqual([]);
  });

  it('names pending requests inside stored closures on the blocks page and rejects the ticked ones', async () => {
    const room = await aRoom(t.ctx.db, { name: 'Lehrküche' });
    await aBlockedTime(t.ctx.db, { roomId: room.id, from: '2026-12-10', to: '2026-12-12', reason: 'renovation', label: 'Herd' });
    await aBlockedTime(t.ctx.db, { from: '2026-12-24', reason: 'holiday', label: 'Heiligabend' });
    const one = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-11', status: 'pending', title: 'Kochkurs' });
    const two = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-24', status: 'pending', title: 'Weihnachtsbacken' });
    const other = await aRoom(t.ctx.db, { name: 'Werkraum' });
    const three = await aBooking(t.ctx.db, { roomId: other.id, date: '2026-12-24', status: 'pending', title: 'Basteln' });
    const outside = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-13', status: 'pending', title: 'Draußen' });

    const page = await staff.agent.get('/admin/blocks');
    expect(page.text).toContain('3 offene Anfragen fallen in Sperrzeiten');
    for (const r of [one, two, three]) expect(page.text).toContain(r.reference);
    expect(page.text).not.toContain(outside.reference);

    const res = await post('/admin/blocks/pending/reject', {
      reject: [String(one.bookingId), String(two.bookingId), String(outside.bookingId)],
      message: 'Das Haus ist geschlossen.',
    });
    expect(res.status).toBe(303);
    expect(await statusOf(one.bookingId)).toEqual({ status: 'rejected', decision_message: 'Das Haus ist geschlossen.' });
    expect((await statusOf(two.bookingId)).status).toBe('rejected');
    // Not inside a closure: not touched even when sent.
    expect((await statusOf(outside.bookingId)).status).toBe('pending');
    expect((await statusOf(three.bookingId)).status).toBe('pending');
    const mails = await t.ctx.db.selectFrom('outbox').select('request_id').where('kind', 'like', '%reject%').orderBy('request_id').execute();
    expect(mails.map((m) => m.request_id)).toEqual([one.requestId, two.requestId]);
    const after = await staff.agent.get('/admin/blocks');
    expect(after.text).toContain('2 offene Anfragen abgelehnt');
    expect(after.text).toContain('1 offene Anfrage fällt in Sperrzeiten');
  });
});
