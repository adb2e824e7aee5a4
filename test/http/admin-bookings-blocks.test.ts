// Blocked times: one room or the whole house, over approved bookings only together with cancelling them,
// and the import of the state's public holidays.
import { describe, expect, it } from 'vitest';
import { at, useBlocksDesk } from '../helpers/blocks.js';
import { aBlockedTime, aBooking, aRoom, aWholeRoom } from '../helpers/factories.js';

describe('blocked times', () => {
  const desk = useBlocksDesk();

  it('refuses a block whose end is before its start, and a time in the spring DST gap', async () => {
    const order = await desk.post('/admin/blocks', { room: '', reason: 'closure', from_date: '2026-12-10', to_date: '2026-12-09' });
    expect(order.status).toBe(400);
    expect(order.text).toContain('„Bis“ muss nach „von“ liegen.');
    const gap = await desk.post('/admin/blocks', { room: '', reason: 'closure', from_date: '2027-03-28', from_time: '02:30', to_date: '2027-03-28' });
    expect(gap.status).toBe(400);
    expect(gap.text).toContain('Zeitumstellung im Frühjahr');
    const reason = await desk.post('/admin/blocks', { room: '', reason: 'party', from_date: '2026-12-10', to_date: '2026-12-10' });
    expect(reason.status).toBe(400);
    expect(await desk.blocks()).toEqual([]);
  });

  it('refuses a block that reaches beyond the calendar, next to the field', async () => {
    const res = await desk.post('/admin/blocks', { room: '', reason: 'closure', from_date: '9999-12-31', to_date: '9999-12-31' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Bitte ein Datum zwischen 1970 und 2199 angeben.');
    expect(await desk.blocks()).toEqual([]);
  });

  it('creates a whole-day block for one room, public, and lists it', async () => {
    const room = await aRoom(desk.db, { name: 'Lehrküche' });
    const res = await desk.post('/admin/blocks', {
      room: String(room.id),
      reason: 'renovation',
      label: 'Neue Herdplatten',
      is_public: '1',
      from_date: '2026-12-10',
      to_date: '2026-12-11',
    });
    expect(res.status).toBe(303);
    const [b] = await desk.blocks();
    expect(b).toMatchObject({ room_id: room.id, reason: 'renovation', label: 'Neue Herdplatten', is_public: 1, created_by: desk.staff.user.id });
    expect(b!.start_at).toBe(at('2026-12-10', '00:00'));
    expect(b!.end_at).toBe(at('2026-12-12', '00:00'));
    const list = await desk.staff.agent.get('/admin/blocks');
    expect(list.text).toContain('Neue Herdplatten');
    expect(list.text).toContain('Lehrküche');
    const log = await desk.db.selectFrom('audit_log').select('action').where('entity', '=', 'blocked_time').execute();
    expect(log).toEqual([{ action: 'block.created' }]);
  });

  it('over approved bookings lists them and stores nothing; confirmed, it cancels them with the message and stores the block', async () => {
    const a = await aRoom(desk.db, { name: 'Saal A' });
    const b = await aRoom(desk.db, { name: 'Saal B' });
    const whole = await aWholeRoom(desk.db, [a.id, b.id], { name: 'Großer Saal' });
    const inWhole = await aBooking(desk.db, { roomId: whole.id, date: '2026-12-12', start: '14:00', end: '18:00', status: 'approved', title: 'Hochzeit' });
    const inB = await aBooking(desk.db, { roomId: b.id, date: '2026-12-12', start: '10:00', end: '12:00', status: 'approved', title: 'Tanzkurs' });
    const pending = await aBooking(desk.db, { roomId: a.id, date: '2026-12-12', start: '09:00', end: '10:00', status: 'pending' });

    const body = { room: String(a.id), reason: 'house_event', label: 'Nachbarschaftsfest', is_public: '1', from_date: '2026-12-12', to_date: '2026-12-12' };
    const first = await desk.post('/admin/blocks', body);
    expect(first.status).toBe(409);
    expect(first.text).toContain(inWhole.reference);
    expect(first.text).toContain('Hochzeit');
    expect(first.text).not.toContain('Tanzkurs'); // Saal B is not part of Saal A
    expect(await desk.blocks()).toEqual([]);

    // Listed but not confirmed: still refused.
    const unconfirmed = await desk.post('/admin/blocks', { ...body, cancel: String(inWhole.bookingId) });
    expect(unconfirmed.status).toBe(409);
    expect(await desk.blocks()).toEqual([]);

    // The pending date in the period was listed too; seen and not ticked, it stays pending.
    expect(first.text).toContain(pending.reference);
    const ok = await desk.post('/admin/blocks', {
      ...body,
      cancel: String(inWhole.bookingId),
      pending_seen: String(pending.bookingId),
      confirm_cancel: '1',
      message: 'Das Haus feiert, bitte entschuldigen Sie.',
    });
    expect(ok.status).toBe(303);
    expect(await desk.blocks()).toHaveLength(1);
    const cancelled = await desk.db.selectFrom('bookings').selectAll().where('id', '=', inWhole.bookingId).executeTakeFirstOrThrow();
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelled_by: 'house', decision_message: 'Das Haus feiert, bitte entschuldigen Sie.' });
    const untouched = await desk.db.selectFrom('bookings').select('status').where('id', 'in', [inB.bookingId, pending.bookingId]).orderBy('id').execute();
    expect(untouched.map((r) => r.status)).toEqual(['approved', 'pending']);
    const mails = await desk.db.selectFrom('outbox').select('text_body').where('request_id', '=', inWhole.requestId).execute();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text_body).toContain('Das Haus feiert');
    const log = await desk.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', '=', 'request.cancelled').execute();
    expect(log).toEqual([{ action: 'request.cancelled', entity_id: inWhole.requestId }]);
  });

  it('names a whole-day closure by its date, not as 00:00–24:00', async () => {
    const { id } = await aBlockedTime(desk.db, { from: '2026-12-24', label: 'Heiligabend' });
    const ask = await desk.post(`/admin/blocks/${id}/delete`, {});
    expect(ask.status).toBe(200);
    expect(ask.text).toContain('Donnerstag, 24. Dezember 2026 · ');
    expect(ask.text).not.toContain('24:00');
  });

  it('edits and deletes a block', async () => {
    const { id } = await aBlockedTime(desk.db, { from: '2026-12-24', label: 'Heiligabend' });
    const page = await desk.staff.agent.get(`/admin/blocks/${id}/edit`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="2026-12-24"');
    const res = await desk.post(`/admin/blocks/${id}`, { room: '', reason: 'closure', label: 'Weihnachten', from_date: '2026-12-24', to_date: '2026-12-26' });
    expect(res.status).toBe(303);
    const [b] = await desk.blocks();
    expect(b).toMatchObject({ label: 'Weihnachten', is_public: 0, end_at: at('2026-12-27', '00:00') });
    const ask = await desk.post(`/admin/blocks/${id}/delete`, {});
    expect(ask.status).toBe(200);
    expect(ask.text).toContain('Soll diese Sperrzeit wirklich gelöscht werden?');
    expect(ask.text).toContain('Weihnachten');
    expect(ask.text).toContain('name="confirm" value="1"');
    expect(await desk.blocks()).toHaveLength(1);
    expect((await desk.post(`/admin/blocks/${id}/delete`, { confirm: '1' })).status).toBe(303);
    expect(await desk.blocks()).toEqual([]);
    expect(await desk.db.selectFrom('occupancy').selectAll().execute()).toEqual([]);
    expect((await desk.staff.agent.get('/admin/blocks/99999/edit')).status).toBe(404);
  });
});

