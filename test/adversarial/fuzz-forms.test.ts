// Every POST form of the app fuzzed from its valid starting point: each field dropped, doubled, or replaced
// by hostile input (script and SQL payloads, invalid UTF-8, impossible dates and times, huge values).
// An answer is a valid 200/303 or a 4xx with a message, never a 500; when refused, nothing is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import supertest from 'supertest';
import { csrfFrom, makeTestApp, type TestApp } from '../helpers/app.js';
import { listRoutes, concrete } from './routes.js';
import { postForms, fuzzedBody, type PageForm } from './forms.js';
import { domainSnapshot } from './counts.js';
import { expectSaneAnswer } from './sane.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
/** Forms whose success ends the session the fuzzing runs in. */
const SKIP = new Set(['/logout', '/admin/password']);

type Agent = ReturnType<typeof supertest.agent>;

async function ids(t: TestApp) {
  const one = async (table: 'requests' | 'rooms' | 'blocked_times' | 'message_templates' | 'users' | 'bookings') =>
    String((await t.ctx.db.selectFrom(table).select('id').orderBy('id', 'desc').executeTakeFirst())?.id ?? 1);
  const pending = await t.ctx.db.selectFrom('bookings').select('request_id').where('status', '=', 'pending').executeTakeFirst();
  return {
    requests: String(pending?.request_id ?? (await one('requests'))),
    rooms: await one('rooms'),
    blocks: await one('blocked_times'),
    templates: await one('message_templates'),
    users: await one('users'),
    bookings: await one('bookings'),
  };
}

/** Opens every GET page (ids filled in from the demo house) and collects the POST forms found there. */
async function discoverForms(t: TestApp, agent: Agent, prefix: string): Promise<{ page: string; form: PageForm; token: string }[]> {
  const known = await ids(t);
  const found = new Map<string, { page: string; form: PageForm; token: string }>();
  const pages = listRoutes(t.app).filter((r) => r.method === 'GET' && r.path.startsWith(prefix) && !/\.(ics|csv|json)$|export|print/.test(r.path));
  for (const r of pages) {
    const area = Object.keys(known).find((k) => r.path.includes(`/${k}/`)) as keyof typeof known | undefined;
    const url = concrete(r.path, { id: area ? known[area] : '1' });
    const res = await agent.get(url);
    if (res.status !== 200 || !/<form/i.test(res.text)) continue;
    for (const form of postForms(res.text)) {
      if (SKIP.has(form.action)) continue;
      const key = `${form.action.replace(/\d+/g, 'N')} ${form.fields
        .map((f) => f.name)
        .sort()
        .join(',')}`;
      if (!found.has(key)) found.set(key, { page: url, form, token: csrfFrom(res.text) });
    }
  }
  return [...found.values()];
}

let address = 0;

async function fuzzForm(t: TestApp, agent: Agent, entry: { page: string; form: PageForm; token: string }, runs = RUNS): Promise<void> {
  let before = await domainSnapshot(t);
  const statuses = new Set<number>();
  await fc.assert(
    fc.asyncProperty(fuzzedBody(entry.form), async (body) => {
      // Each attempt from another address (trust proxy is on): the per-address limits must not hide the answers.
      const ip = `10.0.${(++address >> 8) & 255}.${address & 255}`;
      const res = await agent
        .post(entry.form.action)
        .set('X-Forwarded-For', ip)
        .type('form')
        .send(`_csrf=${encodeURIComponent(entry.token)}&${body}`);
      expectSaneAnswer(res, `POST ${entry.form.action} ${body.slice(0, 300)}`);
      statuses.add(res.status);
      const after = await domainSnapshot(t);
      if (res.status >= 400) {
        expect(after, `POST ${entry.form.action} answered ${res.status} but changed stored data; body: ${body.slice(0, 300)}`).toEqual(before);
      }
      before = after;
    }),
    { numRuns: runs },
  );
  // Had every attempt been refused by the CSRF check, nothing behind it would have been fuzzed.
  expect(
    [...statuses].some((st) => st !== 403),
    `POST ${entry.form.action}: only 403 answers`,
  ).toBe(true);
}

describe('fuzzing the caretaker and admin forms', () => {
  let t: TestApp;
  let agent: Agent;
  let forms: Awaited<ReturnType<typeof discoverForms>>;

  beforeAll(async () => {
    t = await makeTestApp({ demo: true });
    agent = supertest.agent(t.app);
    const login = await agent.get('/login');
    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(login.text), email: 'admin@example.org', password: 'admin-password-123' });
    expect(res.status).toBe(303);
    forms = await discoverForms(t, agent, '/admin');
  });
  afterAll(() => t.close());

  it('finds the forms to fuzz (approve, reject, blocked times, rooms, settings)', () => {
    const actions = forms.map((f) => f.form.action.replace(/\d+/g, 'N'));
    expect(actions).toEqual(expect.arrayContaining(['/admin/requests/N/approve', '/admin/requests/N/reject']));
    expect(actions.length).toBeGreaterThanOrEqual(5);
  });

  it('never answers a fuzzed admin form with a 500, and stores nothing when it refuses', async () => {
    for (const entry of forms) await fuzzForm(t, agent, entry, Math.ceil(RUNS / 2));
  }, 180_000);
});

