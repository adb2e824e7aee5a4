// The view engine compiles EJS templates without `with` (src/web/views.ts). The model is EJS itself as it renders
// by default (with `with`): the same templates and locals must give the same text, for what templates do here:
// locals read by name, an optional local tested with typeof, `locals.x`, a template's own variable named like a
// local, includes with and without extra locals, nested includes, and a view rendered with ever new sets of names.
import ejs from 'ejs';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declaredNames, viewEngine } from '../../src/web/views.js';

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

  it('leave names a template declares itself, also in destructuring with renames and defaults, to the template', () => {
    expect([...declaredNames(VIEWS['destructure.ejs']!)].sort()).toEqual(['a', 'bee', 'c']);
    // A comment or a literal "<%%" is no code.
    expect([...declaredNames('<%# const notMine = 1 %><%% let alsoNot %><% let mine; function own() {} %>')].sort()).toEqual(['mine', 'own']);
    const data = { pair: { a: 1 }, list: [3], a: 'local a', bee: 'local bee', c: 'local c', b: 'local b' };
    expect(render(viewEngine({ root, cache: true }), 'destructure.ejs', { ...data })).toBe(byEjs('destructure.ejs', data));
    expect(byEjs('destructure.ejs', data)).toBe('1 2 3 local b');
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
