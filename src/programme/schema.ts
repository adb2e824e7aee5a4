// The public-text form (group's manage link and staff): public or not, title, description, its language.
import { z } from 'zod';
import { CATEGORIES, type Category } from '../constants.js';
import { isLang, LANGUAGES } from '../i18n/languages.js';
import { MAX } from '../bookings/form.js';
import { textOf } from '../web/forms.js';

export interface PublicTextValues {
  publicEvent: boolean;
  publicTitle: string;
  publicDescription: string;
  publicLanguage: string;
}

export interface PublicTextInput {
  publicEvent: boolean;
  publicTitle: string;
  publicDescription: string;
  publicLanguage: string;
}

export function publicTextValues(body: Record<string, unknown>): PublicTextValues {
  const p = body.publicEvent;
  return {
    publicEvent: p === 'on' || p === '1',
    publicTitle: textOf(body.publicTitle),
    publicDescription: textOf(body.publicDescription),
    publicLanguage: textOf(body.publicLanguage),
  };
}

const schema = z
  .object({
    publicEvent: z.boolean(),
    publicTitle: z.string().trim().max(MAX.publicTitle, 'programme.error.titleTooLong'),
    publicDescription: z.string().trim().max(MAX.publicDescription, 'programme.error.descriptionTooLong'),
    publicLanguage: z.string().refine((v) => isLang(v), 'programme.error.language'),
  })
  .superRefine((v, c) => {
    if (v.publicEvent && v.publicTitle === '') c.addIssue({ code: 'custom', path: ['publicTitle'], message: 'programme.error.titleMissing' });
    if (v.publicEvent && v.publicDescription === '') c.addIssue({ code: 'custom', path: ['publicDescription'], message: 'programme.error.descriptionMissing' });
  });

export function parsePublicText(v: PublicTextValues): { ok: true; data: PublicTextInput } | { ok: false; issues: z.ZodError } {
  const r = schema.safeParse(v);
  return r.success ? { ok: true, data: r.data } : { ok: false, issues: r.error };
}

export { LANGUAGES };

/** ?kind= of /programme: a category code, or null for all kinds (anything else is refused by the caller). */
export function kindParam(v: unknown): Category | null | 'bad' {
  if (v === undefined || v === '') return null;
  return typeof v === 'string' && (CATEGORIES as readonly string[]).includes(v) ? (v as Category) : 'bad';
}
