// The languages of the quarter (issue 14): every public page and every mail to a group in every language, with
// lang and dir set and no catalog key and no German text showing where the language has its own; the language
// choice (Accept-Language, the house's offered languages, the staff side in German); the group's language kept
// with its request and changed on the manage page; Leichte Sprache saying when a page falls back to German.
import supertest from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csrfFrom, makeTestApp, type TestApp } from '../helpers/app.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { loginAs } from '../helpers/login.js';
import { aHouse, notifyNow, outbox } from '../helpers/mail.js';
import { textOf } from '../helpers/board.js';
import { formAgent, tokenFrom, validFields, type Fields } from '../helpers/request-form.js';
import { loadCatalog, loadedCatalog } from '../../src/i18n/index.js';
import { LANGUAGE_REGISTRY, type Lang } from '../../src/i18n/languages.js';
import { isStaffOnlyKey } from '../../src/i18n/scope.js';
import { sendDueReminders } from '../../src/reminders/service.js';

const de = loadCatalog('de');
const DE_KEYS = Object.keys(de);
/** The languages written for the public side in full (not German, English or Leichte Sprache). */

/**
 * German texts that must not show in a page of `lang`: each public message the language says differently (or
 * lacks), cut into its literal pieces between arguments, the pieces long enough to be a phrase (> 12 characters).
 */
function germanLeftovers(lang: string): { key: string; piece: string }[] {
  const own = catalogOf(lang);
  const out: { key: string; piece: string }[] = [];
  for (const key of DE_KEYS) {
    if (isStaffOnlyKey(key) || own[key] === de[key]) continue;
    // Literal text outside ICU braces (plural and select bodies are skipped: their words depend on the count).
    let depth = 0;
    let piece = '';
    const pieces: string[] = [];
    for (const ch of de[key]!) {
      if (ch === '{') {
        if (depth === 0) pieces.push(piece);
        piece = '';
        depth++;
      } else if (ch === '}') depth--;
      else if (depth === 0) piece += ch;
    }
    pieces.push(piece);
    for (const p of pieces.map((x) => x.trim())) if (p.length > 12 && !/^[\d\s\p{P}]+$/u.test(p)) out.push({ key, piece: p });
  }
  return out;
}
const catalogs = new Map<string, Record<string, string>>(LANGUAGE_REGISTRY.map((l) => [l.code, loadCatalog(l.code)]));
const catalogOf = (lang: string) => catalogs.get(lang)!;
const leftovers = new Map<string, { key: string; piece: string }[]>(LANGUAGE_REGISTRY.map((l) => [l.code, germanLeftovers(l.code)]));

/** What is wrong with a page or mail in `lang`: catalog keys shown raw, German texts the language has its own words for. */
function problemsIn(lang: string, body: string): string[] {
  const text = textOf(body);
  const problems = DE_KEYS.filter((k) => k.includes('.') && text.includes(k) && /\.[a-z]/.test(k)).map((k) => `key shown: ${k}`);
  const own = catalogOf(lang);
  if (lang !== 'de' && lang !== 'de-x-ls')
    for (const l of leftovers.get(lang)!)
      if (text.includes(l.piece)) problems.push(`German text of ${l.key}${l.key in own ? '' : ` (missing in ${lang})`}: "${l.piece}"`);
  return problems;
}

function expectLangDir(html: string, lang: string, where: string) {
  const dir = LANGUAGE_REGISTRY.find((l) => l.code === lang)!.dir;
  expect(html, where).toContain(`<html lang="${lang}" dir="${dir}">`);
}

