// The embeddable room availability in a real browser (issue 15 §2): framed by an allowed website at 360 and 1280 px
// (a 300 px frame included), no sideways scroll inside the frame, no CSP error, axe 0 violations in German, English
// and Arabic (right to left), and the week links work without JavaScript inside the frame.
import { createServer, type Server } from 'node:http';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Frame } from 'playwright-core';
import { freePort } from '../helpers/server.js';
import { axeViolations, cspErrors, formatViolations, openPage, withScreenshot } from '../helpers/browser.js';
import { useBrowserAndServer } from '../helpers/browser-suite.js';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

describe('the room availability widget in a neighbourhood website', () => {
  const live = useBrowserAndServer({ demo: true }, 60_000);
  let outer: Server;
  let outerUrl: string;
  let framed = '';
  let frameWidth = '100%';

  beforeAll(async () => {
    const port = await freePort();
    outerUrl = `http://127.0.0.1:${port}`;
    const db = new BetterSqlite3(live.server.databasePath);
    db.prepare('update settings set embed_origins = ?').run(outerUrl);
    db.close();
    // The other website: a page with nothing but the frame (its own CSP is not ours to test).
    outer = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(
        `<!doctype html><html lang="de"><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>Quartier</title></head>` +
          `<body><h1>Quartier Nord</h1><iframe src="${framed}" title="Raum" width="${frameWidth}" height="900"></iframe></body></html>`,
      );
    }).listen(port, '127.0.0.1');
  }, 60_000);
  afterAll(async () => {
    outer?.close();
  });

  async function openFramed(width: number, path: string, javaScript = true): Promise<{ frame: Frame; errors: string[]; close: () => Promise<void> }> {
    framed = live.server.url + path;
    const { page, errors, context } = await openPage(live.browser, { width, javaScript });
    await page.goto(outerUrl);
    const handle = await page.waitForSelector('iframe');
    const frame = (await handle.contentFrame())!;
    await frame.waitForSelector('h1');
    return { frame, errors, close: () => context.close() };
  }

  for (const [width, lang, fw] of [
    [360, 'de', '100%'],
    [1280, 'en', '400'],
    [360, 'ar', '300'],
  ] as const) {
    it(`shows the week readably at ${width} px in a ${fw} wide frame (${lang}) without violations`, async () => {
      frameWidth = fw;
      const { frame, errors, close } = await openFramed(width, `/embed/rooms/grosser-saal/availability?lang=${lang}`);
      try {
        await withScreenshot(frame.page(), `embed-room-${width}-${lang}`, async () => {
          expect(await frame.locator('html').getAttribute('lang')).toBe(lang);
          expect(await frame.locator('.embed-dayrow').count()).toBe(7);
          const sideways = await frame.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          expect(sideways).toBeLessThanOrEqual(0);
          // axe runs on a page: the frame's document opened on its own at the frame's width (the same answer and CSP).
          const direct = await openPage(live.browser, { width: fw === '100%' ? width : Number(fw) });
          await direct.page.goto(frame.url());
          const violations = await axeViolations(direct.page);
          await direct.context.close();
          if (violations.length) throw new Error(formatViolations('embed', violations));
          expect(cspErrors(errors), errors.join('\n')).toEqual([]);
        });
      } finally {
        await close();
      }
    });
  }

  it('pages to the next week inside the frame without JavaScript, keeping the language', async () => {
    frameWidth = '100%';
    const { frame, close } = await openFramed(360, '/embed/rooms/grosser-saal/availability?lang=en', false);
    try {
      const caption = await frame.locator('.embed-caption').innerText();
      await Promise.all([frame.waitForNavigation(), frame.locator('a[rel="next"]').click()]);
      expect(frame.url()).toMatch(/\/embed\/rooms\/grosser-saal\/availability\?date=\d{4}-\d{2}-\d{2}&lang=en$/);
      expect(await frame.locator('.embed-caption').innerText()).not.toBe(caption);
      expect(await frame.locator('html').getAttribute('lang')).toBe('en');
    } finally {
      await close();
    }
  });
});
