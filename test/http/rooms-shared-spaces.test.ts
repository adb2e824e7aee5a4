// Rooms are sets of physical spaces (issue 10.1): Großer Saal = Saal A + Saal B and "Saal A + Küche" = Saal A +
// Lehrküche share Saal A, so they can never be booked at the same time — through the admin's room form, the
// public request form, the caretaker's approval, the inbox, direct booking and a change of parts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { aBooking, aRoom, aWholeRoom } from '../helpers/factories.js';
import { fieldError, formAgent, validFields } from '../helpers/request-form.js';

describe('rooms that share a part', () => {
  let t: TestApp;
  let staff: LoggedIn;
  let saalA: { id: number }, saalB: { id: number }, kueche: { id: number }, grosserSaal: { id: number };
  beforeEach(async () => {
    t = await makeTestApp(); // Monday 2026-11-23 10:00 in Berlin
    saalA = await aRoom(t.ctx.db, { slug: 'saal-a', name: 'Saal A', capacity: 60 });
    saalB = await aRoom(t.ctx.db, { slug: 'saal-b', name: 'Saal B', capacity: 60 });
    kueche = await aRoom(t.ctx.db, { slug: 'lehrkueche', name: 'Lehrküche', capacity: 14 });
    grosserSaal = await aWholeRoom(t.ctx.db, [saalA.id, saalB.id], { slug: 'grosser-saal', name: 'Großer Saal', capacity: 120 });
    staff = await loginAs(t, 'admin');
  });
  afterEach(() => t.close());

  const roomForm = (o: Record<string, string | string[]>) => ({
    name: 'Saal A + Küche',
    slug: 'saal-a-kueche',
    description: '',
    capacity: '70',
    size_m2: '',
    floor: 'EG',
    accessible: '1',
    accessibility_notes: '',
    buffer_before_min: '0',
    buffer_after_min: '0',
    public_bookable: '1',
    sort_order: '9',
    ...o,
  });

  async function createSaalAKueche(): Promise<number> {
    const res = await staff.agent
      .post('/admin/rooms')
      .type('form')
      .send({ ...roomForm({ parts: [String(saalA.id), String(kueche.id)] }), _csrf: await staff.csrf('/admin/rooms/new') });
    expect(res.status).toBe(303);
    const row = await t.ctx.db.selectFrom('rooms').select('id').where('slug', '=', 'saal-a-kueche').executeTakeFirstOrThrow();
    return row.id;
  }

  it('lets the admin save a room that shares a part with another whole, and a whole made of wholes', async () => {
    const combined = await createSaalAKueche();
    const parts = await t.ctx.db.selectFrom('room_parts').select('part_id').where('whole_id', '=', combined).orderBy('part_id').execute();
    expect(parts.map((p) => p.part_id)).toEqual([saalA.id, kueche.id]);
    const house = await staff.agent
      .post('/admin/rooms')
      .type('form')
      .send({
        ...roomForm({ name: 'Ganzes Erdgeschoss', slug: 'erdgeschoss', capacity: '150', parts: [String(grosserSaal.id), String(combined)] }),
        _csrf: await staff.csrf('/admin/rooms/new'),
      });
    expect(house.status).toBe(303);
    // The database's sets of spaces: Saal A, Saal B and the kitchen, each once.
    const id = (await t.ctx.db.selectFrom('rooms').select('id').where('slug', '=', 'erdgeschoss').executeTakeFirstOrThrow()).id;
    const spaces = await t.ctx.db.selectFrom('room_spaces').select('space_id').where('room_id', '=', id).orderBy('space_id').execute();
    expect(spaces.map((s) => s.space_id)).toEqual([saalA.id, saalB.id, kueche.id]);
  });

  it('refuses a public request for "Saal A + Küche" while the Großer Saal is booked, and the other way round', async () => {
    await createSaalAKueche();
    const gs = await aBooking(t.ctx.db, { roomId: grosserSaal.id, date: '2026-12-01', start: '17:00', end: '19:00', status: 'approved' });
    const res = await formAgent(t).post('/requests', validFields('saal-a-kueche', { attendees: '20' }));
    expect(res.status).toBe(409);
    expect(fieldError(res.text, 'date')).toContain('Großer Saal ist belegt am Dienstag, 1. Dezember 2026, 17:00–19:00 Uhr');

    await t.ctx.db.updateTable('bookings').set({ status: 'cancelled' }).where('id', '=', gs.bookingId).execute();
    const combinedId = (await t.ctx.db.selectFrom('rooms').select('id').where('slug', '=', 'saal-a-kueche').executeTakeFirstOrThrow()).id;
    await aBooking(t.ctx.db, { roomId: combinedId, date: '2026-12-01', start: '17:00', end: '19:00', status: 'approved' });
    const back = await formAgent(t).post('/requests', validFields('grosser-saal', { attendees: '20' }));
    expect(back.status).toBe(409);
    expect(fieldError(back.text, 'date')).toContain('Saal A + Küche ist belegt');
    // Saal B shares nothing with "Saal A + Küche".
    expect((await formAgent(t).post('/requests', validFields('saal-b', { attendees: '20' }))).status).toBe(303);
  });

  it('refuses the second approval, shows the clash in the inbox, and leaves the other request pending', async () => {
    const combined = await createSaalAKueche();
    const first = await aBooking(t.ctx.db, { roomId: grosserSaal.id, date: '2026-12-01', start: '17:00', end: '19:00', status: 'pending', title: 'Chorprobe' });
    const second = await aBooking(t.ctx.db, { roomId: combined, date: '2026-12-01', start: '18:00', end: '20:00', status: 'pending', title: 'Kochkurs' });
    const inbox = await staff.agent.get('/admin');
    const secondCard = inbox.text.slice(inbox.text.indexOf(`id="request-${second.requestId}"`));
    expect(secondCard).toContain('Konkurrierende Anfrage');

    const approve = async (requestId: number) =>
      staff.agent
        .post(`/admin/requests/${requestId}/approve`)
        .type('form')
        .send({ _csrf: await staff.csrf('/admin'), message: 'ok' });
    expect((await approve(first.requestId)).status).toBe(303);
    const after = await staff.agent.get('/admin');
    const card = after.text.slice(after.text.indexOf(`id="request-${second.requestId}"`));
    expect(card).toContain('Überschneidung');
    expect(card).toContain(first.reference);
    const res = await approve(second.requestId);
    expect(res.status).toBe(409);
    expect(res.text).toContain(first.reference);
    const row = await t.ctx.db.selectFrom('bookings').select('status').where('id', '=', second.bookingId).executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
  });

  it('refuses a direct booking of "Saal A + Küche" over an approved booking of the Großer Saal, whatever is overridden', async () => {
    const combined = await createSaalAKueche();
    const gs = await aBooking(t.ctx.db, { roomId: grosserSaal.id, date: '2026-12-02', start: '18:00', end: '20:00', status: 'approved', title: 'Chor' });
    const res = await staff.agent
      .post('/admin/bookings')
      .type('form')
      .send({
        _csrf: await staff.csrf('/admin/bookings/new'),
        room: String(combined),
        date: '2026-12-02',
        start: '19:00',
        end: '21:00',
        title: 'Telefonanfrage',
        contact_name: 'Frau Yilmaz',
        email: '',
        phone: '030 999',
        category: 'social',
        attendees: '12',
        message: '',
        override_hours: '1',
        override_lead: '1',
        override_horizon: '1',
      });
    expect(res.status).toBe(409);
    expect(res.text).toContain(gs.reference);
    expect(await t.ctx.db.selectFrom('bookings').select('id').where('room_id', '=', combined).execute()).toEqual([]);
  });

  it('refuses a change of parts that would double-book, lists the clash and changes nothing', async () => {
    // "Saal B + Küche" is first only Saal B; both it and the Lehrküche are booked at the same time.
    const combined = (await aRoom(t.ctx.db, { slug: 'saal-b-kueche', name: 'Saal B + Küche', capacity: 70 })).id;
    await t.ctx.db.insertInto('room_parts').values({ whole_id: combined, part_id: saalB.id }).execute();
    const mine = await aBooking(t.ctx.db, { roomId: combined, date: '2026-12-03', start: '10:00', end: '12:00', status: 'approved', title: 'Frühstück' });
    const cook = await aBooking(t.ctx.db, { roomId: kueche.id, date: '2026-12-03', start: '11:00', end: '13:00', status: 'approved', title: 'Kochkurs' });
    const res = await staff.agent
      .post(`/admin/rooms/${combined}`)
      .type('form')
      .send({
        ...roomForm({ name: 'Saal B + Küche', slug: 'saal-b-kueche', parts: [String(saalB.id), String(kueche.id)] }),
        _csrf: await staff.csrf('/admin/rooms'),
      });
    expect(res.status).toBe(409);
    expect(res.text).toContain(mine.reference);
    expect(res.text).toContain(cook.reference);
    const parts = await t.ctx.db.selectFrom('room_parts').select('part_id').where('whole_id', '=', combined).execute();
    expect(parts.map((p) => p.part_id)).toEqual([saalB.id]);
  });

  it('shows a booking of "Saal A + Küche" as busy in the Großer Saal\'s public week, but not in Saal B\'s', async () => {
    const combined = await createSaalAKueche();
    await aBooking(t.ctx.db, { roomId: combined, date: '2026-12-01', start: '17:00', end: '19:00', status: 'approved' });
    const gs = await t.request.get('/rooms/grosser-saal?date=2026-12-01');
    expect(gs.text).toContain('Saal A + Küche');
    const b = await t.request.get('/rooms/saal-b?date=2026-12-01');
    expect(b.text).not.toContain('Saal A + Küche');
  });
});
