// The inbox in pages of 25 requests (issue 16: 300 open requests were half a megabyte on one page): the soonest
// first across the pages, links between them, marks that do not depend on the page a date is shown on, and
// page numbers that do not exist answered with a page that does.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { aBooking, aRoom } from '../helpers/factories.js';

describe('the inbox in pages', () => {
  let t: TestApp;
  let staff: LoggedIn;
  beforeEach(async () => {
    t = await makeTestApp();
    staff = await loginAs(t, 'caretaker');
  });
  afterEach(() => t.close());

  /** The request ids in the order the page shows them. */
  const shownIds = (html: string) => [...html.matchAll(/<tr id="request-(\d+)"/g)].map((m) => Number(m[1]));

  /** 30 pending single dates, one a day from 1 December, created in a shuffled order; ids by date. */
  async function thirtyRequests(roomId: number) {
    const days = Array.from({ length: 30 }, (_, i) => i + 1);
    const shuffled = [...days].sort((a, b) => ((a * 7) % 30) - ((b * 7) % 30));
    const byDay = new Map<number, { requestId: number; reference: string }>();
    for (const d of shuffled) {
      const date = `2026-12-${String(d).padStart(2, '0')}`;
      byDay.set(d, await aBooking(t.ctx.db, { roomId, date, start: '18:00', end: '20:00', status: 'pending', title: `Anfrage ${date}` }));
    }
    return days.map((d) => byDay.get(d)!);
  }

  it('shows 25 requests a page, the soonest first, and links the pages both ways', async () => {
    const room = await aRoom(t.ctx.db);
    const requests = await thirtyRequests(room.id);

    const first = await staff.agent.get('/admin');
    expect(first.status).toBe(200);
    expect(shownIds(first.text)).toEqual(requests.slice(0, 25).map((r) => r.requestId));
    expect(first.text).toContain('Anfragen 1–25 von 30');
    expect(first.text).toContain('Seite 1 von 2');
    expect(first.text).toContain('href="/admin?page=2" rel="next"');
    expect(first.text).not.toContain('rel="prev"');

    const second = await staff.agent.get('/admin?page=2');
    expect(second.status).toBe(200);
    expect(shownIds(second.text)).toEqual(requests.slice(25).map((r) => r.requestId));
    expect(second.text).toContain('Anfragen 26–30 von 30');
    expect(second.text).toContain('href="/admin" rel="prev"');
    expect(second.text).not.toContain('rel="next"');
  });

  it('names a competing request that is shown on another page', async () => {
    const room = await aRoom(t.ctx.db);
    const requests = await thirtyRequests(room.id);
    // The rival starts an hour after the request of 25 December (the 25th, the last on page 1), so it is the
    // first on page 2; each competes with the other.
    const rival = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-25', start: '19:00', end: '21:00', status: 'pending', title: 'Rivale' });
    const onFirst = requests[24]!;
    const first = await staff.agent.get('/admin');
    expect(shownIds(first.text).at(-1)).toBe(onFirst.requestId);
    const second = await staff.agent.get('/admin?page=2');
    expect(shownIds(second.text)[0]).toBe(rival.requestId);
    const rivalItem = second.text.slice(second.text.indexOf(`id="request-${rival.requestId}"`), second.text.indexOf(`id="request-${requests[25]!.requestId}"`));
    expect(rivalItem).toContain('Konkurrierende Anfrage');
    expect(rivalItem).toContain(`href="/admin/requests/${onFirst.requestId}"`);
    expect(rivalItem).toContain(onFirst.reference);
    // And the other way round, from page 1 to page 2.
    const firstItem = first.text.slice(first.text.indexOf(`id="request-${onFirst.requestId}"`));
    expect(firstItem).toContain(`href="/admin/requests/${rival.requestId}"`);
  });

  it('answers a page number that does not exist with the first or the last page', async () => {
    const room = await aRoom(t.ctx.db);
    const requests = await thirtyRequests(room.id);
    for (const bad of ['abc', '0', '-1', '1.5', '']) {
      const res = await staff.agent.get(`/admin?page=${bad}`);
      expect(res.status, bad).toBe(200);
      expect(shownIds(res.text)[0], bad).toBe(requests[0]!.requestId);
    }
    const beyond = await staff.agent.get('/admin?page=99');
    expect(beyond.status).toBe(200);
    expect(shownIds(beyond.text)).toEqual(requests.slice(25).map((r) => r.requestId));
  });
});
