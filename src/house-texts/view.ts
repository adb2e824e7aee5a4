// View models of the translation pages: the list of every translatable text with its state per language, and the
// edit form of one text in one language (the source beside the textarea, lang and dir from the registry).
import type { HouseTextKind } from '../db/schema.js';
import type { MessageKey, Translate } from '../i18n/index.js';
import { dirOf, languageInfo, localeOf } from '../i18n/languages.js';
import { formatWhen } from '../time/format.js';
import { LINE_FIELDS, FIELD_LIMITS } from './schema.js';
import { stateOf, targetLanguages, type HouseTextCatalog, type SourceText, type TranslationState } from './service.js';

const FIELD_NAMES: Record<string, MessageKey> = {
  'house:about': 'houseText.field.about',
  'house:rules': 'houseText.field.rules',
  'house:privacy': 'houseText.field.privacy',
  'house:imprint': 'houseText.field.imprint',
  'house:key_pickup': 'houseText.field.keyPickup',
  'room:description': 'houseText.field.description',
  'room:floor': 'houseText.field.floor',
  'room:accessibility_notes': 'houseText.field.accessibilityNotes',
  'block:label': 'houseText.field.label',
  'media:alt': 'houseText.field.alt',
};

const STATE_TEXTS: Record<TranslationState, MessageKey> = {
  translated: 'houseText.state.translated',
  missing: 'houseText.state.missing',
  outdated: 'houseText.state.outdated',
};

export const translationHref = (s: Pick<SourceText, 'kind' | 'ownerId' | 'field'>, lang: string) =>
  `/admin/translations/${s.kind}/${s.ownerId}/${s.field}/${encodeURIComponent(lang)}`;

interface Env {
  t: Translate;
  lang: string;
  zone: string;
}

/** "Großer Saal: Beschreibung", "Weihnachten (24.–26. Dezember 2026): Bezeichnung", "Nutzungsordnung". */
export function textName(s: SourceText, env: Env): string {
  const field = env.t(FIELD_NAMES[`${s.kind}:${s.field}`] ?? 'houseText.field.label');
  if (s.kind === 'room') return env.t('houseText.ofRoom', { room: s.ownerName, field });
  if (s.kind === 'block') return env.t('houseText.ofBlock', { when: formatWhen(s.startAt, s.endAt, env.zone, env.lang, env.t), field });
  if (s.kind === 'media') {
    return s.picture?.kind === 'room_photo'
      ? env.t('houseText.ofPhoto', { room: s.ownerName, n: s.picture.n, field })
      : env.t('houseText.ofFloorPlan', { field });
  }
  return field;
}

const excerpt = (text: string) => (text.length > 140 ? `${text.slice(0, 139)}…` : text);

export interface ListFilter {
  /** House texts (and the floor plan's alt text, a house picture) only for the admin. */
  houseTexts: boolean;
  now: number;
  /** Only the texts of one room (with its photos' alt texts), one blocked time or one picture (linked from their pages). */
  kind?: HouseTextKind;
  ownerId?: number;
}

/** The house's own texts, and the floor plan (set with the settings): the admin's. */
export const isHouseOwned = (s: Pick<SourceText, 'kind' | 'picture'>) => s.kind === 'house' || (s.kind === 'media' && s.picture?.kind === 'floor_plan');

function inFilter(s: SourceText, f: ListFilter): boolean {
  if (f.kind === undefined) return true;
  if (s.kind === f.kind && s.ownerId === f.ownerId) return true;
  // A room's page lists its photos' descriptions too.
  return f.kind === 'room' && s.kind === 'media' && s.picture?.roomId === f.ownerId;
}

