// The audit of the house's public texts and embed settings (issue 15): a public programme text changed by staff
// or the group, the websites allowed to embed, a house text translated, the API's websites. Each leaves one entry
// naming the fields that changed (never the texts themselves), shown in words on /admin/audit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { audit } from '../../src/audit/log.js';

describe('audit of public texts and embed settings', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let room: { id: number; slug: string; name: string };
  beforeEach(async () => {
    t = await makeTestApp();
    room = await aRoom(t.ctx.db, { slug: 'saal', name: 'Saal' });
    admin = await loginAs(t, 'admin');
  });
  afterEach(() => t.close());

  const entries = (action: string) => t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();

  it('records a public programme text edited by staff, by field name, and shows it in words', async () => {
    const b = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-10' });
    const path = `/admin/requests/${b.requestId}/public`;
    const fields = { publicEvent: 'on', publicTitle: 'Nähcafé', publicDescription: 'Wir nähen Säume.', publicLanguage: 'de' };
    expect((await admin.post(path, path, fields)).status).toBe(303);
    // Saving it unchanged writes nothing.
    expect((await admin.post(path, path, fields)).status).toBe(303);
    expect((await admin.post(path, path, { ...fields, publicDescription: 'Wir nähen Knöpfe an.' })).status).toBe(303);
    const logged = await entries('request.public_text');
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({ actor: 'user', user_id: admin.user.id, entity: 'request', entity_id: b.requestId });
    expect(JSON.parse(logged[0]!.details)).toEqual({
      changed: ['publicEvent', 'publicTitle', 'publicDescription', 'publicLanguage'],
      publicEvent: { from: false, to: true },
      publicLanguage: { from: null, to: 'de' },
    });
    expect(JSON.parse(logged[1]!.details)).toEqual({ changed: ['publicDescription'] });
    for (const e of logged) expect(e.details).not.toMatch(/Säume|Knöpfe|Nähcafé/);

    const page = (await admin.agent.get('/admin/audit?area=requests')).text;
    expect(page).toContain('Text für das öffentliche Programm geändert');
    expect(page).toContain('geändert: im öffentlichen Programm, Öffentlicher Titel, Öffentliche Beschreibung, Sprache der Beschreibung');
    expect(page).toContain('im öffentlichen Programm: nein → ja');
    expect(page).toContain('Sprache der Beschreibung: – → Deutsch');
    expect(page).toContain('geändert: Öffentliche Beschreibung');
    expect(page).not.toMatch(/publicDescription|Säume|Knöpfe/);
  });

  it('records the group’s own change of its public text as the group’s', async () => {
    const b = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-10' });
    const page = await t.request.get(`/requests/${b.token}/public`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const cookies = page.headers['set-cookie'] as unknown as string[];
    const res = await t.request
      .post(`/requests/${b.token}/public`)
      .set('Cookie', cookies)
      .type('form')
      .send({ _csrf: csrf, publicEvent: 'on', publicTitle: 'Nähcafé', publicDescription: 'Wir nähen.', publicLanguage: 'de' });
    expect(res.status).toBe(303);
    const logged = await entries('request.public_text');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ actor: 'group', user_id: null, entity_id: b.requestId });
  });

  it('records the websites allowed to embed, before and after, and nothing for an unchanged save', async () => {
    const path = '/admin/programme/embed';
    expect((await admin.post(path, path, { origins: 'https://quartier.example' })).status).toBe(303);
    expect((await admin.post(path, path, { origins: 'https://quartier.example/' })).status).toBe(303);
    expect((await admin.post(path, path, { origins: 'https://quartier.example\nhttps://stadt.example' })).status).toBe(303);
    expect((await admin.post(path, path, { origins: '' })).status).toBe(303);
    const logged = await entries('settings.embed_origins');
    expect(logged.map((e) => JSON.parse(e.details))).toEqual([
      { embed_origins: { from: '', to: 'https://quartier.example' } },
      { embed_origins: { from: 'https://quartier.example', to: 'https://quartier.example\nhttps://stadt.example' } },
      { embed_origins: { from: 'https://quartier.example\nhttps://stadt.example', to: '' } },
    ]);
    const page = (await admin.agent.get('/admin/audit?area=settings')).text;
    expect(page).toContain('Einbetten auf anderen Webseiten geändert');
    expect(page).toContain('Webseiten, die einbetten dürfen: – → https://quartier.example');
    expect(page).toContain('Webseiten, die einbetten dürfen: https://quartier.example → https://quartier.example, https://stadt.example');
    expect(page).toContain('Webseiten, die einbetten dürfen: https://quartier.example, https://stadt.example → –');
  });

  it('shows a translated house text and a change of the API’s websites in words, under settings', async () => {
    await t.ctx.db.updateTable('rooms').set({ description: 'Heller Saal.' }).where('id', '=', room.id).execute();
    const path = `/admin/translations/room/${room.id}/description/en`;
    expect((await admin.post(path, path, { translation: 'Bright hall.' })).status).toBe(303);
    await audit(t.ctx.db, {
      at: t.clock().getTime() + 1000,
      userId: admin.user.id,
      actor: 'user',
      action: 'settings.updated',
      entity: 'settings',
      entityId: 1,
      details: { changed: ['api_origins'], api_origins: { from: '', to: 'https://a.example\nhttps://b.example' } },
    });
    const page = (await admin.agent.get('/admin/audit?area=settings')).text;
    expect(page).toContain('Haustext übersetzt');
    expect(page).toContain('Text: Saal: Beschreibung');
    expect(page).toContain('Sprache: English');
    expect(page).toContain('Version der Übersetzung: 1');
    expect(page).not.toContain('Bright hall');
    expect(page).toContain('geändert: Webseiten, die die API lesen dürfen');
    expect(page).toContain('Webseiten, die die API lesen dürfen: – → https://a.example, https://b.example');
    expect(page).not.toMatch(/api_origins|accessibility_notes/);
  });
});
