import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/login.js';

function form(o: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = {
    house_name: 'Haus der Begegnung',
    street: 'Lindenstraße 12',
    postal_code: '10969',
    city: 'Berlin',
    contact_name: 'Frau Lindner',
    contact_email: 'raum@hdb.example.org',
    contact_phone: '030 1234567',
    lead_time_days: '3',
    horizon_months: '6',
    retention_months: '9',
    federal_state: 'NW',
    default_language: 'de',
    timezone: 'Europe/Berlin',
    about_text: 'Ein Haus für alle.',
    rules_text: '',
    privacy_text: '',
    imprint_text: 'Träger: Nachbarschaftsverein',
  };
  for (const d of ['1', '2', '3', '4', '5']) Object.assign(base, { [`open_${d}`]: '09:00', [`close_${d}`]: '21:30' });
  Object.assign(base, { open_6: '10:00', close_6: '18:00', open_7: '', close_7: '', closed_7: '1' });
  return { ...base, ...o };
}

describe('house settings', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp()));
  afterEach(() => t.close());

  it('refuses bad values with 400 and a message at each field, keeping what was typed', async () => {
    const { agent, csrf } = await loginAs(t, 'admin');
    const res = await agent
      .post('/admin/settings')
      .type('form')
      .send({
        ...form({
          house_name: '',
          timezone: 'Mars/Olympus',
          federal_state: 'XX',
          lead_time_days: 'zwei',
          open_2: '22:00',
          close_2: '08:00',
          contact_email: 'kein-at',
        }),
        _csrf: await csrf('/admin/settings'),
      });
    expect(res.status).toBe(400);
    for (const f of ['house_name', 'timezone', 'federal_state', 'lead_time_days', 'open_2', 'contact_email']) expect(res.text, f).toContain(`id="${f}-error"`);
    expect(res.text).toContain('value="Mars/Olympus"');
    expect(res.text).toContain('Das Ende der Öffnungszeit muss nach ihrem Beginn liegen.');
    const row = await t.ctx.db.selectFrom('settings').selectAll().executeTakeFirstOrThrow();
    expect(row.house_name).toBe('Raumbuch');
  });

  it('saves every field and the opening hours', async () => {
    const { agent, csrf, user } = await loginAs(t, 'admin');
    const res = await agent
      .post('/admin/settings')
      .type('form')
      .send({ ...form(), _csrf: await csrf('/admin/settings') });
    expect(res.status).toBe(303);
    const row = await t.ctx.db.selectFrom('settings').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      house_name: 'Haus der Begegnung',
      street: 'Lindenstraße 12',
      postal_code: '10969',
      city: 'Berlin',
      contact_name: 'Frau Lindner',
      contact_email: 'raum@hdb.example.org',
      contact_phone: '030 1234567',
      lead_time_days: 3,
      horizon_months: 6,
      retention_months: 9,
      federal_state: 'NW',
      default_language: 'de',
      timezone: 'Europe/Berlin',
      about_text: 'Ein Haus für alle.',
      imprint_text: 'Träger: Nachbarschaftsverein',
      rules_version: 1,
      privacy_version: 1,
    });
    expect(JSON.parse(row.opening_hours)).toEqual({
      1: { open: '09:00', close: '21:30' },
      2: { open: '09:00', close: '21:30' },
      3: { open: '09:00', close: '21:30' },
      4: { open: '09:00', close: '21:30' },
      5: { open: '09:00', close: '21:30' },
      6: { open: '10:00', close: '18:00' },
      7: null,
    });
    const log = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'settings.updated').executeTakeFirstOrThrow();
    expect(log.user_id).toBe(user.id);
    expect(JSON.parse(log.details).changed).toContain('opening_hours');
    const page = await agent.get('/admin/settings');
    expect(page.text).toContain('Die Einstellungen wurden gespeichert.');
    expect(page.text).toContain('value="Haus der Begegnung"');
    // The page's own list of languages (default language) does not replace the layout's language switch.
    expect(page.text).toContain('<option value="en" lang="en" dir="ltr">English</option>');
    expect(page.text).toMatch(/<select id="default_language"[^>]*>\s*<option value="de" selected>Deutsch<\/option><option value="en">English<\/option>/);
  });

  it('gives changed house rules and privacy texts a new version and keeps each version', async () => {
    const { agent, csrf } = await loginAs(t, 'admin');
    const token = await csrf('/admin/settings');
    await agent
      .post('/admin/settings')
      .type('form')
      .send({ ...form({ rules_text: 'Bitte Stühle hochstellen.' }), _csrf: token });
    await agent
      .post('/admin/settings')
      .type('form')
      .send({ ...form({ rules_text: 'Bitte Stühle hochstellen.', privacy_text: 'Wir speichern nur, was nötig ist.' }), _csrf: token });
    // Saving again without a change does not make a new version.
    await agent
      .post('/admin/settings')
      .type('form')
      .send({ ...form({ rules_text: 'Bitte Stühle hochstellen.', privacy_text: 'Wir speichern nur, was nötig ist.' }), _csrf: token });
    const row = await t.ctx.db.selectFrom('settings').selectAll().executeTakeFirstOrThrow();
    expect(row.rules_version).toBe(2);
    expect(row.privacy_version).toBe(2);
    const versions = await t.ctx.db.selectFrom('document_versions').select(['kind', 'version', 'text']).orderBy('kind').orderBy('version').execute();
    expect(versions).toEqual([
      { kind: 'privacy', version: 1, text: '' },
      { kind: 'privacy', version: 2, text: 'Wir speichern nur, was nötig ist.' },
      { kind: 'rules', version: 1, text: '' },
      { kind: 'rules', version: 2, text: 'Bitte Stühle hochstellen.' },
    ]);
  });

  it('warns after a time zone change that existing bookings keep their instants', async () => {
    const { agent, csrf } = await loginAs(t, 'admin');
    const res = await agent
      .post('/admin/settings')
      .type('form')
      .send({ ...form({ timezone: 'Europe/Vienna' }), _csrf: await csrf('/admin/settings') });
    expect(res.status).toBe(303);
    const page = await agent.get('/admin/settings');
    expect(page.text).toContain('Bestehende Buchungen behalten ihren Zeitpunkt');
    const log = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'settings.updated').executeTakeFirstOrThrow();
    expect(JSON.parse(log.details).timezone).toEqual({ from: 'Europe/Berlin', to: 'Europe/Vienna' });
  });
});
