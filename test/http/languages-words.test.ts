// No German or English word left in a translated page (issue 14): for each language written for the public side
// in full, the start page, week, room page, search, request form with errors, confirmation and manage page are
// read as a person reads them (tags, scripts, styles and attributes off; the house's untranslated texts, which carry
// their own lang="de", off; the names this test seeded off), and no word of the German or English public catalog
// (5 letters or more) may show unless the language's own catalog uses it too. Whole words, not phrases: a
// translation that keeps one German word in a sentence is caught too.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { aHouse } from '../helpers/mail.js';
import { formAgent, tokenFrom, validFields } from '../helpers/request-form.js';
import { loadCatalog, loadedCatalog } from '../../src/i18n/index.js';
import { LANGUAGE_REGISTRY } from '../../src/i18n/languages.js';
import { isStaffOnlyKey } from '../../src/i18n/scope.js';

/** The languages with a complete public catalog of their own (Leichte Sprache falls back to German by design). */
const TRANSLATED = LANGUAGE_REGISTRY.filter((l) => l.publicOnly && l.complete).map((l) => l.code);

/** Names this test puts into the house: they stay as they are in every language. */
const SEEDED_NAMES = ['Haus der Begegnung', 'Lindenstraße', 'Berlin', 'Gruppenraum', 'Deutschkurs', 'Lernwerkstatt e. V.', 'Erika Beispiel'];
/** Each language's own name in the language switch (an option may not carry its own lang). */
const LANGUAGE_NAMES = LANGUAGE_REGISTRY.map((l) => l.nativeName);

const WORD = /[\p{L}]+/gu;

