import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aHouse } from '../helpers/mail.js';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
  await aHouse(t);
});
afterEach(() => t.close());

/** The page's main content, without header and footer (which link to the same pages on their own). */
function mainOf(html: string): string {
  const start = html.indexOf('<main');
  const end = html.indexOf('</main>');
  if (start < 0 || end < 0) throw new Error('no <main> in the page');
  return html.slice(start, end);
}

/** The items of the page's ordered list of steps. */
function stepsOf(html: string): string[] {
  const list = /<ol class="howto-steps">([\s\S]*?)<\/ol>/.exec(html);
  if (!list) throw new Error('no ordered list of steps');
  return list[1]!.split('<li>').slice(1);
}

/** What people read: the text without tags and attributes. */
const textOf = (html: string) => html.replace(/<[^>]*>/g, ' ');

const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);

describe('GET /how-to-book', () => {
  it('explains in German, step by step, with links to the rooms, the week, the search, the form and the rules', async () => {
    const res = await t.request.get('/how-to-book');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="de" dir="ltr">');
    const main = mainOf(res.text);
    expect(main).toContain('<h1>So fragen Sie einen Raum an</h1>');
    const steps = stepsOf(main);
    expect(steps).toHaveLength(11);
    expect(steps[0]).toContain('href="/rooms"');
    expect(steps[1]).toContain('href="/week"');
    expect(steps[1]).toContain('href="/search"');
    expect(steps[2]).toContain('href="/requests/new"');
    expect(steps.some((s) => s.includes('Termine anzeigen'))).toBe(true);
    expect(steps.some((s) => s.includes('href="/rules"') && s.includes('Anfrage senden'))).toBe(true);
    expect(steps.at(-1)).toContain('bis der Termin beginnt');
    // The call step with the house's phone and e-mail, as links.
    expect(main).toContain('Rufen Sie uns an');
    expect(hrefs(main)).toContain('tel:0304445556');
    expect(hrefs(main)).toContain('mailto:haus@example.org');
    expect(main).not.toContain('howto.');
  });

  it('speaks English with ?lang=en', async () => {
    const res = await t.request.get('/how-to-book?lang=en');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="en" dir="ltr">');
    const main = mainOf(res.text);
    expect(main).toContain('<h1>How to book a room</h1>');
    expect(stepsOf(main)).toHaveLength(11);
    expect(main).toContain('Show dates');
    expect(main).toContain('Send request');
    expect(textOf(main)).not.toMatch(/Raum|Anfrage|Termin/);
  });

  it('is complete in Leichte Sprache: the easy-read texts, no note that texts are missing', async () => {
    const res = await t.request.get('/how-to-book?lang=de-x-ls');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="de-x-ls" dir="ltr">');
    const main = mainOf(res.text);
    expect(main).toContain('Ein Formular ist eine Seite mit Feldern.');
    expect(main).toContain('Bestätigt heißt: Ja, Sie bekommen den Raum.');
    expect(main).not.toContain('Leichter Sprache');
    expect(main).not.toContain('normaler Sprache');
    // None of the standard German texts of the page.
    expect(main).not.toContain('Schritt für Schritt');
    expect(main).not.toContain('Solange das Haus noch nicht entschieden hat');
  });

  it('reads right to left in Arabic, the phone number kept left to right', async () => {
    const res = await t.request.get('/how-to-book?lang=ar');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="ar" dir="rtl">');
    const main = mainOf(res.text);
    expect(main).toContain('<h1>كيف تطلبون حجز غرفة</h1>');
    expect(stepsOf(main)).toHaveLength(11);
    expect(main).toMatch(/<bdi dir="ltr">030 4445556<\/bdi>/);
    expect(textOf(main)).not.toMatch(/Raum|Anfrage|room|request/i);
  });

  it('leaves the call step out when the house has no phone', async () => {
    await t.ctx.db.updateTable('settings').set({ contact_phone: '' }).where('id', '=', 1).execute();
    const main = mainOf((await t.request.get('/how-to-book')).text);
    expect(stepsOf(main)).toHaveLength(11);
    expect(main).not.toContain('Rufen Sie uns an oder schreiben');
    expect(main).not.toContain('tel:');
  });

  it('is linked from the start page, near the request button, and from the request form', async () => {
    const home = mainOf((await t.request.get('/')).text);
    const ask = home.slice(home.indexOf('id="ask-title"'));
    expect(ask).toContain('<a href="/how-to-book">So fragen Sie einen Raum an: Schritt für Schritt</a>');
    const form = mainOf((await t.request.get('/requests/new?lang=en')).text);
    expect(form).toMatch(/<p class="lead">[^<]*<a href="\/how-to-book">How to book a room, step by step<\/a><\/p>/);
  });
});
