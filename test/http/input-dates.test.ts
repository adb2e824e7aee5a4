// A form shown again after an error keeps what was typed, but a date that does not exist is never put into
// a type=date input (browsers drop it or show something else): the input is empty and the typed text is
// shown next to it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { decode, formAgent, tokenFrom, validFields } from '../helpers/request-form.js';
import { parseDate } from '../../src/time/index.js';

const IMPOSSIBLE = ['2026-02-30', 'abc', '99999-01-01', '2026-13-01', '2026-1-5'];

/** Every type=date input of a page: id → value. */
function dateInputs(html: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of html.matchAll(/<input type="date" id="([^"]+)"[^>]*?value="([^"]*)"/g)) out.set(m[1]!, decode(m[2]!));
  return out;
}

/** The ids the input (or select) with this id names in its aria-describedby. */
function describedBy(html: string, id: string): string[] {
  const tag = new RegExp(`<input [^>]*\\bid="${id}"[^>]*>`).exec(html);
  expect(tag, `input ${id}`).not.toBeNull();
  const attr = /\saria-describedby="([^"]*)"/.exec(tag![0]);
  return attr ? attr[1]!.split(/\s+/) : [];
}

/** The "Eingegeben war …" hint is shown and the field points screen readers at it, and every id it names exists. */
function expectTypedHintLinked(html: string, id: string) {
  expect(html).toContain(`id="${id}-typed"`);
  const ids = describedBy(html, id);
  expect(ids, `aria-describedby of ${id}`).toContain(`${id}-typed`);
  for (const ref of ids) expect(html, `${id} names ${ref}`).toContain(`id="${ref}"`);
}

function expectShownNotEchoed(html: string, id: string, typed: string) {
  expectTypedHintLinked(html, id);
  const inputs = dateInputs(html);
  expect(inputs.has(id), `no date input ${id}`).toBe(true);
  for (const [, v] of inputs) expect(v === '' || parseDate(v) === v, `date input value ${v}`).toBe(true);
  expect(inputs.get(id)).toBe('');
  const hint = new RegExp(`id="${id}-typed">([^<]*)<`).exec(html);
  expect(hint, `typed text of ${id} shown`).not.toBeNull();
  expect(decode(hint![1]!)).toContain(typed);
}

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
  await aRoom(t.ctx.db, { slug: 'gruppenraum', name: 'Gruppenraum', capacity: 20 });
});
afterEach(() => t.close());

describe('the public request form', () => {
  for (const date of IMPOSSIBLE) {
    it(`shows "${date}" as typed next to an empty date input, the other values kept`, async () => {
      const res = await formAgent(t).post('/requests', validFields('gruppenraum', { date, title: 'Chorprobe' }));
      expect(res.status).toBe(422);
      expectShownNotEchoed(res.text, 'date', date);
      expect(res.text).toContain('value="Chorprobe"');
    });
  }
  it('does the same for the last date of a series', async () => {
    const res = await formAgent(t).post('/requests', validFields('gruppenraum', { repeat: 'weekly', lastDate: '2027-02-29', action: 'preview' }));
    expect([200, 422]).toContain(res.status);
    expectShownNotEchoed(res.text, 'lastDate', '2027-02-29');
  });
  it('keeps a valid date in the input and shows no typed hint', async () => {
    const res = await formAgent(t).post('/requests', validFields('gruppenraum', { title: '' }));
    expect(res.status).toBe(422);
    expect(dateInputs(res.text).get('date')).toBe('2026-12-01');
    expect(res.text).not.toContain('id="date-typed"');
  });
  it('also when a group edits its request', async () => {
    const f = formAgent(t);
    const token = tokenFrom(await f.post('/requests', validFields('gruppenraum')));
    const res = await f.post(`/requests/${token}/edit`, validFields('gruppenraum', { date: '2026-02-30' }), { from: `/requests/${token}/edit` });
    expect(res.status).toBe(422);
    expectShownNotEchoed(res.text, 'date', '2026-02-30');
  });
});

