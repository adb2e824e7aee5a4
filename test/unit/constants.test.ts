import { describe, expect, it } from 'vitest';
import { CATEGORIES, EQUIPMENT, isCategory, isEquipment } from '../../src/constants.js';
import { LANGUAGES, translator } from '../../src/i18n/index.js';

describe('domain lists', () => {
  it('gives every category and every piece of equipment a word in every language', () => {
    for (const lang of LANGUAGES) {
      const t = translator(lang);
      for (const c of CATEGORIES) expect(t(`category.${c}`), `${lang} category.${c}`).not.toBe(`category.${c}`);
      for (const e of EQUIPMENT) expect(t(`equipment.${e}`), `${lang} equipment.${e}`).not.toBe(`equipment.${e}`);
    }
  });

  it('knows only the listed codes (a removed or misspelt code is not offered)', () => {
    expect(isEquipment('projector')).toBe(true);
    expect(isEquipment('beamer')).toBe(false);
    expect(isEquipment('equipment.projector')).toBe(false);
    expect(isCategory('culture')).toBe(true);
    expect(isCategory('Culture')).toBe(false);
  });
});
