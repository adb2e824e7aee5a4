// The request form and the manage page's edit form after an expired session or a lost cookie: the form
// comes back filled in, with a fresh token and a message at the top, and nothing is stored.
import supertest from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csrfFrom, makeTestApp, type TestApp } from '../helpers/app.js';
import { aRoom } from '../helpers/factories.js';
import { formAgent, inputValue, tokenFrom, validFields, type Fields } from '../helpers/request-form.js';
import { SESSION_IDLE_MS } from '../../src/app.js';
import { REQUEST_POST_LIMIT, TOKEN_FAILURE_LIMIT } from '../../src/bookings/routes.js';

describe('a form sent after its session ran out', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
    await aRoom(t.ctx.db, { slug: 'gruppenraum', name: 'Gruppenraum', capacity: 20, equipment: ['wifi'] });
  });
  afterEach(() => t.close());

  const count = async (table: 'requests' | 'bookings' | 'audit_log' | 'outbox') =>
    Number(
      (
        await t.ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  function formBody(fields: Fields, csrf: string): string {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...fields, _csrf: csrf })) for (const one of ([] as string[]).concat(v)) body.append(k, one);
    return body.toString();
  }

  const typed = validFields('gruppenraum', {
    title: 'Elterncafé <Mittwoch>',
    notes: 'Bitte Stühle im Kreis',
    equipment: ['wifi'],
    repeat: 'weekly',
    everyWeeks: '2',
    lastDate: '2027-01-26',
  });

  function expectTypedValues(html: string) {
    expect(inputValue(html, 'title')).toBe(typed.title);
    expect(inputValue(html, 'contactName')).toBe(typed.contactName);
    expect(inputValue(html, 'email')).toBe(typed.email);
    expect(inputValue(html, 'date')).toBe(typed.date);
    expect(inputValue(html, 'lastDate')).toBe('2027-01-26');
    expect(html).toContain('Bitte Stühle im Kreis</textarea>');
    expect(html).toMatch(/id="equipment-wifi" name="equipment" value="wifi" checked/);
    expect(html).toMatch(/value="weekly" checked/);
    expect(html).toMatch(/<option value="2" selected>/);
    expect(html).toMatch(/id="acceptRules" name="acceptRules" value="on" checked/);
  }

  it('gives the request form back with everything typed, a fresh token and the reason, after the idle timeout', async () => {
    const agent = supertest.agent(t.app);
    const oldToken = csrfFrom((await agent.get('/requests/new')).text);
    t.clock.advance(SESSION_IDLE_MS + 60_000);

    const res = await agent.post('/requests').type('form').send(formBody(typed, oldToken));
    expect(res.status).toBe(403);
    expect(res.text).toContain('Das Formular war abgelaufen – bitte prüfen und erneut senden');
    expect(res.text).toMatch(/<form method="post" action="\/requests"/);
    expectTypedValues(res.text);
    const fresh = csrfFrom(res.text);
    expect(fresh).not.toBe(oldToken);
    expect(await count('requests')).toBe(0);
    expect(await count('bookings')).toBe(0);
    expect(await count('outbox')).toBe(0);

    // Sending the form as it came back works.
    const again = await agent.post('/requests').type('form').send(formBody(typed, fresh));
    expect(again.status).toBe(303);
    tokenFrom(again);
    expect(await count('requests')).toBe(1);
  });

  it('gives the form back in English too, and after a lost cookie', async () => {
    const oldToken = csrfFrom((await supertest.agent(t.app).get('/requests/new')).text);
    const cookieless = supertest.agent(t.app);
    const res = await cookieless.post('/requests?lang=en').type('form').send(formBody(typed, oldToken));
    expect(res.status).toBe(403);
    expect(res.text).toContain('The form had expired – please check it and send it again.');
    expectTypedValues(res.text);
    const again = await cookieless
      .post('/requests')
      .type('form')
      .send(formBody(typed, csrfFrom(res.text)));
    expect(again.status).toBe(303);
  });

  it('still refuses a post without any token, or from another site, with the plain page and stores nothing', async () => {
    const noToken = await t.request
      .post('/requests')
      .type('form')
      .send(new URLSearchParams(typed as Record<string, string>).toString());
    expect(noToken.status).toBe(403);
    expect(noToken.text).not.toContain('name="title"');
    const agent = supertest.agent(t.app);
    const token = csrfFrom((await agent.get('/requests/new')).text);
    const crossSite = await agent.post('/requests').set('Sec-Fetch-Site', 'cross-site').type('form').send(formBody(typed, token));
    expect(crossSite.status).toBe(403);
    expect(crossSite.text).not.toContain('name="title"');
    expect(await count('requests')).toBe(0);
  });

  it("gives the manage page's edit form back filled in, and changes nothing", async () => {
    const f = formAgent(t);
    const token = tokenFrom(await f.post('/requests', validFields('gruppenraum')));
    const oldCsrf = csrfFrom((await f.get(`/requests/${token}/edit`)).text);
    t.clock.advance(SESSION_IDLE_MS + 60_000);
    const before = JSON.stringify(await t.ctx.db.selectFrom('bookings').selectAll().execute());
    const requestBefore = JSON.stringify(await t.ctx.db.selectFrom('requests').selectAll().execute());

    const edited = validFields('gruppenraum', { start: '19:00', end: '21:00', title: 'Deutschkurs II' });
    const res = await f.agent.post(`/requests/${token}/edit`).type('form').send(formBody(edited, oldCsrf));
    expect(res.status).toBe(403);
    expect(res.text).toContain('Das Formular war abgelaufen – bitte prüfen und erneut senden');
    expect(res.text).toMatch(new RegExp(`<form method="post" action="/requests/${token}/edit"`));
    expect(inputValue(res.text, 'title')).toBe('Deutschkurs II');
    expect(inputValue(res.text, 'start')).toBe('19:00');
    expect(JSON.stringify(await t.ctx.db.selectFrom('bookings').selectAll().execute())).toBe(before);
    expect(JSON.stringify(await t.ctx.db.selectFrom('requests').selectAll().execute())).toBe(requestBefore);
    expect(await count('outbox')).toBe(2);

    const again = await f.agent
      .post(`/requests/${token}/edit`)
      .type('form')
      .send(formBody(edited, csrfFrom(res.text)));
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(`/requests/${token}?done=edited`);
  });

  it('does not give the cancel form any leeway: an expired token cancels nothing', async () => {
    const f = formAgent(t);
    const token = tokenFrom(await f.post('/requests', validFields('gruppenraum')));
    const oldCsrf = csrfFrom((await f.get(`/requests/${token}`)).text);
    t.clock.advance(SESSION_IDLE_MS + 60_000);
    const res = await f.agent
      .post(`/requests/${token}/cancel`)
      .type('form')
      .send(formBody({ booking: '' }, oldCsrf));
    expect(res.status).toBe(403);
    expect((await t.ctx.db.selectFrom('bookings').select('status').executeTakeFirstOrThrow()).status).toBe('pending');
  });

  it('counts a form shown again against the send limit, and an unknown link in it as a wrong link', async () => {
    const f = formAgent(t);
    const html = (await f.get('/requests/new')).text;
    const stale = csrfFrom(html);
    t.clock.advance(SESSION_IDLE_MS + 60_000);
    let last = 0;
    for (let i = 0; i <= REQUEST_POST_LIMIT; i++) {
      last = (await f.agent.post('/requests').type('form').send(formBody(typed, stale))).status;
    }
    expect(last).toBe(429);

    const guesses: number[] = [];
    for (let i = 0; i <= TOKEN_FAILURE_LIMIT; i++) {
      guesses.push(
        (
          await f.agent
            .post(`/requests/${'A'.repeat(40)}${i}/edit`)
            .type('form')
            .send(formBody(typed, stale))
        ).status,
      );
    }
    expect(guesses[0]).toBe(403);
    expect(guesses.at(-1)).toBe(429);
    expect(await count('requests')).toBe(0);
  });
});
