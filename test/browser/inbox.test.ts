// The caretaker's inbox list in a real browser (issue 13): a week of 40 open requests at 1280, 1024 (a tablet),
// 768 and 360 px without a sideways scroll of the page and without axe violations, as compact rows (not cards),
// and all 40 decided with the keyboard alone, a page of 25 at a time.
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, cleanupDir } from '../helpers/server.js';
import { axeViolations, cspErrors, formatViolations, logInAsAdmin, openPage, withScreenshot } from '../helpers/browser.js';
import { useBrowserAndServer } from '../helpers/browser-suite.js';
import { seedInbox, type SeededInbox } from '../helpers/inbox-seed.js';

const POLL = { timeout: 20_000, interval: 100 };
const REQUESTS = 40;
const HEIGHT = 800;

/** Presses Tab (or Shift+Tab) until the element matching `selector` has the focus. */
async function tabTo(page: Page, selector: string, key: 'Tab' | 'Shift+Tab' = 'Tab', max = 400): Promise<void> {
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
  let seeded: SeededInbox;
  // Registered first, so it runs last: the seeded database's folder goes once the server has stopped.
  afterAll(() => {
    if (seeded) cleanupDir(seeded.dir);
  });
  const live = useBrowserAndServer(async () => {
    // A week of requests: every first date within the seven days from a week ahead.
    seeded = await seedInbox(REQUESTS, { days: 7 });
    return { demo: false, databasePath: seeded.databasePath, env: { ADMIN_EMAIL, ADMIN_PASSWORD } };
  }, 120_000);

  for (const width of [1280, 1024, 768, 360]) {
    it(`shows 25 of ${REQUESTS} requests at ${width} px without scrolling the page sideways, and axe finds nothing`, async () => {
      const { page, errors, context } = await openPage(live.browser, { width, height: HEIGHT });
      await withScreenshot(page, `inbox-${width}`, async () => {
        await logInAsAdmin(page, live.server.url);
        await page.goto(`${live.server.url}/admin`);
        expect(await page.locator('tr.inbox-row').count()).toBe(25);
        expect(await page.locator('caption').innerText()).toContain(`Anfragen 1–25 von ${REQUESTS}`);
        if (width >= 1024) {
          // Compact rows, not cards (a card with a series' every date made the old inbox 7,000 px long): the 25
          // requests of a page fit in a few screen heights, and no row is taller than a few lines.
          const list = await page.locator('table.inbox-list').boundingBox();
          const rows = await page.locator('tr.inbox-row').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
          console.log(`inbox list at ${width} px: ${Math.round(list!.height)} px for 25 rows, tallest row ${Math.round(Math.max(...rows))} px`);
          expect(list!.height, 'height of the list of 25').toBeLessThanOrEqual(3.5 * HEIGHT);
          // A series row carries its rhythm and its next open date (six short lines in the narrower date column of
          // a tablet); a card of the old inbox was 500 px and more.
          expect(Math.max(...rows), 'tallest row').toBeLessThanOrEqual(260);
        }
        const [scrollWidth, clientWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
        expect(scrollWidth, 'page width').toBeLessThanOrEqual(clientWidth);
        // A row's decision buttons are on the screen, not cut off at the side.
        const box = await page.locator('tr.inbox-row').first().locator('button[formaction$="/reject"]').boundingBox();
        expect(box!.x + box!.width).toBeLessThanOrEqual(width);
        const violations = await axeViolations(page);
        expect(violations, formatViolations(`/admin at ${width}`, violations)).toEqual([]);
        // The filters opened, with an error next to a field: still no violations.
        await page.goto(`${live.server.url}/admin?from=2026-02-30&flag=any`);
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
      const { page, context } = await openPage(live.browser, { width });
      await withScreenshot(page, `staff-pages-${width}`, async () => {
        await logInAsAdmin(page, live.server.url);
        for (const path of pages) {
          const res = await page.goto(live.server.url + path);
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

  it(`decides all ${REQUESTS} requests with the keyboard alone, a page at a time, at 1280 and 1024 px`, async () => {
    const { page, errors, context } = await openPage(live.browser, { width: 1280, height: HEIGHT });
    const result = page.locator('.inbox-result');
    /** Ticks every request shown with Tab and Space, then presses the bulk button `action` (Shift+Tab back to it). */
    async function tickAllAnd(action: 'approve' | 'reject'): Promise<string> {
      const ids = await page.locator('input[name="ids"]').evaluateAll((els) => els.map((e) => e.id));
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) {
        await tabTo(page, `#${id}`);
        await page.keyboard.press('Space');
        expect(await page.locator(`#${id}`).isChecked(), id).toBe(true);
      }
      await tabTo(page, `button[name="action"][value="${action}"]`, 'Shift+Tab');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load', timeout: POLL.timeout }), page.keyboard.press('Enter')]);
      // The list again (a redirect), or, when something stayed open, the list with the result shown at once.
      expect(['/admin', '/admin/requests/bulk']).toContain(new URL(page.url()).pathname);
      await expect.poll(() => result.count(), POLL).toBe(1);
      return result.innerText();
    }
    await withScreenshot(page, 'inbox-decide-all', async () => {
      await logInAsAdmin(page, live.server.url);
      await page.goto(`${live.server.url}/admin`);
      // Page 1 of 2 at 1280 px: all 25 ticked and approved; the competing one of a pair and the one that
      // clashes with a booking stay open and are named.
      expect(await page.locator('.pager').innerText()).toContain('1 von 2');
      const first = await tickAllAnd('approve');
      expect(first).toMatch(/\d+ Anfragen bestätigt/);
      expect(first).toContain(seeded.requests[0]!.reference);
      expect(first).toContain('nicht (ganz) entschieden');
      expect(first).toContain(seeded.requests[2]!.reference);
      // What was page 2, now on the tablet: all ticked and approved.
      await page.setViewportSize({ width: 1024, height: HEIGHT });
      expect(await page.locator('.pager').count(), 'one page left').toBe(0);
      expect(await tickAllAnd('approve')).toMatch(/\d+ Anfragen? bestätigt/);
      // Left: only what cannot be approved (it clashes); rejected together.
      const left = await page.locator('tr.inbox-row').count();
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThan(10);
      expect(await page.locator('tr.inbox-row .flag-clash, tr.inbox-row .flag-competing').count()).toBeGreaterThan(0);
      expect(await tickAllAnd('reject')).toContain(`${left === 1 ? '1 Anfrage' : `${left} Anfragen`} abgelehnt`);
      expect(await page.locator('tr.inbox-row').count()).toBe(0);
      expect(cspErrors(errors), errors.join('\n')).toEqual([]);
    });
    await context.close();
    // Every date of the 40 is decided: none is pending, most approved, and no two approved ones overlap.
    const db = new BetterSqlite3(seeded.databasePath, { readonly: true });
    try {
      const ids = seeded.requests.map((r) => r.requestId);
      const rows = db
        .prepare(`SELECT request_id, room_id, start_at, end_at, status FROM bookings WHERE request_id IN (${ids.map(() => '?').join(',')})`)
        .all(...ids) as { request_id: number; room_id: number; start_at: number; end_at: number; status: string }[];
      expect(new Set(rows.map((r) => r.request_id)).size).toBe(REQUESTS);
      expect(rows.filter((r) => r.status === 'pending')).toEqual([]);
      const approved = rows.filter((r) => r.status === 'approved');
      expect(new Set(approved.map((r) => r.request_id)).size).toBeGreaterThanOrEqual(REQUESTS - 10);
      for (const a of approved)
        for (const b of approved)
          if (a !== b && a.room_id === b.room_id) expect(a.start_at < b.end_at && b.start_at < a.end_at, `overlap in room ${a.room_id}`).toBe(false);
    } finally {
      db.close();
    }
  }, 180_000);
});
