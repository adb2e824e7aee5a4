import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBlockedTime, aBooking, aRoom, aWholeRoom } from '../helpers/factories.js';

// Distinctive personal data: none of it may appear on any public page or in any API answer.
const SECRETS = {
  contactName: 'Zacharias Geheimname',
  organisation: 'Verschwiegen Holding GmbH',
  email: 'geheim-xyz@example.org',
  phone: '0170 5551234',
  title: 'Interner Titel Qwertz',
};
const HIDDEN_PUBLIC_TITLE = 'Nicht zeigen Asdfg';
const PENDING_PUBLIC_TITLE = 'Noch offen Yxcvb';
const SHOWN_PUBLIC_TITLE = 'Offenes Singen Hjkl';
const PRIVATE_BLOCK = 'Polizeieinsatz Uiop';

describe('the privacy rule on every public page and in the API', () => {
  let t: TestApp;
  const references: string[] = [];
  beforeEach(async () => {
    t = await makeTestApp({ now: '2026-11-23T10:00:00+01:00' });
    const a = await aRoom(t.ctx.db, { slug: 'saal-a', name: 'Saal A' });
    const b = await aRoom(t.ctx.db, { slug: 'saal-b', name: 'Saal B' });
    await aWholeRoom(t.ctx.db, [a.id, b.id], { slug: 'grosser-saal', name: 'Großer Saal' });
    const made = [
      // Today, so the start page shows them too.
      await aBooking(t.ctx.db, {
        roomId: a.id,
        date: '2026-11-23',
        start: '14:00',
        end: '16:00',
        ...SECRETS,
        publicTitle: HIDDEN_PUBLIC_TITLE,
        showPublicTitle: false,
      }),
      await aBooking(t.ctx.db, {
        roomId: b.id,
        date: '2026-11-23',
        start: '14:00',
        end: '16:00',
        ...SECRETS,
        publicTitle: SHOWN_PUBLIC_TITLE,
        showPublicTitle: true,
      }),
      await aBooking(t.ctx.db, {
        roomId: a.id,
        date: '2026-11-23',
        start: '18:00',
        end: '19:00',
        ...SECRETS,
        status: 'pending',
        publicTitle: PENDING_PUBLIC_TITLE,
        showPublicTitle: true,
      }),
      await aBooking(t.ctx.db, { roomId: a.id, date: '2026-11-25', start: '10:00', end: '12:00', ...SECRETS, status: 'rejected' }),
    ];
    references.push(...made.map((m) => m.reference));
    await aBlockedTime(t.ctx.db, { roomId: a.id, from: '2026-11-23', fromTime: '20:00', toTime: '21:00', label: PRIVATE_BLOCK, isPublic: false });
  });
  afterEach(() => t.close());

  const urls = [
    '/',
    '/week',
    '/week?date=2026-11-23',
    '/rooms',
    '/rooms/saal-a',
    '/rooms/saal-b',
    '/rooms/grosser-saal',
    '/rooms/saal-a/month',
    '/rooms/grosser-saal/month?month=2026-11',
    '/api/v1/availability?from=2026-11-23&to=2026-11-29',
    '/api/v1/availability?from=2026-11-23&to=2026-11-23&room=grosser-saal',
  ];

  for (const lang of ['de', 'en']) {
    it(`shows no requester's name, organisation, e-mail, phone or internal title (${lang})`, async () => {
      for (const url of urls) {
        const res = await t.request.get(url).set('Cookie', `lang=${lang}`);
        expect(res.status, url).toBe(200);
        for (const secret of [...Object.values(SECRETS), HIDDEN_PUBLIC_TITLE, PENDING_PUBLIC_TITLE, PRIVATE_BLOCK, ...references]) {
          expect(res.text, `${url} shows ${secret}`).not.toContain(secret);
        }
      }
    });
  }

  it('shows the public title where the group chose to show it, and only there', async () => {
    const pages = await Promise.all(['/', '/week', '/rooms/saal-b', '/rooms/grosser-saal'].map((u) => t.request.get(u)));
    for (const p of pages) expect(p.text).toContain(SHOWN_PUBLIC_TITLE);
    const saalA = await t.request.get('/rooms/saal-a');
    expect(saalA.text).not.toContain(SHOWN_PUBLIC_TITLE);
    const api = await t.request.get('/api/v1/availability?from=2026-11-23&to=2026-11-23&room=saal-b');
    expect(api.body.busy.map((x: { title?: string }) => x.title ?? null)).toEqual([SHOWN_PUBLIC_TITLE]);
    // The hidden-title booking in Saal A still makes the room (and the whole) busy, just without a title.
    const whole = await t.request.get('/api/v1/availability?from=2026-11-23&to=2026-11-23&room=saal-a');
    expect(whole.body.busy).toContainEqual({ room: 'saal-a', start: '2026-11-23T14:00:00+01:00', end: '2026-11-23T16:00:00+01:00', status: 'approved' });
    expect(whole.body.busy).toContainEqual({ room: 'saal-a', start: '2026-11-23T20:00:00+01:00', end: '2026-11-23T21:00:00+01:00', status: 'closed' });
  });

  it('never shows rejected requests', async () => {
    const api = await t.request.get('/api/v1/availability?from=2026-11-25&to=2026-11-25&room=saal-a');
    expect(api.body.busy).toEqual([]);
  });
});
