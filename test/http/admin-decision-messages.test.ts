// Each staff decision carries its own message: a rejection mail never holds the approval text and vice versa,
// from every page where staff decide or cancel, also when the caretaker leaves the prefilled box as it is.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { aBlockedTime, aBooking, aRoom } from '../helpers/factories.js';
import { aSeries } from '../helpers/series.js';

const APPROVE = 'ZUSAGETEXT: Den Schlüssel erhalten Sie im Büro.';
const REJECT = 'ABSAGETEXT: Der Raum ist leider schon vergeben.';
const CANCEL = 'STORNOTEXT: Das Haus ist an diesem Tag geschlossen.';
const ALL = { approve: APPROVE, reject: REJECT, cancel: CANCEL };

function decode(s: string): string {
  return s
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function attr(tag: string, name: string): string | undefined {
  const m = tag.match(new RegExp(`\\s${name}="([^"]*)"`));
  return m ? decode(m[1]!) : undefined;
}

/**
 * Presses the submit button whose text is `button` as a browser would: the button's form with its hidden
 * fields, textareas and selects as shown, checked boxes and radios, sent to the button's formaction or the
 * form's action; `tick` ticks checkboxes by value.
 */
function press(html: string, button: string, opts: { tick?: string[] } = {}): { action: string; body: [string, string][] } {
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const [, formAttrs, inner] = m;
    if ((attr(formAttrs!, 'method') ?? 'get').toLowerCase() !== 'post') continue;
    const btn = [...inner!.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/g)].find((b) => decode(b[2]!.trim()) === button);
    if (!btn) continue;
    const body: [string, string][] = [];
    for (const sel of inner!.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const name = attr(sel[1]!, 'name');
      const options = [...sel[2]!.matchAll(/<option\b([^>]*)>/g)].map((o) => o[1]);
      const chosen = options.find((o) => /\sselected\b/.test(o!)) ?? options[0];
      if (name && chosen !== undefined) body.push([name, attr(chosen, 'value') ?? '']);
    }
    for (const f of inner!.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>|<input\b([^>]*)>/g)) {
      const tag = f[1] ?? f[3];
      const name = attr(tag!, 'name');
      if (!name) continue;
      if (f[1] !== undefined) {
        body.push([name, decode(f[2]!)]);
        continue;
      }
      const type = attr(tag!, 'type') ?? 'text';
      const value = attr(tag!, 'value') ?? '';
      if (type === 'checkbox' || type === 'radio') {
        if (/\schecked\b/.test(tag!) || opts.tick?.includes(value)) body.push([name, value]);
        continue;
      }
      body.push([name, value]);
    }
    return { action: attr(btn[1]!, 'formaction') ?? attr(formAttrs!, 'action')!, body };
  }
  throw new Error(`no button "${button}" in a POST form`);
}

