// Takes the README's screenshot (docs/img/house-week.png): the demo house's week in German at 1280 px, as a
// resident sees it. Run `npm run screenshot` after a change to the public pages (needs Debian's Chromium).
import { join } from 'node:path';
import { launchBrowser } from './browser.js';
import { ROOT, startServer } from './server.js';

const server = await startServer({ demo: true });
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, locale: 'de-DE' });
  await page.goto(`${server.url}/week`);
  await page.screenshot({ path: join(ROOT, 'docs/img/house-week.png') });
} finally {
  await browser.close();
  await server.stop();
  server.cleanup();
}
