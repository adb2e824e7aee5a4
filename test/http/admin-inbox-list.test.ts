// The inbox as a compact list (issue 13): one row per request with its words and flags, sorting, every filter
// and the search as URL parameters that survive paging, bad parameters answered next to their field, single
// and bulk decisions from the list (one clashing in a bulk stays open and is named) that return to the same list.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { aBlockedTime, aBooking, aRoom } from '../helpers/factories.js';
import { aSeries } from '../helpers/series.js';
import type { Language } from '../../src/db/schema.js';

/** The request ids in the order the list shows them. */
const shownIds = (html: string) => [...html.matchAll(/<tr id="request-(\d+)"/g)].map((m) => Number(m[1]));
/** One row's HTML. */
const rowOf = (html: string, id: number) => {
  const start = html.indexOf(`<tr id="request-${id}"`);
  if (start < 0) throw new Error(`row ${id} not shown`);
  return html.slice(start, html.indexOf('</tr>', start));
};
const unescape = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"');

describe('the inbox list', () => {
  let t: TestApp;
  let staff: LoggedIn;
  beforeEach(async () => {
    t = await makeTestApp();
    staff = await loginAs(t, 'caretaker');
  });
  afterEach(() => t.close());

  const DAY = 86_400_000;
  const now = () => t.clock().getTime();
  async function setRequest(id: number, v: { created_at?: number; language?: Language; organisation?: string | null; email?: string; contact_name?: string }) {
    await t.ctx.db.updateTable('requests').set(v).where('id', '=', id).execute();
  }
  const statusOf = async (id: number) => (await t.ctx.db.selectFrom('bookings').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

  it('shows one row per request: reference, group, language, room, date or rhythm, people, age and actions', async () => {
    const room = await aRoom(t.ctx.db, { name: 'Gruppenraum' });
    const single = await aBooking(t.ctx.db, {
      roomId: room.id,
      date: '2026-12-04',
      start: '14:00',
      end: '16:00',
      status: 'pending',
      attendees: 12,
      title: 'Elterncafé',
    });
    await setRequest(single.requestId, { created_at: now() - 3 * DAY, language: 'en', organisation: 'Elternverein', contact_name: 'Mia Moll' });
    const series = await aSeries(t.ctx.db, { roomId: room.id, dates: ['2026-12-04', '2026-12-11', '2026-12-18'], start: '18:00', end: '20:00', title: 'Chor' });
    await t.ctx.db
      .updateTable('requests')
      .set({ repeat_weeks: 1, created_at: now() - 5 * 3_600_000 })
      .where('id', '=', series.requestId)
      .execute();

    const res = await staff.agent.get('/admin');
    expect(res.status).toBe(200);
    expect(shownIds(res.text)).toEqual([single.requestId, series.requestId]);
    const row = rowOf(res.text, single.requestId);
    expect(row).toContain(single.reference);
    expect(row).toContain('Elterncafé');
    expect(row).toContain('Elternverein');
    expect(row).toContain('Mia Moll');
    expect(row).toMatch(/lang="en">English</);
    expect(row).toContain('Gruppenraum');
    expect(row).toContain('Freitag, 4. Dezember 2026, 14:00–16:00 Uhr');
    expect(row).toMatch(/>12<\/td>/);
    expect(row).toContain('vor 3 Tagen');
    expect(row).toContain(`formaction="/admin/requests/${single.requestId}/approve"`);
    expect(row).toContain(`formaction="/admin/requests/${single.requestId}/reject"`);
    // A series is one row: its rhythm in words, how many dates are open, a link to decide them one by one.
    const srow = rowOf(res.text, series.requestId);
    expect(srow).toContain('jeden Freitag, 18:00–20:00 Uhr, 4. Dezember 2026 bis 18. Dezember 2026, 3 Termine');
    expect(srow).toContain('3 Termine offen');
    expect(srow).toContain('vor 5 Stunden');
    expect(srow).toContain(`href="/admin/requests/${series.requestId}"`);
    expect(srow.match(/Freitag, 11\. Dezember/g)).toBeNull();
  });

  it('flags clashes, competing requests, skipped holidays and a group’s first request', async () => {
    const room = await aRoom(t.ctx.db);
    const firm = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-02', start: '10:00', end: '12:00', status: 'approved', email: 'alt@example.org' });
    const clashing = await aBooking(t.ctx.db, {
      roomId: room.id,
      date: '2026-12-02',
      start: '11:00',
      end: '13:00',
      status: 'pending',
      email: 'alt@example.org',
    });
    const a = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-03', start: '10:00', end: '12:00', status: 'pending', email: 'a@example.org' });
    const b = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-03', start: '11:00', end: '12:00', status: 'pending', email: 'b@example.org' });
    const holiday = await aSeries(t.ctx.db, {
      roomId: room.id,
      dates: ['2026-12-24', '2026-12-31'],
      email: 'ALT@example.org ',
      each: { 0: { status: 'skipped', skipReason: 'holiday' } },
    });
    const blocked = await aBooking(t.ctx.db, { roomId: room.id, date: '2027-01-06', status: 'pending', email: 'alt@example.org' });
    await aBlockedTime(t.ctx.db, { from: '2027-01-06', label: 'Inventur' });
    // The address alt@ asked before (firm, created first); a@ and b@ never did.
    for (const [i, r] of [firm, clashing, a, b].entries()) await setRequest(r.requestId, { created_at: now() - (10 - i) * DAY });
    await setRequest(holiday.requestId, { created_at: now() - DAY });
    await setRequest(blocked.requestId, { created_at: now() - DAY });

    const html = (await staff.agent.get('/admin')).text;
    const c = rowOf(html, clashing.requestId);
    expect(c).toContain('Überschneidung');
    expect(c).toContain(`href="/admin/requests/${firm.requestId}">${firm.reference}</a>`);
    expect(c).not.toContain('Erste Anfrage');
    const ra = rowOf(html, a.requestId);
    expect(ra).toContain('Konkurrierende Anfrage');
    expect(ra).toContain(`href="/admin/requests/${b.requestId}">${b.reference}</a>`);
    expect(ra).toContain('Erste Anfrage');
    expect(rowOf(html, b.requestId)).toContain(`href="/admin/requests/${a.requestId}">${a.reference}</a>`);
    const h = rowOf(html, holiday.requestId);
    expect(h).toContain('Feiertag ausgelassen');
    expect(h).not.toContain('Erste Anfrage');
    expect(h).not.toContain('Überschneidung');
    const bl = rowOf(html, blocked.requestId);
    expect(bl).toContain('Überschneidung');
    expect(bl).toContain('Sperrzeit Schließzeit (Inventur)');
  });

  describe('sorting', () => {
    async function four() {
      const saal = await aRoom(t.ctx.db, { name: 'Saal' });
      const atelier = await aRoom(t.ctx.db, { name: 'Atelier' });
      const r1 = await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-12-01', status: 'pending', organisation: 'Zumba-Gruppe' });
      const r2 = await aBooking(t.ctx.db, { roomId: atelier.id, date: '2026-12-05', status: 'pending', organisation: 'Bastelkreis' });
      const r3 = await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-12-03', status: 'pending', organisation: null, contactName: 'Ömer Acar' });
      const r4 = await aBooking(t.ctx.db, { roomId: atelier.id, date: '2026-12-02', status: 'pending', organisation: 'Chor am Kanal' });
      // Received: r1 long ago, then r4, r2, r3 the newest.
      await setRequest(r1.requestId, { created_at: now() - 9 * DAY });
      await setRequest(r4.requestId, { created_at: now() - 6 * DAY });
      await setRequest(r2.requestId, { created_at: now() - 4 * DAY });
      await setRequest(r3.requestId, { created_at: now() - 1 * DAY });
      return [r1, r2, r3, r4].map((r) => r.requestId) as [number, number, number, number];
    }

    it('sorts by first date (default), by age, by room and by group, both ways', async () => {
      const [r1, r2, r3, r4] = await four();
      const ids = async (q: string) => shownIds((await staff.agent.get(`/admin${q}`)).text);
      expect(await ids('')).toEqual([r1, r4, r3, r2]);
      expect(await ids('?sort=date&dir=desc')).toEqual([r2, r3, r4, r1]);
      expect(await ids('?sort=age&dir=desc')).toEqual([r1, r4, r2, r3]);
      expect(await ids('?sort=age&dir=asc')).toEqual([r3, r2, r4, r1]);
      // Same room: the sooner date first.
      expect(await ids('?sort=room&dir=asc')).toEqual([r4, r2, r1, r3]);
      expect(await ids('?sort=room&dir=desc')).toEqual([r1, r3, r4, r2]);
      // The organisation, else the contact person (Ö after B and C, before Z).
      expect(await ids('?sort=group&dir=asc')).toEqual([r2, r4, r3, r1]);
      expect(await ids('?sort=group&dir=desc')).toEqual([r1, r3, r4, r2]);
    });

    it('marks the sorted column and links each header to the other direction, filters kept', async () => {
      await four();
      const res = await staff.agent.get(`/admin?kind=single&sort=age&dir=desc`);
      expect(res.text).toContain('<th scope="col" aria-sort="descending"><a href="/admin?kind=single&amp;sort=age&amp;dir=asc">Eingang');
      expect(res.text).toContain('<th scope="col" aria-sort="none"><a href="/admin?kind=single&amp;sort=room&amp;dir=asc">Raum');
      // The first date ascending is the default order: its link drops sort and dir.
      expect(res.text).toContain('<th scope="col" aria-sort="none"><a href="/admin?kind=single">Termin');
    });
  });

  describe('filters and search', () => {
    it('filters by room, date range, kind, status and flag', async () => {
      const saal = await aRoom(t.ctx.db, { name: 'Saal' });
      const kueche = await aRoom(t.ctx.db, { name: 'Küche' });
      const inSaal = await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-12-01', status: 'pending' });
      const inKueche = await aBooking(t.ctx.db, { roomId: kueche.id, date: '2026-12-10', status: 'pending' });
      const series = await aSeries(t.ctx.db, { roomId: kueche.id, dates: ['2026-12-15', '2026-12-22'] });
      const approved = await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-12-11', status: 'approved' });
      const rejected = await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-12-12', status: 'rejected' });
      const cancelled = await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-12-13', status: 'cancelled' });
      const rival = await aBooking(t.ctx.db, { roomId: saal.id, date: '2026-12-01', start: '11:00', end: '13:00', status: 'pending' });
      const ids = async (q: string) => {
        const res = await staff.agent.get(`/admin?${q}`);
        expect(res.status, q).toBe(200);
        return shownIds(res.text).sort((x, y) => x - y);
      };
      const sorted = (...l: number[]) => [...l].sort((x, y) => x - y);
      const open = sorted(inSaal.requestId, inKueche.requestId, series.requestId, rival.requestId);
      expect(await ids('')).toEqual(open);
      expect(await ids('status=open')).toEqual(open);
      expect(await ids(`room=${kueche.id}`)).toEqual(sorted(inKueche.requestId, series.requestId));
      expect(await ids('from=2026-12-10&to=2026-12-15')).toEqual(sorted(inKueche.requestId, series.requestId));
      expect(await ids('from=2026-12-16')).toEqual([series.requestId]);
      expect(await ids('to=2026-12-01')).toEqual(sorted(inSaal.requestId, rival.requestId));
      expect(await ids('kind=series')).toEqual([series.requestId]);
      expect(await ids('kind=single')).toEqual(sorted(inSaal.requestId, inKueche.requestId, rival.requestId));
      expect(await ids('status=decided')).toEqual(sorted(approved.requestId, rejected.requestId, cancelled.requestId));
      expect(await ids('status=approved')).toEqual([approved.requestId]);
      expect(await ids('status=rejected')).toEqual([rejected.requestId]);
      expect(await ids('status=cancelled')).toEqual([cancelled.requestId]);
      expect(await ids('status=all')).toEqual(sorted(...open, approved.requestId, rejected.requestId, cancelled.requestId));
      expect(await ids('status=all&room=' + saal.id + '&from=2026-12-12&to=2026-12-12')).toEqual([rejected.requestId]);
      expect(await ids('flag=competing')).toEqual(sorted(inSaal.requestId, rival.requestId));
      expect(await ids('flag=clash')).toEqual([]);
      // The single dates share one address: only the first one received is its group's first request; the series has its own.
      expect(await ids('flag=first')).toEqual(sorted(inSaal.requestId, series.requestId));
      // In the kitchen only the series is flagged (its address's first request); the single date there is not.
      expect(await ids('flag=any&room=' + kueche.id)).toEqual([series.requestId]);
      expect(await ids(`flag=any&room=${saal.id}`)).toEqual(sorted(inSaal.requestId, rival.requestId));
    });

    it('searches reference, group, contact and e-mail address in any case', async () => {
      const room = await aRoom(t.ctx.db);
      const a = await aBooking(t.ctx.db, { roomId: room.id, status: 'pending', organisation: 'Türkischer Elternverein', email: 'eltern@example.org' });
      const b = await aBooking(t.ctx.db, { roomId: room.id, status: 'pending', organisation: null, contactName: 'Jürgen Özdemir', email: 'JZ@Example.org' });
      const ids = async (q: string) => shownIds((await staff.agent.get(`/admin?q=${encodeURIComponent(q)}`)).text);
      expect(await ids(a.reference)).toEqual([a.requestId]);
      expect(await ids(b.reference.toLowerCase())).toEqual([b.requestId]);
      expect(await ids('TÜRKISCHER')).toEqual([a.requestId]);
      expect(await ids('özdemir')).toEqual([b.requestId]);
      expect(await ids('jz@example')).toEqual([b.requestId]);
      expect(await ids('  eltern@  ')).toEqual([a.requestId]);
      const none = await staff.agent.get('/admin?q=niemand');
      expect(shownIds(none.text)).toEqual([]);
      expect(none.text).toContain('Keine Anfragen passen zu diesen Filtern.');
      expect(none.text).toContain('value="niemand"');
    });

    it('keeps the filters through the pages: links, counts and the rows of each page', async () => {
      const saal = await aRoom(t.ctx.db, { name: 'Saal' });
      const other = await aRoom(t.ctx.db, { name: 'Atelier' });
      const inSaal: number[] = [];
      for (let d = 1; d <= 30; d++) {
        const date = `2026-12-${String(d).padStart(2, '0')}`;
        inSaal.push((await aBooking(t.ctx.db, { roomId: saal.id, date, start: '18:00', end: '20:00', status: 'pending' })).requestId);
        if (d % 3 === 0) await aBooking(t.ctx.db, { roomId: other.id, date, status: 'pending' });
      }
      const first = await staff.agent.get(`/admin?room=${saal.id}&sort=date&dir=desc`);
      expect(shownIds(first.text)).toEqual([...inSaal].reverse().slice(0, 25));
      expect(first.text).toContain('Anfragen 1–25 von 30');
      expect(first.text).toContain(`href="/admin?room=${saal.id}&amp;sort=date&amp;dir=desc&amp;page=2" rel="next"`);
      const second = await staff.agent.get(`/admin?room=${saal.id}&sort=date&dir=desc&page=2`);
      expect(shownIds(second.text)).toEqual([...inSaal].reverse().slice(25));
      expect(second.text).toContain('Anfragen 26–30 von 30');
      expect(second.text).toContain(`href="/admin?room=${saal.id}&amp;sort=date&amp;dir=desc" rel="prev"`);
      // The filter form shows the filters in force on page 2 too.
      expect(second.text).toMatch(new RegExp(`<option value="${saal.id}" selected>Saal</option>`));
      // A page beyond the last: the last page of the filtered list.
      expect(shownIds((await staff.agent.get(`/admin?room=${saal.id}&page=9`)).text)).toEqual(inSaal.slice(25));
    });
  });

  describe('bad parameters', () => {
    it('answers each with 400 and a message next to its field, the typed value kept and the list shown', async () => {
      const room = await aRoom(t.ctx.db);
      const r = await aBooking(t.ctx.db, { roomId: room.id, status: 'pending' });
      const cases: [string, string, string][] = [
        ['sort=cheapest', 'f-sort-error', 'Diese Sortierung gibt es nicht.'],
        ['dir=sideways', 'f-sort-error', 'Diese Sortierung gibt es nicht.'],
        ['room=999', 'f-room-error', 'Diesen Raum gibt es nicht.'],
        ['room=abc', 'f-room-error', 'Diesen Raum gibt es nicht.'],
        ['from=2026-02-30', 'f-from-error', 'Bitte ein Datum angeben'],
        ['to=morgen', 'f-to-error', 'Bitte ein Datum angeben'],
        ['from=2026-11-30&to=2026-11-01', 'f-to-error', 'Das Ende liegt vor dem Anfang.'],
        ['kind=weekly', 'f-kind-error', 'Diese Art gibt es nicht.'],
        ['status=maybe', 'f-status-error', 'Diesen Stand gibt es nicht.'],
        ['status=open&status=all', 'f-status-error', 'Diesen Stand gibt es nicht.'],
        ['flag=red', 'f-flag-error', 'Diesen Hinweis gibt es nicht.'],
        [`q=${'x'.repeat(101)}`, 'f-q-error', 'Bitte höchstens 100 Zeichen suchen.'],
      ];
      for (const [q, id, text] of cases) {
        const res = await staff.agent.get(`/admin?${q}`);
        expect(res.status, q).toBe(400);
        expect(res.text, q).toMatch(new RegExp(`<p class="field-error" id="${id}">${text.replace(/[.*+?()]/g, '\\$&')}`));
        expect(res.text, q).toContain(`aria-describedby="${id}`);
        expect(shownIds(res.text), q).toEqual([r.requestId]);
      }
      const typed = await staff.agent.get('/admin?from=2026-02-30');
      expect(typed.text).toContain('2026-02-30');
    });
  });

  describe('decisions from the list', () => {
    it('approves one request from its row and returns to the same filtered page', async () => {
      const room = await aRoom(t.ctx.db);
      const r = await aBooking(t.ctx.db, { roomId: room.id, status: 'pending' });
      const list = `/admin?room=${room.id}&kind=single&page=2`;
      const page = await staff.agent.get(`/admin?room=${room.id}&kind=single`);
      expect(page.text).toContain(`name="list" value="/admin?room=${room.id}&amp;kind=single"`);
      const res = await staff.post(`/admin/requests/${r.requestId}/approve`, '/admin', { list, approve_message: 'Gern!', reject_message: 'Leider nicht' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(list);
      const row = await t.ctx.db.selectFrom('bookings').select(['status', 'decision_message']).where('id', '=', r.bookingId).executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'approved', decision_message: 'Gern!' });
    });

    it('never follows a return address that is not the inbox list', async () => {
      const bad = [
        'https://evil.example/admin',
        '//evil.example/admin',
        '/admin/../logout',
        '/adminx',
        '/admin/users',
        '/admin?status=bogus',
        'javascript:alert(1)',
        '/admin#x',
      ];
      for (const list of bad) {
        const r = await aBooking(t.ctx.db, { status: 'pending' });
        const res = await staff.post(`/admin/requests/${r.requestId}/reject`, '/admin', { list, reject_message: 'nein' });
        expect(res.status, list).toBe(303);
        expect(res.headers.location, list).toBe('/admin');
      }
      // Parameters the list does not know are dropped, its own are kept in their order.
      const r = await aBooking(t.ctx.db, { status: 'pending' });
      const res = await staff.post(`/admin/requests/${r.requestId}/reject`, '/admin', {
        list: '/admin?page=3&next=https://evil.example&q=Chor',
        reject_message: 'nein',
      });
      expect(res.headers.location).toBe('/admin?q=Chor&page=3');
    });

    it('decides several at once: a clashing one stays open and is named, the others go through', async () => {
      const room = await aRoom(t.ctx.db, { name: 'Saal' });
      const firm = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-05', start: '18:00', end: '20:00', status: 'approved', title: 'Vereinsabend' });
      const a = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-03', status: 'pending' });
      const clash = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-05', start: '19:00', end: '21:00', status: 'pending' });
      const b = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-07', status: 'pending' });
      const untouched = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-08', status: 'pending' });
      const list = `/admin?room=${room.id}`;
      const res = await staff.post('/admin/requests/bulk', '/admin', {
        ids: [String(a.requestId), String(clash.requestId), String(b.requestId)],
        action: 'approve',
        approve_message: 'Willkommen!',
        reject_message: 'Leider nicht.',
        list,
      });
      expect(res.status).toBe(409);
      expect(await statusOf(a.bookingId)).toBe('approved');
      expect(await statusOf(b.bookingId)).toBe('approved');
      expect(await statusOf(clash.bookingId)).toBe('pending');
      expect(await statusOf(untouched.bookingId)).toBe('pending');
      const text = unescape(res.text);
      expect(text).toContain('2 Anfragen bestätigt:');
      expect(text).toContain(`${a.reference}: 1 Termin bestätigt`);
      expect(text).toContain(`${b.reference}: 1 Termin bestätigt`);
      expect(text).toContain('1 Anfrage wurde nicht (ganz) entschieden:');
      const notDecided = text.slice(text.indexOf('nicht (ganz) entschieden'));
      expect(notDecided).toContain(`href="/admin/requests/${clash.requestId}">${clash.reference}</a>: nicht bestätigt, bleibt offen`);
      expect(notDecided).toContain(firm.reference);
      expect(notDecided).toContain('Vereinsabend');
      // The list under it is the one the caretaker came from, still with the open ones.
      expect(shownIds(res.text)).toEqual([clash.requestId, untouched.requestId]);
      const mails = await t.ctx.db.selectFrom('outbox').select(['request_id', 'text_body']).where('kind', 'like', '%approved%').execute();
      expect(mails.map((m) => m.request_id).sort()).toEqual([a.requestId, b.requestId].sort());
      expect(mails.every((m) => m.text_body.includes('Willkommen!'))).toBe(true);
      const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', 'like', 'request.approv%').orderBy('id').execute();
      expect(audit).toEqual([
        { action: 'request.approved', entity_id: a.requestId },
        { action: 'request.approval_refused', entity_id: clash.requestId },
        { action: 'request.approved', entity_id: b.requestId },
      ]);
    });

    it('rejects several at once with the rejection text and shows what was done after returning to the list', async () => {
      const room = await aRoom(t.ctx.db);
      const a = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-03', status: 'pending' });
      const s = await aSeries(t.ctx.db, { roomId: room.id, dates: ['2026-12-09', '2026-12-16'] });
      const gone = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-04', status: 'pending' });
      const list = '/admin?kind=all&sort=age&dir=desc&page=1';
      const res = await staff.post('/admin/requests/bulk', '/admin', {
        'ids[]': [String(a.requestId), String(s.requestId)],
        action: 'reject',
        approve_message: 'Willkommen!',
        reject_message: 'Das Haus ist belegt.',
        list,
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/admin?sort=age&dir=desc');
      const decided = await t.ctx.db
        .selectFrom('bookings')
        .select(['status', 'decision_message'])
        .where('request_id', 'in', [a.requestId, s.requestId])
        .execute();
      expect(decided).toHaveLength(3);
      expect(decided.every((d) => d.status === 'rejected' && d.decision_message === 'Das Haus ist belegt.')).toBe(true);
      expect(await statusOf(gone.bookingId)).toBe('pending');
      const after = unescape((await staff.agent.get(res.headers.location!)).text);
      expect(after).toContain('2 Anfragen abgelehnt:');
      expect(after).toContain(`${s.reference}: 2 Termine abgelehnt`);
      expect(shownIds(after)).toEqual([gone.requestId]);
      // Shown once.
      expect((await staff.agent.get('/admin')).text).not.toContain('Anfragen abgelehnt:');
    });

    it('names requests already decided, approves the free dates of a series and names its clashing one', async () => {
      const room = await aRoom(t.ctx.db);
      const done = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-02', status: 'rejected' });
      const s = await aSeries(t.ctx.db, { roomId: room.id, dates: ['2026-12-09', '2026-12-16'] });
      const firm = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-16', start: '20:00', end: '22:00', status: 'approved' });
      const res = await staff.post('/admin/requests/bulk', '/admin', { ids: [String(done.requestId), String(s.requestId)], action: 'approve' });
      expect(res.status).toBe(409);
      const text = unescape(res.text);
      expect(text).toContain(`${s.reference}: 1 Termin bestätigt`);
      expect(text).toContain(`${s.reference}</a>: 1 Termin bleibt offen (Mittwoch, 16. Dezember 2026)`);
      expect(text).toContain(firm.reference);
      expect(text).toContain(`${done.reference}</a>: schon entschieden, nichts mehr offen`);
      expect(await Promise.all(s.bookingIds.map(statusOf))).toEqual(['approved', 'pending']);
    });

    it('refuses a bulk decision without a ticked request or with an unknown action, deciding nothing', async () => {
      const r = await aBooking(t.ctx.db, { status: 'pending' });
      const none = await staff.post('/admin/requests/bulk', '/admin', { action: 'approve' });
      expect(none.status).toBe(400);
      expect(none.text).toContain('Bitte kreuzen Sie mindestens eine Anfrage an.');
      const odd = await staff.post('/admin/requests/bulk', '/admin', { ids: String(r.requestId), action: 'delete' });
      expect(odd.status).toBe(400);
      expect(await statusOf(r.bookingId)).toBe('pending');
    });
  });
});

describe('the staff navigation', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
  });
  afterEach(() => t.close());

  it('counts open requests, open dates that clash and (for the admin) failed mails', async () => {
    const room = await aRoom(t.ctx.db, { bufferAfterMin: 30 });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-02', start: '10:00', end: '12:00', status: 'approved' });
    // Clashes only through the approved booking's clean-up buffer.
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-02', start: '12:00', end: '13:00', status: 'pending' });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-24', status: 'pending' });
    await aBlockedTime(t.ctx.db, { from: '2026-12-24' });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-03', start: '14:00', end: '15:00', status: 'pending' });
    const series = await aSeries(t.ctx.db, { roomId: room.id, dates: ['2026-12-09', '2026-12-16'] });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-05', status: 'rejected' });
    await t.ctx.db
      .insertInto('outbox')
      .values(
        ['failed', 'failed', 'sent'].map((status, i) => ({
          created_at: 0,
          to_address: `g${i}@example.org`,
          language: 'de' as const,
          kind: 'bookings.approved',
          subject: 's',
          text_body: 't',
          html_body: 'h',
          attachments: '[]',
          status: status as 'failed' | 'sent',
          attempts: 1,
          next_attempt_at: 0,
          last_error: null,
          sent_at: null,
          request_id: series.requestId,
        })),
      )
      .execute();
    const admin = await loginAs(t, 'admin');
    const html = (await admin.agent.get('/admin/calendar')).text;
    const nav = html.slice(html.indexOf('<nav class="admin-nav"'), html.indexOf('</nav>', html.indexOf('<nav class="admin-nav"')));
    expect(nav).toMatch(/<a href="\/admin">Eingang<\/a> <span class="nav-count nav-count-info">4 offen<\/span>/);
    expect(nav).toContain('<a class="nav-count nav-count-alert" href="/admin?flag=clash">2 Termine mit Überschneidung</a>');
    expect(nav).toMatch(/<a href="\/admin\/outbox">Postausgang<\/a> <span class="nav-count nav-count-alert">2 Mails fehlgeschlagen<\/span>/);
    // The clash link leads to exactly the two requests whose dates clash.
    const clashes = await admin.agent.get('/admin?flag=clash');
    expect(shownIds(clashes.text)).toHaveLength(2);
  });

  it('shows named sections, marks the current page and section, and hides the admin section from a caretaker', async () => {
    const caretaker = await loginAs(t, 'caretaker');
    const blocks = (await caretaker.agent.get('/admin/blocks')).text;
    for (const section of ['Anfragen', 'Kalender', 'Haus', 'Mein Konto']) expect(blocks).toContain(`>${section}`);
    expect(blocks).toMatch(/<a href="\/admin\/blocks" aria-current="page">Sperrzeiten<\/a>/);
    expect(blocks).toMatch(
      /<div class="admin-nav-section current">\s*<p class="admin-nav-title" id="nav-calendar">Kalender<span class="visually-hidden"> \(aktueller Bereich\)/,
    );
    expect(blocks.match(/aria-current="page"/g)).toHaveLength(1);
    for (const adminOnly of ['/admin/settings', '/admin/users', '/admin/audit', '/admin/outbox', '/admin/data', '/admin/settings/images']) {
      expect(blocks).not.toContain(`href="${adminOnly}"`);
    }
    expect(blocks).not.toContain('id="nav-admin"');
    const admin = await loginAs(t, 'admin');
    const users = (await admin.agent.get('/admin/users')).text;
    expect(users).toMatch(/<a href="\/admin\/users" aria-current="page">Konten<\/a>/);
    expect(users).toContain('id="nav-admin"');
    expect(users).toMatch(/<div class="admin-nav-section current">\s*<p class="admin-nav-title" id="nav-admin">/);
    // A request's page belongs to the inbox.
    const r = await aBooking(t.ctx.db, { status: 'pending' });
    expect((await admin.agent.get(`/admin/requests/${r.requestId}`)).text).toMatch(/<a href="\/admin" aria-current="page">Eingang<\/a>/);
  });
});
