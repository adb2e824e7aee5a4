// The public programme (issue 15 §2): marking an event public (request form, manage link, staff), /programme by
// week and kind, the event page and its calendar file, the feeds and /api/v1/programme. The privacy rule is
// checked on every public answer: no name, e-mail, phone or organisation of a group ever appears.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { fieldError, formAgent, tokenFrom, validFields } from '../helpers/request-form.js';
import { loginAs } from '../helpers/login.js';
import { anonymizeRequests } from '../../src/privacy/anonymize.js';

// The default clock: Monday 23 November 2026, 10:00 in Berlin.
const SECRETS = ['Erika', 'Mustermann', 'erika@example.org', '0301234567', 'Verein Geheim'];

function expectNoPersonalData(text: string) {
  for (const s of SECRETS) expect(text).not.toContain(s);
}

describe('the public programme', () => {
  let t: TestApp;
  let room: { id: number; slug: string; name: string };
  beforeEach(async () => {
    t = await makeTestApp();
    room = await aRoom(t.ctx.db, { slug: 'saal', name: 'Saal', capacity: 60 });
  });
  afterEach(() => t.close());

  /** An approved (by default) date of a request marked public, written as a group would have. */
  async function aPublicEvent(o: Parameters<typeof aBooking>[1] & { description?: string; language?: string; isPublic?: boolean } = {}) {
    const b = await aBooking(t.ctx.db, { roomId: room.id, publicTitle: 'Repair-Café', ...o });
    await t.ctx.db
      .updateTable('requests')
      .set({
        public_event: o.isPublic === false ? 0 : 1,
        public_description: o.description ?? 'Wir reparieren gemeinsam.',
        public_language: o.language ?? 'de',
      })
      .where('id', '=', b.requestId)
      .execute();
    return b;
  }

  describe('the request form', () => {
    it('refuses a public event without a description next to the field and keeps what was typed', async () => {
      const f = formAgent(t);
      const res = await f.post('/requests', validFields('saal', { publicEvent: 'on', publicTitle: 'Offener Chor', publicDescription: '' }));
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'publicDescription')).toContain('beschreiben Sie die Veranstaltung');
      expect(res.text).toMatch(/id="publicEvent" name="publicEvent" value="on"[^>]* checked/);
      expect(res.text).toContain('value="Offener Chor"');
    });

    it('refuses a public event without a public title, in English too', async () => {
      const f = formAgent(t);
      const res = await f.post('/requests?lang=en', validFields('saal', { publicEvent: 'on', publicDescription: 'Sing with us' }), { lang: 'en' });
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'publicTitle')).toBe('Please enter a public title – it is shown in the programme.');
      expect(res.text).toContain('>Sing with us</textarea>');
    });

    it('refuses a description over 500 characters', async () => {
      const f = formAgent(t);
      const res = await f.post('/requests', validFields('saal', { publicEvent: 'on', publicTitle: 'Chor', publicDescription: 'x'.repeat(501) }));
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'publicDescription')).toContain('500');
    });

    it('stores the public event with the language it was written in; it appears only once approved', async () => {
      const f = formAgent(t);
      const res = await f.post('/requests?lang=en', validFields('saal', { publicEvent: 'on', publicTitle: 'Open choir', publicDescription: 'Sing with us!' }), {
        lang: 'en',
      });
      expect(res.status).toBe(303);
      tokenFrom(res);
      const r = await t.ctx.db.selectFrom('requests').selectAll().executeTakeFirstOrThrow();
      expect([r.public_event, r.public_title, r.public_description, r.public_language]).toEqual([1, 'Open choir', 'Sing with us!', 'en']);
      expect((await t.request.get('/programme?week=2026-W49')).text).not.toContain('Open choir');
      await t.ctx.db.updateTable('bookings').set({ status: 'approved' }).execute();
      const page = await t.request.get('/programme?week=2026-W49');
      expect(page.text).toContain('Open choir');
      expect(page.text).toContain('<p class="prewrap" lang="en">Sing with us!</p>');
      expect(page.text).not.toContain('Erika Beispiel');
    });
  });

  describe('the manage link', () => {
    it('lets the group publish, keeps typed values on an error, and withdraw again', async () => {
      const b = await aBooking(t.ctx.db, { roomId: room.id });
      const f = formAgent(t);
      const manage = await f.get(`/requests/${b.token}`);
      expect(manage.text).toContain(`href="/requests/${b.token}/public"`);
      const bad = await f.post(
        `/requests/${b.token}/public`,
        { publicEvent: 'on', publicTitle: 'Tanzabend', publicDescription: '', publicLanguage: 'de' },
        { from: `/requests/${b.token}/public` },
      );
      expect(bad.status).toBe(422);
      expect(fieldError(bad.text, 'publicDescription')).toContain('beschreiben');
      expect(bad.text).toContain('value="Tanzabend"');
      const ok = await f.post(
        `/requests/${b.token}/public`,
        { publicEvent: 'on', publicTitle: 'Tanzabend', publicDescription: 'Alle Tänze, alle Menschen.', publicLanguage: 'de' },
        { from: `/requests/${b.token}/public` },
      );
      expect(ok.status).toBe(303);
      expect(ok.headers.location).toBe(`/requests/${b.token}?done=public`);
      expect((await t.request.get('/programme?week=2026-W49')).text).toContain('Alle Tänze, alle Menschen.');
      await f.post(
        `/requests/${b.token}/public`,
        { publicTitle: 'Tanzabend', publicDescription: 'Alle Tänze, alle Menschen.', publicLanguage: 'de' },
        { from: `/requests/${b.token}/public` },
      );
      expect((await t.request.get('/programme?week=2026-W49')).text).not.toContain('Tanzabend');
    });

    it('answers 404 for an unknown link', async () => {
      expect((await t.request.get('/requests/AAAAAAAAAAAAAAAAAAAAAAAAAAAA/public')).status).toBe(404);
    });
  });

  describe('staff', () => {
    it('publish a house booking, edit its text and unpublish it', async () => {
      const b = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-02', title: 'Hausfest intern' });
      const s = await loginAs(t, 'caretaker');
      const detail = await s.agent.get(`/admin/requests/${b.requestId}`);
      expect(detail.text).toContain(`href="/admin/requests/${b.requestId}/public"`);
      const from = `/admin/requests/${b.requestId}/public`;
      const bad = await s.post(from, from, { publicEvent: 'on', publicTitle: '', publicDescription: 'Fest', publicLanguage: 'de' });
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('id="publicTitle-error"');
      const ok = await s.post(from, from, { publicEvent: 'on', publicTitle: 'Hausfest', publicDescription: 'Musik und Kuchen im Hof.', publicLanguage: 'de' });
      expect(ok.status).toBe(303);
      let page = await t.request.get('/programme?week=2026-W49');
      expect(page.text).toContain('Hausfest');
      expect(page.text).toContain('Musik und Kuchen im Hof.');
      expect(page.text).not.toContain('Hausfest intern');
      await s.post(from, from, { publicEvent: 'on', publicTitle: 'Hausfest', publicDescription: 'Jetzt mit Band.', publicLanguage: 'de' });
      page = await t.request.get('/programme?week=2026-W49');
      expect(page.text).toContain('Jetzt mit Band.');
      await s.post(from, from, { publicTitle: 'Hausfest', publicDescription: 'Jetzt mit Band.', publicLanguage: 'de' });
      expect((await t.request.get('/programme?week=2026-W49')).text).not.toContain('Jetzt mit Band.');
    });

    it('is not open to the public', async () => {
      const b = await aBooking(t.ctx.db, { roomId: room.id });
      const res = await t.request.get(`/admin/requests/${b.requestId}/public`);
      expect([302, 303, 401, 403]).toContain(res.status);
    });
  });

  describe('/programme', () => {
    it('lists only approved, public, future dates that are not erased, without personal data', async () => {
      await aPublicEvent({ date: '2026-12-01', start: '18:00', end: '20:00', publicTitle: 'Sichtbar' });
      await aPublicEvent({ date: '2026-12-02', status: 'pending', publicTitle: 'Noch offen' });
      await aPublicEvent({ date: '2026-12-03', status: 'cancelled', publicTitle: 'Abgesagt' });
      await aPublicEvent({ date: '2026-12-04', isPublic: false, publicTitle: 'Privat' });
      const erased = await aPublicEvent({ date: '2026-12-05', publicTitle: 'Gelöscht' });
      await t.ctx.db.transaction().execute((trx) => anonymizeRequests(trx, [erased.requestId], t.clock().getTime()));
      await aPublicEvent({ date: '2026-11-23', start: '08:00', end: '09:00', publicTitle: 'Vorbei' });
      const res = await t.request.get('/programme?week=2026-W49');
      expect(res.status).toBe(200);
      expect(res.text).toContain('Sichtbar');
      expect(res.text).toContain('Dienstag, 1. Dezember 2026');
      expect(res.text).toContain('18:00–20:00');
      expect(res.text).toContain('Saal');
      for (const hidden of ['Noch offen', 'Abgesagt', 'Privat', 'Gelöscht']) expect(res.text).not.toContain(hidden);
      expectNoPersonalData(res.text);
      const now = await t.request.get('/programme');
      expect(now.text).not.toContain('Vorbei');
    });

    it('filters by kind and keeps the filter when paging', async () => {
      await aPublicEvent({ date: '2026-12-01', publicTitle: 'Sprachcafé', category: 'integration' });
      await aPublicEvent({ date: '2026-12-02', publicTitle: 'Yoga', category: 'sports' });
      const res = await t.request.get('/programme?week=2026-W49&kind=sports');
      expect(res.text).toContain('Yoga');
      expect(res.text).not.toContain('Sprachcafé');
      expect(res.text).toContain('href="/programme?week=2026-W50&amp;kind=sports"');
      expect((await t.request.get('/programme?kind=nonsense')).status).toBe(400);
    });

    it('pages by week: ?week= and ?from= give the same week; no paging into the past', async () => {
      await aPublicEvent({ date: '2026-12-09', publicTitle: 'Adventsbasar' });
      const thisWeek = await t.request.get('/programme');
      expect(thisWeek.text).not.toContain('Adventsbasar');
      expect(thisWeek.text).toContain('href="/programme?week=2026-W49"');
      expect(thisWeek.text).not.toContain('rel="prev"');
      const byWeek = await t.request.get('/programme?week=2026-W50');
      const byFrom = await t.request.get('/programme?from=2026-12-10');
      expect(byWeek.text).toContain('Adventsbasar');
      expect(byFrom.text).toContain('Adventsbasar');
      expect(byWeek.text).toContain('rel="prev"');
      expect((await t.request.get('/programme?week=2026-50')).status).toBe(400);
      expect((await t.request.get('/programme?from=2026-02-30')).status).toBe(400);
    });

    it('shows the DST week right: Sunday 28 March 2027 at its wall-clock times', async () => {
      await aPublicEvent({ date: '2027-03-28', start: '18:00', end: '20:00', publicTitle: 'Frühlingskonzert' });
      await aPublicEvent({ date: '2027-03-28', start: '23:00', end: '23:45', publicTitle: 'Spätlese' });
      const res = await t.request.get('/programme?week=2027-W12');
      expect(res.text).toContain('Sonntag, 28. März 2027');
      expect(res.text).toContain('18:00–20:00');
      expect(res.text).toContain('23:00–23:45');
      expect(res.text.indexOf('Frühlingskonzert')).toBeLessThan(res.text.indexOf('Spätlese'));
      expect((await t.request.get('/programme?week=2027-W13')).text).not.toContain('Spätlese');
      const api = await t.request.get('/api/v1/programme');
      const e = api.body.events.find((x: { title: string }) => x.title === 'Frühlingskonzert');
      expect(e.start).toBe('2027-03-28T18:00:00+02:00');
    });

    it('links the feeds as alternates and is linked from the start page and the week', async () => {
      const res = await t.request.get('/programme');
      expect(res.text).toContain('<link rel="alternate" type="application/rss+xml" href="/programme.rss"');
      expect(res.text).toContain('<link rel="alternate" type="application/atom+xml" href="/programme.atom"');
      expect((await t.request.get('/')).text).toContain('href="/programme"');
      expect((await t.request.get('/week')).text).toContain('href="/programme?from=');
    });
  });

  describe('the event page and feeds', () => {
    it('has its own page with a calendar file that calendar software reads', async () => {
      const b = await aPublicEvent({ date: '2026-12-01', start: '18:00', end: '20:00', description: 'Bringt kaputte Dinge mit; wir helfen.' });
      const page = await t.request.get(`/programme/${b.bookingId}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<h1 lang="de">Repair-Café</h1>');
      expect(page.text).toContain('href="/programme"');
      expect(page.text).toContain(`href="/programme/${b.bookingId}/calendar.ics"`);
      expectNoPersonalData(page.text);
      const ics = await t.request.get(`/programme/${b.bookingId}/calendar.ics`);
      expect(ics.headers['content-type']).toContain('text/calendar');
      const comp = new ICAL.Component(ICAL.parse(ics.text));
      const ev = new ICAL.Event(comp.getFirstSubcomponent('vevent')!);
      expect(ev.summary).toBe('Repair-Café');
      expect(ev.description).toBe('Bringt kaputte Dinge mit; wir helfen.');
      expect(ev.startDate.toJSDate().toISOString()).toBe('2026-12-01T17:00:00.000Z');
      expect(ev.location).toContain('Saal');
      expectNoPersonalData(ics.text);
    });

    it('answers 404 for a date that is not public', async () => {
      const b = await aBooking(t.ctx.db, { roomId: room.id, publicTitle: 'Nur Titel', showPublicTitle: true });
      expect((await t.request.get(`/programme/${b.bookingId}`)).status).toBe(404);
      expect((await t.request.get(`/programme/${b.bookingId}/calendar.ics`)).status).toBe(404);
      expect((await t.request.get('/programme/abc')).status).toBe(404);
    });

    it('/programme.ics holds the upcoming public events only, with the public caching', async () => {
      await aPublicEvent({ date: '2026-12-01', publicTitle: 'Im Feed' });
      await aPublicEvent({ date: '2026-12-02', isPublic: false, publicTitle: 'Nicht im Feed' });
      const res = await t.request.get('/programme.ics');
      expect(res.headers['cache-control']).toBe('public, max-age=300, must-revalidate');
      const comp = new ICAL.Component(ICAL.parse(res.text));
      const summaries = comp.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v).summary);
      expect(summaries).toEqual(['Im Feed']);
      expectNoPersonalData(res.text);
      const again = await t.request.get('/programme.ics').set('If-None-Match', res.headers.etag!);
      expect(again.status).toBe(304);
    });

    it('RSS and Atom are well-formed and carry the events without personal data', async () => {
      const b = await aPublicEvent({ date: '2026-12-01', publicTitle: 'Feed & Co <live>' });
      const rss = await t.request.get('/programme.rss');
      expect(rss.headers['content-type']).toContain('application/rss+xml');
      expect(rss.headers['cache-control']).toBe('public, max-age=300, must-revalidate');
      expect(rss.text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\s*<rss version="2.0"/);
      expect(rss.text).toContain('<channel>');
      expect(rss.text).toMatch(/<item>[\s\S]*<title><!\[CDATA\[[^\]]*Feed & Co <live>\]\]><\/title>/);
      expect(rss.text).toContain(`/programme/${b.bookingId}</link>`);
      expectNoPersonalData(rss.text);
      const atom = await t.request.get('/programme.atom');
      expect(atom.headers['content-type']).toContain('application/atom+xml');
      expect(atom.text).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
      expect(atom.text).toMatch(/<entry>[\s\S]*<title type="html"><!\[CDATA\[[^\]]*Feed & Co <live>\]\]><\/title>/);
      expectNoPersonalData(atom.text);
    });
  });

  describe('/api/v1/programme', () => {
    it('lists the upcoming public events as JSON with ISO times in the house offset', async () => {
      const b = await aPublicEvent({ date: '2026-12-01', start: '18:00', end: '20:00', category: 'culture', language: 'en', description: 'Open stage' });
      await aPublicEvent({ date: '2026-12-02', status: 'pending', publicTitle: 'Offen' });
      const res = await t.request.get('/api/v1/programme');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        events: [
          {
            id: b.bookingId,
            date: '2026-12-01',
            start: '2026-12-01T18:00:00+01:00',
            end: '2026-12-01T20:00:00+01:00',
            room: { slug: 'saal', name: 'Saal' },
            title: 'Repair-Café',
            description: 'Open stage',
            kind: 'culture',
            language: 'en',
            url: expect.stringMatching(new RegExp(`/programme/${b.bookingId}$`)),
          },
        ],
      });
      expectNoPersonalData(res.text);
      const bad = await t.request.get('/api/v1/programme?kind=x');
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('bad_request');
    });

    it('answers from the API router like every /api/v1 path: no cookies, 405 with Allow, CORS for an allowed origin', async () => {
      await t.ctx.db.updateTable('settings').set({ api_origins: 'https://quartier.example' }).execute();
      const res = await t.request.get('/api/v1/programme').set('Origin', 'https://quartier.example');
      expect(res.status).toBe(200);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.headers['access-control-allow-origin']).toBe('https://quartier.example');
      const post = await t.request.post('/api/v1/programme');
      expect(post.status).toBe(405);
      expect(post.headers.allow).toBe('GET, HEAD, OPTIONS');
      expect(post.body.error.code).toBe('method_not_allowed');
    });
  });
});

describe('the embeddable programme', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
  });
  afterEach(() => t.close());

  it('is off by default: 404 and never framable', async () => {
    const res = await t.request.get('/embed/programme');
    expect(res.status).toBe(404);
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('an admin allows origins; the widget then lists the events and only those origins may frame it', async () => {
    const room = await aRoom(t.ctx.db, { slug: 'saal', name: 'Saal' });
    const b = await aBooking(t.ctx.db, { roomId: room.id, publicTitle: 'Nachbarschaftsfest' });
    await t.ctx.db
      .updateTable('requests')
      .set({ public_event: 1, public_description: 'Für alle', public_language: 'de' })
      .where('id', '=', b.requestId)
      .execute();
    const admin = await loginAs(t, 'admin');
    const bad = await admin.post('/admin/programme/embed', '/admin/programme/embed', { origins: 'https://quartier.example\njavascript:alert(1)' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="origins-error"');
    expect(bad.text).toContain('javascript:alert(1)</textarea>');
    expect((await t.request.get('/embed/programme')).status).toBe(404);
    const ok = await admin.post('/admin/programme/embed', '/admin/programme/embed', { origins: 'https://quartier.example/\nhttps://stadt.example' });
    expect(ok.status).toBe(303);
    const res = await t.request.get('/embed/programme');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Nachbarschaftsfest');
    expectNoPersonalData(res.text);
    expect(res.headers['content-security-policy']).toContain('frame-ancestors https://quartier.example https://stadt.example');
    expect(res.headers['x-frame-options']).toBeUndefined();
    // The rest of the site stays unframable.
    const other = await t.request.get('/programme');
    expect(other.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(other.headers['x-frame-options']).toBe('DENY');
    const snippet = await admin.agent.get('/admin/programme/embed');
    expect(snippet.text).toMatch(/&lt;iframe src="http[^"]*\/embed\/programme" title="Was ist los im Haus/);
    await admin.post('/admin/programme/embed', '/admin/programme/embed', { origins: '' });
    expect((await t.request.get('/embed/programme')).status).toBe(404);
  });

  it('the embed settings are for admins only', async () => {
    const caretaker = await loginAs(t, 'caretaker');
    expect((await caretaker.agent.get('/admin/programme/embed')).status).toBe(403);
  });
});
