// Messages are compiled once per language and key; one without arguments is kept as its text (src/i18n format).
// The kept forms must give what formatting each call gave: the right language, the values of this call.
import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.js';

describe('formatting messages, kept per language and key', () => {
  it('gives a text without arguments the same on every call, in each language', () => {
    const de = translator('de');
    const en = translator('en');
    for (let i = 0; i < 3; i++) {
      expect(de('layout.nav.week')).toBe('Hauswoche');
      expect(en('layout.nav.week')).not.toBe('Hauswoche');
    }
    expect(en('layout.nav.week')).toBe(en('layout.nav.week'));
  });

  it('formats a message with arguments with the values of each call, not those of the first', () => {
    const de = translator('de');
    expect(de('calendar.dst.spring', { hours: 23 })).toContain('23 Stunden');
    expect(de('calendar.dst.spring', { hours: 1 })).toContain('1 Stunde.');
    expect(de('calendar.dst.spring', { hours: 25 })).toContain('25 Stunden');
  });

  it('shows a text the Leichte Sprache catalog lacks in standard German and says so on every call, also once it is kept', () => {
    let fellBack = 0;
    const ls = translator('de-x-ls', () => fellBack++);
    expect(ls('adminNav.inbox')).toBe('Eingang');
    expect(ls('adminNav.inbox')).toBe('Eingang');
    expect(fellBack).toBe(2);
  });
});
