// Takes the README's screenshots (docs/img/house-week.png, house-week-phone.png): the demo house's week in German
// at 1280 px and as the 360 px phone agenda, as a resident sees it. Run `npm run screenshot` after a change to the public pages (needs Debian's Chromium).
import { join } from 'node:path';
import { launchBrowser } from './browser.js';
import { ROOT, startServer } from './server.js';

const server = await startServer({ demo: true });
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, locale: 'de-DE' });
  await page.goto(`${server.url}/week`);
  // The calendar itself: from the week's caption down.
  await page.locator('#week-caption').evaluate((h) => window.scrollTo(0, h.getBoundingClientRect().top + window.scrollY - 8));
  await page.screenshot({ path: join(ROOT, 'docs/img/house-week.png') });
  const phone = await browser.newPage({ viewport: { width: 360, height: 720 }, locale: 'de-DE' });
  await phone.goto(`${server.url}/week`);
  await phone
    .locator('.board-dayhead')
    .nth(3)
    .evaluate((h) => window.scrollTo(0, h.getBoundingClientRect().top + window.scrollY));
  await phone.screenshot({ path: join(ROOT, 'docs/img/house-week-phone.png') });
} finally {
  await browser.close();
  await server.stop();
  server.cleanup();
}
