// The regular-group and absence pages in Chromium: filled in with the keyboard, errors next to their fields, and
// the public notice during an absence; axe-core finds no violation (WCAG 2.2 A/AA) and the CSP holds.
import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { addDays, systemClock, todayIn } from '../../src/time/index.js';
import { axeViolations, cspErrors, formatViolations, logInAsAdmin, openPage, withScreenshot } from '../helpers/browser.js';
import { useBrowserAndServer } from '../helpers/browser-suite.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

async function expectAccessible(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  if (violations.length) throw new Error(`accessibility violations (WCAG 2.2 A/AA):\n${formatViolations(where, violations)}`);
}

describe('regular groups and absence in the browser', () => {
  const live = useBrowserAndServer({ demo: true }, 120_000);

  it('adds a regular group and an absence by keyboard, and the public start page then shows the alternative contact', async () => {
    const { page, context, errors } = await openPage(live.browser, { width: 1024 });
    await withScreenshot(page, 'regular-groups-absence', async () => {
      await logInAsAdmin(page, live.server.url);

      await page.goto(`${live.server.url}/admin/regular-groups/new`);
      await Promise.all([page.waitForNavigation(), page.locator('#match_value').press('Enter')]);
      expect(await page.locator('.field-error').count()).toBeGreaterThanOrEqual(4);
      await expectAccessible(page, 'regular group form with errors');

      await page.locator('#match_value').fill('Lernwerkstatt e. V.');
      await page.locator('input[name=match_kind][value=organisation]').check();
      await page.locator('input[name=rooms]').first().check();
      await page.locator('input[name=weekdays][value="2"]').focus();
      await page.keyboard.press('Space');
      await page.locator('#start_time').fill('16:00');
      await page.locator('#end_time').fill('21:00');
      await Promise.all([page.waitForNavigation(), page.locator('#match_value').press('Enter')]);
      expect(page.url()).toMatch(/\/admin\/regular-groups$/);
      expect(await page.locator('table.regular-groups tbody tr').count()).toBe(1);
      await expectAccessible(page, '/admin/regular-groups');

      await page.goto(`${live.server.url}/admin/absence`);
      await page.locator('#contact_phone').fill('0170 5556667');
      await page.locator('#notice').fill('Das Büro ist diese Woche nicht besetzt.');
      await Promise.all([page.waitForNavigation(), page.locator('#contact_phone').press('Enter')]);
      const today = todayIn(systemClock, 'Europe/Berlin');
      await page.locator('#from').fill(today);
      await page.locator('#until').fill(addDays(today, 2));
      await Promise.all([page.waitForNavigation(), page.locator('form[action="/admin/absence"] button[value=save]').click()]);
      expect(await page.locator('.absence-list').innerText()).toContain('jetzt');
      await expectAccessible(page, '/admin/absence');
      expect(cspErrors(errors), errors.join('\n')).toEqual([]);
    });
    await context.close();

    const visitor = await openPage(live.browser, { width: 360 });
    await visitor.page.goto(`${live.server.url}/`);
    const notice = await visitor.page.locator('.absence-notice').innerText();
    expect(notice).toContain('Das Büro ist diese Woche nicht besetzt.');
    expect(notice).toContain('0170 5556667');
    await expectAccessible(visitor.page, '/ during an absence');
    await visitor.context.close();
  });
});
