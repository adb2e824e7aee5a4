// Numbers are checked against their rule whatever their size or spelling: a capacity of 20 refuses 21, and
// also 1,000,000, 2^32+1 and twenty digits; exponents, hex, signs and spaces are no numbers. Nothing is stored
// then, the field gets its message and the value stays as typed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aRoom } from '../helpers/factories.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { fieldError, formAgent, inputValue, tokenFrom, validFields } from '../helpers/request-form.js';

const HUGE = ['21', '1000000', '4294967297', '4294967317', '99999999999999999999', '18446744073709551637'];
const NOT_NUMBERS = ['1e3', '0x10', '+5', '-5', '1 0', '1.5', '１２', '0'];

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
  await aRoom(t.ctx.db, { slug: 'gruppenraum', name: 'Gruppenraum', capacity: 20 });
});
afterEach(() => t.close());

const count = async (table: 'requests' | 'bookings' | 'message_templates' | 'blocked_times') =>
  Number(
    (
      await t.ctx.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('attendees on the public request form', () => {
  for (const attendees of HUGE) {
    it(`refuses ${attendees} attendees for a room of 20 with the capacity message, keeping the value`, async () => {
      const res = await formAgent(t).post('/requests', validFields('gruppenraum', { attendees }));
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'attendees')).toContain('fasst höchstens 20 Personen');
      expect(inputValue(res.text, 'attendees')).toBe(attendees);
      expect(await count('requests')).toBe(0);
    });
  }
  for (const attendees of NOT_NUMBERS) {
    it(`refuses "${attendees}" as a number of attendees`, async () => {
      const res = await formAgent(t).post('/requests', validFields('gruppenraum', { attendees }));
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'attendees')).toBeTruthy();
      expect(await count('requests')).toBe(0);
    });
  }
  it('still takes 20 attendees (and 020)', async () => {
    expect((await formAgent(t).post('/requests', validFields('gruppenraum', { attendees: '20' }))).status).toBe(303);
    expect((await formAgent(t).post('/requests', validFields('gruppenraum', { attendees: '020', date: '2026-12-02' }))).status).toBe(303);
  });
});

describe('attendees when a group edits its request through the manage link', () => {
  for (const attendees of HUGE) {
    it(`refuses ${attendees} attendees and changes nothing`, async () => {
      const f = formAgent(t);
      const token = tokenFrom(await f.post('/requests', validFields('gruppenraum')));
      const res = await f.post(`/requests/${token}/edit`, validFields('gruppenraum', { attendees }), { from: `/requests/${token}/edit` });
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'attendees')).toContain('fasst höchstens 20 Personen');
      const row = await t.ctx.db.selectFrom('requests').select('attendees').executeTakeFirstOrThrow();
      expect(row.attendees).toBe(12);
    });
  }
});

describe('numbers on the staff forms', () => {
  let staff: LoggedIn;
  let roomId: number;
  beforeEach(async () => {
    staff = await loginAs(t, 'admin');
    roomId = (await t.ctx.db.selectFrom('rooms').select('id').executeTakeFirstOrThrow()).id;
  });
  const direct = (o: Record<string, string>) => ({
    room: String(roomId),
    date: '2026-12-02',
    start: '18:00',
    end: '20:00',
    title: 'Telefonanfrage',
    contact_name: 'Frau Yilmaz',
    email: '',
    phone: '030 999',
    category: 'social',
    attendees: '12',
    message: '',
    ...o,
  });
  async function post(path: string, from: string, body: Record<string, string>) {
    const token = await staff.csrf(from);
    return staff.agent
      .post(path)
      .type('form')
      .send({ _csrf: token, ...body });
  }

  for (const attendees of [...HUGE.slice(1), ...NOT_NUMBERS]) {
    it(`a direct booking refuses "${attendees}" attendees next to the field`, async () => {
      const res = await post('/admin/bookings', '/admin/bookings/new', direct({ attendees }));
      expect(res.status).toBe(400);
      expect(res.text).toMatch(/id="attendees-error"/);
      expect(await count('requests')).toBe(0);
    });
  }

  for (const room of ['0x1', '1e0', ' +1', '99999999999999999999']) {
    it(`a direct booking refuses the room id "${room}"`, async () => {
      const res = await post('/admin/bookings', '/admin/bookings/new', direct({ room }));
      expect(res.status).toBe(400);
      expect(await count('requests')).toBe(0);
    });
  }

  for (const sort_order of ['1e3', '0x10', '4294967297', '-1', '+1']) {
    it(`a message template refuses the order "${sort_order}" next to the field, keeping it`, async () => {
      const before = await count('message_templates');
      const res = await post('/admin/templates', '/admin/templates/new', { kind: 'approve', label: 'Zusage', body: 'Gern!', sort_order });
      expect(res.status).toBe(400);
      expect(res.text).toMatch(/id="sort_order-error"/);
      expect(await count('message_templates')).toBe(before);
      expect(res.text).toContain(`value="${sort_order}"`);
    });
  }

  for (const year of ['2e3', '0x7ea', '4294969323', ' ']) {
    it(`the holiday import refuses the year "${year}"`, async () => {
      const before = await count('blocked_times');
      const res = await post('/admin/blocks/holidays', '/admin/blocks', { year });
      expect(res.status).toBe(400);
      expect(res.text).toMatch(/id="year-error"/);
      expect(await count('blocked_times')).toBe(before);
    });
  }

  for (const [field, value] of [
    ['capacity', '4294967297'],
    ['capacity', '1e3'],
    ['buffer_before_min', '4294967297'],
    ['sort_order', '99999999999999999999'],
  ] as const) {
    it(`the room form refuses ${field} = ${value}`, async () => {
      const body = {
        name: 'Neuer Raum',
        slug: 'neuer-raum',
        description: '',
        capacity: '10',
        size_m2: '',
        accessibility_notes: '',
        floor: '',
        buffer_before_min: '0',
        buffer_after_min: '0',
        sort_order: '5',
        [field]: value,
      };
      const res = await post('/admin/rooms', '/admin/rooms/new', body);
      expect(res.status).toBe(400);
      expect(res.text).toContain(`value="${value}"`);
    });
  }

  for (const [field, value] of [
    ['lead_time_days', '4294967297'],
    ['horizon_months', '1e1'],
    ['retention_months', '99999999999999999999'],
  ] as const) {
    it(`the settings refuse ${field} = ${value}`, async () => {
      const page = await staff.agent.get('/admin/settings');
      const values: Record<string, string> = {};
      for (const m of page.text.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) values[m[1]!] = m[2]!;
      for (const m of page.text.matchAll(/<select[^>]*name="([^"]+)"[\s\S]*?<option value="([^"]*)" selected/g)) values[m[1]!] = m[2]!;
      const res = await post('/admin/settings', '/admin/settings', { ...values, [field]: value });
      expect(res.status).toBe(400);
      expect(res.text).toContain(`value="${value}"`);
    });
  }
});