describe('decision messages', () => {
  let t: TestApp;
  let staff: LoggedIn;
  beforeEach(async () => {
    t = await makeTestApp();
    staff = await loginAs(t, 'caretaker');
    await t.ctx.db
      .insertInto('message_templates')
      .values([
        { kind: 'approve', label: 'Zusage', body: APPROVE, sort_order: 1 },
        { kind: 'reject', label: 'Vergeben', body: REJECT, sort_order: 1 },
        { kind: 'cancel', label: 'Geschlossen', body: CANCEL, sort_order: 1 },
      ])
      .execute();
  });
  afterEach(() => t.close());

  async function click(page: string, button: string, opts: { tick?: string[] } = {}) {
    const html = (await staff.agent.get(page)).text;
    const { action, body } = press(html, button, opts);
    const form = body.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    return staff.agent.post(action).type('form').send(form);
  }

  /** The text of the one mail to the group about this decision. */
  async function mailTo(email: string, kind: string): Promise<string> {
    const rows = await t.ctx.db
      .selectFrom('outbox')
      .select(['kind', 'text_body', 'html_body', 'subject'])
      .where('to_address', '=', email)
      .where('kind', '=', kind)
      .execute();
    expect(rows).toHaveLength(1);
    return `${rows[0]!.subject}\n${rows[0]!.text_body}\n${rows[0]!.html_body}`;
  }

  function expectOnly(text: string, kind: keyof typeof ALL) {
    for (const [k, body] of Object.entries(ALL)) {
      if (k === kind) expect(text).toContain(body.split(':')[0]);
      else expect(text).not.toContain(body.split(':')[0]);
    }
  }

  async function kinds(): Promise<string[]> {
    return (await t.ctx.db.selectFrom('outbox').select('kind').distinct().execute()).map((r) => r.kind);
  }

  it('shows each decision with its own prefilled message and button on the request page', async () => {
    const a = await aBooking(t.ctx.db, { status: 'pending' });
    const html = (await staff.agent.get(`/admin/requests/${a.requestId}`)).text;
    const approve = press(html, 'Bestätigen');
    const reject = press(html, 'Ablehnen');
    expect(approve.action).toBe(`/admin/requests/${a.requestId}/approve`);
    expect(reject.action).toBe(`/admin/requests/${a.requestId}/reject`);
    // Each box is labelled for its decision.
    expect(html).toMatch(/<legend>Zusagen<\/legend>/);
    expect(html).toMatch(/<legend>Absagen<\/legend>/);
  });

  it('rejects from the request page with the rejection text only, box untouched', async () => {
    const a = await aBooking(t.ctx.db, { status: 'pending', email: 'gruppe@example.org' });
    expect((await click(`/admin/requests/${a.requestId}`, 'Ablehnen')).status).toBe(303);
    const kindsSent = await kinds();
    const mail = await mailTo(
      'gruppe@example.org',
      kindsSent.find((k) => /reject/.test(k))!,
    );
    expectOnly(mail, 'reject');
  });

  it('approves from the request page with the approval text only, box untouched', async () => {
    const a = await aBooking(t.ctx.db, { status: 'pending', email: 'gruppe@example.org' });
    expect((await click(`/admin/requests/${a.requestId}`, 'Bestätigen')).status).toBe(303);
    const mail = await mailTo(
      'gruppe@example.org',
      (await kinds()).find((k) => /approv/.test(k))!,
    );
    expectOnly(mail, 'approve');
  });

  it('rejects from the inbox with the rejection text only, and approves with the approval text only', async () => {
    const r1 = await aBooking(t.ctx.db, { status: 'pending', email: 'eins@example.org', date: '2026-12-01' });
    await aBooking(t.ctx.db, { status: 'pending', email: 'zwei@example.org', date: '2026-12-02' });
    // The inbox shows both requests; the first form pair belongs to the soonest.
    expect((await click('/admin', 'Ablehnen')).status).toBe(303);
    expect((await t.ctx.db.selectFrom('bookings').select('status').where('id', '=', r1.bookingId).executeTakeFirstOrThrow()).status).toBe('rejected');
    expectOnly(
      await mailTo(
        'eins@example.org',
        (await kinds()).find((k) => /reject/.test(k))!,
      ),
      'reject',
    );
    expect((await click('/admin', 'Bestätigen')).status).toBe(303);
    expectOnly(
      await mailTo(
        'zwei@example.org',
        (await kinds()).find((k) => /approv/.test(k))!,
      ),
      'approve',
    );
  });

  it('after a refused approval keeps the typed text in the approval box only, so a rejection never carries it', async () => {
    const room = await aRoom(t.ctx.db, { name: 'Saal' });
    const s = await aSeries(t.ctx.db, { roomId: room.id, dates: ['2026-12-02', '2026-12-09'], email: 'serie@example.org' });
    // The second date lies in a closure of the room.
    await aBlockedTime(t.ctx.db, { roomId: room.id, from: '2026-12-09' });
    const html = (await staff.agent.get(`/admin/requests/${s.requestId}`)).text;
    const { action, body } = press(html, 'Bestätigen');
    const typed = body.map(([k, v]) => [k, k.includes('message') && v.startsWith('ZUSAGE') ? 'ZUSAGE getippt: Schlüssel bei Frau Lindner.' : v]);
    const refused = await staff.agent
      .post(action)
      .type('form')
      .send(typed.map(([k, v]) => `${encodeURIComponent(k!)}=${encodeURIComponent(v!)}`).join('&'));
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('ZUSAGE getippt');
    // The caretaker now rejects the date that stayed open, straight from the page the refusal showed.
    const { action: rejectAction, body: rejectBody } = press(refused.text, 'Ablehnen');
    const res = await staff.agent
      .post(rejectAction)
      .type('form')
      .send(rejectBody.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
    expect(res.status).toBe(303);
    const rejected = await t.ctx.db.selectFrom('outbox').select(['text_body', 'html_body', 'kind']).where('to_address', '=', 'serie@example.org').execute();
    const rejection = rejected.filter((r) => /reject/.test(r.kind));
    expect(rejection).toHaveLength(1);
    expect(rejection[0]!.text_body).toContain('ABSAGETEXT');
    expect(rejection[0]!.text_body).not.toContain('ZUSAGE');
    expect(rejection[0]!.html_body).not.toContain('ZUSAGE');
  });

  it('cancels from the change page with the cancellation text only', async () => {
    const a = await aBooking(t.ctx.db, { status: 'approved', email: 'fest@example.org' });
    const res = await click(`/admin/requests/${a.requestId}/edit?booking=${a.bookingId}`, 'Absagen und Gruppe benachrichtigen');
    expect(res.status).toBe(303);
    const mails = await t.ctx.db.selectFrom('outbox').select(['text_body', 'html_body', 'kind']).where('to_address', '=', 'fest@example.org').execute();
    expect(mails).toHaveLength(1);
    expectOnly(`${mails[0]!.text_body}\n${mails[0]!.html_body}`, 'cancel');
  });

  async function send(action: string, body: [string, string][]) {
    return staff.agent
      .post(action)
      .type('form')
      .send(body.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
  }

  // A blocked time's message is suggested by its reason (a closure, a renovation …), no longer the first cancellation
  // template: none of the decision templates reaches the group, the closure's own words do.
  it('cancels the bookings in the way of a new blocked time with the message of the closure, no decision template', async () => {
    const room = await aRoom(t.ctx.db, { name: 'Saal' });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-12', status: 'approved', email: 'fest@example.org' });
    const first = await send(
      '/admin/blocks',
      Object.entries({
        _csrf: await staff.csrf('/admin/blocks/new'),
        room: String(room.id),
        reason: 'closure',
        label: 'Wasserschaden',
        is_public: '1',
        from_date: '2026-12-12',
        to_date: '2026-12-12',
      }),
    );
    expect(first.status).toBe(409);
    const { action, body } = press(first.text, 'Sperrzeit speichern', { tick: ['1'] });
    expect((await send(action, body)).status).toBe(303);
    const mails = await t.ctx.db.selectFrom('outbox').select(['text_body', 'html_body']).where('to_address', '=', 'fest@example.org').execute();
    expect(mails).toHaveLength(1);
    const mail = `${mails[0]!.text_body}\n${mails[0]!.html_body}`;
    expect(mail).toContain('Leider ist das Haus in dieser Zeit geschlossen.');
    for (const body of Object.values(ALL)) expect(mail).not.toContain(body.split(':')[0]);
  });

  it('cancels the dates of a room being deactivated with the cancellation text only', async () => {
    const admin = await loginAs(t, 'admin');
    const room = await aRoom(t.ctx.db, { name: 'Saal' });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-12', status: 'approved', email: 'fest@example.org' });
    const first = await admin.agent
      .post(`/admin/rooms/${room.id}/deactivate`)
      .type('form')
      .send({ _csrf: await admin.csrf('/admin/rooms') });
    expect(first.status).toBe(409);
    const { action, body } = press(first.text, 'Termine absagen und Raum deaktivieren', { tick: ['1'] });
    const res = await admin.agent
      .post(action)
      .type('form')
      .send(body.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
    expect(res.status).toBe(303);
    const mails = await t.ctx.db.selectFrom('outbox').select(['text_body', 'html_body']).where('to_address', '=', 'fest@example.org').execute();
    expect(mails).toHaveLength(1);
    expectOnly(`${mails[0]!.text_body}\n${mails[0]!.html_body}`, 'cancel');
  });
});
