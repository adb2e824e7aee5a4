// The request form answers where people look: Enter sends, a preview opens at its dates, and the language
// switch on the form posts everything typed and answers it in the other language, nothing lost, nothing stored.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aRoom } from '../helpers/factories.js';
import { fieldError, formAgent, inputValue, tokenFrom, validFields } from '../helpers/request-form.js';

/** Every submit button whose form owner is the request form, in tree order (the first is what Enter presses). */
function formButtons(html: string): { name: string; value: string; formaction: string | null }[] {
  const formStart = html.search(/<form [^>]*id="request-form"/);
  const formEnd = html.indexOf('</form>', formStart);
  const out: { name: string; value: string; formaction: string | null }[] = [];
  for (const m of html.matchAll(/<button\b([^>]*)>/g)) {
    const attrs = m[1]!;
    const attr = (n: string) => new RegExp(`\\s${n}="([^"]*)"`).exec(attrs)?.[1] ?? null;
    const type = attr('type') ?? 'submit';
    if (type !== 'submit') continue;
    const owner = attr('form') ?? (m.index > formStart && m.index < formEnd ? 'request-form' : null);
    if (owner !== 'request-form') continue;
    out.push({ name: attr('name') ?? '', value: attr('value') ?? '', formaction: attr('formaction') });
  }
  return out;
}

