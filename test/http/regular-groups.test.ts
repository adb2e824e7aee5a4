// Regular groups ("Stammgruppen"): the staff list (rights, validation, audit) and approval at once of a trusted
// group's request that fits its allowance and clashes with nothing — and every way it must stay pending instead.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { formAgent, validFields, type Fields } from '../helpers/request-form.js';
import { outbox } from '../helpers/mail.js';

// The default clock: Monday 23 November 2026, 10:00 in Berlin. 1 December 2026 is a Tuesday.
describe('regular groups', () => {
  let t: TestApp;
  let room: { id: number; slug: string; name: string };
  let staff: LoggedIn;
  beforeEach(async () => {
    t = await makeTestApp();
    room = await aRoom(t.ctx.db, { slug: 'gruppenraum', name: 'Gruppenraum', capacity: 20 });
    await aRoom(t.ctx.db, { slug: 'saal', name: 'Saal', capacity: 80 });
    await t.ctx.db
      .insertInto('message_templates')
      .values([
        { kind: 'approve', label: 'Später', body: 'Zweite Vorlage', sort_order: 2 },
        { kind: 'approve', label: 'Zusage', body: 'Gern, bis bald!', sort_order: 1 },
      ])
      .execute();
    staff = await loginAs(t, 'caretaker', { name: 'Frau Lindner' });
  });
  afterEach(() => t.close());

  /** Tuesdays and Thursdays 16:00–21:00 in the Gruppenraum, unless overridden. */
  const groupForm = (o: Fields = {}): Fields => ({
    match_kind: 'email',
    match_value: 'erika@example.org',
    rooms: [String(room.id)],
    weekdays: ['2', '4'],
    start_time: '16:00',
    end_time: '21:00',
    valid_until: '',
    note: 'Deutschkurs seit 2019',
    ...o,
  });
  const addGroup = async (o: Fields = {}) => {
    const res = await staff.post('/admin/regular-groups', '/admin/regular-groups/new', groupForm(o));
    expect(res.status).toBe(303);
  };
  const auditOf = (action: string) => t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
  const statuses = async (reference: string) =>
    (
      await t.ctx.db
        .selectFrom('bookings as b')
        .innerJoin('requests as r', 'r.id', 'b.request_id')
        .select(['b.status', 'b.local_date'])
        .where('r.reference', '=', reference)
        .orderBy('b.local_date')
        .execute()
    ).map((b) => `${b.local_date} ${b.status}`);
  const send = async (fields: Fields) => {
    const res = await formAgent(t).post('/requests', fields);
    expect(res.status, res.text.slice(0, 300)).toBe(303);
    const req = await t.ctx.db.selectFrom('requests').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    return req;
  };

  describe('the list for staff', () => {
    it('is for logged-in staff only', async () => {
      const res = await t.request.get('/admin/regular-groups');
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/login/);
    });

    it('refuses a form without rooms, weekdays, a valid address or a time order, each next to its field, keeping what was typed', async () => {
      const res = await staff.post(
        '/admin/regular-groups',
        '/admin/regular-groups/new',
        groupForm({ match_value: 'erika(at)example', rooms: [], weekdays: [], start_time: '21:00', end_time: '16:00', valid_until: '2026-02-30' }),
      );
      expect(res.status).toBe(400);
      expect(res.text).toContain('Das ist keine gültige E-Mail-Adresse');
      expect(res.text).toContain('Bitte wählen Sie mindestens einen Raum.');
      expect(res.text).toContain('Bitte wählen Sie mindestens einen Wochentag.');
      expect(res.text).toContain('Das späteste Ende muss nach dem frühesten Beginn liegen.');
      expect(res.text).toContain('Bitte geben Sie ein gültiges Datum an');
      expect(res.text).toContain('value="erika(at)example"');
      expect(res.text).toContain('Deutschkurs seit 2019');
      expect(await t.ctx.db.selectFrom('regular_groups').selectAll().execute()).toHaveLength(0);
    });

    it('adds, lists, changes and removes a group, each in the audit log, and refuses the same address twice', async () => {
      await addGroup({ match_value: '  Erika@Example.org ' });
      const list = await staff.agent.get('/admin/regular-groups');
      expect(list.text).toContain('Erika@Example.org');
      expect(list.text).toContain('Gruppenraum');
      expect(list.text).toContain('16:00–21:00 Uhr');
      expect(list.text).toContain('unbefristet');

      const dup = await staff.post('/admin/regular-groups', '/admin/regular-groups/new', groupForm({ match_value: 'ERIKA@example.org' }));
      expect(dup.status).toBe(409);
      expect(dup.text).toContain('Diese Gruppe steht schon in der Liste.');

      const row = await t.ctx.db.selectFrom('regular_groups').selectAll().executeTakeFirstOrThrow();
      expect(row.match_value).toBe('erika@example.org');
      const edit = await staff.post(
        `/admin/regular-groups/${row.id}`,
        `/admin/regular-groups/${row.id}`,
        groupForm({ end_time: '22:00', valid_until: '2027-06-30' }),
      );
      expect(edit.status).toBe(303);
      const changed = await t.ctx.db.selectFrom('regular_groups').selectAll().executeTakeFirstOrThrow();
      expect([changed.end_time, changed.valid_until]).toEqual(['22:00', '2027-06-30']);
      const [updated] = await auditOf('regular_group.updated');
      expect(JSON.parse(updated!.details).changes).toEqual({
        time: { from: '16:00–21:00', to: '16:00–22:00' },
        validUntil: { from: null, to: '2027-06-30' },
        label: { from: 'Erika@Example.org', to: 'erika@example.org' },
      });

      const del = await staff.post(`/admin/regular-groups/${row.id}/delete`, '/admin/regular-groups', {});
      expect(del.status).toBe(303);
      expect(await t.ctx.db.selectFrom('regular_groups').selectAll().execute()).toHaveLength(0);
      expect((await auditOf('regular_group.created')).map((a) => a.user_id)).toEqual([staff.user.id]);
      expect(await auditOf('regular_group.deleted')).toHaveLength(1);
      const gone = await staff.post(`/admin/regular-groups/${row.id}/delete`, '/admin/regular-groups', {});
      expect(gone.status).toBe(404);
    });
  });

  describe('approval at once', () => {
    it('approves a single date inside the allowance with the first approval template, mails the group twice and shows it to staff', async () => {
      await addGroup();
      const req = await send(validFields(room.slug));
      expect(await statuses(req.reference)).toEqual(['2026-12-01 approved']);
      expect(req.auto_group_label).toBe('erika@example.org');
      const booking = await t.ctx.db.selectFrom('bookings').selectAll().where('request_id', '=', req.id).executeTakeFirstOrThrow();
      expect(booking.decision_message).toBe('Gern, bis bald!');
      expect(booking.decided_by).toBeNull();

      const [entry] = await auditOf('request.auto_approved');
      expect(entry!.actor).toBe('system');
      expect(JSON.parse(entry!.details)).toMatchObject({ reference: req.reference, regularGroup: 'erika@example.org', dates: ['2026-12-01'] });

      const toGroup = (await outbox(t)).filter((m) => m.to_address === 'erika@example.org').map((m) => m.kind);
      expect(toGroup).toEqual(['request.received', 'bookings.approved']);

      const page = await staff.agent.get(`/admin/requests/${req.id}`);
      expect(page.text).toContain('automatisch genehmigt (Stammgruppe erika@example.org)');
    });

    it('names what was approved at once in the last 7 days above the inbox list, linked, and no longer after a week', async () => {
      await addGroup();
      const auto = await send(validFields(room.slug));
      const open = await send(validFields(room.slug, { email: 'fremd@example.org', organisation: 'Fremde Gruppe', date: '2026-12-02', title: 'Fremde Probe' }));
      const section = (html: string) => /<section class="inbox-auto"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
      const inbox = await staff.agent.get('/admin');
      const part = section(inbox.text);
      expect(part).toContain('Automatisch genehmigt (letzte 7 Tage)');
      expect(part).toContain(`<a href="/admin/requests/${auto.id}">${auto.reference}</a>`);
      expect(part).toContain('Deutschkurs · Stammgruppe erika@example.org · erster Termin 1. Dezember 2026 · genehmigt 23. Nov. 2026, 10:00');
      expect(part).not.toContain(open.reference);
      expect(part).toContain('href="/admin?status=approved"');
      // The open request stays in the list below; the approved one is not among the open requests.
      const list = inbox.text.slice(inbox.text.indexOf('</section>'));
      expect(list).toContain(open.reference);
      // Another filter shows the list as asked, without the section.
      expect(section((await staff.agent.get('/admin?status=approved')).text)).toBe('');
      // Eight days later it has dropped out (a fresh login: the session has timed out meanwhile).
      t.clock.advance(8 * 86_400_000);
      const later = await loginAs(t, 'caretaker');
      expect(section((await later.agent.get('/admin')).text)).toBe('');
    });

    it('recognises the organisation however its spaces and capitals are typed', async () => {
      await addGroup({ match_kind: 'organisation', match_value: 'lernwerkstatt  E. V.' });
      const req = await send(validFields(room.slug, { email: 'someone-else@example.org', organisation: ' Lernwerkstatt e. V. ' }));
      expect(await statuses(req.reference)).toEqual(['2026-12-01 approved']);
    });

    it('approves a whole weekly series whose every date fits', async () => {
      await addGroup();
      const req = await send(validFields(room.slug, { repeat: 'weekly', everyWeeks: '1', lastDate: '2026-12-15' }));
      expect(await statuses(req.reference)).toEqual(['2026-12-01 approved', '2026-12-08 approved', '2026-12-15 approved']);
      expect(JSON.parse((await auditOf('request.auto_approved'))[0]!.details).dates).toEqual(['2026-12-01', '2026-12-08', '2026-12-15']);
    });

    it('leaves a whole series pending when one date lies after the allowance ends', async () => {
      await addGroup({ valid_until: '2026-12-10' });
      const req = await send(validFields(room.slug, { repeat: 'weekly', everyWeeks: '1', lastDate: '2026-12-15' }));
      expect(await statuses(req.reference)).toEqual(['2026-12-01 pending', '2026-12-08 pending', '2026-12-15 pending']);
      expect(req.auto_group_label).toBeNull();
      expect(await auditOf('request.auto_approved')).toHaveLength(0);
    });

    it.each<[string, Record<string, string>]>([
      ['another room', { room: 'saal' }],
      ['another weekday (a Wednesday)', { date: '2026-12-02' }],
      ['an end after the time window', { end: '21:30' }],
      ['a start before the time window', { start: '15:45' }],
    ])('leaves a request for %s pending', async (_name, fields) => {
      await addGroup();
      const req = await send(validFields(room.slug, fields));
      expect(await statuses(req.reference)).toEqual([`${fields.date ?? '2026-12-01'} pending`]);
      expect((await outbox(t)).filter((m) => m.to_address === 'erika@example.org').map((m) => m.kind)).toEqual(['request.received']);
    });

    it('leaves a request of a group that is not on the list pending', async () => {
      await addGroup({ match_value: 'other@example.org' });
      const req = await send(validFields(room.slug));
      expect(await statuses(req.reference)).toEqual(['2026-12-01 pending']);
    });

    it('leaves a series pending when one of its dates is taken (skipped as a clash)', async () => {
      await addGroup();
      await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-08', start: '17:00', end: '19:00', status: 'approved' });
      const req = await send(validFields(room.slug, { repeat: 'weekly', everyWeeks: '1', lastDate: '2026-12-15' }));
      expect(await statuses(req.reference)).toEqual(['2026-12-01 pending', '2026-12-08 skipped', '2026-12-15 pending']);
    });

    it('leaves it pending when another group has asked for the same time (the caretaker decides between them)', async () => {
      await addGroup();
      const rival = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-01', start: '19:00', end: '21:00', status: 'pending' });
      const req = await send(validFields(room.slug));
      expect(await statuses(req.reference)).toEqual(['2026-12-01 pending']);
      const rivalRow = await t.ctx.db.selectFrom('bookings').select('status').where('id', '=', rival.bookingId).executeTakeFirstOrThrow();
      expect(rivalRow.status).toBe('pending');
    });

    it('approves exactly one of two trusted requests sent for the same slot at once', async () => {
      await addGroup();
      await addGroup({ match_value: 'kurt@example.org' });
      const [a, b] = await Promise.all([
        formAgent(t).post('/requests', validFields(room.slug)),
        formAgent(t).post('/requests', validFields(room.slug, { email: 'kurt@example.org', organisation: 'Schachclub' })),
      ]);
      const approved = await t.ctx.db.selectFrom('bookings').select('request_id').where('status', '=', 'approved').execute();
      expect(approved).toHaveLength(1);
      // The other one is refused at once, naming the clash (rule 6), or waits for the caretaker: never approved too.
      const [first, second] = [a.status, b.status].sort((x, y) => x - y);
      expect(first).toBe(303);
      expect([303, 409]).toContain(second);
      if (second === 409) expect((a.status === 409 ? a : b).text).toMatch(/nicht frei|eben für diese Zeit vergeben/);
      expect(await auditOf('request.auto_approved')).toHaveLength(1);
    });

    it('lets staff cancel an automatically approved date, which frees the slot', async () => {
      await addGroup();
      const req = await send(validFields(room.slug));
      const booking = await t.ctx.db.selectFrom('bookings').selectAll().where('request_id', '=', req.id).executeTakeFirstOrThrow();
      const edit = `/admin/requests/${req.id}/edit?booking=${booking.id}`;
      const res = await staff.post(`/admin/requests/${req.id}/cancel`, edit, { booking: String(booking.id), scope: 'one', message: 'Raum wird renoviert' });
      expect(res.status).toBe(303);
      const after = await t.ctx.db.selectFrom('bookings').select('status').where('id', '=', booking.id).executeTakeFirstOrThrow();
      expect(after.status).toBe('cancelled');
    });
  });
});
