// Small helpers the management forms share: zod issues to field messages, flash messages, checkbox lists.
import type { Request } from 'express';
import type { MessageKey } from '../i18n/index.js';

/** Zod issues → { field: translated message }, the first issue per field (messages are catalog keys). */
export function fieldErrors(req: Request, issues: readonly { path: PropertyKey[]; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) {
    const field = String(i.path[0] ?? 'form');
    if (!out[field]) out[field] = req.t(i.message as MessageKey);
  }
  return out;
}

/** A form value that may be missing, one string, or repeated (checkbox groups). */
export function asList(v: unknown): string[] {
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

/** Reads (and clears) the flash message set before a redirect. */
export function takeFlash(req: Request): string {
  const key = req.session?.flash;
  if (!key) return '';
  delete req.session.flash;
  return req.t(key as MessageKey);
}

export function setFlash(req: Request, key: MessageKey): void {
  req.session.flash = key;
}