const count = async (t: TestApp, table: 'requests' | 'bookings' | 'outbox') =>
  Number(
    (
      await t.ctx.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('the request form answers where people look', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
    await aRoom(t.ctx.db, { slug: 'gruppenraum', name: 'Gruppenraum', capacity: 20, equipment: ['whiteboard', 'wifi'] });
    await aRoom(t.ctx.db, { slug: 'lehrkueche', name: 'Lehrküche', capacity: 14, equipment: ['kitchen', 'dishes'] });
  });
  afterEach(() => t.close());

  it('makes "send" the button Enter presses, on the new form and on the edit form', async () => {
    const f = formAgent(t);
    const page = await f.get('/requests/new');
    const buttons = formButtons(page.text);
    // The first is the send button: no action (sending is what the form does without one) or action=send.
    expect(buttons[0]!.value === 'send' || buttons[0]!.name === '').toBe(true);
    // "Termine anzeigen" is still there, after it.
    expect(buttons.some((b) => b.value === 'preview')).toBe(true);

    // What Enter sends (the first button's name and value) stores the request.
    const fields = validFields('gruppenraum');
    delete fields.action;
    if (buttons[0]!.name) fields[buttons[0]!.name] = buttons[0]!.value;
    const sent = await f.post('/requests', fields);
    expect(sent.status).toBe(303);
    const edit = await f.get(`/requests/${tokenFrom(sent)}/edit`);
    const first = formButtons(edit.text)[0]!;
    expect(first.value === 'send' || first.name === '').toBe(true);
    expect(await count(t, 'requests')).toBe(1);
  });

  it('opens the answer to a preview at its dates: "Termine anzeigen" posts to #form-answer, the dates carry it, with a heading and a status', async () => {
    const f = formAgent(t);
    const page = await f.get('/requests/new');
    const previews = formButtons(page.text).filter((b) => b.value === 'preview');
    expect(previews.length).toBeGreaterThan(0);
    for (const b of previews) expect(b.formaction).toBe('/requests#form-answer');
    // Sending goes to the plain address (its answer, the manage page, gets no fragment).
    expect(page.text).toMatch(/<form method="post" action="\/requests" id="request-form"/);
    expect(page.text).not.toContain('id="form-answer"');

    const res = await f.post('/requests', validFields('gruppenraum', { repeat: 'weekly', everyWeeks: '1', lastDate: '2026-12-29', action: 'preview' }));
    expect(res.status).toBe(200);
    const section = /<section class="series-preview" id="form-answer" aria-labelledby="preview-heading">([\s\S]*?)<\/section>/.exec(res.text);
    expect(section, 'the preview section is the answer').not.toBeNull();
    expect(section![1]).toMatch(/<h2 id="preview-heading" tabindex="-1">Ihre Termine<\/h2>/);
    expect(section![1]).toMatch(/<p role="status">5 von 5 Terminen können angefragt werden.<\/p>/);
    // Exactly one answer anchor on the page.
    expect(res.text.match(/id="form-answer"/g)).toHaveLength(1);
    expect(await count(t, 'requests')).toBe(0);
  });

  it('opens a refused send at the top (the error summary), not at an anchor further down', async () => {
    const res = await formAgent(t).post('/requests', validFields('gruppenraum', { title: '' }));
    expect(res.status).toBe(422);
    expect(res.text).not.toContain('id="form-answer"');
    expect(res.text).toContain('class="error-summary"');
  });

  describe('switching language keeps every field', () => {
    const typed = validFields('lehrkueche', {
      date: '2026-12-03',
      start: '14:00',
      end: '16:30',
      title: 'Kochkurs „Suppen“ <für alle>',
      publicTitle: 'Offenes Kochen',
      showPublicTitle: 'on',
      organisation: 'Nachbarschaftsverein',
      contactName: 'Jörg Müller',
      email: 'joerg@example.org',
      phone: '+49 30 98765',
      attendees: '9',
      category: 'culture',
      equipment: ['kitchen', 'dishes'],
      notes: 'Zwei Zeilen\nbitte',
      repeat: 'weekly',
      everyWeeks: '2',
      lastDate: '2027-02-25',
      acceptRules: 'on',
      acceptPrivacy: '',
      action: 'language',
    });

    function expectEverythingKept(html: string) {
      for (const k of ['date', 'start', 'end', 'title', 'publicTitle', 'organisation', 'contactName', 'email', 'phone', 'attendees', 'lastDate'] as const) {
        expect(inputValue(html, k), k).toBe(typed[k]);
      }
      expect(html).toMatch(/<option value="lehrkueche"[^>]* selected>/);
      expect(html).toMatch(/<option value="culture" selected>/);
      expect(html).toMatch(/<option value="2" selected>/);
      expect(html).toMatch(/id="repeat-weekly" name="repeat" value="weekly" checked/);
      expect(html).toMatch(/id="equipment-kitchen" name="equipment" value="kitchen" checked/);
      expect(html).toMatch(/id="equipment-dishes" name="equipment" value="dishes" checked/);
      expect(html).toMatch(/id="showPublicTitle" name="showPublicTitle" value="on" checked/);
      expect(html).toMatch(/id="acceptRules" name="acceptRules" value="on" checked/);
      expect(html).not.toMatch(/id="acceptPrivacy" name="acceptPrivacy" value="on" checked/);
      expect(html).toContain('Zwei Zeilen\nbitte</textarea>');
      // Nothing was checked: no error shown.
      expect(html).not.toContain('class="error-summary"');
      expect(html).not.toContain('class="field-error"');
    }

    it('from German to English and back, remembered like the normal switch, nothing stored', async () => {
      const f = formAgent(t);
      const en = await f.post('/requests', { ...typed, lang: 'en' }, { lang: 'de' });
      expect(en.status).toBe(200);
      expect(en.text).toContain('<html lang="en" dir="ltr">');
      expect(en.text).toContain('Everything you typed is still here; nothing was sent.');
      expect(en.text).toContain('>Send request</button>');
      expectEverythingKept(en.text);
      expect(String(en.headers['set-cookie'])).toMatch(/lang=en/);
      // The next page comes in English without ?lang.
      expect((await f.agent.get('/week')).text).toContain('<html lang="en"');

      const de = await f.post('/requests', { ...typed, lang: 'de' }, { from: '/requests/new' });
      expect(de.status).toBe(200);
      expect(de.text).toContain('<html lang="de" dir="ltr">');
      expect(de.text).toContain('Ihre Angaben sind noch da; gesendet wurde nichts.');
      expectEverythingKept(de.text);
      expect((await f.agent.get('/week')).text).toContain('<html lang="de"');

      expect(await count(t, 'requests')).toBe(0);
      expect(await count(t, 'bookings')).toBe(0);
      expect(await count(t, 'outbox')).toBe(0);
    });

    it('keeps typed text that is not (yet) valid, without judging it', async () => {
      const res = await formAgent(t).post('/requests', { ...typed, email: 'not an address', attendees: 'viele', lang: 'en' });
      expect(res.status).toBe(200);
      expect(inputValue(res.text, 'email')).toBe('not an address');
      expect(inputValue(res.text, 'attendees')).toBe('viele');
      expect(fieldError(res.text, 'email')).toBeNull();
    });

    it('on the edit form too, without changing the request', async () => {
      const f = formAgent(t);
      const token = tokenFrom(await f.post('/requests', validFields('gruppenraum')));
      const res = await f.post(`/requests/${token}/edit`, { ...typed, room: 'gruppenraum', lang: 'en' }, { from: `/requests/${token}/edit` });
      expect(res.status).toBe(200);
      expect(res.text).toContain('<html lang="en" dir="ltr">');
      expect(inputValue(res.text, 'title')).toBe(typed.title);
      const stored = await t.ctx.db.selectFrom('requests').select(['title', 'start_time']).executeTakeFirstOrThrow();
      expect(stored).toEqual({ title: 'Deutschkurs', start_time: '18:00' });
    });

    it('puts the switch into the request form (select and button name it), elsewhere it stays a plain link-like GET form', async () => {
      const f = formAgent(t);
      const page = await f.get('/requests/new');
      expect(page.text).toMatch(/<select id="lang-select" name="lang" form="request-form">/);
      expect(formButtons(page.text).find((b) => b.value === 'language')).toMatchObject({ formaction: '/requests' });
      const week = await f.get('/week');
      expect(week.text).toMatch(/<form class="lang" method="get" action="\/week">/);
    });
  });
});