describe('fuzzing the public forms', () => {
  let t: TestApp;
  beforeAll(async () => (t = await makeTestApp({ demo: true, config: { trustProxy: 1 } })));
  afterAll(() => t.close());

  it('refuses impossible dates and times, invalid UTF-8, doubled and oversized fields with a message, storing nothing', async () => {
    const agent = supertest.agent(t.app);
    const token = csrfFrom((await agent.get('/requests/new')).text);
    const valid =
      'room=gruppenraum&date=2026-12-08&start=19:00&end=21:00&repeat=none&everyWeeks=1&lastDate=&title=Treffen&category=social' +
      '&attendees=8&contactName=Erika&email=erika%40example.org&acceptRules=on&acceptPrivacy=on&action=send';
    const count = async () =>
      Number(
        (
          await t.ctx.db
            .selectFrom('requests')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const cases: [string, RegExp][] = [
      ['date=2027-02-29', /field-error/],
      ['date=2026-02-30', /field-error/],
      ['start=24:00', /field-error/],
      ['end=24:15', /field-error/],
      ['start=19:07', /field-error/],
      ['date=%C3%28', /field-error/],
      ['attendees=5&attendees=7', /field-error|<h1/],
      ['email=a%40b&email=c%40d', /field-error|<h1/],
      ['room[x]=gruppenraum', /field-error|<h1/],
      [`notes=${'x'.repeat(70_000)}`, /<h1/],
      ['title=', /field-error/],
      ['acceptRules=', /field-error/],
    ];
    const before = await count();
    for (const [override, message] of cases) {
      const name = override.split('=')[0]!.replace(/\[.*$/, '');
      const body =
        valid
          .split('&')
          .filter((p) => p.split('=')[0] !== name)
          .join('&') + `&${override}`;
      const res = await agent
        .post('/requests')
        .set('X-Forwarded-For', `10.8.0.${cases.findIndex((c) => c[0] === override)}`)
        .type('form')
        .send(`_csrf=${encodeURIComponent(token)}&${body}`);
      expectSaneAnswer(res, override.slice(0, 60));
      expect(res.status, override.slice(0, 60)).toBeGreaterThanOrEqual(400);
      expect(res.text, override.slice(0, 60)).toMatch(message);
    }
    expect(await count()).toBe(before);
    // The same request without the hostile part is accepted: the refusals above were for the named field.
    const ok = await agent
      .post('/requests')
      .set('X-Forwarded-For', '10.8.1.1')
      .type('form')
      .send(`_csrf=${encodeURIComponent(token)}&${valid}`);
    expect(ok.status).toBe(303);
    expect(await count()).toBe(before + 1);
  });

  it('never answers a fuzzed request form (send and preview) with a 500, and stores nothing it refuses', async () => {
    const agent = supertest.agent(t.app);
    const page = await agent.get('/requests/new?room=gruppenraum&date=2026-12-08&start=19:00&end=21:00');
    const [form] = postForms(page.text).filter((f) => f.action === '/requests');
    expect(form!.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['room', 'date', 'start', 'end', 'title', 'email', 'acceptRules']));
    // From a valid request: fill in what a group would, so that single fuzzed fields reach their own rule.
    const filled: Record<string, string> = {
      title: 'Treffen',
      category: 'social',
      attendees: '8',
      contactName: 'Erika Muster',
      email: 'erika@example.org',
      acceptRules: 'on',
      acceptPrivacy: 'on',
    };
    for (const f of form!.fields) {
      if (f.name in filled) {
        f.value = filled[f.name]!;
        f.checked = true;
      }
    }
    await fuzzForm(t, agent, { page: '/requests/new', form: form!, token: csrfFrom(page.text) }, RUNS * 2);
  }, 120_000);

  it('never answers a fuzzed manage page (cancel, edit) with a 500', async () => {
    const agent = supertest.agent(t.app);
    const page = await agent.get('/requests/new');
    const sent = await agent
      .post('/requests')
      .set('X-Forwarded-For', '10.9.9.9')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        room: 'gruppenraum',
        date: '2026-12-08',
        start: '19:00',
        end: '21:00',
        repeat: 'weekly',
        everyWeeks: '1',
        lastDate: '2026-12-22',
        title: 'Serie',
        category: 'social',
        attendees: '8',
        contactName: 'Erika Muster',
        email: 'erika@example.org',
        acceptRules: 'on',
        acceptPrivacy: 'on',
        action: 'send',
      });
    expect(sent.status).toBe(303);
    const manage = sent.headers.location!.replace(/\?.*$/, '');
    for (const path of [`${manage}/edit`, manage]) {
      const res = await agent.get(path);
      expect(res.status, path).toBe(200);
      for (const form of postForms(res.text)) await fuzzForm(t, agent, { page: path, form, token: csrfFrom(res.text) }, Math.ceil(RUNS / 2));
    }
  }, 120_000);

  it('never answers a fuzzed login with a 500, and never logs in', async () => {
    const agent = supertest.agent(t.app);
    const page = await agent.get('/login');
    const [form] = postForms(page.text).filter((f) => f.action === '/login');
    expect(form!.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['email', 'password']));
    await fuzzForm(t, agent, { page: '/login', form: form!, token: csrfFrom(page.text) });
    expect((await agent.get('/admin')).status).toBe(303);
  }, 60_000);
});