describe('every public page in every language', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
    await aHouse(t);
    const room = await aRoom(t.ctx.db, { slug: 'gruppenraum', name: 'Gruppenraum', capacity: 20 });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-02', start: '18:00', end: '20:00', status: 'approved' });
  });
  afterEach(() => t.close());

  it.each(LANGUAGE_REGISTRY.map((l) => l.code))('%s: pages, forms, errors and calendar files', async (lang) => {
    const f = formAgent(t);
    const get = (path: string) => f.agent.get(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
    const problems: string[] = [];
    const look = (where: string, res: supertest.Response, status = 200) => {
      expect(res.status, `${lang} ${where}`).toBe(status);
      expectLangDir(res.text, lang, `${lang} ${where}`);
      problems.push(...problemsIn(lang, res.text).map((p) => `${where}: ${p}`));
    };
    for (const path of [
      '/',
      '/week?date=2026-12-01',
      '/day?date=2026-12-02',
      '/rooms',
      '/rooms/gruppenraum',
      '/rooms/gruppenraum/month?month=2026-12',
      '/rules',
      '/how-to-book',
    ]) {
      look(path, await get(path));
    }
    look('/search', await get('/search?date=2026-12-01&start=18:00&end=20:00&attendees=10'));
    look('/requests/new', await get('/requests/new?room=gruppenraum&date=2026-12-03&start=10:00&end=12:00'));
    look('404', await get('/nothing-here'), 404);
    look('400', await get('/week?date=2026-13-45'), 400);

    // The form with an error (people over the capacity), a series preview, the confirmation and the manage pages.
    const post = (path: string, fields: Fields, from?: string) => f.post(path, fields, { from: `${from ?? '/requests/new'}?lang=${encodeURIComponent(lang)}` });
    look('form error', await post('/requests', validFields('gruppenraum', { attendees: '99' })), 422);
    look(
      'series preview',
      await post('/requests', validFields('gruppenraum', { repeat: 'weekly', everyWeeks: '1', lastDate: '2027-01-26', action: 'preview' })),
    );
    const sent = await post('/requests', validFields('gruppenraum', { date: '2026-12-08' }));
    const token = tokenFrom(sent);
    look('confirmation', await f.agent.get(sent.headers.location!));
    look('manage page', await f.agent.get(`/requests/${token}`));
    look('edit', await f.agent.get(`/requests/${token}/edit`));
    look('cancel', await post(`/requests/${token}/cancel`, {}, `/requests/${token}`));
    const ics = await f.agent.get(`/requests/${token}/calendar.ics?lang=${lang}`);
    expect(ics.status).toBe(200);
    problems.push(...problemsIn(lang, ics.text).map((p) => `request calendar: ${p}`));

    expect(problems).toEqual([]);
  });
});

describe('every mail to a group in every language', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
    await aHouse(t);
  });
  afterEach(() => t.close());

  it.each(LANGUAGE_REGISTRY.map((l) => l.code))('%s: received, approved, rejected, changed, cancelled, reminder', async (lang) => {
    const room = await aRoom(t.ctx.db, { slug: 'saal', name: 'Saal', capacity: 40 });
    const f = formAgent(t);
    const sent = await f.post('/requests', validFields('saal', { date: '2026-12-08', repeat: 'weekly', everyWeeks: '1', lastDate: '2026-12-29' }), {
      from: `/requests/new?lang=${encodeURIComponent(lang)}`,
    });
    tokenFrom(sent);
    const request = await t.ctx.db.selectFrom('requests').selectAll().executeTakeFirstOrThrow();
    // Kept with the request from the page it was sent from.
    expect(request.language).toBe(lang);
    const ids = (await t.ctx.db.selectFrom('bookings').select('id').where('request_id', '=', request.id).orderBy('local_date').execute()).map((b) => b.id);
    await t.ctx.db.updateTable('bookings').set({ status: 'approved' }).where('id', 'in', ids.slice(0, 3)).execute();
    await notifyNow(t, { type: 'bookings.approved', requestId: request.id, bookingIds: ids.slice(0, 3), message: '' });
    await notifyNow(t, { type: 'bookings.rejected', requestId: request.id, bookingIds: ids.slice(3), message: '' });
    await notifyNow(t, { type: 'bookings.changed', requestId: request.id, bookingIds: [ids[0]!] });
    await notifyNow(t, { type: 'bookings.cancelled', requestId: request.id, bookingIds: [ids[1]!], by: 'house', wasApproved: true });
    await notifyNow(t, { type: 'bookings.cancelled', requestId: request.id, bookingIds: [ids[2]!], by: 'group', wasApproved: true });
    // The reminder two days before the approved 8 December.
    t.clock.set('2026-12-06T09:00:00+01:00');
    expect(await sendDueReminders(t.ctx.db, { baseUrl: t.ctx.config.baseUrl, clock: t.ctx.clock, mailKey: t.ctx.mailKey })).toBeGreaterThan(0);

    const mails = (await outbox(t)).filter((m) => m.to_address === 'erika@example.org');
    expect(new Set(mails.map((m) => m.kind))).toEqual(
      new Set([
        'request.received',
        'bookings.approved',
        'bookings.rejected',
        'bookings.changed',
        'bookings.cancelled.house',
        'bookings.cancelled.group',
        'reminder.group',
      ]),
    );
    const problems: string[] = [];
    for (const m of mails) {
      expect(m.language, m.kind).toBe(lang);
      expectLangDir(m.html_body ?? '', lang, `${lang} ${m.kind}`);
      problems.push(...problemsIn(lang, `${m.subject}\n${m.text_body}\n${m.html_body ?? ''}`).map((p) => `${m.kind}: ${p}`));
    }
    expect(problems).toEqual([]);
    void room;
  });
});

