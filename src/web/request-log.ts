// One structured log line per request: id, method, path, status, duration. Never the query string
// (it may hold a token or an e-mail address) and never a manage-link token in the path.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { RequestHandler } from 'express';

/** Percent-decoding for the log only: byte by byte, never throws; applied until nothing changes (%252F). */
function decodeForLog(path: string): string {
  for (let i = 0; i < 5; i++) {
    const next = path.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    if (next === path) break;
    path = next;
  }
  return path;
}

/** `//a/./b/../c` → `/a/c`, backslashes read as slashes: the path as a router normalising it would see it. */
function normalisePath(path: string): string {
  const out: string[] = [];
  const segments = path.replace(/\\/g, '/').split('/');
  for (const seg of segments) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}${segments.length > 1 && segments[segments.length - 1] === '' && out.length ? '/' : ''}`;
}

/** A run of token characters as long as a token, with a capital letter (room slugs and ids have none). */
const TOKEN_LIKE = /[A-Za-z0-9_-]{32,}/g;

/**
 * The path as the client asked for it, from the root, without query string or fragment, and with the
 * public manage-link token replaced by a placeholder (`/requests/<token>…`; the staff pages
 * `/admin/requests/<id>` keep their id). Whatever the spelling (`//requests/…`, `/./requests/…`,
 * `%2Frequests%2F…`, `/REQUESTS/…`), the path is decoded and normalised first; any other token-like run
 * left anywhere in it is replaced too, so no spelling a router might accept puts a token in the log.
 */
export function logPath(originalUrl: string): string {
  let path = originalUrl.split(/[?#]/, 1)[0] ?? '';
  // A request line may carry an absolute URL (GET http://host/requests/…), which Express routes by its path.
  if (!path.startsWith('/')) {
    try {
      path = new URL(path).pathname;
    } catch {
      path = '/';
    }
  }
  path = normalisePath(decodeForLog(path));
  return path.replace(/^\/requests\/(?!(?:new|preview)(?:$|\/))[^/]+/i, '/requests/:token').replace(TOKEN_LIKE, (run) => (/[A-Z_]/.test(run) ? ':token' : run));
}

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const id = randomUUID();
    res.locals.requestId = id;
    // Lets an operator find the log line of a request a user reports (the id is random, not personal).
    res.setHeader('X-Request-Id', id);
    // Below the info level (LOG_LEVEL=warn …) there is no line to write: no listener, no path cleaned for it.
    if (!logger.isLevelEnabled('info')) return next();
    // req.path would be relative to the router that answered (/admin/requests/16 inside the admin
    // router is /requests/16, and looked like a manage link); originalUrl keeps the whole path.
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({ reqId: id, method: req.method, path: logPath(req.originalUrl), status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  };
}
