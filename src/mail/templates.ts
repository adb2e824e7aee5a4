// A mail as structured content, rendered twice: plain text (built here) and simple HTML (views/mail/message.ejs,
// every value escaped by EJS). Both come from the same content, so they never say different things.
import { join } from 'node:path';
import ejs from 'ejs';
import { VIEWS_DIR } from '../paths.js';
import { dirOf, type Lang } from '../i18n/languages.js';

export interface MailDate {
  text: string;
  note?: string;
}

export interface MailContent {
  lang: Lang;
  subject: string;
  houseName: string;
  greeting: string;
  /** Paragraphs before the list of dates. */
  intro: string[];
  dates: MailDate[];
  /** The house's message to the group (approval, rejection, cancellation), quoted. */
  message?: { label: string; text: string };
  facts: { label: string; value: string }[];
  /** Paragraphs after the dates and facts, before the link. */
  body: string[];
  action?: { label: string; url: string };
  /** Several links after the body, each with its own label (an offer's options); before `action`. */
  links?: { label: string; url: string }[];
  /** Paragraphs after the link. */
  after: string[];
  signoff: string;
  footer: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const TEMPLATE = join(VIEWS_DIR, 'mail', 'message.ejs');

export function renderText(c: MailContent): string {
  const out: string[] = [c.greeting, ''];
  for (const p of c.intro) out.push(p, '');
  if (c.dates.length) {
    for (const d of c.dates) out.push(`- ${d.text}${d.note ? ` (${d.note})` : ''}`);
    out.push('');
  }
  if (c.message) out.push(`${c.message.label}:`, ...c.message.text.split(/\r\n|\r|\n/).map((l) => `> ${l}`), '');
  if (c.facts.length) {
    for (const f of c.facts) out.push(`${f.label}: ${f.value}`);
    out.push('');
  }
  for (const p of c.body) out.push(p, '');
  for (const l of c.links ?? []) out.push(`${l.label}:`, l.url, '');
  if (c.action) out.push(`${c.action.label}:`, c.action.url, '');
  for (const p of c.after) out.push(p, '');
  out.push(c.signoff, '', '-- ', c.footer);
  return out.join('\n') + '\n';
}

export async function renderHtml(c: MailContent): Promise<string> {
  return ejs.renderFile(TEMPLATE, { ...c, dir: dirOf(c.lang), message: c.message ?? null, action: c.action ?? null, links: c.links ?? [] }, { cache: true });
}

export async function renderMail(c: MailContent): Promise<RenderedMail> {
  return { subject: c.subject.replace(/[\r\n]+/g, ' '), text: renderText(c), html: await renderHtml(c) };
}
