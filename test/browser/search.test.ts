// "Find a free room" in Chromium, as a resident uses it on a phone (360 px) and on a desktop (1280 px), with and
// without JavaScript: fill the form, get the rooms that fit, follow one to the prefilled request form. axe-core
// reports no violation on the form, the answer and the form with its errors; the page never scrolls sideways.
import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { addDays, todayIn, weekStart, systemClock } from '../../src/time/index.js';
import { axeViolations, cspErrors, formatViolations, openPage, withScreenshot } from '../helpers/browser.js';
import { useBrowserAndServer } from '../helpers/browser-suite.js';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

/**
 * axe-core runs as a script in the page, which a page without JavaScript does not run: there it checks the same
 * markup the JavaScript run has already checked (the search page has no script of its own that could change it).
 */
async function expectAccessible(page: Page, where: string, javaScript = true): Promise<void> {
  if (!javaScript) return;
  const violations = await axeViolations(page);
  if (violations.length) throw new Error(`accessibility violations (WCAG 2.2 A/AA):\n${formatViolations(where, violations)}`);
}

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

describe('finding a free room in the browser', () => {
  const live = useBrowserAndServer({ demo: true }, 60_000);

  // A Tuesday two weeks ahead: beyond the lead time, inside the horizon, before the Christmas closure matters.
  const tuesday = addDays(weekStart(todayIn(systemClock, 'Europe/Berlin')), 14 + 1);

  for (const width of [360, 1280]) {
    for (const javaScript of [true, false]) {
      const how = `${width} px, ${javaScript ? 'with' : 'without'} JavaScript`;
      it(`a resident finds a room every Tuesday for 12 people and opens the prefilled request (${how})`, async () => {
        const { page, errors, context } = await openPage(live.browser, { width, javaScript });
        await withScreenshot(page, `search-${width}-${javaScript ? 'js' : 'nojs'}`, async () => {
          await page.goto(`${live.server.url}/`);
          await Promise.all([page.waitForURL(/\/search$/), page.getByRole('link', { name: 'Freien Raum suchen' }).click()]);
          await expectAccessible(page, '/search (empty)', javaScript);
          expect(await horizontalOverflow(page)).toBe(0);

          // First sent without times: the messages stand next to the fields, what was typed stays.
          const form = page.locator('form.search-form');
          await form.getByLabel('Datum', { exact: true }).fill(tuesday);
          await form.getByLabel(/^Anzahl Personen/).fill('12');
          const [bad] = await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Freie Räume suchen' }).click()]);
          expect(bad?.status()).toBe(400);
          expect(await page.locator('#start-error').innerText()).toBe('Bitte geben Sie an, ab wann Sie den Raum brauchen.');
          expect(await form.getByLabel(/^Anzahl Personen/).inputValue()).toBe('12');
          expect(await form.getByLabel('Datum', { exact: true }).inputValue()).toBe(tuesday);
          await expectAccessible(page, '/search (errors)', javaScript);
          expect(await horizontalOverflow(page)).toBe(0);

          await form.getByLabel('Von (Uhrzeit)', { exact: true }).fill('18:00');
          await form.getByLabel('Bis (Uhrzeit)', { exact: true }).fill('20:00');
          await form.getByLabel('Jede Woche, bis zu einem Datum', { exact: true }).check();
          await form.getByLabel('Jede Woche bis', { exact: true }).fill(addDays(tuesday, 21));
          await form.getByLabel('Klavier', { exact: true }).check();
          const [ok] = await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Freie Räume suchen' }).click()]);
          expect(ok?.status()).toBe(200);
          // The answer is where the page opens (#result), and says how many rooms fit.
          expect(page.url()).toContain('#result');
          const status = page.getByRole('status');
          expect(await status.innerText()).toMatch(/^\d+ Räume? pass(t|en)$/);
          expect(await status.isVisible()).toBe(true);
          const rooms = page.locator('.search-rooms > li');
          expect(await rooms.count()).toBeGreaterThan(0);
          for (const heading of await rooms.locator('h3').allInnerTexts()) expect(['Großer Saal', 'Saal B']).toContain(heading);
          await expectAccessible(page, '/search (answer)', javaScript);
          expect(await horizontalOverflow(page)).toBe(0);
          expect(cspErrors(errors), errors.join('\n')).toEqual([]);

          // A room's request link opens the request form with room, date and times filled in.
          const request = rooms.locator('a.button').first();
          await Promise.all([page.waitForURL(/\/requests\/new\?/), request.click()]);
          const requestForm = page.locator('form[method="post"][action="/requests"]');
          expect(['grosser-saal', 'saal-b']).toContain(await requestForm.locator('#room').inputValue());
          expect(await requestForm.locator('#date').inputValue()).toBe(tuesday);
          expect(await requestForm.locator('#start').inputValue()).toBe('18:00');
          expect(await requestForm.locator('#end').inputValue()).toBe('20:00');
        });
        await context.close();
      });
    }
  }
});
