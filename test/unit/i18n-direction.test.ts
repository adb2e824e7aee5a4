// Right-to-left readiness: the page's lang and dir follow the language registry, and the style sheets use
// logical properties (inline-start/end), so a right-to-left language lays out mirrored without its own CSS.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ejs from 'ejs';
import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.js';
import { LANGUAGE_REGISTRY, dirOf, type LanguageInfo } from '../../src/i18n/languages.js';

const ROOT = join(import.meta.dirname, '..', '..');

async function renderHead(lang: string, languages: readonly LanguageInfo[]): Promise<string> {
  return ejs.renderFile(join(ROOT, 'views', 'partials', 'head.ejs'), {
    title: 'Raumbuch',
    house: { name: 'Raumbuch' },
    asset: (p: string) => `/assets/x/${p}`,
    t: translator('de'),
    lang,
    dir: languages.find((l) => l.code === lang)!.dir, // as the language middleware sets it from the registry
    languageRegistry: languages,
    languageSwitch: languages,
    langPath: '/',
    langQuery: {},
    path: '/',
    user: null,
  });
}

describe('text direction', () => {
  it('registers a direction for every language: Arabic and Persian right to left, the others left to right', () => {
    for (const l of LANGUAGE_REGISTRY) expect(['ltr', 'rtl']).toContain(l.dir);
    expect(LANGUAGE_REGISTRY.filter((l) => l.dir === 'rtl').map((l) => l.code)).toEqual(['ar', 'fa']);
    expect(dirOf('de')).toBe('ltr');
    expect(dirOf('en')).toBe('ltr');
    expect(dirOf('uk')).toBe('ltr');
  });

  it('sets <html lang dir> and offers each registered language in the switch under its own name', async () => {
    const html = await renderHead('ar', LANGUAGE_REGISTRY);
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('<option value="ar" selected lang="ar" dir="rtl">العربية</option>');
    expect(html).toContain('<option value="fa" lang="fa" dir="rtl">فارسی</option>');
    expect(html).toContain('<option value="de" lang="de" dir="ltr">Deutsch</option>');
    expect(html).toContain('<option value="de-x-ls" lang="de-x-ls" dir="ltr">Leichte Sprache</option>');
    // Only the languages handed to the switch are offered (the house may switch some off).
    const de = await renderHead(
      'de',
      LANGUAGE_REGISTRY.filter((l) => l.code === 'de' || l.code === 'en'),
    );
    expect(de).toContain('<html lang="de" dir="ltr">');
    expect(de).not.toContain('value="ar"');
  });
});

describe('the style sheets', () => {
  // Physical left/right that is truly meant (none today) goes here with its reason, as "file: selector".
  const PHYSICAL_ON_PURPOSE = new Set<string>();

  it('use logical properties (inline-start/end) instead of left and right', () => {
    const physical = /(?:^|[\s;{])((?:margin|padding|border)-(?:left|right)(?:-[a-z]+)?|left|right|float|clear|text-align)\s*:\s*([^;}]*)/g;
    const found: string[] = [];
    const dir = join(ROOT, 'public', 'css');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.css'))) {
      const css = readFileSync(join(dir, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
      for (const rule of css.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
        const selector = rule[1]!.trim();
        for (const m of rule[2]!.matchAll(physical)) {
          const [prop, value] = [m[1]!, m[2]!.trim()];
          const isPhysical = /-(left|right)/.test(prop) || prop === 'left' || prop === 'right' || /\b(left|right)\b/.test(value);
          if (isPhysical && !PHYSICAL_ON_PURPOSE.has(`${file}: ${selector}`)) found.push(`${file}: ${selector} { ${prop}: ${value} }`);
        }
      }
    }
    expect(found).toEqual([]);
  });
});
