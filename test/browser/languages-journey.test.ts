// The request journey in other languages, in a real browser (issue 14): start page → request form filled → sent →
// confirmation → manage page through its link, in Arabic and Persian at 360 and 1280 px and in Leichte Sprache and
// Ukrainian at 360 px. On every page: `<html lang dir>` right, the layout mirrored for right to left (the brand on
// the right, the language switch to its left), nothing wider than the window, the reference and the times readable
// (Latin digits, start before end), axe 0 violations. Then axe on the start page, the week and the request form in
// every language of the registry.
import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, cspErrors, formatViolations, openPage, withScreenshot } from '../helpers/browser.js';
import { useBrowserAndServer } from '../helpers/browser-suite.js';
import { addDays, todayIn, weekStart, systemClock } from '../../src/time/index.js';
import { LANGUAGE_REGISTRY } from '../../src/i18n/languages.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 90_000 });

const ZONE = 'Europe/Berlin';
const POLL = { timeout: 20_000, interval: 100 };

/** What every page of the journey must hold. */
async function checkPage(page: Page, lang: string, dir: 'ltr' | 'rtl', width: number, where: string): Promise<void> {
  expect(await page.getAttribute('html', 'lang'), where).toBe(lang);
  expect(await page.getAttribute('html', 'dir'), where).toBe(dir);
  const overflow = await page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);
  expect(overflow, `${where}: sideways scrolling`).toBeLessThanOrEqual(0);
  // The header's first item (the brand) stands at the reading start; the language switch follows it.
  const brand = (await page.locator('.brand').boundingBox())!;
  const langSwitch = (await page.locator('.header-row form.lang, .header-row .lang').first().boundingBox())!;
  // (A wide window centres the page in a column: the edges are the header row's.)
  const row = (await page.locator('.header-row').first().boundingBox())!;
  if (dir === 'rtl') {
    expect(brand.x + brand.width, `${where}: brand at the right edge`).toBeGreaterThan(row.x + row.width - 40);
    expect(langSwitch.x, `${where}: switch left of the brand`).toBeLessThan(brand.x);
  } else {
    expect(brand.x, `${where}: brand at the left edge`).toBeLessThan(row.x + 40);
    expect(langSwitch.x + langSwitch.width, `${where}: switch right of the brand`).toBeGreaterThan(brand.x + brand.width);
  }
  const violations = await axeViolations(page);
  if (violations.length) throw new Error(formatViolations(`${lang} ${width}px ${where}`, violations));
}

/** The reference and the time range, as a reader sees them: Latin digits, the start before the end. */
async function expectReadable(page: Page, reference: string, start: string, end: string, where: string): Promise<void> {
  const text = (await page.locator('main').textContent()) ?? '';
  expect(text, where).toContain(reference);
  const s = text.indexOf(start);
  expect(s, `${where}: ${start} shown`).toBeGreaterThanOrEqual(0);
  expect(text.indexOf(end, s + start.length), `${where}: ${end} after ${start}`).toBeGreaterThan(s);
}

describe('the request journey in other languages', () => {
  const live = useBrowserAndServer({ demo: true }, 60_000);

  const runs: { lang: string; dir: 'ltr' | 'rtl'; width: number }[] = [
    { lang: 'ar', dir: 'rtl', width: 360 },
    { lang: 'ar', dir: 'rtl', width: 1280 },
    { lang: 'fa', dir: 'rtl', width: 360 },
    { lang: 'fa', dir: 'rtl', width: 1280 },
    { lang: 'de-x-ls', dir: 'ltr', width: 360 },
    { lang: 'uk', dir: 'ltr', width: 360 },
  ];
  // Tuesday in two weeks (beyond the lead time); each run its own two hours, so none clashes with another.
  const day = addDays(weekStart(todayIn(systemClock, ZONE)), 15);

  runs.forEach(({ lang, dir, width }, i) => {
    it(`${lang} at ${width} px: start page, request form, sent, confirmation, manage page`, async () => {
      const start = `${String(9 + i * 2).padStart(2, '0')}:00`;
      const end = `${String(10 + i * 2).padStart(2, '0')}:30`;
      const { page, context, errors } = await openPage(live.browser, { width, height: 800 });
      await withScreenshot(page, `languages-journey-${lang}-${width}`, async () => {
        await page.goto(`${live.server.url}/?lang=${lang}`);
        await checkPage(page, lang, dir, width, 'start page');

        // The start page's button to the request form; the language is remembered from here on.
        await Promise.all([page.waitForURL(/\/requests\/new/), page.locator('main a.button[href="/requests/new"]').first().click()]);
        await page.goto(`${live.server.url}/requests/new?room=gruppenraum&date=${day}&start=${start}&end=${end}`);
        await checkPage(page, lang, dir, width, 'request form');
        const form = page.locator('form[method="post"][action="/requests"]');
        await form.locator('#title').fill(`Sprachcafé ${lang} ${width}`);
        await form.locator('#category').selectOption({ index: 1 });
        await form.locator('#attendees').fill('8');
        await form.locator('#contactName').fill('Mariam Nachbarin');
        await form.locator('#email').fill('mariam@example.org');
        await form.locator('#acceptRules').check();
        await form.locator('#acceptPrivacy').check();
        await Promise.all([page.waitForURL(/\/requests\/[^/]+\?created=1$/, { timeout: POLL.timeout }), form.locator('button[value="send"]').click()]);

        const reference = /HdB-\d{4}-\d{4}/.exec((await page.locator('h1').textContent()) ?? '')?.[0];
        expect(reference, 'the reference in the confirmation heading').toBeDefined();
        await checkPage(page, lang, dir, width, 'confirmation');
        await expectReadable(page, reference!, start, end, 'confirmation');

        const manageUrl = (await page.locator('.manage-link a').textContent())!.trim();
        expect(manageUrl).toMatch(new RegExp(`^${live.server.url}/requests/[A-Za-z0-9_-]{40,}$`));
        await page.goto(manageUrl);
        await checkPage(page, lang, dir, width, 'manage page');
        await expectReadable(page, reference!, start, end, 'manage page');
        expect(cspErrors(errors), errors.join('\n')).toEqual([]);
      });
      await context.close();
    });
  });

  it('has no accessibility violations on the start page, the week and the request form in every language (1280 px)', async () => {
    const { page, context } = await openPage(live.browser, { width: 1280 });
    const found: string[] = [];
    for (const { code, dir } of LANGUAGE_REGISTRY) {
      for (const path of ['/', '/week', '/requests/new']) {
        await page.goto(`${live.server.url}${path}?lang=${code}`);
        expect(await page.getAttribute('html', 'lang')).toBe(code);
        expect(await page.getAttribute('html', 'dir')).toBe(dir);
        const violations = await axeViolations(page);
        if (violations.length) found.push(formatViolations(`${code} ${path}`, violations));
      }
    }
    expect(found.join('\n')).toBe('');
    await context.close();
  }, 240_000);
});