/** The words (lower case, 5 letters or more) of an ICU message, without argument names and ICU keywords. */
function wordsOf(message: string): Set<string> {
  const syntax = new Set<string>();
  for (const m of message.matchAll(/\{\s*([\p{L}_][\w]*)/gu)) syntax.add(m[1]!.toLowerCase());
  for (const m of message.matchAll(/,\s*(plural|select|selectordinal|number|date|time)\b/g)) syntax.add(m[1]!);
  for (const m of message.matchAll(/([\p{L}_][\w]*)\s*\{/gu)) syntax.add(m[1]!.toLowerCase()); // plural and select cases
  const out = new Set<string>();
  for (const w of message.match(WORD) ?? []) {
    const lw = w.toLowerCase();
    if (lw.length >= 5 && !syntax.has(lw)) out.add(lw);
  }
  return out;
}

function catalogWords(catalog: Record<string, string>, publicOnly: boolean): Set<string> {
  const out = new Set<string>();
  for (const [key, text] of Object.entries(catalog)) if (!publicOnly || !isStaffOnlyKey(key)) for (const w of wordsOf(text)) out.add(w);
  return out;
}

const sourceWords = new Set([...catalogWords(loadCatalog('de'), true), ...catalogWords(loadCatalog('en'), true)]);
/** German and English catalog words that `lang` does not use itself: none of them may show in its pages. */
function foreignWords(lang: string): Set<string> {
  const own = catalogWords(loadCatalog(lang), false);
  return new Set([...sourceWords].filter((w) => !own.has(w)));
}

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const HIDDEN = new Set(['script', 'style', 'template', 'head']);
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ' };

/** The text a reader of `lang` reads: no tags, attributes, scripts, nor elements in another language. */
function readableText(html: string, lang: string): string {
  const stack: { name: string; skip: boolean }[] = [];
  let out = '';
  for (const m of html.matchAll(/<!--[\s\S]*?-->|<!doctype[^>]*>|<(\/?)([a-zA-Z][\w-]*)([^>]*)>|([^<]+)/gi)) {
    const skipping = stack.length > 0 && stack[stack.length - 1]!.skip;
    if (m[4] !== undefined) {
      if (!skipping) out += m[4];
      continue;
    }
    if (!m[2]) continue;
    const name = m[2].toLowerCase();
    if (m[1]) {
      const at = stack.map((s) => s.name).lastIndexOf(name);
      if (at >= 0) stack.length = at;
      out += ' ';
      continue;
    }
    if (VOID.has(name) || m[3]!.endsWith('/')) continue;
    const own = /\slang="([^"]*)"/.exec(m[3]!)?.[1];
    stack.push({ name, skip: skipping || HIDDEN.has(name) || (name !== 'html' && own !== undefined && own !== lang) });
    out += ' ';
  }
  return out.replace(/&[#a-z0-9]+;/gi, (e) => ENTITIES[e] ?? ' ');
}

/** German or English catalog words in the page of `lang`, each with a little context. */
function leftoverWords(html: string, lang: string, foreign: Set<string>): string[] {
  let text = readableText(html, lang)
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\S+@\S+/g, ' ');
  for (const name of [...SEEDED_NAMES, ...LANGUAGE_NAMES]) text = text.split(name).join(' ');
  text = text.replace(/\s+/g, ' ');
  const found: string[] = [];
  for (const m of text.matchAll(WORD)) {
    if (foreign.has(m[0].toLowerCase())) found.push(`"${m[0]}" in "…${text.slice(Math.max(0, m.index - 30), m.index + m[0].length + 30)}…"`);
  }
  return found;
}

describe('no German or English word in a translated page', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
    await aHouse(t);
    const room = await aRoom(t.ctx.db, { slug: 'gruppenraum', name: 'Gruppenraum', capacity: 20 });
    await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-02', start: '18:00', end: '20:00', status: 'approved' });
  });
  afterEach(() => t.close());

  /** The seven pages of a group's way in `lang`, each with its leftover words. */
  async function leftoversIn(lang: string): Promise<string[]> {
    const foreign = foreignWords(lang);
    const f = formAgent(t);
    const problems: string[] = [];
    const look = (where: string, status: number, expected: number, html: string) => {
      expect(status, `${lang} ${where}`).toBe(expected);
      problems.push(...leftoverWords(html, lang, foreign).map((w) => `${lang} ${where}: ${w}`));
    };
    for (const path of [
      '/',
      '/week?date=2026-12-01',
      '/rooms/gruppenraum',
      '/search?date=2026-12-01&start=18:00&end=20:00&attendees=10',
      '/requests/new?room=gruppenraum&date=2026-12-03&start=10:00&end=12:00',
    ]) {
      const res = await f.agent.get(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
      look(path, res.status, 200, res.text);
    }
    const from = `/requests/new?lang=${lang}`;
    // Three rules broken at once: too many people, no title, the rules not accepted.
    const wrong = await f.post('/requests', validFields('gruppenraum', { attendees: '99', title: '', acceptRules: '' }), { from });
    look('form with errors', wrong.status, 422, wrong.text);
    const sent = await f.post('/requests', validFields('gruppenraum', { date: '2026-12-08' }), { from });
    const token = tokenFrom(sent);
    const confirmation = await f.agent.get(sent.headers.location!);
    look('confirmation', confirmation.status, 200, confirmation.text);
    const manage = await f.agent.get(`/requests/${token}`);
    look('manage page', manage.status, 200, manage.text);
    return problems;
  }

  it.each(TRANSLATED)('%s: start page, week, room, search, form with errors, confirmation, manage page', async (lang) => {
    expect(await leftoversIn(lang)).toEqual([]);
  });

  it('catches one translation taken away: the German words it falls back to show up', async () => {
    const catalog = loadedCatalog('tr')!;
    const key = 'home.ask.button';
    const kept = catalog[key]!;
    delete catalog[key];
    try {
      const problems = await leftoversIn('tr');
      const german = [...wordsOf(loadCatalog('de')[key]!)];
      expect(german.length).toBeGreaterThan(0);
      expect(problems.some((p) => p.startsWith('tr /:') && german.some((w) => p.toLowerCase().includes(`"${w}"`)))).toBe(true);
    } finally {
      catalog[key] = kept;
    }
  });

  it('reads a page as a person does: the house text in German (lang="de") is left out, a German word in the page text is not', () => {
    const html =
      '<html lang="tr" dir="ltr"><body><p>Merhaba <span lang="de">Hausordnung</span></p><script>const Anfrage = 1;</script><p title="Anfrage">Termin</p></body></html>';
    expect(readableText(html, 'tr').replace(/\s+/g, ' ').trim()).toBe('Merhaba Termin');
  });
});
