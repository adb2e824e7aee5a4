// The group's attendance page (issue 15) in Chromium: axe-core at WCAG 2.2 A/AA in German and Arabic at 360 and
// 1280 px, with the form's error shown and after saving; no CSP violation. The form is a plain HTML form (no script of its own).
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { axeViolations, cspErrors, formatViolations, openPage, withScreenshot } from '../helpers/browser.js';
import { useBrowserAndServer } from '../helpers/browser-suite.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const TOKEN = 'AttendanceBrowserTest_0123456789abcdefghijk';

describe('the attendance page in a browser', () => {
  const live = useBrowserAndServer({ demo: true }, 180_000);

  beforeAll(async () => {
    // A link of our own (the one in the outbox is encrypted) for the demo house's latest past approved date.
    const db = new Database(live.server.databasePath);
    db.pragma('busy_timeout = 10000');
    db.transaction(() => {
      const b = db
        .prepare(
          "SELECT b.id, b.request_id FROM bookings b JOIN requests r ON r.id = b.request_id WHERE b.status = 'approved' AND b.end_at < ? AND r.anonymized_at IS NULL ORDER BY b.end_at DESC LIMIT 1",
        )
        .get(Date.now()) as { id: number; request_id: number };
      db.prepare('DELETE FROM attendance_links WHERE booking_id = ?').run(b.id);
      db.prepare('INSERT INTO attendance_links (booking_id, request_id, token_hash, sent_at, expires_at, outbox_id) VALUES (?, ?, ?, ?, ?, NULL)').run(
        b.id,
        b.request_id,
        createHash('sha256').update(TOKEN).digest('hex'),
        Date.now(),
        Date.now() + 7 * 86_400_000,
      );
    })();
    db.close();
  }, 180_000);

  for (const lang of ['de', 'ar']) {
    for (const width of [360, 1280]) {
      it(`has no violations in ${lang} at ${width} px, with the error shown and after saving`, async () => {
        const { page, context, errors } = await openPage(live.browser, { width });
        await withScreenshot(page, `attendance-${lang}-${width}`, async () => {
          const res = await page.goto(`${live.server.url}/attendance/${TOKEN}?lang=${lang}`);
          expect(res?.status()).toBe(200);
          const where = `/attendance (${lang}, ${width} px)`;
          let v = await axeViolations(page);
          expect(v, formatViolations(where, v)).toEqual([]);
          // Nothing wider than the screen.
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
          await page.fill('#attended', '9999');
          const [bad] = await Promise.all([page.waitForNavigation(), page.click('form.attendance-form button[type=submit]')]);
          expect(bad?.status()).toBe(400);
          expect(await page.inputValue('#attended')).toBe('9999');
          expect(await page.getAttribute('#attended', 'aria-invalid')).toBe('true');
          v = await axeViolations(page);
          expect(v, formatViolations(`${where} with an error`, v)).toEqual([]);
          await page.fill('#attended', '7');
          const [ok] = await Promise.all([page.waitForNavigation(), page.click('form.attendance-form button[type=submit]')]);
          expect(ok?.status()).toBe(200);
          expect(page.url()).toContain('saved=1');
          v = await axeViolations(page);
          expect(v, formatViolations(`${where} saved`, v)).toEqual([]);
          expect(cspErrors(errors), errors.join('\n')).toEqual([]);
        });
        await context.close();
      });
    }
  }
});
