// Closures that touch requests: a new blocked time lists the pending requests inside it (beside the approved
// bookings) and rejects the ticked ones in the same step with the closure's message (prefilled from its kind);
// pending requests inside blocked times already stored are named on the blocks page with the same action.
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { useBlocksDesk } from '../helpers/blocks.js';
import { loginAs } from '../helpers/login.js';
import { rejectDates } from '../../src/bookings/decisions.js';
import { aBlockedTime, aBooking, aRoom, aWholeRoom } from '../helpers/factories.js';

describe('closures and pending requests', () => {
  const desk = useBlocksDesk();

  it('lists pending requests inside a new block before saving, and rejects the ticked ones with the message in one step', async () => {
    const a = await aRoom(desk.db, { name: 'Saal A' });
    const b = await aRoom(desk.db, { name: 'Saal B' });
    const whole = await aWholeRoom(desk.db, [a.id, b.id], { name: 'Großer Saal' });
    const inWhole = await aBooking(desk.db, {
      roomId: whole.id,
      date: '2026-12-14',
      start: '18:00',
      end: '20:00',
      status: 'pending',
      title: 'Chorprobe',
      email: 'chor@example.org',
    });
    const inA = await aBooking(desk.db, {
      roomId: a.id,
      date: '2026-12-15',
      start: '10:00',
      end: '12:00',
      status: 'pending',
      title: 'Yoga',
      email: 'yoga@example.org',
    });
    await desk.db.updateTable('requests').set({ language: 'en' }).where('id', '=', inA.requestId).execute();
    const otherRoom = await aBooking(desk.db, { roomId: b.id, date: '2026-12-14', start: '18:00', end: '20:00', status: 'pending', title: 'Tanzkurs' });
    const afterwards = await aBooking(desk.db, { roomId: a.id, date: '2026-12-20', start: '10:00', end: '12:00', status: 'pending', title: 'Später' });

    const body = { room: String(a.id), reason: 'renovation', label: 'Neuer Boden', is_public: '1', from_date: '2026-12-14', to_date: '2026-12-18' };

    // "Check the period" shows what is inside and stores nothing.
    const check = await desk.post('/admin/blocks', { ...body, check: '1' });
    expect(check.status).toBe(200);
    expect(check.text).toContain('Offene Anfragen in diesem Zeitraum');
    expect(check.text).toContain(inWhole.reference);
    expect(check.text).toContain(inA.reference);
    expect(check.text).not.toContain(otherRoom.reference);
    expect(check.text).not.toContain(afterwards.reference);
    // The message fits the kind: a renovation, not a house event.
    expect(check.text).toContain('wird der Raum in dieser Zeit renoviert');
    expect(check.text).not.toContain('Veranstaltung des Hauses');
    expect(await desk.blocks()).toEqual([]);

    // Saving without having seen them shows them first (nothing stored, the typed values kept).
    const first = await desk.post('/admin/blocks', body);
    expect(first.status).toBe(409);
    expect(first.text).toContain('liegen 2 offene Anfragen');
    expect(first.text).toContain('value="Neuer Boden"');
    expect(await desk.blocks()).toEqual([]);
    expect((await desk.statusOf(inA.bookingId)).status).toBe('pending');

    // Seen both, ticked one: the block is stored, that one rejected with the (edited) message, the other stays.
    const ok = await desk.post('/admin/blocks', {
      ...body,
      pending_seen: [String(inWhole.bookingId), String(inA.bookingId)],
      reject: String(inA.bookingId),
      message: 'Wegen des neuen Bodens geschlossen. / Closed for the new floor.',
    });
    expect(ok.status).toBe(303);
    expect(await desk.blocks()).toHaveLength(1);
    expect(await desk.statusOf(inA.bookingId)).toEqual({
      status: 'rejected',
      decision_message: 'Wegen des neuen Bodens geschlossen. / Closed for the new floor.',
    });
    expect((await desk.statusOf(inWhole.bookingId)).status).toBe('pending');
    expect((await desk.statusOf(otherRoom.bookingId)).status).toBe('pending');

    const mails = await desk.db.selectFrom('outbox').select(['to_address', 'language', 'text_body']).where('request_id', '=', inA.requestId).execute();
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to_address: 'yoga@example.org', language: 'en' });
    expect(mails[0]!.text_body).toContain('Closed for the new floor.');
    const log = await desk.db.selectFrom('audit_log').select(['action', 'entity_id', 'user_id']).where('action', '=', 'request.rejected').execute();
    expect(log).toEqual([{ action: 'request.rejected', entity_id: inA.requestId, user_id: desk.staff.user.id }]);

    const list = await desk.staff.agent.get('/admin/blocks');
    expect(list.text).toContain('1 offene Anfrage abgelehnt');
  });

  it('stores neither the block nor any rejection when a ticked request was decided meanwhile, and says so with the form kept', async () => {
    const room = await aRoom(desk.db, { name: 'Lehrküche' });
    const decided = await aBooking(desk.db, { roomId: room.id, date: '2026-12-14', status: 'pending', title: 'Kochkurs' });
    const open = await aBooking(desk.db, { roomId: room.id, date: '2026-12-15', status: 'pending', title: 'Backen' });
    const approved = await aBooking(desk.db, { roomId: room.id, date: '2026-12-16', status: 'approved', title: 'Feier' });
    const body = { room: String(room.id), reason: 'renovation', label: 'Neuer Herd', is_public: '1', from_date: '2026-12-14', to_date: '2026-12-18' };
    const listed = await desk.post('/admin/blocks', body);
    expect(listed.status).toBe(409);
    expect(listed.text).toContain(decided.reference);

    // A colleague rejects one of the listed requests before this caretaker saves.
    const colleague = await loginAs(desk.t, 'caretaker');
    await rejectDates(
      desk.db,
      { clock: desk.t.ctx.clock, notify: desk.t.ctx.notify },
      {
        requestId: decided.requestId,
        bookingIds: [],
        message: 'Schon vergeben.',
        userId: colleague.user.id,
      },
    );
    const mailsBefore = await desk.db.selectFrom('outbox').select('id').execute();

    const res = await desk.post('/admin/blocks', {
      ...body,
      cancel: String(approved.bookingId),
      confirm_cancel: '1',
      pending_seen: [String(decided.bookingId), String(open.bookingId)],
      reject: [String(decided.bookingId), String(open.bookingId)],
      message: 'Der Herd wird erneuert.',
    });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Eine angekreuzte Anfrage wurde inzwischen entschieden oder liegt nicht mehr im Zeitraum.');
    expect(res.text).toContain('Die Sperrzeit ist noch nicht gespeichert und nichts wurde abgelehnt.');
    expect(res.text).toContain('value="Neuer Herd"');
    expect(res.text).toContain('>Der Herd wird erneuert.</textarea>');
    // The list shows what is still open; the decided request is gone from it.
    expect(res.text).toContain(open.reference);
    expect(res.text).not.toContain(decided.reference);

    expect(await desk.blocks()).toEqual([]);
    expect((await desk.statusOf(open.bookingId)).status).toBe('pending');
    expect((await desk.statusOf(approved.bookingId)).status).toBe('approved');
    expect((await desk.statusOf(decided.bookingId)).decision_message).toBe('Schon vergeben.');
    expect(await desk.db.selectFrom('outbox').select('id').execute()).toEqual(mailsBefore);
    const log = await desk.db.selectFrom('audit_log').select('action').where('user_id', '=', desk.staff.user.id).where('action', '!=', 'auth.login').execute();
    expect(log).toEqual([]);

    // Saved again as shown: the block, the cancellation and the rejection go through together.
    const again = await desk.post('/admin/blocks', {
      ...body,
      cancel: String(approved.bookingId),
      confirm_cancel: '1',
      pending_seen: [String(open.bookingId)],
      reject: String(open.bookingId),
      message: 'Der Herd wird erneuert.',
    });
    expect(again.status).toBe(303);
    expect(await desk.blocks()).toHaveLength(1);
    expect((await desk.statusOf(open.bookingId)).status).toBe('rejected');
    expect((await desk.statusOf(approved.bookingId)).status).toBe('cancelled');
  });

  it('keeps the block unsaved when rejecting a ticked request fails', async () => {
    const room = await aRoom(desk.db, { name: 'Lehrküche' });
    const p = await aBooking(desk.db, { roomId: room.id, date: '2026-12-14', status: 'pending' });
    // A failing write (as a full disk would be) when the date is rejected.
    await sql`CREATE TRIGGER test_reject_fails BEFORE UPDATE OF status ON bookings WHEN NEW.status = 'rejected'
      BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`.execute(desk.db);
    const res = await desk.post('/admin/blocks', {
      room: String(room.id),
      reason: 'closure',
      label: 'Zu',
      from_date: '2026-12-14',
      to_date: '2026-12-14',
      pending_seen: String(p.bookingId),
      reject: String(p.bookingId),
      message: 'Geschlossen.',
    });
    expect(res.status).toBe(500);
    expect(await desk.blocks()).toEqual([]);
    expect((await desk.statusOf(p.bookingId)).status).toBe('pending');
    expect(await desk.db.selectFrom('audit_log').select('action').where('action', 'like', 'block.%').execute()).toEqual([]);
  });

  it('suggests a message that fits each kind of closure', async () => {
    const room = await aRoom(desk.db, { name: 'Lehrküche' });
    await aBooking(desk.db, { roomId: room.id, date: '2026-12-14', status: 'pending' });
    const expected: Record<string, string> = {
      renovation: 'renoviert',
      house_event: 'für eine Veranstaltung des Hauses',
      holiday: 'an diesem Feiertag geschlossen',
      closure: 'Leider ist das Haus in dieser Zeit geschlossen.',
    };
    for (const [reason, text] of Object.entries(expected)) {
      const res = await desk.post('/admin/blocks', { room: String(room.id), reason, from_date: '2026-12-14', to_date: '2026-12-14', check: '1' });
      expect(res.status).toBe(200);
      const message = /<textarea id="message"[^>]*>([^<]*)<\/textarea>/.exec(res.text)?.[1] ?? '';
      expect(message, reason).toContain(text);
      for (const [other, otherText] of Object.entries(expected)) if (other !== reason) expect(message, `${reason} vs ${other}`).not.toContain(otherText);
    }
    // A message the caretaker wrote is kept; a suggestion follows a change of kind.
    const own = await desk.post('/admin/blocks', {
      room: String(room.id),
      reason: 'renovation',
      from_date: '2026-12-14',
      to_date: '2026-12-14',
      check: '1',
      message: 'Eigener Text',
    });
    expect(own.text).toContain('>Eigener Text</textarea>');
    const follow = await desk.post('/admin/blocks', {
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
    const res = await desk.post('/admin/blocks', { room: '', reason: 'closure', from_date: '2026-12-14', to_date: '2026-12-14', check: '1' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('In diesem Zeitraum liegen keine Buchungen und keine offenen Anfragen.');
    expect(await desk.blocks()).toEqual([]);
  });

  it('names pending requests inside stored closures on the blocks page and rejects the ticked ones', async () => {
    const room = await aRoom(desk.db, { name: 'Lehrküche' });
    await aBlockedTime(desk.db, { roomId: room.id, from: '2026-12-10', to: '2026-12-12', reason: 'renovation', label: 'Herd' });
    await aBlockedTime(desk.db, { from: '2026-12-24', reason: 'holiday', label: 'Heiligabend' });
    const one = await aBooking(desk.db, { roomId: room.id, date: '2026-12-11', status: 'pending', title: 'Kochkurs' });
    const two = await aBooking(desk.db, { roomId: room.id, date: '2026-12-24', status: 'pending', title: 'Weihnachtsbacken' });
    const other = await aRoom(desk.db, { name: 'Werkraum' });
    const three = await aBooking(desk.db, { roomId: other.id, date: '2026-12-24', status: 'pending', title: 'Basteln' });
    const outside = await aBooking(desk.db, { roomId: room.id, date: '2026-12-13', status: 'pending', title: 'Draußen' });

    const page = await desk.staff.agent.get('/admin/blocks');
    expect(page.text).toContain('3 offene Anfragen fallen in Sperrzeiten');
    for (const r of [one, two, three]) expect(page.text).toContain(r.reference);
    expect(page.text).not.toContain(outside.reference);

    const res = await desk.post('/admin/blocks/pending/reject', {
      reject: [String(one.bookingId), String(two.bookingId), String(outside.bookingId)],
      message: 'Das Haus ist geschlossen.',
    });
    expect(res.status).toBe(303);
    expect(await desk.statusOf(one.bookingId)).toEqual({ status: 'rejected', decision_message: 'Das Haus ist geschlossen.' });
    expect((await desk.statusOf(two.bookingId)).status).toBe('rejected');
    // Not inside a closure: not touched even when sent.
    expect((await desk.statusOf(outside.bookingId)).status).toBe('pending');
    expect((await desk.statusOf(three.bookingId)).status).toBe('pending');
    const mails = await desk.db.selectFrom('outbox').select('request_id').where('kind', 'like', '%reject%').orderBy('request_id').execute();
    expect(mails.map((m) => m.request_id)).toEqual([one.requestId, two.requestId]);
    const after = await desk.staff.agent.get('/admin/blocks');
    expect(after.text).toContain('2 offene Anfragen abgelehnt');
    expect(after.text).toContain('1 offene Anfrage fällt in Sperrzeiten');
  });
});
