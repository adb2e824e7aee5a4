// The house's own texts in every language the house chooses: ONE read function for every public place
// (`text(kind, ownerId, field)` of a page language's reader: the translation, or the house language's text marked
// as a fallback), the translation states for the staff list, and saving a translation (audited).
//
// Outdated translations: a translation keeps the hash of the source text it was made from. When the source changes
// afterwards the translation is "outdated": still shown for descriptive texts (about text, rooms, closures: an older
// translation helps more than none), but never for the house rules and the privacy notice, which a group accepts —
// there the page shows the current source text with the "only in German" note until the translation is updated.
import { createHash } from 'node:crypto';
import type { Conn, DB } from '../db/database.js';
import type { HouseTextKind } from '../db/schema.js';
import { versioned } from '../db/versioned.js';
import { DomainError } from '../errors.js';
import { audit } from '../audit/log.js';
import { LANGUAGES } from '../i18n/languages.js';
import {
  deleteTranslation,
  findHouseLanguage,
  findSources,
  findTranslation,
  findTranslations,
  upsertTranslation,
  type SourceText,
  type TextKey,
  type TranslationRow,
} from './repository.js';

export { BLOCK_FIELDS, HOUSE_FIELDS, ROOM_FIELDS, type SourceText } from './repository.js';

/** What a page shows of one house text. */
export interface ShownText {
  text: string;
  /** The language `text` is in. */
  lang: string;
  /** true: no (current) translation into the page language, the house language's text is shown instead. */
  fallback: boolean;
}

export type TranslationState = 'translated' | 'missing' | 'outdated';

/** Texts a group accepts: an outdated translation of these is never shown. */
const BINDING = new Set(['house:rules', 'house:privacy']);

export function sourceHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const keyOf = (kind: string, ownerId: number, field: string) => `${kind}:${ownerId}:${field}`;

/** Everything about the house texts, loaded once per data version (see db/versioned.ts). */
export interface HouseTextCatalog {
  /** The language the sources are written in (the house language, German unless the house chose otherwise). */
  sourceLang: string;
  sources: SourceText[];
  source: Map<string, SourceText>;
  /** key → lang → translation */
  translations: Map<string, Map<string, TranslationRow>>;
}

export function loadCatalog(ctx: { db: DB; dataVersion(): string }): Promise<HouseTextCatalog> {
  return versioned(ctx, 'house-texts', async () => {
    const [sourceLang, sources, rows] = await Promise.all([findHouseLanguage(ctx.db), findSources(ctx.db), findTranslations(ctx.db)]);
    const source = new Map(sources.map((s) => [keyOf(s.kind, s.ownerId, s.field), s]));
    const translations = new Map<string, Map<string, TranslationRow>>();
    for (const r of rows) {
      const k = keyOf(r.kind, r.ownerId, r.field);
      let byLang = translations.get(k);
      if (!byLang) translations.set(k, (byLang = new Map<string, TranslationRow>()));
      byLang.set(r.lang, r);
    }
    return { sourceLang, sources, source, translations };
  });
}

/** The state of one text's translation into one language. */
export function stateOf(src: SourceText, t: TranslationRow | undefined): TranslationState {
  if (!t) return 'missing';
  return t.sourceHash === sourceHash(src.text) ? 'translated' : 'outdated';
}

/** The translation a page in `lang` shows for a source, or undefined (missing, or outdated for a binding text). */
function usable(c: HouseTextCatalog, src: SourceText, lang: string): TranslationRow | undefined {
  const t = c.translations.get(keyOf(src.kind, src.ownerId, src.field))?.get(lang);
  if (!t) return undefined;
  if (BINDING.has(`${src.kind}:${src.field}`) && stateOf(src, t) === 'outdated') return undefined;
  return t;
}

/** A page language's view of the house texts. */
export interface HouseTexts {
  lang: string;
  sourceLang: string;
  /** The text shown for one house text in the page language (see ShownText). An unknown or empty text is ''. */
  text(kind: HouseTextKind, ownerId: number, field: string): ShownText;
  /** Which translation version is shown (null: the source is shown), for the accepted rules and privacy notice. */
  shownVersion(kind: HouseTextKind, ownerId: number, field: string): { lang: string; version: number | null };
}

