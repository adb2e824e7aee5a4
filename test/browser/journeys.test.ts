// The three journeys of real people, end to end in Chromium against a real server process with the demo house:
// a resident finds a free evening (on a 360 px phone), a group sends a weekly request and cancels one date
// (without JavaScript), the caretaker approves a request with the keyboard and the week then shows it as busy.
import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../helpers/server.js';
import { cspErrors, openPage, withScreenshot } from '../helpers/browser.js';
import { useBrowserAndServer } from '../helpers/browser-suite.js';
import { addDays, todayIn, weekStart, systemClock } from '../../src/time/index.js';

// A real server, a browser or many requests: slower than a unit test, especially on a busy machine.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

const ZONE = 'Europe/Berlin';
/** Generous: the machine may be busy (argon2 at login, a full test suite beside). */
const POLL = { timeout: 20_000, interval: 100 };
const nextMonday = () => addDays(weekStart(todayIn(systemClock, ZONE)), 7);

/** The free stretches of one room in the house week (agenda or grid): the stretch shown, the link's parameters, the link. */
async function freeSlotsOfRow(page: Page, roomName: string) {
  const cells = page.locator('.board-week .cell').filter({ has: page.locator('.cell-head', { hasText: new RegExp(`^${roomName}$`) }) });
  const links = cells.locator('.e-free a');
  const out: { date: string; start: string; end: string; from: string; to: string; href: string; index: number }[] = [];
  const found = await links.evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href') ?? '', shown: a.querySelector('.e-time')?.textContent ?? '' })));
  found.forEach(({ href, shown }, index) => {
    const q = new URL(href, 'http://x').searchParams;
    const times = shown.match(/\d\d:\d\d/g) ?? [];
    out.push({ date: q.get('date') ?? '', start: q.get('start') ?? '', end: q.get('end') ?? '', from: times[0] ?? '', to: times[1] ?? '', href, index });
  });
  return { links, slots: out };
}

