// A browser test file's server and Chromium, started once for its describe block and stopped after it. Apart from
// test/helpers/browser.ts because it registers vitest hooks: scripts outside vitest (the README screenshots, scratch
// screenshots) import browser.ts, and importing vitest there would fail.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.js';
import { startServer, type RunningServer, type ServerOptions } from './server.js';

export interface BrowserAndServer {
  /** The server process (in a test, or in a hook registered after useBrowserAndServer). */
  readonly server: RunningServer;
  readonly browser: Browser;
}

/**
 * A browser test file's server and Chromium: both started in one beforeAll of the describe block it is called in
 * (the demo house unless `server` says otherwise; a function is called then, e.g. to seed a database first) and
 * stopped in its afterAll, the server's temp folder removed. A beforeAll registered after this call sees both.
 */
export function useBrowserAndServer(server: ServerOptions | (() => Promise<ServerOptions>) = { demo: true }, timeoutMs?: number): BrowserAndServer {
  let running: RunningServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    const opts = typeof server === 'function' ? await server() : server;
    [running, browser] = await Promise.all([startServer(opts), launchBrowser()]);
  }, timeoutMs);
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
    running?.cleanup();
  });
  return {
    get server() {
      if (!running) throw new Error('useBrowserAndServer: the server runs only from its beforeAll on');
      return running;
    },
    get browser() {
      if (!browser) throw new Error('useBrowserAndServer: the browser runs only from its beforeAll on');
      return browser;
    },
  };
}