describe('choosing the language', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp()));
  afterEach(() => t.close());

  const langOf = (html: string) => /<html lang="([^"]+)" dir="([^"]+)">/.exec(html)!.slice(1).join(' ');

  it('picks the best offered language from Accept-Language on a first visit; Leichte Sprache only when chosen', async () => {
    const cases: [string, string][] = [
      ['tr-TR,tr;q=0.9', 'tr ltr'],
      ['ar-SY,ar;q=0.9,en;q=0.5', 'ar rtl'],
      ['fa-IR', 'fa rtl'],
      ['uk', 'uk ltr'],
      ['ru-RU,ru;q=0.9', 'ru ltr'],
      ['pl-PL', 'pl ltr'],
      ['fr-FR,uk;q=0.8,de;q=0.5', 'uk ltr'],
      ['de-DE', 'de ltr'],
      ['ja-JP', 'de ltr'],
    ];
    for (const [header, want] of cases) expect(langOf((await t.request.get('/').set('Accept-Language', header)).text), header).toBe(want);
    // "de" must never land on the easy-read variant, nor a header asking for it: a person chooses it.
    expect(langOf((await t.request.get('/').set('Accept-Language', 'de-x-ls,de;q=0.5')).text)).toBe('de ltr');
    const chosen = await t.request.get('/?lang=de-x-ls');
    expect(langOf(chosen.text)).toBe('de-x-ls ltr');
    expect(String(chosen.headers['set-cookie'])).toContain('lang=de-x-ls');
  });

  it('lists each language in its own name and remembers the choice', async () => {
    const agent = supertest.agent(t.app);
    const page = await agent.get('/week?lang=uk');
    for (const l of LANGUAGE_REGISTRY)
      expect(page.text).toContain(`<option value="${l.code}"${l.code === 'uk' ? ' selected' : ''} lang="${l.code}" dir="${l.dir}">${l.nativeName}</option>`);
    expect(langOf((await agent.get('/rooms')).text)).toBe('uk ltr');
  });

  it('shows the staff pages in German to a visitor reading Turkish, with German and English only in the switch', async () => {
    const staff = await loginAs(t, 'admin');
    await staff.agent.get('/?lang=tr');
    expect(langOf((await staff.agent.get('/')).text)).toBe('tr ltr');
    const inbox = await staff.agent.get('/admin');
    expect(langOf(inbox.text)).toBe('de ltr');
    expect(inbox.text).toContain('<option value="en" lang="en" dir="ltr">English</option>');
    expect(inbox.text).not.toContain('value="tr"');
    const login = await t.request.get('/login?lang=ar');
    expect(langOf(login.text)).toBe('de ltr');
  });

  it('offers only the languages the house keeps on: a language switched off leaves the switch and the negotiation', async () => {
    const staff = await loginAs(t, 'admin');
    const form = await staff.agent.get('/admin/settings');
    expect(form.text).toContain('name="offered_fa" value="1" checked');
    // Save the house settings with every language ticked but Persian.
    const fields: Record<string, string> = {
      _csrf: await staff.csrf('/admin/settings'),
      house_name: 'Haus der Begegnung',
      lead_time_days: '2',
      horizon_months: '12',
      retention_months: '6',
      federal_state: 'BE',
      default_language: 'de',
      timezone: 'Europe/Berlin',
      reminder_days: '2',
      summary_hour: '7',
      languages_shown: '1',
    };
    for (const d of ['1', '2', '3', '4', '5', '6', '7']) Object.assign(fields, { [`open_${d}`]: '09:00', [`close_${d}`]: '21:00' });
    for (const l of LANGUAGE_REGISTRY) if (l.code !== 'de' && l.code !== 'fa') fields[`offered_${l.code}`] = '1';
    const saved = await staff.agent.post('/admin/settings').type('form').send(fields);
    expect(saved.status, saved.text.slice(0, 500)).toBe(303);
    const row = await t.ctx.db.selectFrom('settings').select('disabled_languages').executeTakeFirstOrThrow();
    expect(row.disabled_languages).toBe('fa');

    const page = await t.request.get('/').set('Accept-Language', 'fa-IR,ar;q=0.8');
    expect(langOf(page.text)).toBe('ar rtl');
    expect(page.text).not.toContain('value="fa"');
    expect(page.text).toContain('value="tr"');
    expect(langOf((await t.request.get('/?lang=fa')).text)).toBe('de ltr');
    const audit = await t.ctx.db.selectFrom('audit_log').select('details').where('action', '=', 'settings.updated').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details)).toMatchObject({ disabled_languages: { from: '', to: 'fa' } });
  });
});

