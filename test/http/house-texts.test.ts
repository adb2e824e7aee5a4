// The house's own texts in other languages (issue 14): who may translate what, the form's checks, the audit,
// the public pages in the page language with the German fallback marked, outdated translations, and which rules
// and privacy texts a group was shown when it sent its request.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/login.js';
import { aBlockedTime, aRoom } from '../helpers/factories.js';
import { formAgent, validFields } from '../helpers/request-form.js';
import { LANGUAGE_REGISTRY } from '../../src/i18n/languages.js';

const RULES_DE = '1. Bitte leise sein nach 22 Uhr.\n2. Stühle hochstellen.';
const RULES_EN = '1. Please be quiet after 10 pm.\n2. Put the chairs up.';

describe('translations of the house texts', () => {
  let t: TestApp;
  let room: { id: number; slug: string; name: string };
  beforeEach(async () => {
    t = await makeTestApp();
    room = await aRoom(t.ctx.db, { slug: 'saal', name: 'Saal' });
    await t.ctx.db.updateTable('rooms').set({ description: 'Heller Saal mit Bühne.', floor: 'Erdgeschoss' }).where('id', '=', room.id).execute();
    await t.ctx.db.updateTable('settings').set({ rules_text: RULES_DE, rules_version: 3, privacy_text: 'Wir speichern wenig.' }).execute();
  });
  afterEach(() => t.close());

  const rows = () => t.ctx.db.selectFrom('house_text_translations').selectAll().orderBy('id').execute();
  const audits = (action: string) => t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();

  it('lets only staff in, and the house’s own texts only the admin', async () => {
    const anon = await t.request.get('/admin/translations');
    expect(anon.status).toBe(303);
    expect(anon.headers.location).toMatch(/^\/login/);

    const caretaker = await loginAs(t, 'caretaker');
    const list = await caretaker.agent.get('/admin/translations');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Saal: Beschreibung');
    expect(list.text).not.toContain('/admin/translations/house/');
    expect((await caretaker.agent.get('/admin/translations/house/0/rules/en')).status).toBe(403);
    const refused = await caretaker.post('/admin/translations/house/0/rules/en', `/admin/translations/room/${room.id}/description/en`, {
      translation: RULES_EN,
    });
    expect(refused.status).toBe(403);
    expect(await rows()).toHaveLength(0);
    expect((await caretaker.agent.get(`/admin/translations/room/${room.id}/description/en`)).status).toBe(200);

    const admin = await loginAs(t, 'admin');
    expect((await admin.agent.get('/admin/translations')).text).toContain('/admin/translations/house/0/rules/en');
    // Not a text, not a target language (German is the source), not a field of that kind: not found.
    for (const path of [
      '/admin/translations/house/0/rules/de',
      '/admin/translations/house/0/rules/xx',
      `/admin/translations/room/${room.id + 99}/description/en`,
      '/admin/translations/house/0/floor/en',
      '/admin/translations/blocks/1/label/en',
    ])
      expect((await admin.agent.get(path)).status, path).toBe(404);
  });

  it('refuses a translation longer than its field allows, next to the field, keeping what was typed', async () => {
    const caretaker = await loginAs(t, 'caretaker');
    const path = `/admin/translations/room/${room.id}/floor/en`;
    const long = `Ground floor ${'x'.repeat(50)}`;
    const res = await caretaker.post(path, path, { translation: long });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<p class="field-error" id="translation-error">Die Übersetzung ist zu lang.</p>');
    expect(res.text).toContain(`value="${long}"`);
    expect(res.text).toContain('aria-invalid="true"');
    expect(await rows()).toHaveLength(0);
  });

  it('saves, versions, removes and audits a translation', async () => {
    const admin = await loginAs(t, 'admin');
    const path = '/admin/translations/house/0/rules/en';
    expect((await admin.post(path, path, { translation: `  ${RULES_EN.replace(/\n/g, '\r\n')}  ` })).status).toBe(303);
    let stored = await rows();
    expect(stored).toMatchObject([{ kind: 'house', owner_id: 0, field: 'rules', lang: 'en', text: RULES_EN, version: 1, updated_by: admin.user.id }]);
    // The same text again changes nothing and logs nothing.
    await admin.post(path, path, { translation: RULES_EN });
    expect((await audits('house_text.translated')).length).toBe(1);
    await admin.post(path, path, { translation: `${RULES_EN}\n3. Lock the door.` });
    stored = await rows();
    expect(stored[0]!.version).toBe(2);
    const logged = await audits('house_text.translated');
    expect(logged.map((a) => JSON.parse(a.details))).toEqual([
      { kind: 'house', owner: 0, field: 'rules', lang: 'en', version: 1 },
      { kind: 'house', owner: 0, field: 'rules', lang: 'en', version: 2 },
    ]);
    expect(logged.every((a) => a.user_id === admin.user.id)).toBe(true);
    await admin.post(path, path, { translation: '   ' });
    expect(await rows()).toHaveLength(0);
    expect(await audits('house_text.removed')).toHaveLength(1);
  });

  it('types each language of the registry in its own direction, the German source beside it', async () => {
    const admin = await loginAs(t, 'admin');
    const targets = LANGUAGE_REGISTRY.filter((l) => l.code !== 'de');
    expect(targets.length).toBeGreaterThan(0);
    for (const l of targets) {
      const page = await admin.agent.get(`/admin/translations/house/0/rules/${l.code}`);
      expect(page.status, l.code).toBe(200);
      expect(page.text).toMatch(new RegExp(`<textarea id="translation" name="translation" rows="12" lang="${l.code}" dir="${l.dir}"`));
      expect(page.text).toContain('<div class="prewrap translation-source-text" lang="de" dir="ltr">1. Bitte leise sein nach 22 Uhr.');
    }
    // The list offers every target language for every text.
    const list = await admin.agent.get('/admin/translations');
    for (const l of targets) expect(list.text).toContain(`href="/admin/translations/room/${room.id}/floor/${l.code}"`);
  });

  it('shows a missing translation in German with the note and lang="de", a translated one in the page language', async () => {
    const en = async (path: string) => (await t.request.get(`${path}${path.includes('?') ? '&' : '?'}lang=en`)).text;
    let rules = await en('/rules');
    expect(rules).toContain('<p class="house-text-note">(only in German)</p>');
    expect(rules).toContain(`<div class="prewrap text-page" lang="de" dir="ltr">${RULES_DE}</div>`);
    let page = await en(`/rooms/${room.slug}`);
    expect(page).toContain('<p class="prewrap" lang="de" dir="ltr">Heller Saal mit Bühne.</p>');
    expect(page).toContain('<span lang="de" dir="ltr">Erdgeschoss</span> <span class="house-text-note">(only in German)</span>');
    // German pages never carry the note.
    const de = (await t.request.get(`/rooms/${room.slug}?lang=de`)).text;
    expect(de).not.toContain('house-text-note');
    expect(de).toContain('<p class="prewrap">Heller Saal mit Bühne.</p>');

    const admin = await loginAs(t, 'admin');
    await admin.post('/admin/translations/house/0/rules/en', '/admin/translations/house/0/rules/en', { translation: RULES_EN });
    const desc = `/admin/translations/room/${room.id}/description/en`;
    await admin.post(desc, desc, { translation: 'Bright hall with a stage.' });
    rules = await en('/rules');
    expect(rules).toContain(`<div class="prewrap text-page">${RULES_EN}</div>`);
    expect(rules).not.toContain('house-text-note');
    page = await en(`/rooms/${room.slug}`);
    expect(page).toContain('<p class="prewrap">Bright hall with a stage.</p>');
    // The floor is still only German.
    expect(page).toContain('<span lang="de" dir="ltr">Erdgeschoss</span> <span class="house-text-note">(only in German)</span>');
    const list = await en('/rooms');
    expect(list).toContain('<p>Bright hall with a stage.</p>');
    // The request form says the privacy notice is only in German, not the rules any more.
    const form = await en('/requests/new');
    expect(form).toMatch(/privacy notice<\/a> <span class="house-text-note">\(only in German\)<\/span>/);
    expect(form).not.toMatch(/house rules<\/a> <span class="house-text-note">/);
  });

  it('shows a public closure’s label in the page language on the week', async () => {
    const block = await aBlockedTime(t.ctx.db, { from: '2026-11-26', label: 'Betriebsausflug' });
    const caretaker = await loginAs(t, 'caretaker');
    const path = `/admin/translations/block/${block.id}/label/en`;
    expect((await caretaker.agent.get(`/admin/translations?block=${block.id}`)).text).toContain(path);
    expect((await caretaker.post(path, path, { translation: 'Staff outing' })).status).toBe(303);
    const week = (await t.request.get('/week?date=2026-11-26&lang=en')).text;
    expect(week).toContain('Staff outing');
    expect(week).not.toContain('Betriebsausflug');
    expect((await t.request.get('/week?date=2026-11-26&lang=de')).text).toContain('Betriebsausflug');
    // Finding a free room names the closure in the page language too.
    const search = (await t.request.get('/search?date=2026-11-26&start=10:00&end=12:00&lang=en')).text;
    expect(search).toContain('Staff outing');
    expect(search).not.toContain('Betriebsausflug');
    // The availability API (which answers before the pages' middleware) names it the same way, by ?lang= or Accept-Language.
    const titles = (res: { body: { busy: { title?: string }[] } }) => res.body.busy.map((b) => b.title);
    const api = await t.request.get('/api/v1/availability?from=2026-11-26&to=2026-11-26&lang=en');
    expect(api.status).toBe(200);
    expect(titles(api)).toContain('Staff outing');
    expect(api.text).not.toContain('Betriebsausflug');
    const byHeader = await t.request.get('/api/v1/availability?from=2026-11-26&to=2026-11-26').set('Accept-Language', 'en');
    expect(titles(byHeader)).toContain('Staff outing');
    const german = await t.request.get('/api/v1/availability?from=2026-11-26&to=2026-11-26&lang=de');
    expect(titles(german)).toContain('Betriebsausflug');
    expect(german.text).not.toContain('Staff outing');
  });

  it('marks a translation outdated when the German changes, and shows outdated rules in German', async () => {
    const admin = await loginAs(t, 'admin');
    await admin.post('/admin/translations/house/0/rules/en', '/admin/translations/house/0/rules/en', { translation: RULES_EN });
    const desc = `/admin/translations/room/${room.id}/description/en`;
    await admin.post(desc, desc, { translation: 'Bright hall with a stage.' });
    const state = async (path: string) => {
      const list = (await admin.agent.get('/admin/translations?lang=en')).text;
      return new RegExp(`href="${path}"><span lang="en">English</span>: (\\w+)</a>`).exec(list)?.[1];
    };
    expect(await state('/admin/translations/house/0/rules/en')).toBe('translated');
    expect(await state(`/admin/translations/room/${room.id}/floor/en`)).toBe('missing');

    await t.ctx.db
      .updateTable('settings')
      .set({ rules_text: `${RULES_DE}\n3. Tür abschließen.`, rules_version: 4 })
      .execute();
    await t.ctx.db.updateTable('rooms').set({ description: 'Heller Saal mit Bühne und Flügel.' }).where('id', '=', room.id).execute();
    expect(await state('/admin/translations/house/0/rules/en')).toBe('outdated');
    expect(await state(desc)).toBe('outdated');
    expect((await admin.agent.get('/admin/translations/house/0/rules/en?lang=en')).text).toContain('The text was changed after it was translated.');

    // Rules a group accepts: the current German with the note, never the outdated translation.
    const rules = (await t.request.get('/rules?lang=en')).text;
    expect(rules).toContain('<p class="house-text-note">(only in German)</p>');
    expect(rules).toContain('3. Tür abschließen.');
    expect(rules).not.toContain('Please be quiet');
    // A description: the older translation still helps more than none.
    expect((await t.request.get(`/rooms/${room.slug}?lang=en`)).text).toContain('<p class="prewrap">Bright hall with a stage.</p>');

    // Saving the translation again makes it current.
    await admin.post('/admin/translations/house/0/rules/en', '/admin/translations/house/0/rules/en', { translation: `${RULES_EN}\n3. Lock the door.` });
    expect(await state('/admin/translations/house/0/rules/en')).toBe('translated');
  });

  it('stores with the request which rules and privacy version the group was shown, in which language', async () => {
    const admin = await loginAs(t, 'admin');
    await admin.post('/admin/translations/house/0/rules/en', '/admin/translations/house/0/rules/en', { translation: RULES_EN });
    await admin.post('/admin/translations/house/0/rules/en', '/admin/translations/house/0/rules/en', { translation: `${RULES_EN}\n3. Lock the door.` });

    const english = await formAgent(t).post('/requests', validFields(room.slug, { title: 'Englisch' }), { lang: 'en' });
    expect(english.status).toBe(303);
    const german = await formAgent(t).post('/requests', validFields(room.slug, { title: 'Deutsch', date: '2026-12-02' }), { lang: 'de' });
    expect(german.status).toBe(303);
    const stored = await t.ctx.db
      .selectFrom('requests')
      .select(['id', 'title', 'rules_version', 'rules_lang', 'rules_translation_version', 'privacy_version', 'privacy_lang', 'privacy_translation_version'])
      .orderBy('id')
      .execute();
    expect(stored.map(({ id: _id, ...r }) => r)).toEqual([
      {
        title: 'Englisch',
        rules_version: 3,
        rules_lang: 'en',
        rules_translation_version: 2,
        privacy_version: 1,
        privacy_lang: 'de',
        privacy_translation_version: null,
      },
      {
        title: 'Deutsch',
        rules_version: 3,
        rules_lang: 'de',
        rules_translation_version: null,
        privacy_version: 1,
        privacy_lang: 'de',
        privacy_translation_version: null,
      },
    ]);
    const detail = (await admin.agent.get(`/admin/requests/${stored[0]!.id}?lang=de`)).text;
    expect(detail).toContain('Nutzungsordnung Fassung 3, gelesen auf Englisch (Übersetzung Fassung 2); Datenschutzhinweis Fassung 1, gelesen auf Deutsch');
    const detailEn = (await admin.agent.get(`/admin/requests/${stored[0]!.id}?lang=en`)).text;
    expect(detailEn).toContain('House rules version 3, read in English (translation version 2); Privacy notice version 1, read in German');
  });
});