async function pressTabUntilFocused(page: Page, selector: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
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

describe('journeys in a real browser', () => {
  const live = useBrowserAndServer({ demo: true }, 60_000);

  /** Sent in the first journey, approved in the third. */
  let sent: { title: string; date: string; start: string; end: string } | undefined;

  it('a resident on a 360 px phone finds a free afternoon for the Gruppenraum next week, opens the request prefilled with its first two hours and sends it with the keyboard alone', async () => {
    const { page, errors, context } = await openPage(live.browser, { width: 360, height: 740 });
    await withScreenshot(page, 'journey-resident-360px', async () => {
      await page.goto(`${live.server.url}/`);
      await page.getByRole('link', { name: 'Hauswoche', exact: true }).first().click();
      await expect.poll(() => new URL(page.url()).pathname, POLL).toBe('/week');
      // Nothing on the page may be wider than the phone except the scrollable calendar region.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

      await page
        .getByRole('link', { name: /Nächste Woche/ })
        .first()
        .click();
      await expect.poll(() => new URL(page.url()).searchParams.get('date'), POLL).toBe(nextMonday());
      const { links, slots } = await freeSlotsOfRow(page, 'Gruppenraum');
      const evening = slots.find((s) => s.date >= nextMonday() && s.from >= '12:00' && s.from <= '16:00' && s.to >= '21:00');
      expect(evening, `a free afternoon among ${JSON.stringify(slots)}`).toBeDefined();
      // The link offers the first two hours of the stretch (on the 15-minute grid).
      const [h, m] = evening!.from.split(':').map(Number);
      expect(evening!.start).toBe(evening!.from);
      expect(evening!.end).toBe(`${String(h! + 2).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
      const [response] = await Promise.all([page.waitForResponse((r) => r.url().includes('/requests/new')), links.nth(evening!.index).click()]);
      expect(response.status()).toBe(200);

      await expect.poll(() => new URL(page.url()).pathname, POLL).toBe('/requests/new');
      // The request form itself, not the language switch (which repeats the query as hidden fields).
      const form = page.locator('form[method="post"][action="/requests"]');
      expect(await form.locator('[name="room"]').inputValue()).toBe('gruppenraum');
      expect(await form.locator('[name="date"]').inputValue()).toBe(evening!.date);
      expect(await form.locator('[name="start"]').inputValue()).toBe(evening!.start);
      expect(await form.locator('[name="end"]').inputValue()).toBe(evening!.end);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

      // From here on only the keyboard: Tab to a field, type, Space for boxes, Enter to send.
      const title = `Nachbarschaftstreffen ${Date.now()}`;
      // (Date and times stay as the calendar slot filled them in.)
      await pressTabUntilFocused(page, '#title');
      await page.keyboard.type(title);
      await pressTabUntilFocused(page, '#category');
      await page.keyboard.type('Soziales');
      await pressTabUntilFocused(page, '#attendees');
      await page.keyboard.type('12');
      await pressTabUntilFocused(page, '#contactName');
      await page.keyboard.type('Aylin Nachbarin');
      await page.keyboard.press('Tab');
      await page.keyboard.type('aylin@example.org');
      await pressTabUntilFocused(page, '#acceptRules');
      await page.keyboard.press('Space');
      await pressTabUntilFocused(page, '#acceptPrivacy');
      await page.keyboard.press('Space');
      expect(await form.locator('[name="category"]').inputValue()).toBe('social');
      await pressTabUntilFocused(page, 'button[value="send"]');
      await Promise.all([page.waitForURL(/\/requests\/[^/]+\?created=1$/), page.keyboard.press('Enter')]);

      await expect.poll(() => page.locator('h1').innerText(), POLL).toMatch(/Ihre Anfrage HdB-\d{4}-\d{4}/);
      expect(await page.locator('.manage-link a').innerText()).toMatch(new RegExp(`^${live.server.url}/requests/[A-Za-z0-9_-]{40,}$`));
      expect(await page.locator('.facts').innerText()).toContain(title);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      expect(cspErrors(errors), errors.join('\n')).toEqual([]);
      sent = { title, date: evening!.date, start: evening!.start, end: evening!.end };
    });
    await context.close();
  }, 90_000);

  it('a group without JavaScript sends a weekly request, sees its dates first, and later cancels one date through its manage link', async () => {
    const { page, errors, context } = await openPage(live.browser, { javaScript: false });
    await withScreenshot(page, 'journey-group-no-js', async () => {
      const first = addDays(nextMonday(), 4); // Friday next week: beyond the lead time
      const last = addDays(first, 21);
      await page.goto(`${live.server.url}/requests/new?room=bewegungsraum&date=${first}&start=20:00&end=21:30`);
      const form = page.locator('form[method="post"][action="/requests"]');
      await form.getByLabel('Wöchentlich oder alle 2–4 Wochen').check();
      await form.getByLabel('Wie oft?').selectOption('1');
      await form.getByLabel('Letzter Termin (bei einer Serie)').fill(last);
      await form.getByLabel('Was haben Sie vor?').fill('Tanzabend für alle');
      await form.getByLabel('Art der Veranstaltung').selectOption('culture');
      await form.getByLabel('Wie viele Personen kommen ungefähr?').fill('20');
      await form.getByLabel('Verein, Gruppe oder Organisation').fill('Tanzgruppe Linde');
      await form.getByLabel('Name', { exact: true }).fill('Jonas Tänzer');
      await form.getByLabel('E-Mail').fill('tanz@example.org');
      await form.getByLabel('Ich habe die Nutzungsordnung gelesen und halte sie ein.').check();
      await form.getByLabel('Ich habe den Datenschutzhinweis gelesen.').check();

      // The dates first: four Fridays (a public holiday among them would be listed as skipped).
      await Promise.all([page.waitForURL(/\/requests#form-answer$/), form.locator('button[value="preview"]').first().click()]);
      await expect.poll(() => page.locator('.preview-dates li').count(), POLL).toBe(4);
      await Promise.all([page.waitForURL(/\?created=1$/), page.locator('form[action="/requests"] button[value="send"]').click()]);

      const manageUrl = await page.locator('.manage-link a').innerText();
      await expect.poll(() => page.locator('table.manage-dates tbody tr').count(), POLL).toBe(4);

      // Later: the group opens its link again and cancels one date only (the second it can still cancel).
      await page.goto(manageUrl);
      const cancellable = page.locator('table.manage-dates tbody tr').filter({ has: page.getByRole('button', { name: /Diesen Termin absagen/ }) });
      expect(await cancellable.count()).toBeGreaterThanOrEqual(2);
      const before = await page.locator('table.manage-dates tbody tr').allInnerTexts();
      const target = cancellable.nth(1);
      const when = await target.locator('td').first().innerText();
      // Cancelling asks first, naming the date; "Ja, absagen" cancels.
      await Promise.all([page.waitForURL(/\/cancel$/), target.getByRole('button', { name: /Diesen Termin absagen/ }).click()]);
      expect(await page.locator('h1').innerText()).toBe('Diesen Termin absagen?');
      expect(await page.locator('.cancel-dates').innerText()).toContain(when);
      await Promise.all([page.waitForURL(/done=cancelled/), page.getByRole('button', { name: 'Ja, absagen' }).click()]);
      expect(await page.locator('.notice').innerText()).toContain('Abgesagt');
      const after = await page.locator('table.manage-dates tbody tr').allInnerTexts();
      expect(after).toHaveLength(4);
      const i = after.findIndex((r) => r.includes(when));
      expect(after[i]).toMatch(/abgesagt/i);
      after.forEach((row, j) => {
        if (j !== i) expect(row).toBe(before[j]);
      });
      expect(cspErrors(errors), errors.join('\n')).toEqual([]);
    });
    await context.close();
  }, 90_000);

  it('the caretaker logs in with the keyboard alone, sees the request in the inbox, approves it, and the public week shows it as busy', async () => {
    expect(sent, 'the resident journey sent a request').toBeDefined();
    const { date, start, end, title } = sent!;
    const { page, errors, context } = await openPage(live.browser);
    await withScreenshot(page, 'journey-caretaker', async () => {
      await page.goto(`${live.server.url}/week?date=${date}`);
      expect(await gruppenraumCell(page, date)).toContain(`${start}–${end} Uhr angefragt`);

      await page.goto(`${live.server.url}/login`);
      await pressTabUntilFocused(page, '#email');
      await page.keyboard.type(ADMIN_EMAIL);
      await page.keyboard.press('Tab');
      await page.keyboard.type(ADMIN_PASSWORD);
      await page.keyboard.press('Enter');
      await expect.poll(() => new URL(page.url()).pathname, POLL).toBe('/admin');

      const item = page.locator('tr.inbox-row').filter({ hasText: title });
      await expect.poll(() => item.count(), POLL).toBe(1);
      // Tab to the row's approve button and press Space.
      await pressTabUntilFocused(page, `#${await item.getAttribute('id')} button[formaction$="/approve"]`, 400);
      // Wait for the decision to be answered and the inbox to be shown again (a busy machine is slow).
      // (The POST, its redirect and the new inbox are one navigation.)
      await Promise.all([page.waitForNavigation({ waitUntil: 'load', timeout: POLL.timeout }), page.keyboard.press('Space')]);
      await expect.poll(() => new URL(page.url()).pathname, POLL).toMatch(/^\/admin/);
      await expect.poll(() => page.locator('tr.inbox-row').filter({ hasText: title }).count(), POLL).toBe(0);

      await page.goto(`${live.server.url}/week?date=${date}`);
      const cell = await gruppenraumCell(page, date);
      expect(cell).toContain(`${start}–${end} Uhr belegt`);
      expect(cell).not.toContain(title);
      expect(cell).not.toMatch(/Aylin|aylin@example/);
      expect(cspErrors(errors), errors.join('\n')).toEqual([]);
    });
    await context.close();
  }, 90_000);
});

/** The text of the Gruppenraum's cell on `date` in the house week shown. */
async function gruppenraumCell(page: Page, date: string): Promise<string> {
  const cell = page
    .locator('.board-week .board-group')
    .filter({ has: page.locator(`#d-${date}`) })
    .locator('.cell')
    .filter({ has: page.locator('.cell-head', { hasText: /^Gruppenraum$/ }) });
  expect(await cell.count()).toBe(1);
  return (await cell.innerText()).replace(/\s+/g, ' ');
}
