// Screenshots of pages at 360, 1280, 1920 px (not committed).
import { launchBrowser } from '/work/main/test/helpers/browser.js';
import { startServer, ADMIN_EMAIL, ADMIN_PASSWORD } from '/work/main/test/helpers/server.js';
const pages = (process.env.PAGES ?? '/').split(',');
const widths = (process.env.WIDTHS ?? '360,1280,1920').split(',').map(Number);
const server = await startServer({ demo: true, env: { ADMIN_EMAIL, ADMIN_PASSWORD } });
const browser = await launchBrowser();
try {
  for (const w of widths) {
    const ctx = await browser.newContext({ viewport: { width: w, height: 900 } });
    const page = await ctx.newPage();
    if (process.env.LOGIN) {
      await page.goto(server.url + '/login');
      await page.fill('#email', ADMIN_EMAIL); await page.fill('#password', ADMIN_PASSWORD);
      await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
      if (page.url().includes('password')) console.log('must change password at', page.url());
    }
    for (const p of pages) {
      await page.goto(server.url + p);
      const name = `/tmp/shots/${(process.env.TAG ?? '')}${p.replace(/[^a-z0-9]+/gi, '_')}_${w}.png`;
      await page.screenshot({ path: name, fullPage: true });
      console.log(name, page.url());
    }
    await ctx.close();
  }
} finally { await browser.close(); await server.stop(); server.cleanup(); }
