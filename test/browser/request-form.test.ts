// The request form in Chromium at 360 and 1280 px, against a real server with the demo house: Enter sends,
// the language switch keeps what was typed (with and without JavaScript), the time axis sets start and end by
// drag and by keyboard, the equipment list follows the room, a series preview opens at its dates, and axe
// finds nothing on the form empty, with errors and with a preview.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, cspErrors, formatViolations, openPage, withScreenshot } from '../helpers/browser.js';
import { useBrowserAndServer } from '../helpers/browser-suite.js';
import { addDays, todayIn, systemClock } from '../../src/time/index.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 90_000 });

const ZONE = 'Europe/Berlin';
const POLL = { timeout: 20_000, interval: 100 };
const WIDTHS = [360, 1280] as const;

interface Busy {
  start: string;
  end: string;
}

describe('the request form in a browser', () => {
  const live = useBrowserAndServer({ demo: true }, 90_000);
  /** Weekdays (Mon–Fri, open 08:00–22:00 in the demo house) on which the Gruppenraum is free all evening. */
  const freeDays: string[] = [];

  beforeAll(async () => {
    const from = addDays(todayIn(systemClock, ZONE), 14);
    const to = addDays(from, 60);
    const res = await fetch(`${live.server.url}/api/v1/availability?from=${from}&to=${to}&room=gruppenraum`);
    const busy = ((await res.json()) as { busy: Busy[] }).busy;
    for (let d = from; d <= to; d = addDays(d, 1)) {
      const weekday = new Date(`${d}T12:00:00Z`).getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      // Free from 15:00 to 22:00 (an interval's ISO text starts with its local date and time).
      if (busy.some((b) => b.start.slice(0, 16) < `${d}T22:00` && b.end.slice(0, 16) > `${d}T15:00`)) continue;
      freeDays.push(d);
    }
    expect(freeDays.length, 'free evenings in the demo house').toBeGreaterThan(4);
  }, 90_000);

  /** axe runs as a script in the page: checked where JavaScript runs (without it the markup is the same, minus the axis). */
  async function expectAccessible(page: Page, where: string) {
    const violations = await axeViolations(page);
    if (violations.length) throw new Error(formatViolations(where, violations));
  }

  async function fillRequest(page: Page, o: { date: string; title: string }) {
    await page.selectOption('#room', 'gruppenraum');
    await page.fill('#date', o.date);
    await page.fill('#start', '18:00');
    await page.fill('#end', '19:30');
    await page.fill('#title', o.title);
    await page.fill('#organisation', 'Lesekreis Nord');
    await page.selectOption('#category', 'culture');
    await page.fill('#attendees', '8');
    await page.fill('#contactName', 'Ayşe Demir');
    await page.fill('#email', 'ayse@example.org');
    await page.fill('#notes', 'Bitte Stuhlkreis');
    await page.check('#acceptRules');
    await page.check('#acceptPrivacy');
  }

  for (const [i, width] of WIDTHS.entries()) {
    it(`sends the request with Enter in a text field (${width} px)`, async () => {
      const { page, errors, context } = await openPage(live.browser, { width });
      await withScreenshot(page, `request-form-enter-${width}px`, async () => {
        await page.goto(`${live.server.url}/requests/new`);
        await fillRequest(page, { date: freeDays[i]!, title: `Lesekreis ${width}` });
        await page.focus('#contactName');
        await page.keyboard.press('Enter');
        await expect.poll(() => new URL(page.url()).pathname, POLL).toMatch(/^\/requests\/[A-Za-z0-9_-]+$/);
        await expect.poll(() => page.textContent('main'), POLL).toContain(`Lesekreis ${width}`);
      });
      expect(cspErrors(errors)).toEqual([]);
      await context.close();
    });
  }

  for (const javaScript of [true, false]) {
    for (const width of WIDTHS) {
      it(`switches language keeping everything typed, ${javaScript ? 'with' : 'without'} JavaScript (${width} px)`, async () => {
        const { page, errors, context } = await openPage(live.browser, { width, javaScript });
        await withScreenshot(page, `request-form-language-${javaScript ? 'js' : 'nojs'}-${width}px`, async () => {
          await page.goto(`${live.server.url}/requests/new?lang=de`);
          await fillRequest(page, { date: freeDays[4]!, title: 'Lesekreis „Sprachen“' });
          await page.check('#equipment-whiteboard');
          await page.selectOption('#lang-select', 'en');
          await page.getByRole('button', { name: 'OK', exact: true }).click();
          await expect.poll(() => page.getAttribute('html', 'lang'), POLL).toBe('en');
          expect(await page.inputValue('#title')).toBe('Lesekreis „Sprachen“');
          expect(await page.inputValue('#organisation')).toBe('Lesekreis Nord');
          expect(await page.inputValue('#contactName')).toBe('Ayşe Demir');
          expect(await page.inputValue('#email')).toBe('ayse@example.org');
          expect(await page.inputValue('#notes')).toBe('Bitte Stuhlkreis');
          expect(await page.inputValue('#attendees')).toBe('8');
          expect(await page.inputValue('#room')).toBe('gruppenraum');
          expect(await page.inputValue('#category')).toBe('culture');
          expect(await page.inputValue('#date')).toBe(freeDays[4]);
          expect(await page.inputValue('#start')).toBe('18:00');
          expect(await page.isChecked('#equipment-whiteboard')).toBe(true);
          expect(await page.isChecked('#acceptPrivacy')).toBe(true);
          await expect.poll(() => page.textContent('main'), POLL).toContain('nothing was sent');
          // And back: the page is German again, still with everything.
          await page.selectOption('#lang-select', 'de');
          await page.getByRole('button', { name: 'OK', exact: true }).click();
          await expect.poll(() => page.getAttribute('html', 'lang'), POLL).toBe('de');
          expect(await page.inputValue('#title')).toBe('Lesekreis „Sprachen“');
        });
        expect(cspErrors(errors)).toEqual([]);
        await context.close();
      });
    }
  }

  /** The x position (page pixels) of a wall-clock time on the axis, from the day's open hours the form states. */
  async function axisX(page: Page, date: string, time: string): Promise<{ x: number; y: number }> {
    const opening = JSON.parse((await page.getAttribute('#request-form', 'data-opening'))!) as Record<string, { open: string; close: string } | null>;
    const weekday = String(((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7) + 1);
    const min = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
    const hours = opening[weekday]!;
    const box = (await page.locator('.time-axis-track').boundingBox())!;
    const share = (min(time) - min(hours.open)) / (min(hours.close) - min(hours.open));
    return { x: box.x + share * box.width, y: box.y + box.height / 2 };
  }

  for (const width of WIDTHS) {
    it(`sets start and end on the time axis by drag, tap and keyboard; the axis follows the time fields (${width} px)`, async () => {
      const { page, errors, context } = await openPage(live.browser, { width });
      const date = freeDays[5]!;
      await withScreenshot(page, `request-form-axis-${width}px`, async () => {
        await page.goto(`${live.server.url}/requests/new?room=gruppenraum&date=${date}`);
        const axis = page.getByRole('group', { name: 'Zeitachse: Beginn und Ende wählen' });
        await expect.poll(() => page.locator('.time-axis-stretch').count(), POLL).toBeGreaterThan(0);
        await axis.scrollIntoViewIfNeeded();

        // Drag from 16:00 to 19:30.
        const a = await axisX(page, date, '16:00');
        const b = await axisX(page, date, '19:30');
        await page.mouse.move(a.x, a.y);
        await page.mouse.down();
        await page.mouse.move((a.x + b.x) / 2, a.y, { steps: 4 });
        await page.mouse.move(b.x, b.y, { steps: 4 });
        await page.mouse.up();
        expect(await page.inputValue('#start')).toBe('16:00');
        expect(await page.inputValue('#end')).toBe('19:30');
        await expect.poll(() => page.textContent('#time-axis-status'), POLL).toBe('Gewählt: 16:00 bis 19:30 Uhr');

        // A tap chooses two hours from there.
        const c = await axisX(page, date, '17:00');
        await page.mouse.click(c.x, c.y);
        expect(await page.inputValue('#start')).toBe('17:00');
        expect(await page.inputValue('#end')).toBe('19:00');

        // Keyboard: arrows move the start (keeping the length), Shift+arrows the end.
        await axis.focus();
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('ArrowRight');
        expect([await page.inputValue('#start'), await page.inputValue('#end')]).toEqual(['17:30', '19:30']);
        await page.keyboard.press('Shift+ArrowLeft');
        expect([await page.inputValue('#start'), await page.inputValue('#end')]).toEqual(['17:30', '19:15']);
        await expect.poll(() => page.textContent('#time-axis-status'), POLL).toBe('Gewählt: 17:30 bis 19:15 Uhr');

        // The axis follows a time typed into the fields.
        await page.fill('#end', '21:00');
        await expect.poll(() => page.textContent('#time-axis-status'), POLL).toBe('Gewählt: 17:30 bis 21:00 Uhr');
        const sel = (await page.locator('.time-axis-selection').boundingBox())!;
        const end = await axisX(page, date, '21:00');
        expect(Math.abs(sel.x + sel.width - end.x)).toBeLessThan(6);
        // Nothing on the page is wider than the screen.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      });
      expect(cspErrors(errors)).toEqual([]);
      await context.close();
    });
  }

  it('shows only the chosen room’s equipment (with JavaScript), and all of it without a room', async () => {
    const { page, errors, context } = await openPage(live.browser, { width: 360 });
    await page.goto(`${live.server.url}/requests/new`);
    const visible = (key: string) => page.locator(`[data-equipment-key="${key}"]`).isVisible();
    expect(await visible('piano')).toBe(true);
    expect(await visible('whiteboard')).toBe(true);
    await page.selectOption('#room', 'gruppenraum');
    expect(await visible('piano')).toBe(false);
    expect(await visible('whiteboard')).toBe(true);
    await page.selectOption('#room', 'saal-b');
    expect(await visible('piano')).toBe(true);
    expect(await visible('whiteboard')).toBe(false);
    expect(cspErrors(errors)).toEqual([]);
    await context.close();
  });

  for (const javaScript of [true, false]) {
    it(`opens a series preview at its dates, ${javaScript ? 'focused; axe finds nothing empty, with errors, with the preview' : 'by its address'} (360 px)`, async () => {
      const { page, errors, context } = await openPage(live.browser, { width: 360, height: 740, javaScript });
      await withScreenshot(page, `request-form-preview-${javaScript ? 'js' : 'nojs'}`, async () => {
        await page.goto(`${live.server.url}/requests/new`);
        if (javaScript) await expectAccessible(page, 'request form, empty');
        await page.getByRole('button', { name: 'Anfrage senden' }).click();
        await expect.poll(() => page.locator('.error-summary').count(), POLL).toBe(1);
        if (javaScript) await expectAccessible(page, 'request form, errors');

        await page.selectOption('#room', 'gruppenraum');
        await page.fill('#date', freeDays[6]!);
        await page.fill('#start', '18:00');
        await page.fill('#end', '19:00');
        await page.check('#repeat-weekly');
        await page.fill('#lastDate', addDays(freeDays[6]!, 28));
        await page.getByRole('button', { name: 'Termine anzeigen' }).first().click();
        await expect.poll(() => page.locator('#preview-heading').count(), POLL).toBe(1);
        expect(new URL(page.url()).hash).toBe('#form-answer');
        // The dates are on screen.
        await expect
          .poll(
            () => page.locator('#preview-heading').evaluate((h) => h.getBoundingClientRect().top >= 0 && h.getBoundingClientRect().top < window.innerHeight),
            POLL,
          )
          .toBe(true);
        if (javaScript) await expect.poll(() => page.evaluate(() => document.activeElement?.id), POLL).toBe('preview-heading');
        expect(await page.locator('.preview-dates li').count()).toBe(5);
        if (javaScript) await expectAccessible(page, 'request form, preview');
      });
      expect(cspErrors(errors)).toEqual([]);
      await context.close();
    });
  }
});
