// The public time-axis views in Chromium (issue 12) at 360, 1280 and 1920 px, with and without JavaScript: the
// house week fits the screen without sideways scrolling, the phone agenda keeps its day and room headings in
// view while scrolling, a free stretch opens the request form with its first two hours, and axe finds nothing.
import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, cspErrors, formatViolations, logInAsAdmin, openPage, withScreenshot } from '../helpers/browser.js';
import { useBrowserAndServer } from '../helpers/browser-suite.js';
import { addDays, todayIn, weekStart, systemClock } from '../../src/time/index.js';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

const nextMonday = () => addDays(weekStart(todayIn(systemClock, 'Europe/Berlin')), 7);
const LONG = 'Donaudampfschifffahrtsgesellschaftskapitänsmützenabteilungsversammlung';
const overflow = (page: Page) => page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));

describe('the calendar views in a browser', () => {
  const live = useBrowserAndServer({ demo: true }, 60_000);

  for (const width of [1280, 1920]) {
    it(`shows the whole house week at ${width} px without sideways scrolling, Monday to Sunday side by side`, async () => {
      const { page, errors, context } = await openPage(live.browser, { width, height: 900 });
      await withScreenshot(page, `calendar-week-${width}`, async () => {
        await page.goto(`${live.server.url}/week?date=${nextMonday()}`);
        const { doc, view } = await overflow(page);
        expect(doc).toBe(view);
        const heads = await page
          .locator('.board-dayhead')
          .evaluateAll((hs) => hs.map((h) => h.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right, top: r.top })));
        expect(heads).toHaveLength(7);
        // One row of days, left to right, the last one inside the window.
        expect(new Set(heads.map((h) => Math.round(h.top))).size).toBe(1);
        for (let i = 1; i < 7; i++) expect(heads[i]!.left).toBeGreaterThan(heads[i - 1]!.left);
        expect(heads[6]!.right).toBeLessThanOrEqual(view);
        // The wide screen is used: the week is as wide as the window less its margins.
        const board = await page.locator('.board-week').boundingBox();
        expect(board!.width).toBeGreaterThan(view - 80);
        // A block's height follows its length: a 2-hour entry is taller than a 1-hour one in the same view.
        const busy = await page.locator('.board-week .e').evaluateAll((es) =>
          es.map((e) => ({
            lines: Number(/qe-(\d+)/.exec(e.className)![1]) - Number(/qs-(\d+)/.exec(e.className)![1]),
            h: e.getBoundingClientRect().height,
          })),
        );
        const long = busy.filter((b) => b.lines >= 24);
        const short = busy.filter((b) => b.lines <= 4);
        expect(long.length).toBeGreaterThan(0);
        expect(Math.min(...long.map((b) => b.h))).toBeGreaterThan(Math.max(...short.map((b) => b.h), 0));
        expect(cspErrors(errors), errors.join('\n')).toEqual([]);
      });
      await context.close();
    });
  }

  it('lays the house week out as a day-by-day agenda on a 360 px phone, day and room headings staying in view while scrolling', async () => {
    const { page, errors, context } = await openPage(live.browser, { width: 360, height: 740 });
    await withScreenshot(page, 'calendar-agenda-360', async () => {
      await page.goto(`${live.server.url}/week?date=${nextMonday()}`);
      expect((await overflow(page)).doc).toBe(360);
      // Scroll into the middle of Wednesday: its heading sticks to the top, a room heading right below it.
      const wednesday = page.locator('.board-dayhead').nth(2);
      const y = await wednesday.evaluate((h) => h.getBoundingClientRect().top + window.scrollY);
      await page.evaluate((top) => window.scrollTo(0, top + 400), y);
      await expect.poll(() => wednesday.evaluate((h) => Math.round(h.getBoundingClientRect().top))).toBe(0);
      const atTop = await page.evaluate(() => {
        const head = document.elementFromPoint(100, 10)?.closest('.board-dayhead');
        const below = head ? head.getBoundingClientRect().bottom + 6 : 0;
        const room = document.elementFromPoint(100, below)?.closest('.cell-head');
        return { day: head?.textContent?.trim(), room: room?.textContent?.trim() };
      });
      expect(atTop.day).toBe(await wednesday.innerText());
      expect(atTop.room).toMatch(/\S/);
      // Every entry names its room in the agenda.
      const entries = await page.locator('.board-week .e').evaluateAll((es) =>
        es.map((e) => ({
          room: e.querySelector<HTMLElement>('.e-room')?.innerText ?? '',
          cell: e.closest('.cell')!.querySelector('.cell-head')!.textContent.trim(),
        })),
      );
      expect(entries.length).toBeGreaterThan(10);
      for (const e of entries) expect(e.room).toBe(e.cell);
      expect(cspErrors(errors), errors.join('\n')).toEqual([]);
    });
    await context.close();
  });

  for (const javaScript of [true, false]) {
    it(`opens the request form with the first two hours of a free stretch (${javaScript ? 'with' : 'without'} JavaScript)`, async () => {
      const { page, errors, context } = await openPage(live.browser, { width: 1280, javaScript });
      await withScreenshot(page, `calendar-free-stretch-${javaScript ? 'js' : 'no-js'}`, async () => {
        await page.goto(`${live.server.url}/day?date=${addDays(nextMonday(), 2)}`);
        // A stretch of at least three hours in the Gruppenraum: the link asks for its first two.
        const cell = page.locator('.board-day .cell').filter({ has: page.locator('.cell-head', { hasText: /^Gruppenraum$/ }) });
        const stretches = await cell.locator('.e-free a .e-time').allInnerTexts();
        const index = stretches.findIndex((s) => {
          const [a, b] = s.match(/\d\d:\d\d/g)!.map((x) => Number(x.slice(0, 2)) * 60 + Number(x.slice(3)));
          return b! - a! >= 180;
        });
        expect(index, stretches.join(' | ')).toBeGreaterThanOrEqual(0);
        const from = stretches[index]!.match(/\d\d:\d\d/)![0];
        const twoHoursLater = `${String(Number(from.slice(0, 2)) + 2).padStart(2, '0')}:${from.slice(3)}`;
        await Promise.all([page.waitForURL(/\/requests\/new\?/), cell.locator('.e-free a').nth(index).click()]);
        const form = page.locator('form[method="post"][action="/requests"]');
        expect(await form.locator('[name="room"]').inputValue()).toBe('gruppenraum');
        expect(await form.locator('[name="date"]').inputValue()).toBe(addDays(nextMonday(), 2));
        expect(await form.locator('[name="start"]').inputValue()).toBe(from);
        expect(await form.locator('[name="end"]').inputValue()).toBe(twoHoursLater);
        expect(cspErrors(errors), errors.join('\n')).toEqual([]);
      });
      await context.close();
    });
  }

  it('goes from a day heading of the week to the house day and on to the next day, without JavaScript', async () => {
    const { page, context } = await openPage(live.browser, { width: 360, javaScript: false });
    await page.goto(`${live.server.url}/week?date=${nextMonday()}`);
    await Promise.all([page.waitForURL(/\/day\?date=/), page.locator('.board-dayhead a').nth(1).click()]);
    expect(new URL(page.url()).searchParams.get('date')).toBe(addDays(nextMonday(), 1));
    await Promise.all([page.waitForURL(new RegExp(`date=${addDays(nextMonday(), 2)}`)), page.getByRole('link', { name: /Nächster Tag/ }).click()]);
    expect(await page.locator('h1').innerText()).toContain('Mittwoch');
    expect((await overflow(page)).doc).toBe(360);
    await context.close();
  });

  for (const width of [360, 1280]) {
    for (const javaScript of [true, false]) {
      const what = javaScript ? 'has no accessibility violation (axe) and fits the screen' : 'fits the screen without JavaScript';
      it(`${what} on the week, the day and a room's week at ${width} px`, async () => {
        const { page, errors, context } = await openPage(live.browser, { width, javaScript });
        for (const url of [
          `/week?date=${nextMonday()}`,
          `/day?date=${addDays(nextMonday(), 1)}`,
          `/rooms/gruppenraum?date=${nextMonday()}`,
          '/rooms/grosser-saal',
          '/week?lang=en',
        ]) {
          await page.goto(`${live.server.url}${url}`);
          if (javaScript) {
            const violations = await axeViolations(page);
            if (violations.length) throw new Error(`accessibility violations:\n${formatViolations(`${url} at ${width}px`, violations)}`);
          }
          expect((await overflow(page)).doc, url).toBe(width);
        }
        expect(cspErrors(errors), errors.join('\n')).toEqual([]);
        await context.close();
      });
    }
  }

  it('wraps a long word inside its block in the week, and in the door plan on A4 landscape', async () => {
    const { page, context } = await openPage(live.browser, { width: 1280 });
    await page.goto(`${live.server.url}/week?date=${nextMonday()}`);
    // Put a very long word into a busy entry: the block grows in height, not in width.
    const fits = await page.evaluate((word) => {
      const e = document.querySelector('.board-week .e-approved')!;
      e.append(` ${word}`);
      const cell = e.closest('.cell')!.getBoundingClientRect();
      const r = e.getBoundingClientRect();
      return { inCell: r.left >= cell.left - 1 && r.right <= cell.right + 1, doc: document.documentElement.scrollWidth };
    }, LONG);
    expect(fits).toEqual({ inCell: true, doc: 1280 });

    await logInAsAdmin(page, live.server.url);
    await page.goto(`${live.server.url}/admin/print?date=${nextMonday()}`);
    // A4 landscape less 10 mm margins: 277 mm ≈ 1047 CSS pixels.
    await page.setViewportSize({ width: 1047, height: 740 });
    await page.emulateMedia({ media: 'print' });
    const plan = await page.evaluate((word) => {
      const slot = document.querySelector('.plan-grid td .slot')!;
      slot.append(` ${word}`);
      const td = slot.closest('td')!;
      const cells = [...document.querySelectorAll('.plan-grid td')].filter((c) => c.scrollWidth > c.clientWidth + 1).length;
      return { overflowing: cells, table: document.querySelector('.plan-grid')!.getBoundingClientRect().width, tdWidth: td.getBoundingClientRect().width };
    }, LONG);
    expect(plan.overflowing).toBe(0);
    expect(plan.table).toBeLessThanOrEqual(1047);
    expect(plan.tdWidth).toBeLessThan(200);
    await context.close();
  });
});