export function readerOf(c: HouseTextCatalog, lang: string): HouseTexts {
  const shown = (kind: HouseTextKind, ownerId: number, field: string): { s: ShownText; t?: TranslationRow } => {
    const src = c.source.get(keyOf(kind, ownerId, field));
    if (!src || !src.text.trim()) return { s: { text: src?.text ?? '', lang: c.sourceLang, fallback: false } };
    if (lang === c.sourceLang) return { s: { text: src.text, lang, fallback: false } };
    const t = usable(c, src, lang);
    return t ? { s: { text: t.text, lang, fallback: false }, t } : { s: { text: src.text, lang: c.sourceLang, fallback: true } };
  };
  return {
    lang,
    sourceLang: c.sourceLang,
    text: (kind, ownerId, field) => shown(kind, ownerId, field).s,
    shownVersion: (kind, ownerId, field) => {
      const { s, t } = shown(kind, ownerId, field);
      return { lang: s.lang, version: t?.version ?? null };
    },
  };
}

/** The house texts as a page in `lang` shows them: one load per data version, shared by every page. */
export async function houseTextsFor(ctx: { db: DB; dataVersion(): string }, lang: string): Promise<HouseTexts> {
  return readerOf(await loadCatalog(ctx), lang);
}

/**
 * One house text in `lang`, read now without the page cache (for mails written by a job, which has no request):
 * the same choice as a page's reader makes (translation, else the house language's text marked as a fallback).
 */
export async function houseTextIn(db: Conn, kind: HouseTextKind, ownerId: number, field: string, lang: string): Promise<ShownText> {
  const [sourceLang, sources] = await Promise.all([findHouseLanguage(db), findSources(db)]);
  const key = keyOf(kind, ownerId, field);
  const source = new Map(sources.filter((s) => keyOf(s.kind, s.ownerId, s.field) === key).map((s) => [key, s]));
  const row = lang === sourceLang ? undefined : await findTranslation(db, { kind, ownerId, field, lang });
  const translations = new Map<string, Map<string, TranslationRow>>();
  if (row)
    translations.set(key, new Map([[lang, { kind, ownerId, field, lang, text: row.text, sourceHash: row.sourceHash, version: row.version, updatedAt: 0 }]]));
  return readerOf({ sourceLang, sources: [...source.values()], source, translations }, lang).text(kind, ownerId, field);
}

/** What a group accepted when it sent a request: the language (and translation version) of rules and privacy notice shown. */
export function acceptedTexts(h: HouseTexts) {
  const rules = h.shownVersion('house', 0, 'rules');
  const privacy = h.shownVersion('house', 0, 'privacy');
  return { rulesLang: rules.lang, rulesTranslationVersion: rules.version, privacyLang: privacy.lang, privacyTranslationVersion: privacy.version };
}

/** The languages a house text can be translated into: every registered language but the source's. */
export function targetLanguages(sourceLang: string): string[] {
  return LANGUAGES.filter((l) => l !== sourceLang);
}

export type SaveResult = { changed: false } | { changed: true; removed: boolean; version: number | null };

/**
 * Saves (or, with an empty text, removes) one translation; the source must exist and the language be a target.
 * The version rises with every saved change; the source's hash is stored with it (outdated detection).
 */
export async function saveTranslation(db: DB, k: TextKey, text: string, actor: { userId: number; now: number }): Promise<SaveResult> {
  return db.transaction().execute(async (trx): Promise<SaveResult> => {
    const src = (await findSources(trx)).find((s) => s.kind === k.kind && s.ownerId === k.ownerId && s.field === k.field);
    const sourceLang = await findHouseLanguage(trx);
    if (!src || !targetLanguages(sourceLang).includes(k.lang)) throw new DomainError('not_found');
    const cur = await findTranslation(trx, k);
    const hash = sourceHash(src.text);
    const details = { kind: k.kind, owner: k.ownerId, field: k.field, lang: k.lang };
    if (!text) {
      if (!cur) return { changed: false };
      await deleteTranslation(trx, k);
      await audit(trx, { at: actor.now, userId: actor.userId, actor: 'user', action: 'house_text.removed', entity: 'house_text', entityId: null, details });
      return { changed: true, removed: true, version: null };
    }
    if (cur && cur.text === text && cur.sourceHash === hash) return { changed: false };
    const version = (cur?.version ?? 0) + 1;
    await upsertTranslation(trx, k, { text, sourceHash: hash, version, now: actor.now, userId: actor.userId });
    // The text itself is not copied into the log (it can be long); the version says which one it was.
    await audit(trx, {
      at: actor.now,
      userId: actor.userId,
      actor: 'user',
      action: 'house_text.translated',
      entity: 'house_text',
      entityId: null,
      details: { ...details, version },
    });
    return { changed: true, removed: false, version };
  });
}
