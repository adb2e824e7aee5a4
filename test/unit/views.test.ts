// The view engine compiles EJS templates without `with` (src/web/views.ts). The model is EJS itself as it renders
// by default (with `with`): the same templates and locals must give the same text, for what templates do here:
// locals read by name, an optional local tested with typeof, `locals.x`, a template's own variable named like a
// local, includes with and without extra locals, nested includes, and a view rendered with ever new sets of names.
import ejs from 'ejs';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { codeWords, viewEngine } from '../../src/web/views.js';
import { VIEWS_DIR } from '../../src/paths.js';

const root = join(tmpdir(), `raumbuch-views-${process.pid}`);
const VIEWS: Record<string, string> = {
  'page.ejs': [
    `<%- include('/partials/head', { title: title + '!' }) %>`,
    `<p><%= greeting %>, <%= name %></p>`,
    `<% if (typeof notice !== 'undefined' && notice) { %><p class="notice"><%= notice %></p><% } %>`,
    `<p><%= locals.name %> <%= typeof missing %></p>`,
    `<% const plan = 'own plan'; %><p><%= plan %></p>`,
    `<ul><% for (const item of items) { %><%- include('/partials/item', { item }) %><% } %></ul>`,
    `<%- include('/partials/foot') %>`,
  ].join('\n'),
  'partials/head.ejs': `<title><%= title %></title><% if (typeof notice !== 'undefined') { %><%- include('/partials/notice') %><% } %>`,
  'partials/notice.ejs': `<aside><%= notice %> (<%= title %>)</aside>`,
  'partials/item.ejs': `<li><%= item.label %> for <%= name %></li>`,
  'partials/foot.ejs': `<footer><%= name %> <%= typeof item %></footer>`,
  'destructure.ejs': `<% const { a, b: bee = 2 } = pair; let [c] = list; %><%= a %> <%= bee %> <%= c %> <%= b %>`,
};

beforeAll(() => {
  for (const [file, text] of Object.entries(VIEWS)) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), text);
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function render(engine: ReturnType<typeof viewEngine>, view: string, data: object): string {
  let out: string | undefined;
  let error: Error | null = null;
  engine(join(root, view), data, (err, html) => {
    error = err;
    out = html;
  });
  if (error !== null) throw error as Error;
  return out!;
}

/** EJS as it renders by default (`with (locals)`), the includes resolved against the same root. */
const byEjs = (view: string, data: object) => ejs.render(VIEWS[view]!, data, { filename: join(root, view), root });

const LOCALS = [
  { title: 'Woche', greeting: 'Hallo', name: 'Anna', plan: 'the locals’ plan', items: [{ label: 'a' }, { label: '<b>' }] },
  { title: 'Week', greeting: 'Hi', name: 'Ben', plan: 'x', items: [], notice: 'Saved' },
  { title: 'Semaine', greeting: 'Salut', name: '<i>', plan: 'y', items: [{ label: 'c' }], notice: '', extra: 1 },
];

describe('views compiled without with', () => {
  for (const cache of [true, false]) {
    it(`render as EJS with \`with\` does (${cache ? 'kept' : 'compiled each time'})`, () => {
      const engine = viewEngine({ root, cache });
      for (const data of LOCALS) {
        expect(render(engine, 'page.ejs', { ...data })).toBe(byEjs('page.ejs', data));
        // Again: the kept variant for this set of names.
        expect(render(engine, 'page.ejs', { ...data })).toBe(byEjs('page.ejs', data));
      }
    });
  }

  it('leave names a template declares itself at its top level to the template, as with does', () => {
    const data = { pair: { a: 1 }, list: [3], a: 'local a', bee: 'local bee', c: 'local c', b: 'local b' };
    expect(render(viewEngine({ root, cache: true }), 'destructure.ejs', { ...data })).toBe(byEjs('destructure.ejs', data));
    expect(byEjs('destructure.ejs', data)).toBe('1 2 3 local b');
  });

  it('keep a local that the template declares only in an inner block, names in comments and strings, and every name of one declaration', () => {
    const cases: Record<string, [string, object]> = {
      'inner.ejs': ['<%= room %>:<% for (const room of rooms) { %><%= room %>,<% } %><%= room %>', { room: 'Saal', rooms: ['A', 'B'] }],
      'comment.ejs': ['<% // let user see %><%= user %> <%# const me %><%= me %>', { user: 'Ada', me: 'me' }],
      'string.ejs': ["<%= t('let me') %> <%= me %>", { t: (s: string) => `[${s}]`, me: 'Me' }],
      'several.ejs': ['<% const h2 = 1, h3 = 2; %><%= h2 %> <%= h3 %> <%= h4 %>', { h3: 'local h3', h4: 'local h4' }],
    };
    const engine = viewEngine({ root, cache: true });
    for (const [file, [text, data]] of Object.entries(cases)) {
      writeFileSync(join(root, file), text);
      VIEWS[file] = text;
      expect(render(engine, file, { ...data }), file).toBe(byEjs(file, data));
    }
    expect(byEjs('inner.ejs', cases['inner.ejs']![1])).toBe('Saal:A,B,Saal');
  });

  it('compile every view of Raumbuch with the locals its code names (no duplicate declaration left)', () => {
    const files = readdirSync(VIEWS_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ejs'));
    expect(files.length).toBeGreaterThan(50);
    const engine = viewEngine({ root: VIEWS_DIR, cache: true });
    for (const file of files) {
      const words = [...codeWords(readFileSync(join(VIEWS_DIR, file), 'utf8'))].filter((w) => !(w in globalThis));
      const data = Object.fromEntries(words.map((w) => [w, undefined]));
      let error: unknown;
      engine(join(VIEWS_DIR, file), data, (err) => (error = err));
      // Rendering with empty locals may fail at run time; compiling must not.
      expect(error instanceof SyntaxError ? `${file}: ${error.message}` : '', file).toBe('');
    }
  });

  it('refuses an include by a relative path', () => {
    writeFileSync(join(root, 'relative.ejs'), "<%- include('partials/foot') %>");
    expect(() => render(viewEngine({ root, cache: true }), 'relative.ejs', { name: 'x', item: 1 })).toThrow(/below the views folder/);
  });

  it('still renders a view given ever new sets of local names (beyond the kept variants)', () => {
    const engine = viewEngine({ root, cache: true });
    for (let i = 0; i < 40; i++) {
      const data = { ...LOCALS[i % 3]!, [`only${i}`]: i };
      expect(render(engine, 'page.ejs', { ...data }), `set ${i}`).toBe(byEjs('page.ejs', data));
    }
  });

  it('reports a template error to the callback', () => {
    const engine = viewEngine({ root, cache: true });
    expect(() => render(engine, 'page.ejs', { title: 'x' })).toThrow(/greeting is not defined/);
  });
});