describe("the group's language", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
    await aHouse(t);
    await aRoom(t.ctx.db, { slug: 'gruppenraum', name: 'Gruppenraum', capacity: 20 });
  });
  afterEach(() => t.close());

  async function sendAs(lang: Lang) {
    const f = formAgent(t);
    const res = await f.post('/requests', validFields('gruppenraum'), { from: `/requests/new?lang=${lang}` });
    return { f, token: tokenFrom(res) };
  }

  it('is changed on the manage page; the mails after it come in the new language and the change is audited', async () => {
    const { f, token } = await sendAs('de');
    const manage = await f.agent.get(`/requests/${token}`);
    expect(manage.text).toContain('<label for="mail-language">');
    // A language that is not offered is refused next to the field, nothing stored.
    const refused = await f.agent
      .post(`/requests/${token}/language`)
      .type('form')
      .send({ _csrf: csrfFrom(manage.text), language: 'xx' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('id="mail-language-error"');
    const changed = await f.agent
      .post(`/requests/${token}/language`)
      .type('form')
      .send({ _csrf: csrfFrom(manage.text), language: 'uk' });
    expect(changed.status).toBe(303);
    const request = await t.ctx.db.selectFrom('requests').selectAll().executeTakeFirstOrThrow();
    expect(request.language).toBe('uk');
    const audit = await t.ctx.db.selectFrom('audit_log').select(['actor', 'details']).where('action', '=', 'request.language').executeTakeFirstOrThrow();
    expect(audit.actor).toBe('group');
    expect(JSON.parse(audit.details)).toEqual({ from: 'de', to: 'uk' });

    const ids = (await t.ctx.db.selectFrom('bookings').select('id').execute()).map((b) => b.id);
    await t.ctx.db.updateTable('bookings').set({ status: 'approved' }).execute();
    await notifyNow(t, { type: 'bookings.approved', requestId: request.id, bookingIds: ids, message: '' });
    const approved = (await outbox(t)).find((m) => m.kind === 'bookings.approved')!;
    expect(approved.language).toBe('uk');
    expect(approved.html_body).toContain('<html lang="uk" dir="ltr">');
    // The received mail before the change stays German.
    expect((await outbox(t)).find((m) => m.kind === 'request.received' && m.to_address === 'erika@example.org')?.language).toBe('de');
  });

  it("opens the manage page in the group's language for a visitor who has not chosen one, and in the chosen one otherwise", async () => {
    const { token } = await sendAs('ar');
    const fresh = await t.request.get(`/requests/${token}`);
    expect(fresh.text).toContain('<html lang="ar" dir="rtl">');
    const chosen = await t.request.get(`/requests/${token}`).set('Cookie', 'lang=en');
    expect(chosen.text).toContain('<html lang="en" dir="ltr">');
    expect((await t.request.get(`/requests/${token}?lang=pl`)).text).toContain('<html lang="pl" dir="ltr">');
  });
});

describe('Leichte Sprache', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp()));
  afterEach(() => t.close());

  const NOTE = loadCatalog('de-x-ls')['languages.fallbackNote']!;

  it('says once, near the top, that a page not written in Leichte Sprache is partly in standard German', async () => {
    expect(NOTE).toContain('Leichte');
    // Every public page is in Leichte Sprache today: the week has no note …
    const complete = await t.request.get('/week?date=2026-12-07&lang=de-x-ls');
    expect(complete.text).not.toContain('class="fallback-note"');
    // … until one of its texts is missing (as when a new text lands before its Leichte Sprache version).
    const ls = loadedCatalog('de-x-ls')!;
    const saved = ls['week.title'];
    expect(saved).toBeDefined();
    delete ls['week.title'];
    let week;
    try {
      week = await t.request.get('/week?date=2026-12-07&lang=de-x-ls');
    } finally {
      ls['week.title'] = saved!;
    }
    expect(week.status).toBe(200);
    expect(week.text.split(NOTE).length - 1).toBe(1);
    // Right after the start of the main content, before the page's heading.
    expect(week.text.indexOf(NOTE)).toBeGreaterThan(week.text.indexOf('<main'));
    expect(week.text.indexOf(NOTE)).toBeLessThan(week.text.indexOf('<h1'));
    // Standard German and English pages never say so.
    expect((await t.request.get('/week?date=2026-12-07&lang=de')).text).not.toContain('class="fallback-note"');
    expect((await t.request.get('/week?date=2026-12-07&lang=en')).text).not.toContain('class="fallback-note"');
  });

  it('formats dates as German', async () => {
    const week = await t.request.get('/week?date=2026-12-07&lang=de-x-ls');
    expect(week.text).toContain('Dezember 2026');
  });
});