describe('time inputs', () => {
  for (const start of ['25:00', '18:7', 'abends']) {
    it(`the request form shows the start "${start}" as typed next to an empty time input`, async () => {
      const res = await formAgent(t).post('/requests', validFields('gruppenraum', { start }));
      expect(res.status).toBe(422);
      expect(/<input type="time" id="start" name="start" value=""/.test(res.text)).toBe(true);
      const hint = /id="start-typed">([^<]*)</.exec(res.text);
      expect(hint && decode(hint[1]!)).toContain(start);
      expectTypedHintLinked(res.text, 'start');
    });
  }
  it('keeps a valid time (and 24:00, the end of the day) in the input', async () => {
    const res = await formAgent(t).post('/requests', validFields('gruppenraum', { start: '18:00', end: '24:00', title: '' }));
    expect(res.text).toContain('id="start" name="start" value="18:00"');
    expect(res.text).toContain('id="end" name="end" value="24:00"');
    expect(res.text).not.toContain('-typed"');
    for (const id of ['date', 'start', 'end', 'lastDate'])
      expect(
        describedBy(res.text, id).some((r) => r.endsWith('-typed')),
        id,
      ).toBe(false);
  });
  it('the request form links the typed end time too', async () => {
    const res = await formAgent(t).post('/requests', validFields('gruppenraum', { end: '25:00' }));
    expect(res.status).toBe(422);
    expectTypedHintLinked(res.text, 'end');
  });
});

describe('the staff forms', () => {
  let staff: LoggedIn;
  beforeEach(async () => {
    staff = await loginAs(t, 'admin');
  });
  const post = (path: string, from: string, body: Record<string, string>) => staff.post(path, from, body);

  it('the direct booking', async () => {
    const roomId = (await t.ctx.db.selectFrom('rooms').select('id').executeTakeFirstOrThrow()).id;
    const res = await post('/admin/bookings', '/admin/bookings/new', {
      room: String(roomId),
      date: '2026-02-30',
      start: '18:00',
      end: '20:00',
      title: 'Telefonanfrage',
      contact_name: 'Frau Yilmaz',
      email: '',
      phone: '',
      category: 'social',
      attendees: '12',
      repeat: '1',
      last_date: 'nächste Woche',
      message: '',
    });
    expect(res.status).toBe(400);
    expectShownNotEchoed(res.text, 'date', '2026-02-30');
    expectShownNotEchoed(res.text, 'last_date', 'nächste Woche');
    const time = await post('/admin/bookings', '/admin/bookings/new', {
      room: String(roomId),
      date: '2026-12-02',
      start: '25:00',
      end: '20:00',
      title: 'Telefonanfrage',
      contact_name: 'Frau Yilmaz',
      email: '',
      phone: '',
      category: 'social',
      attendees: '12',
      repeat: '',
      last_date: '',
      message: '',
    });
    expect(time.status).toBeGreaterThanOrEqual(400);
    expectTypedHintLinked(time.text, 'start');
  });

  it('the change of a booked date', async () => {
    const b = await aBooking(t.ctx.db, { date: '2026-12-02', status: 'approved' });
    const roomId = (await t.ctx.db.selectFrom('bookings').select('room_id').executeTakeFirstOrThrow()).room_id;
    const res = await post(`/admin/requests/${b.requestId}/edit`, '/admin', {
      booking: String(b.bookingId),
      scope: 'one',
      date: '2026-02-30',
      start: 'abends',
      end: '20:00',
      room: String(roomId),
      title: 'Chorprobe',
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expectShownNotEchoed(res.text, 'date', '2026-02-30');
    expectTypedHintLinked(res.text, 'start');
  });

  it('the blocked time', async () => {
    const res = await post('/admin/blocks', '/admin/blocks/new', {
      room: '',
      reason: 'closure',
      label: 'Renovierung',
      from_date: '2026-04-31',
      from_time: '',
      to_date: '2026-05-02',
      to_time: '',
      message: '',
    });
    expect(res.status).toBe(400);
    expectShownNotEchoed(res.text, 'from_date', '2026-04-31');
    expect(dateInputs(res.text).get('to_date')).toBe('2026-05-02');
    const times = await post('/admin/blocks', '/admin/blocks/new', {
      room: '',
      reason: 'closure',
      label: 'Renovierung',
      from_date: '2026-05-01',
      from_time: '25:00',
      to_date: 'abc',
      to_time: '8 Uhr',
      message: '',
    });
    expect(times.status).toBe(400);
    for (const id of ['from_time', 'to_date', 'to_time']) expectTypedHintLinked(times.text, id);
  });

  it('the export range', async () => {
    const res = await staff.agent.get('/admin/export?from=2026-02-30&to=2026-03-31');
    expect(res.status).toBe(400);
    expectShownNotEchoed(res.text, 'from', '2026-02-30');
  });

  it('the audit log filter', async () => {
    const res = await staff.agent.get('/admin/audit?from=2026-02-30&to=gestern');
    expect(res.status).toBe(400);
    expectShownNotEchoed(res.text, 'from', '2026-02-30');
    expectShownNotEchoed(res.text, 'to', 'gestern');
  });
});
