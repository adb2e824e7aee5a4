// The caretaker's inbox list in a real browser (issue 13): 30 open requests at 1280, 768 and 360 px without a
// sideways scroll of the page and without axe violations, and a bulk approval done with the keyboard alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, cleanupDir, startServer, type RunningServer } from '../helpers/server.js';
import { axeViolations, cspErrors, formatViolations, launchBrowser, openPage, withScreenshot } from '../helpers/browser.js';
import { seedInbox, type SeededInbox } from '../helpers/inbox-seed.js';

const POLL = { timeout: 20_000, interval: 100 };

async function login(page: Page, url: string) {
  await page.goto(`${url}/login`);
  await page.locator('#email').fill(ADMIN_EMAIL);
  await page.locator('#password').fill(ADMIN_PASSWORD);
  await Promise.all([page.waitForURL(/\/admin/), page.locator('#password').press('Enter')]);
}

/** Presses Tab (or Shift+Tab) until the element matching `selector` has the focus. */
async function tabTo(page: Page, selector: string, key: 'Tab' | 'Shift+Tab' = 'Tab', max = 200): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    if (
      await page
        .locator(selector)
        .evaluate((el) => el === document.activeElement)
        .catch(() => false)
    )
      return;
  }
  throw new Error(`keyboard focus never reached ${selector}`);
}

describe('the inbox list in a browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let seeded: SeededInbox;
  beforeAll(async () => {
    seeded = await seedInbox(30);
    server = await startServer({ demo: false, databasePath: seeded.databasePath, env: { ADMIN_EMAIL, ADMIN_PASSWORD } });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (seeded) cleanupDir(seeded.dir);
  });

  for (const width of [1280, 768, 360]) {
    it(`shows 25 of 30 requests at ${width} px without scrolling the page sideways, and axe finds nothing`, async () => {
      const { page, errors, context } = await openPage(browser, { width });
      await withScreenshot(page, `inbox-${width}`, async () => {
        await login(page, server.url);
        await page.goto(`${server.url}/admin`);
        expect(await page.locator('tr.inbox-row').count()).toBe(25);
        expect(await page.locator('caption').innerText()).toContain('Anfragen 1–25 von 30');
        const [scrollWidth, clientWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
        expect(scrollWidth, 'page width').toBeLessThanOrEqual(clientWidth);
        // A row's decision buttons are on the screen, not cut off at the side.
        const box = await page.locator('tr.inbox-row').first().locator('button[formaction$="/reject"]').boundingBox();
        expect(box!.x + box!.width).toBeLessThanOrEqual(width);
        const violations = await axeViolations(page);
        expect(violations, formatViolations(`/admin at ${width}`, violations)).toEqual([]);
        // The filters opened, with an error next to a field: still no violations.
        await page.goto(`${server.url}/admin?from=2026-02-30&flag=any`);
        expect(await page.locator('#f-from-error').isVisible()).toBe(true);
        const withErrors = await axeViolations(page);
        expect(withErrors, formatViolations(`/admin with errors at ${width}`, withErrors)).toEqual([]);
        expect(cspErrors(errors), errors.join('\n')).toEqual([]);
      });
      await context.close();
    }, 90_000);
  }

  it('has no axe violations on any staff page with the sectioned navigation, at 1280 and 768 px', async () => {
    const pages = ['/admin/bookings/new', '/admin/templates', '/admin/calendar', '/admin/print', '/admin/blocks', '/admin/rooms', '/admin/statistics'];
    pages.push('/admin/feed', '/admin/export', '/admin/settings', '/admin/settings/images', '/admin/users', '/admin/audit', '/admin/outbox', '/admin/data');
    pages.push('/admin/password', '/admin/summary', `/admin/requests/${seeded.requests[2]!.requestId}`);
    for (const width of [1280, 768]) {
      const { page, context } = await openPage(browser, { width });
      await withScreenshot(page, `staff-pages-${width}`, async () => {
        await login(page, server.url);
        for (const path of pages) {
          const res = await page.goto(server.url + path);
          expect(res?.status(), path).toBe(200);
          expect(await page.locator('.admin-nav [aria-current="page"]').count(), path).toBe(1);
          const [scrollWidth, clientWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
          // The staff week and the door plan are wide tables by design; every other page fits.
          if (path !== '/admin/print' && path !== '/admin/calendar') expect(scrollWidth, `${path} width at ${width}`).toBeLessThanOrEqual(clientWidth);
          const violations = await axeViolations(page);
          expect(violations, formatViolations(`${path} at ${width}`, violations)).toEqual([]);
        }
      });
      await context.close();
    }
  }, 240_000);

  it('approves two ticked requests with the keyboard alone and returns to the list', async () => {
    const { page, errors, context } = await openPage(browser, { width: 1280 });
    await withScreenshot(page, 'inbox-bulk-keyboard', async () => {
      await login(page, server.url);
      await page.goto(`${server.url}/admin`);
      const [a, b] = [seeded.requests[0]!, seeded.requests[1]!];
      await tabTo(page, `#choose-${a.requestId}`);
      await page.keyboard.press('Space');
      await tabTo(page, `#choose-${b.requestId}`);
      await page.keyboard.press('Space');
      await tabTo(page, 'button[name="action"][value="approve"]', 'Shift+Tab');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load', timeout: POLL.timeout }), page.keyboard.press('Enter')]);
      expect(new URL(page.url()).pathname).toBe('/admin');
      const result = page.locator('.inbox-result');
      await expect.poll(() => result.innerText(), POLL).toContain('2 Anfragen bestätigt');
      expect(await result.innerText()).toContain(a.reference);
      expect(await result.innerText()).toContain(b.reference);
      expect(await page.locator(`#request-${a.requestId}`).count()).toBe(0);
      expect(await page.locator(`#request-${b.requestId}`).count()).toBe(0);
      expect(await page.locator('tr.inbox-row').count()).toBe(25);
      expect(await page.locator('caption').innerText()).toContain('von 28');
      expect(cspErrors(errors), errors.join('\n')).toEqual([]);
    });
    await context.close();
  }, 90_000);
});
