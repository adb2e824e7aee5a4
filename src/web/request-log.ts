// One structured log line per request: id, method, path, status, duration. Never the query string
// (it may hold a token or an e-mail address) and never a manage-link token in the path.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { RequestHandler } from 'express';

/**
 * The path as the client asked for it, from the root, without query string or fragment, and with the
 * public manage-link token replaced by a placeholder (`/requests/<token>…`; the staff pages
 * `/admin/requests/<id>` keep their id). Case-insensitive, as Express's routing is.
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
  return path.replace(/^\/requests\/(?!(?:new|preview)(?:$|\/))[^/]+/i, '/requests/:token');
}

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const id = randomUUID();
    res.locals.requestId = id;
    // Lets an operator find the log line of a request a user reports (the id is random, not personal).
    res.setHeader('X-Request-Id', id);
    // req.path would be relative to the router that answered (/admin/requests/16 inside the admin
    // router is /requests/16, and looked like a manage link); originalUrl keeps the whole path.
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        { reqId: id, method: req.method, path: logPath(req.originalUrl), status: res.statusCode, ms: Math.round(ms * 10) / 10 },
        'request',
      );
    });
    next();
  };
}
