// axe-core in Chromium at WCAG 2.2 A/AA on every public page, the request form (also with its errors shown),
// the confirmation and manage pages and the main caretaker pages; none may have a violation, and none may
// break the Content-Security-Policy.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { addDays, todayIn, weekStart, systemClock } from '../../src/time/index.js';
import { axeViolations, cspErrors, formatViolations, logInAsAdmin, openPage, type OpenPage, withScreenshot } from '../helpers/browser.js';
import { useBrowserAndServer } from '../helpers/browser-suite.js';

// A real server, a browser or many requests: slower than a unit test, especially on a busy machine.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

async function expectAccessible(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  if (violations.length) throw new Error(`accessibility violations (WCAG 2.2 A/AA):\n${formatViolations(where, violations)}`);
}

describe('accessibility of the pages (axe-core, WCAG 2.2 A/AA)', () => {
  const live = useBrowserAndServer({ demo: true }, 60_000);
  let visitor: OpenPage;

  beforeAll(async () => {
    visitor = await openPage(live.browser);
  }, 60_000);

  it('finds a violation when there is one (the check itself works)', async () => {
    const { page, context } = await openPage(live.browser);
    await page.setContent('<!doctype html><html><head><title>x</title></head><body><main><img src="data:,"><input></main></body></html>');
    const ids = (await axeViolations(page)).map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(['image-alt', 'html-has-lang']));
    await context.close();
  });

  const publicPages: [string, string][] = [
    ['start page', '/'],
    ['house week', '/week'],
    ['house week in English', '/week?lang=en'],
    ['rooms', '/rooms'],
    ['room page', '/rooms/gruppenraum'],
    ['room made of parts', '/rooms/grosser-saal'],
    ['room month', '/rooms/gruppenraum/month'],
    ['house rules', '/rules'],
    ['privacy notice', '/privacy'],
    ['imprint', '/imprint'],
    ['how to book a room', '/how-to-book'],
    ['how to book a room in Leichte Sprache', '/how-to-book?lang=de-x-ls'],
    ['how to book a room in Arabic', '/how-to-book?lang=ar'],
    ['request form', '/requests/new'],
    ['request form, prefilled', '/requests/new?room=gruppenraum'],
    ['public programme', '/programme'],
    ['public programme in English', '/programme?lang=en'],
    ['login', '/login'],
    ['not found', '/gibt-es-nicht'],
    ['bad date', '/week?date=2026-02-30'],
  ];
  for (const [name, path] of publicPages) {
    it(`has no violations on the ${name} (${path})`, async () => {
      const { page, errors } = visitor;
      await withScreenshot(page, `a11y-${name}`, async () => {
        const res = await page.goto(live.server.url + path);
        expect(res?.status(), path).toBe(/gibt-es-nicht/.test(path) ? 404 : /2026-02-30/.test(path) ? 400 : 200);
        await expectAccessible(page, path);
        expect(cspErrors(errors), errors.join('\n')).toEqual([]);
      });
    });
  }

  it('has no violations on the request form sent empty (errors shown next to their fields)', async () => {
    const { page } = visitor;
    await withScreenshot(page, 'a11y-request-form-errors', async () => {
      await page.goto(`${live.server.url}/requests/new`);
      const [res] = await Promise.all([page.waitForNavigation(), page.locator('form[action="/requests"] button[value="send"]').click()]);
      expect(res?.status()).toBe(422);
      expect(await page.locator('[aria-invalid="true"]').count()).toBeGreaterThan(3);
      await expectAccessible(page, 'POST /requests (errors)');
    });
  });

  it('has no violations on the series preview, the confirmation, the manage page and the edit form', async () => {
    const { page } = visitor;
    await withScreenshot(page, 'a11y-request-flow', async () => {
      const first = addDays(weekStart(todayIn(systemClock, 'Europe/Berlin')), 7 + 3);
      await page.goto(`${live.server.url}/requests/new?room=lehrkueche&date=${first}&start=10:00&end=12:00`);
      const form = page.locator('form[method="post"][action="/requests"]');
      await form.locator('#repeat-weekly').check();
      await form.locator('#lastDate').fill(addDays(first, 28));
      await form.locator('#title').fill('Kochkurs');
      await form.locator('#category').selectOption('education');
      await form.locator('#attendees').fill('8');
      await form.locator('#contactName').fill('Rania Beispiel');
      await form.locator('#email').fill('kochkurs@example.org');
      await form.locator('#acceptRules').check();
      await form.locator('#acceptPrivacy').check();
      await Promise.all([page.waitForNavigation(), form.locator('button[value="preview"]').first().click()]);
      expect(await page.locator('.preview-dates li').count()).toBeGreaterThan(1);
      await expectAccessible(page, 'series preview');
      await Promise.all([page.waitForURL(/created=1/), page.locator('form[action="/requests"] button[value="send"]').click()]);
      await expectAccessible(page, 'confirmation');
      const manage = await page.locator('.manage-link a').innerText();
      await page.goto(manage);
      await expectAccessible(page, 'manage page');
      await page.goto(`${manage}/edit`);
      expect(await page.locator('form[method="post"][action$="/edit"]').count()).toBe(1);
      await expectAccessible(page, 'edit form');
    });
  });

  it('has no violations on the caretaker inbox, calendar and a request detail', async () => {
    const { page, context } = await openPage(live.browser);
    await withScreenshot(page, 'a11y-caretaker', async () => {
      await logInAsAdmin(page, live.server.url);
      for (const path of ['/admin', '/admin/calendar']) {
        const res = await page.goto(live.server.url + path);
        expect(res?.status(), path).toBe(200);
        await expectAccessible(page, path);
      }
      const detail = await page.goto(live.server.url + '/admin').then(() => page.locator('tr.inbox-row .c-request a').first().getAttribute('href'));
      expect(detail).toMatch(/^\/admin\/requests\/\d+$/);
      await page.goto(live.server.url + detail!);
      await expectAccessible(page, detail!);
    });
    await context.close();
  });
});
