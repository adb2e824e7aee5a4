// The statistics page and the yearly report in Chromium at 1280 px: axe-core finds no violation, the strict
// CSP is not broken by the server-drawn charts, and Chromium prints the report to a PDF.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../helpers/server.js';
import { axeViolations, cspErrors, formatViolations, logInAsAdmin, openPage, type OpenPage, withScreenshot } from '../helpers/browser.js';
import { useBrowserAndServer } from '../helpers/browser-suite.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

describe('statistics in the browser', () => {
  const live = useBrowserAndServer({ demo: true, env: { ADMIN_EMAIL, ADMIN_PASSWORD } });
  let staff: OpenPage;
  const year = new Date().getUTCFullYear();

  beforeAll(async () => {
    staff = await openPage(live.browser, { width: 1280 });
    const { page } = staff;
    await logInAsAdmin(page, live.server.url);
  });

  it('shows the year with charts and tables, no accessibility violations, no CSP errors', async () => {
    const { page, errors } = staff;
    await withScreenshot(page, 'statistics-page', async () => {
      const res = await page.goto(`${live.server.url}/admin/statistics?period=year&year=${year}`);
      expect(res?.status()).toBe(200);
      // Five charts, each an image named by its title and described by its numbers.
      const charts = page.locator('figure.stat-chart svg[role="img"]');
      expect(await charts.count()).toBe(5);
      const first = charts.first();
      const titleId = await first.getAttribute('aria-labelledby');
      expect(await page.locator(`[id="${titleId}"]`).textContent()).toBe('Gebuchte Stunden je Raum');
      expect(await page.locator('table.stat-table').count()).toBe(12);
      const violations = await axeViolations(page);
      expect(violations, formatViolations('/admin/statistics', violations)).toEqual([]);
      expect(cspErrors(errors), errors.join('\n')).toEqual([]);
    });
  });

  it('shows a bad period next to its field with the typed value kept', async () => {
    const { page } = staff;
    const res = await page.goto(`${live.server.url}/admin/statistics?period=custom&from=${year}-05-01&to=${year}-04-01`);
    expect(res?.status()).toBe(400);
    await expect.poll(() => page.locator('#to-error').textContent()).toContain('„Bis“ darf nicht vor „Von“ liegen.');
    expect(await page.locator('#to').inputValue()).toBe(`${year}-04-01`);
    const violations = await axeViolations(page);
    expect(violations, formatViolations('/admin/statistics (errors)', violations)).toEqual([]);
  });

  it('has a printable yearly report that Chromium prints to PDF', async () => {
    const { page, errors } = staff;
    await withScreenshot(page, 'statistics-report', async () => {
      const res = await page.goto(`${live.server.url}/admin/statistics/report?period=year&year=${year}`);
      expect(res?.status()).toBe(200);
      expect(await page.locator('h1').textContent()).toBe(`Raumnutzung ${year}`);
      expect(await page.locator('.stat-house').textContent()).toContain('Haus');
      const violations = await axeViolations(page);
      expect(violations, formatViolations('/admin/statistics/report', violations)).toEqual([]);
      await page.emulateMedia({ media: 'print' });
      // On paper: no navigation, no forms, the charts still there.
      expect(await page.locator('.admin-nav').isVisible()).toBe(false);
      expect(await page.locator('figure.stat-chart svg').first().isVisible()).toBe(true);
      const pdf = await page.pdf({ format: 'A4', printBackground: false });
      await page.emulateMedia({ media: 'screen' });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      // More than one page of tables and charts.
      expect((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length).toBeGreaterThan(1);
      expect(cspErrors(errors), errors.join('\n')).toEqual([]);
    });
  });

  it('has no violations on the attendance page', async () => {
    const { page } = staff;
    const res = await page.goto(`${live.server.url}/admin/statistics/attendance?period=year&year=${year}`);
    expect(res?.status()).toBe(200);
    const violations = await axeViolations(page);
    expect(violations, formatViolations('/admin/statistics/attendance', violations)).toEqual([]);
  });
});