describe('importing public holidays', () => {
  const desk = useBlocksDesk();
  const importYear = (year: string) => desk.post('/admin/blocks/holidays', { year });

  it('refuses a year that is not a year', async () => {
    const res = await importYear('20x7');
    expect(res.status).toBe(400);
    expect(res.text).toContain('Bitte ein Jahr zwischen 2000 und 2100 angeben.');
  });

  it('imports the ten Berlin holidays of 2027 as whole-house closures, once', async () => {
    await aRoom(desk.db);
    const res = await importYear('2027');
    expect(res.status).toBe(200);
    expect(res.text).toContain('10 Feiertage übernommen.');
    const rows = await desk.db.selectFrom('blocked_times').selectAll().orderBy('start_at').execute();
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.room_id === null && r.reason === 'holiday' && r.is_public === 1)).toBe(true);
    expect(rows[0]).toMatchObject({ label: 'Neujahr', start_at: at('2027-01-01', '00:00'), end_at: at('2027-01-02', '00:00') });
    expect(rows.map((r) => r.label)).toContain('Internationaler Frauentag');
    // A second import adds nothing.
    const again = await importYear('2027');
    expect(again.text).toContain('0 Feiertage übernommen.');
    expect(again.text).toContain('10 Feiertage waren schon eingetragen');
    expect(await desk.db.selectFrom('blocked_times').selectAll().execute()).toHaveLength(10);
    const log = await desk.db.selectFrom('audit_log').select('action').where('action', '=', 'blocks.holidays_imported').execute();
    expect(log).toHaveLength(2);
  });

  it('reports approved bookings on a holiday and leaves that day out', async () => {
    const room = await aRoom(desk.db);
    const party = await aBooking(desk.db, { roomId: room.id, date: '2027-05-01', start: '14:00', end: '18:00', status: 'approved', title: 'Maifest' });
    const res = await importYear('2027');
    expect(res.text).toContain('9 Feiertage übernommen.');
    expect(res.text).toContain(party.reference);
    expect(res.text).toContain('Maifest');
    const labels = (await desk.db.selectFrom('blocked_times').select('label').execute()).map((r) => r.label);
    expect(labels).not.toContain('Maifeiertag');
  });
});
