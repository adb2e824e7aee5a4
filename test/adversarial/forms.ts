// Reads the POST forms of a page (action, fields and their current values) so every form of the app can be
// fuzzed from a valid starting point without a hand-kept list of field names.
import fc from 'fast-check';
import { rawValue } from './payloads.js';

export interface FormField {
  name: string;
  type: string;
  value: string;
  /** For checkboxes and radios: whether it is sent by default. */
  checked: boolean;
}

export interface PageForm {
  action: string;
  fields: FormField[];
}

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([a-zA-Z_:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    out[m[1]!.toLowerCase()] = decode(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

function decode(s: string): string {
  return s
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#x27;/g, "'");
}

/** The POST forms of an HTML page. */
export function postForms(html: string): PageForm[] {
  const forms: PageForm[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const a = attrs(m[1]!);
    if ((a.method ?? 'get').toLowerCase() !== 'post' || !a.action) continue;
    const fields: FormField[] = [];
    const body = m[2];
    for (const f of body!.matchAll(/<(select|textarea)\b([^>]*)>([\s\S]*?)<\/\1>|<input\b([^>]*)>/gi)) {
      const tag = (f[1] ?? 'input').toLowerCase();
      const fa = attrs(f[2] ?? f[4] ?? '');
      if (!fa.name || fa.name === '_csrf') continue;
      const type = tag === 'input' ? (fa.type ?? 'text').toLowerCase() : tag;
      if (type === 'submit' || type === 'button' || type === 'file') continue;
      let value = fa.value ?? '';
      if (tag === 'select') {
        const opts = [...(f[3] ?? '').matchAll(/<option\b([^>]*)>([^<]*)/gi)].map((o) => ({ a: attrs(o[1]!), text: o[2] }));
        const chosen = opts.find((o) => 'selected' in o.a) ?? opts.find((o) => (o.a.value ?? o.text) !== '') ?? opts[0];
        value = chosen ? (chosen.a.value ?? chosen.text!.trim()) : '';
      } else if (tag === 'textarea') {
        value = decode(f[3] ?? '');
      }
      fields.push({ name: fa.name, type, value, checked: type === 'checkbox' || type === 'radio' ? 'checked' in fa : true });
    }
    forms.push({ action: a.action, fields });
    // A submit button with its own formaction sends the same form there (the inbox's row buttons): another form.
    for (const b of body!.matchAll(/<(?:button|input)\b([^>]*)>/gi)) {
      const ba = attrs(b[1]!);
      if (ba.formaction && ba.formaction !== a.action && !forms.some((f) => f.action === ba.formaction)) forms.push({ action: ba.formaction, fields });
    }
  }
  return forms;
}

/** The body a browser would send for the form as it is (checked boxes only; one radio per group). */
export function defaultBody(form: PageForm): string {
  const seenRadio = new Set<string>();
  const parts: string[] = [];
  for (const f of form.fields) {
    if ((f.type === 'checkbox' || f.type === 'radio') && !f.checked) continue;
    if (f.type === 'radio') {
      if (seenRadio.has(f.name)) continue;
      seenRadio.add(f.name);
    }
    parts.push(`${encodeURIComponent(f.name)}=${encodeURIComponent(f.value)}`);
  }
  return parts.join('&');
}

/**
 * A fuzzed body for the form: each field kept, dropped, replaced by a hostile raw value, sent twice, or
 * (for checkboxes) ticked; plus sometimes an unknown field.
 */
export function fuzzedBody(form: PageForm): fc.Arbitrary<string> {
  const names = [...new Set(form.fields.map((f) => f.name))];
  const perField = names.map((name) => {
    const field = form.fields.find((f) => f.name === name)!;
    const n = encodeURIComponent(name);
    const keep = field.checked || field.type === 'checkbox' ? `${n}=${encodeURIComponent(field.value)}` : '';
    return fc.oneof(
      { arbitrary: fc.constant(keep), weight: 3 },
      { arbitrary: fc.constant(''), weight: 1 },
      { arbitrary: rawValue.map((v) => `${n}=${v}`), weight: 4 },
      { arbitrary: fc.tuple(rawValue, rawValue).map(([a, b]) => `${n}=${a}&${n}=${b}`), weight: 1 },
    );
  });
  const extra = fc.option(
    rawValue.map((v) => `__proto__=${v}&constructor[prototype][x]=${v}`),
    { nil: '' },
  );
  return fc.tuple(fc.tuple(...perField), extra).map(([fields, e]) => [...fields, e].filter(Boolean).join('&'));
}
