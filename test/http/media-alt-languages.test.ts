// Pictures' alt texts in every language (issue 14's leftovers): the house language's text is written with the
// picture, the other languages are translations on /admin/translations (state translated, missing, outdated), and
// a public page shows the photo's description in the page language, else the German one marked lang="de".
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csrfFrom, makeTestApp, type TestApp } from '../helpers/app.js';
import { aRoom } from '../helpers/factories.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';

let t: TestApp;
let room: { id: number; slug: string; name: string };
let staff: LoggedIn;

beforeEach(async () => {
  t = await makeTestApp();
  room = await aRoom(t.ctx.db, { name: 'Großer Saal', slug: 'grosser-saal' });
  staff = await loginAs(t, 'caretaker');
});
afterEach(() => t.close());

async function addPhoto(alt: string): Promise<number> {
  const page = await staff.agent.get(`/admin/rooms/${room.id}/photos`);
  const bytes = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#48a' } })
    .jpeg()
    .toBuffer();
  const res = await staff.agent
    .post(`/admin/rooms/${room.id}/photos`)
    .field('_csrf', csrfFrom(page.text))
    .field('alt_de', alt)
    .attach('file', bytes, { filename: 'a.jpg', contentType: 'image/jpeg' });
  expect(res.status).toBe(303);
  const row = await t.ctx.db.selectFrom('media').select('id').where('alt_de', '=', alt).executeTakeFirstOrThrow();
  return row.id;
}

const translate = (id: number, lang: string, text: string) => {
  const path = `/admin/translations/media/${id}/alt/${lang}`;
  return staff.post(path, path, { translation: text });
};

/** The alt attribute (and lang, if any) of the room page's photo `src` id. */
function imgOf(html: string, id: number): { alt: string; lang: string | null } | null {
  const m = new RegExp(`<img src="/media/${id}-[^"]+"[^>]* alt="([^"]*)"(?: lang="([^"]+)")?`).exec(html);
  return m ? { alt: m[1]!, lang: m[2] ?? null } : null;
}

describe("photos' alt texts in other languages", () => {
  it('shows the Turkish description on the Turkish room page and the German one, marked lang="de", where none is translated', async () => {
    const id = await addPhoto('Der Saal mit Bühne und Fenstern');
    expect((await translate(id, 'tr', 'Sahneli ve pencereli salon')).status).toBe(303);

    const tr = await t.request.get(`/rooms/${room.slug}?lang=tr`);
    expect(imgOf(tr.text, id)).toEqual({ alt: 'Sahneli ve pencereli salon', lang: null });
    expect(tr.text).not.toContain('alt="Der Saal mit Bühne und Fenstern"');
    // The rooms list's thumbnail too.
    expect((await t.request.get('/rooms?lang=tr')).text).toMatch(/class="card-thumb"[^>]* alt="Sahneli ve pencereli salon"/);

    // Polish and English have no translation: the German text with its language.
    for (const lang of ['pl', 'en', 'ar']) {
      const page = await t.request.get(`/rooms/${room.slug}?lang=${lang}`);
      expect(imgOf(page.text, id)).toEqual({ alt: 'Der Saal mit Bühne und Fenstern', lang: 'de' });
    }
    // Leichte Sprache is German too, but not the German the house wrote: marked as standard German.
    expect(imgOf((await t.request.get(`/rooms/${room.slug}?lang=de-x-ls`)).text, id)).toEqual({ alt: 'Der Saal mit Bühne und Fenstern', lang: 'de' });
    // German: the source, without a lang of its own.
    expect(imgOf((await t.request.get(`/rooms/${room.slug}`)).text, id)).toEqual({ alt: 'Der Saal mit Bühne und Fenstern', lang: null });
  });

  it('lists each photo on /admin/translations as translated, missing or outdated, and refuses a too long translation keeping it', async () => {
    const id = await addPhoto('Die Küche am Saal');
    const list = async () => (await staff.agent.get(`/admin/translations?room=${room.id}`)).text;
    const stateOf = (html: string, lang: string) => {
      const m = new RegExp(`href="/admin/translations/media/${id}/alt/${lang}"[^>]*>[\\s\\S]*?</a>`).exec(html);
      return m ? m[0] : '';
    };
    let html = await list();
    expect(html).toContain('Großer Saal, Foto 1: Bildbeschreibung');
    expect(stateOf(html, 'tr')).toContain('fehlt');

    const long = await translate(id, 'tr', 'ç'.repeat(301));
    expect(long.status).toBe(400);
    expect(long.text).toContain('ç'.repeat(301));
    expect(await t.ctx.db.selectFrom('house_text_translations').selectAll().execute()).toEqual([]);

    expect((await translate(id, 'tr', 'Salonun yanındaki mutfak')).status).toBe(303);
    html = await list();
    expect(stateOf(html, 'tr')).toContain('übersetzt');

    // The German description changes: the Turkish one is outdated (and still shown: a description, not a binding text).
    const base = `/admin/rooms/${room.id}/photos`;
    expect((await staff.post(`${base}/${id}/alt`, base, { alt_de: 'Die Lehrküche am Saal' })).status).toBe(303);
    html = await list();
    expect(stateOf(html, 'tr')).toContain('veraltet');
    expect(imgOf((await t.request.get(`/rooms/${room.slug}?lang=tr`)).text, id)).toEqual({ alt: 'Salonun yanındaki mutfak', lang: null });
    // The staff's own photo page links to them.
    expect((await staff.agent.get(base)).text).toContain(`href="/admin/translations?media=${id}"`);
  });

  it("keeps the floor plan's translations for the admin, like the house's other texts", async () => {
    const admin = await loginAs(t, 'admin');
    const page = await admin.agent.get('/admin/settings/images');
    const png = await sharp({ create: { width: 1600, height: 1000, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const up = await admin.agent
      .post('/admin/settings/images/floor-plan')
      .field('_csrf', csrfFrom(page.text))
      .field('alt_de', 'Erdgeschoss: links der Saal')
      .attach('file', png, { filename: 'plan.png', contentType: 'image/png' });
    expect(up.status).toBe(303);
    const plan = await t.ctx.db.selectFrom('media').select('id').where('kind', '=', 'floor_plan').executeTakeFirstOrThrow();
    const path = `/admin/translations/media/${plan.id}/alt/tr`;
    expect((await staff.agent.get(path)).status).toBe(403);
    expect((await staff.agent.get('/admin/translations')).text).not.toContain(path);
    expect((await admin.post(path, path, { translation: 'Zemin kat: solda salon' })).status).toBe(303);
    expect((await t.request.get('/rooms?lang=tr')).text).toContain('alt="Zemin kat: solda salon"');
  });
});
