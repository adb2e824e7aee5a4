// The management pages in a real browser at 360 px: axe-core (WCAG 2.2 A/AA) finds no violation, also with
// form errors shown, nothing overflows sideways outside a scroll box, and the CSP is never broken.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type RunningServer } from '../helpers/server.js';
import { axeViolations, cspErrors, formatViolations, launchBrowser, openPage, withScreenshot } from '../helpers/browser.js';

async function expectAccessible(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  if (violations.length) throw new Error(`accessibility violations (WCAG 2.2 A/AA):\n${formatViolations(where, violations)}`);
}

describe('the management pages in a browser', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ demo: true }), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    server?.cleanup();
  });

  it('has no violations on rooms, settings, accounts, export, audit log and password pages at 360 px', async () => {
    const { page, context, errors } = await openPage(browser, { width: 360, height: 740 });
    await withScreenshot(page, 'a11y-management', async () => {
      await page.goto(`${server.url}/login`);
      await page.locator('#email').fill(ADMIN_EMAIL);
      await page.locator('#password').fill(ADMIN_PASSWORD);
      await Promise.all([page.waitForURL(/\/admin/), page.locator('#password').press('Enter')]);
      for (const path of ['/admin/rooms', '/admin/rooms/new', '/admin/settings', '/admin/users', '/admin/export', '/admin/audit', '/admin/password']) {
        const res = await page.goto(server.url + path);
        expect(res?.status(), path).toBe(200);
        await expectAccessible(page, path);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
      }
      // With errors shown next to their fields.
      await page.goto(`${server.url}/admin/rooms/new`);
      await page.locator('#slug').fill('Nicht Gültig!');
      await Promise.all([page.waitForLoadState('load'), page.locator('form[method="post"][action="/admin/rooms"] button[type="submit"]').click()]);
      expect(await page.locator('#slug-error').count()).toBe(1);
      await expectAccessible(page, 'room form with errors');
      await page.goto(`${server.url}/admin/settings`);
      await page.locator('#timezone').fill('Mars/Olympus');
      await Promise.all([page.waitForLoadState('load'), page.locator('form[method="post"][action="/admin/settings"] button[type="submit"]').click()]);
      expect(await page.locator('#timezone-error').count()).toBe(1);
      await expectAccessible(page, 'settings with errors');
      await page.goto(`${server.url}/admin/users`);
      await page.locator('#name').fill('Neue Person');
      await page.locator('#email').fill('neu@example.org');
      await Promise.all([page.waitForLoadState('load'), page.locator('form[method="post"][action="/admin/users"] button[type="submit"]').click()]);
      expect(await page.locator('.one-time-password code').count()).toBe(1);
      await expectAccessible(page, 'accounts with a one-time password');
      expect(cspErrors(errors)).toEqual([]);
    });
    await context.close();
  }, 90_000);
});
