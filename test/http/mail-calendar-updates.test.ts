// A date the group put into its calendar (from the approval mail or the manage page's file) leaves or moves
// there when the house changes, cancels or rejects it, or the group cancels it: the mail's calendar file has
// the same UID, a higher SEQUENCE and METHOD:CANCEL (or PUBLISH for a move). Read with ical.js from what
// the SMTP server received.
import ICAL from 'ical.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { aRoom } from '../helpers/factories.js';
import { aSeries } from '../helpers/series.js';
import { aHouse } from '../helpers/mail.js';
import { formAgent } from '../helpers/request-form.js';
import { startSmtp, type ReceivedMail, type TestSmtp } from '../helpers/smtp.js';
import { startMailWorker } from '../../src/mail/worker.js';

interface CalEvent {
  uid: string;
  sequence: number;
  status: string | null;
  start: number;
  organizer: string | null;
}

function calendarOf(mail: ReceivedMail): { method: string; events: CalEvent[] } {
  const ics = mail.parsed.attachments.filter((a) => a.filename.endsWith('.ics'));
  expect(ics, mail.parsed.subject).toHaveLength(1);
  const comp = new ICAL.Component(ICAL.parse(ics[0]!.content));
  return {
    method: String(comp.getFirstPropertyValue('method')),
    events: comp.getAllSubcomponents('vevent').map((v) => {
      const e = new ICAL.Event(v);
      return {
        uid: e.uid,
        sequence: e.sequence,
        status: (v.getFirstPropertyValue('status') as string | null) ?? null,
        start: e.startDate.toJSDate().getTime(),
        organizer: (v.getFirstPropertyValue('organizer') as string | null) ?? null,
      };
    }),
  };
}

describe('calendar files in the mails after an approval', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let staff: LoggedIn;
  let roomId: number;
  let seen: number;
  beforeEach(async () => {
    seen = 0;
    smtp = await startSmtp();
    t = await makeTestApp({ config: { smtpUrl: smtp.url } });
    await aHouse(t);
    staff = await loginAs(t, 'caretaker');
    roomId = (await aRoom(t.ctx.db, { name: 'Saal A' })).id;
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
  });

  async function post(path: string, body: Record<string, string>) {
    const res = await staff.agent
      .post(path)
      .type('form')
      .send({ _csrf: await staff.csrf('/admin'), ...body });
    expect(res.status, `${path}: ${res.text.slice(0, 300)}`).toBe(303);
  }

  /** Sends what is due and returns the mails the group received since the last call. */
  async function deliver(to = 'chor@example.org'): Promise<ReceivedMail[]> {
    const w = startMailWorker(t.ctx, { background: false });
    await w.runOnce();
    await w.stop();
    const fresh = smtp.received.slice(seen).filter((m) => m.to.includes(to));
    seen = smtp.received.length;
    return fresh;
  }

  it('moves a changed date and removes a date the house or the group cancelled, by UID and a higher SEQUENCE', async () => {
    const s = await aSeries(t.ctx.db, { roomId, status: 'pending', dates: ['2026-12-03', '2026-12-10', '2026-12-17'] });
    await post(`/admin/requests/${s.requestId}/approve`, { message: 'Gern.' });
    const [approval] = await deliver();
    const approved = calendarOf(approval!);
    expect(approved.method).toBe('PUBLISH');
    expect(approved.events).toHaveLength(3);
    const [first, second, third] = approved.events;

    // The house moves the first date: the same event, a later SEQUENCE, the new time.
    await post(`/admin/requests/${s.requestId}/edit`, {
      booking: String(s.bookingIds[0]),
      scope: 'one',
      date: '2026-12-03',
      start: '17:00',
      end: '19:00',
      room: String(roomId),
      title: 'Chorprobe',
      message: 'Früher',
    });
    const [change] = await deliver();
    const moved = calendarOf(change!);
    expect(['PUBLISH', 'REQUEST']).toContain(moved.method);
    expect(moved.events).toHaveLength(1);
    expect(moved.events[0]!.uid).toBe(first!.uid);
    expect(moved.events[0]!.sequence).toBeGreaterThan(first!.sequence);
    expect(moved.events[0]!.start).toBe(first!.start - 2 * 3600_000);

    // The house cancels the second date: METHOD:CANCEL for that event only.
    await post(`/admin/requests/${s.requestId}/cancel`, { booking: String(s.bookingIds[1]), scope: 'one', message: 'Eigenbedarf' });
    const [houseCancel] = await deliver();
    const cancelled = calendarOf(houseCancel!);
    expect(cancelled.method).toBe('CANCEL');
    expect(cancelled.events.map((e) => e.uid)).toEqual([second!.uid]);
    expect(cancelled.events[0]!.status).toBe('CANCELLED');
    // iTIP wants the organizer in a CANCEL: the house's contact address.
    expect(cancelled.events[0]!.organizer).toBe('mailto:haus@example.org');
    expect(cancelled.events[0]!.sequence).toBeGreaterThan(second!.sequence);

    // The group cancels the third date through its manage link.
    const f = formAgent(t);
    const res = await f.post(`/requests/${s.token}/cancel`, { booking: String(s.bookingIds[2]), confirm: '1' }, { from: `/requests/${s.token}` });
    expect(res.status).toBe(303);
    const [groupCancel] = await deliver();
    const byGroup = calendarOf(groupCancel!);
    expect(byGroup.method).toBe('CANCEL');
    expect(byGroup.events.map((e) => e.uid)).toEqual([third!.uid]);
    expect(byGroup.events[0]!.status).toBe('CANCELLED');
    expect(byGroup.events[0]!.sequence).toBeGreaterThan(third!.sequence);
    expect(groupCancel!.parsed.text).toContain('entfernt sie dort');
  });

  it("removes a rejected date that the group took from the manage page's calendar file", async () => {
    const s = await aSeries(t.ctx.db, { roomId, status: 'pending', dates: ['2026-12-03'] });
    const own = await t.request.get(`/requests/${s.token}/calendar.ics`);
    expect(own.status).toBe(200);
    const imported = new ICAL.Event(new ICAL.Component(ICAL.parse(own.text)).getFirstSubcomponent('vevent')!);

    await post(`/admin/requests/${s.requestId}/reject`, { message: 'Leider schon vergeben.' });
    const [rejection] = await deliver();
    const cal = calendarOf(rejection!);
    expect(cal.method).toBe('CANCEL');
    expect(cal.events.map((e) => e.uid)).toEqual([imported.uid]);
    expect(cal.events[0]!.status).toBe('CANCELLED');
    expect(cal.events[0]!.sequence).toBeGreaterThan(imported.sequence);
    expect(rejection!.parsed.headers.get('content-type') ?? '').toMatch(/multipart/);
  });
});
