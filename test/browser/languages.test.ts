// Right to left in a real browser (issue 14): an Arabic page is mirrored (the brand and the first column on the
// right), fits a phone without sideways scrolling, keeps a phone number and a time range left to right inside
// the Arabic text, and the time axis of the request form follows the reading direction; axe finds nothing on
// the Arabic and Turkish start page and request form.
import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, cspErrors, formatViolations, openPage, withScreenshot } from '../helpers/browser.js';
import { useBrowserAndServer } from '../helpers/browser-suite.js';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

/** The on-screen boxes of two pieces of one text node: where `a` and `b` stand, left to right. */
async function xOfPieces(page: Page, selector: string, a: string, b: string): Promise<{ a: number; b: number } | null> {
  return page.evaluate(
    ([sel, pa, pb]) => {
      for (const el of Array.from(document.querySelectorAll(sel!))) {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const text = n.textContent ?? '';
          const ia = text.indexOf(pa!);
          const ib = text.indexOf(pb!, ia + pa!.length);
          if (ia < 0 || ib < 0) continue;
          const box = (i: number, len: number) => {
            const r = document.createRange();
            r.setStart(n, i);
            r.setEnd(n, i + len);
            return r.getBoundingClientRect().left;
          };
          return { a: box(ia, pa!.length), b: box(ib, pb!.length) };
        }
      }
      return null;
    },
    [selector, a, b],
  );
}

describe('right to left and every language in the browser', () => {
  const live = useBrowserAndServer({ demo: true }, 60_000);

  for (const width of [360, 1280]) {
    it(`mirrors an Arabic page at ${width} px, without sideways scrolling, numbers left to right`, async () => {
      const { page, context, errors } = await openPage(live.browser, { width });
      await withScreenshot(page, `languages-ar-${width}`, async () => {
        await page.goto(`${live.server.url}/week?lang=ar`);
        expect(await page.getAttribute('html', 'dir')).toBe('rtl');
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(scroll).toBeLessThanOrEqual(0);
        // The brand starts at the right edge, the language switch sits to its left.
        const brand = (await page.locator('.brand').boundingBox())!;
        const lang = (await page.locator('.header-row .lang, .header-row form.lang').first().boundingBox())!;
        expect(brand.x + brand.width).toBeGreaterThan(width - 40);
        expect(lang.x).toBeLessThan(brand.x);
        // The first navigation entry (home) is the rightmost of its row.
        const nav = await page.locator('.main-nav li').evaluateAll((lis) => lis.map((li) => li.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y })));
        const firstRow = nav.filter((r) => Math.abs(r.y - nav[0]!.y) < 2);
        expect(Math.max(...firstRow.map((r) => r.x))).toBe(nav[0]!.x);
        // The house's phone number in the lead hint reads 030 … left to right, inside the Arabic sentence.
        const phone = await xOfPieces(page, 'p.hint', '030', '1234567');
        expect(phone).not.toBeNull();
        expect(phone!.a).toBeLessThan(phone!.b);
        expect(cspErrors(errors)).toEqual([]);
      });
      await context.close();
    });
  }

  for (const width of [360, 1280]) {
    it(`keeps a typed phone number, an e-mail address and the house's phone left to right in the Arabic request form at ${width} px`, async () => {
      const { page, context } = await openPage(live.browser, { width });
      await withScreenshot(page, `languages-ar-form-phone-${width}`, async () => {
        await page.goto(`${live.server.url}/requests/new?lang=ar&room=gruppenraum`);
        await page.fill('#phone', '+49 30 1234567');
        await page.fill('#email', 'info@example.org');
        for (const id of ['#phone', '#email']) {
          const field = await page.locator(id).evaluate((e) => ({ attr: e.getAttribute('dir'), direction: getComputedStyle(e).direction }));
          expect(field).toEqual({ attr: 'ltr', direction: 'ltr' });
        }
        expect(await page.inputValue('#phone')).toBe('+49 30 1234567');
        // In the lead hint the number reads 030 1234567, and the sentence's full stop ends the Arabic line on the left.
        const phone = await xOfPieces(page, 'p.hint', '030', '1234567');
        expect(phone).not.toBeNull();
        expect(phone!.a).toBeLessThan(phone!.b);
        const stop = await xOfPieces(page, 'p.hint', '030', '\u2069.');
        expect(stop).not.toBeNull();
        expect(stop!.b).toBeLessThan(stop!.a);
      });
      await context.close();
    });
  }

  it('keeps a time range left to right in the Arabic week (start before end, read as written)', async () => {
    const { page, context } = await openPage(live.browser, { width: 1280 });
    await page.goto(`${live.server.url}/week?lang=ar`);
    const range = await page.evaluate(() => {
      const m = /(\d\d:\d\d)[\u2068\u2069]*–[\u2068\u2069]*(\d\d:\d\d)/.exec(document.querySelector('.board, main')!.textContent ?? '');
      return m ? [m[1]!, m[2]!] : null;
    });
    expect(range).not.toBeNull();
    const xs = await xOfPieces(page, '.board *', range![0]!, range![1]!);
    expect(xs).not.toBeNull();
    expect(xs!.a).toBeLessThan(xs!.b);
    await context.close();
  });

  it("moves the request form's time selection with the arrow keys in the reading direction (Arabic)", async () => {
    const { page, context } = await openPage(live.browser, { width: 1280 });
    await page.goto(`${live.server.url}/requests/new?lang=ar&room=gruppenraum&date=2026-12-09&start=10:00&end=12:00`);
    const axis = page.locator('.time-axis');
    await axis.waitFor();
    // The axis knows the day once its free times have arrived: then it shows the chosen time.
    await expect.poll(() => page.locator('.time-axis-selection').evaluate((e) => e.getBoundingClientRect().width), { timeout: 15_000 }).toBeGreaterThan(0);
    await axis.focus();
    await page.keyboard.press('ArrowLeft');
    // In a right-to-left page, left is later: the start moves on by one step.
    expect(await page.inputValue('#start')).toBe('10:15');
    await context.close();
  });

  for (const lang of ['ar', 'tr']) {
    for (const [name, path] of [
      ['start page', '/'],
      ['request form', '/requests/new'],
    ]) {
      it(`has no accessibility violations on the ${name} in ${lang}`, async () => {
        const { page, context } = await openPage(live.browser, { width: 1280 });
        await page.goto(`${live.server.url}${path}?lang=${lang}`);
        const violations = await axeViolations(page);
        if (violations.length) throw new Error(formatViolations(`${lang} ${path}`, violations));
        await context.close();
      });
    }
  }
});
