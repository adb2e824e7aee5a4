// Helpers for the request form tests: a browser-like agent with its CSRF token and a valid set of fields.
import supertest from 'supertest';
import { csrfFrom, type TestApp } from './app.js';

export type Fields = Record<string, string | string[]>;

/** A valid request for `room` on Tuesday 1 December 2026, 18:00–20:00 (the default clock is 23 Nov 2026). */
export function validFields(room: string, o: Fields = {}): Fields {
  return {
    room,
    date: '2026-12-01',
    start: '18:00',
    end: '20:00',
    title: 'Deutschkurs',
    publicTitle: '',
    organisation: 'Lernwerkstatt e. V.',
    contactName: 'Erika Beispiel',
    email: 'erika@example.org',
    phone: '030 123456',
    attendees: '12',
    category: 'education',
    notes: '',
    acceptRules: 'on',
    acceptPrivacy: 'on',
    repeat: 'none',
    everyWeeks: '1',
    lastDate: '',
    website: '',
    action: 'send',
    ...o,
  };
}

export interface FormAgent {
  agent: ReturnType<typeof supertest.agent>;
  /** POSTs a form with a fresh CSRF token (read from /requests/new or `from`). */
  post(path: string, fields: Fields, opts?: { lang?: 'de' | 'en'; from?: string }): Promise<supertest.Response>;
  get(path: string, lang?: 'de' | 'en'): Promise<supertest.Response>;
}

export function formAgent(t: TestApp): FormAgent {
  const agent = supertest.agent(t.app);
  const withLang = (path: string, lang?: string) => (lang ? `${path}${path.includes('?') ? '&' : '?'}lang=${lang}` : path);
  return {
    agent,
    async post(path, fields, opts = {}) {
      const page = await agent.get(withLang(opts.from ?? '/requests/new', opts.lang));
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries({ ...fields, _csrf: csrfFrom(page.text) })) {
        for (const one of ([] as string[]).concat(v)) body.append(k, one);
      }
      return agent.post(path).type('form').send(body.toString());
    },
    get: (path, lang) => agent.get(withLang(path, lang)),
  };
}

/** The manage-link token from a redirect to /requests/<token>?created=1. */
export function tokenFrom(res: supertest.Response): string {
  const m = /^\/requests\/([A-Za-z0-9_-]+)\?created=1$/.exec(res.headers.location ?? '');
  if (!m) throw new Error(`no manage link in ${res.status} ${res.headers.location}: ${res.text.slice(0, 300)}`);
  return m[1]!;
}

/** The text of the field error shown under `field`. */
export function fieldError(html: string, field: string): string | null {
  const m = new RegExp(`<p class="field-error" id="${field}-error">([^<]*)</p>`).exec(html);
  return m ? decode(m[1]!) : null;
}

/** The value attribute of an input. */
export function inputValue(html: string, id: string): string | null {
  // The tag with this id, whatever the order of its other attributes (dir, type, …).
  const tag = new RegExp(`<input\\b[^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0];
  const m = tag ? / value="([^"]*)"/.exec(tag) : null;
  return m ? decode(m[1]!) : null;
}

export function decode(s: string): string {
  return s.replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