/** Every translatable text that has a source, grouped: the house's, the rooms', the closures' (current and future). */
export function translationList(c: HouseTextCatalog, f: ListFilter, env: Env) {
  const langs = targetLanguages(c.sourceLang);
  const keep = (s: SourceText) =>
    s.text.trim() !== '' &&
    (!isHouseOwned(s) || f.houseTexts) &&
    ((s.kind !== 'room' && s.kind !== 'media') || s.active) &&
    (s.kind !== 'block' || s.endAt > f.now) &&
    inFilter(s, f);
  const row = (s: SourceText) => {
    const byLang = c.translations.get(`${s.kind}:${s.ownerId}:${s.field}`);
    return {
      name: textName(s, env),
      source: excerpt(s.text),
      languages: langs.map((code) => {
        const state = stateOf(s, byLang?.get(code));
        return { code, name: languageInfo(code).nativeName, state, stateText: env.t(STATE_TEXTS[state]), href: translationHref(s, code) };
      }),
    };
  };
  const sections: { id: string; title: string; rows: ReturnType<typeof row>[] }[] = [
    { id: 'house', title: env.t('houseText.section.house'), rows: c.sources.filter((s) => s.kind === 'house' && keep(s)).map(row) },
    { id: 'rooms', title: env.t('houseText.section.rooms'), rows: c.sources.filter((s) => s.kind === 'room' && keep(s)).map(row) },
    { id: 'blocks', title: env.t('houseText.section.blocks'), rows: c.sources.filter((s) => s.kind === 'block' && keep(s)).map(row) },
    { id: 'media', title: env.t('houseText.section.media'), rows: c.sources.filter((s) => s.kind === 'media' && keep(s)).map(row) },
  ];
  const all = sections.flatMap((s) => s.rows.flatMap((r) => r.languages));
  return {
    sourceLang: c.sourceLang,
    sourceName: languageInfo(c.sourceLang).nativeName,
    sections: sections.filter((s) => s.rows.length),
    counts: { missing: all.filter((l) => l.state === 'missing').length, outdated: all.filter((l) => l.state === 'outdated').length },
  };
}

/** The edit form of one text in one language. */
export function translationForm(c: HouseTextCatalog, s: SourceText, lang: string, env: Env) {
  const tr = c.translations.get(`${s.kind}:${s.ownerId}:${s.field}`)?.get(lang);
  const state = stateOf(s, tr);
  return {
    name: textName(s, env),
    source: s.text,
    sourceLang: c.sourceLang,
    sourceDir: dirOf(c.sourceLang),
    sourceName: languageInfo(c.sourceLang).nativeName,
    lang,
    dir: dirOf(lang),
    langName: languageInfo(lang).nativeName,
    state,
    stateText: env.t(STATE_TEXTS[state]),
    version: tr?.version ?? null,
    current: tr?.text ?? '',
    line: LINE_FIELDS.has(`${s.kind}:${s.field}`),
    max: FIELD_LIMITS[s.kind][s.field] ?? 0,
    action: translationHref(s, lang),
  };
}

/** A language's name in the reader's language, from the Intl locale data ("Englisch" on a German page); a private-use
 *  variant (de-x-ls) has no name there and keeps its own name from the registry. */
export function languageNameIn(code: string, readerLang: string): string {
  if (!/-x-/i.test(code)) {
    try {
      const name = new Intl.DisplayNames([localeOf(readerLang)], { type: 'language' }).of(code);
      if (name && name !== code) return name;
    } catch {
      // an unknown code: its own name below
    }
  }
  return languageInfo(code).code === code ? languageInfo(code).nativeName : code;
}

/** "Nutzungsordnung Fassung 3, gelesen auf Englisch (Übersetzung Fassung 2); Datenschutzhinweis …" for the request page. */
export function acceptedTextsLine(
  q: {
    rules_version: number;
    rules_lang: string;
    rules_translation_version: number | null;
    privacy_version: number;
    privacy_lang: string;
    privacy_translation_version: number | null;
  },
  t: Translate,
  readerLang: string,
): string {
  const one = (document: MessageKey, version: number, lang: string, translation: number | null) => {
    const params = { document: t(document), version, language: languageNameIn(lang, readerLang) };
    return translation === null ? t('houseText.accepted', params) : t('houseText.acceptedTranslation', { ...params, translation });
  };
  return [
    one('houseText.field.rules', q.rules_version, q.rules_lang, q.rules_translation_version),
    one('houseText.field.privacy', q.privacy_version, q.privacy_lang, q.privacy_translation_version),
  ].join('; ');
}
