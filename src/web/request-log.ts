// One structured log line per request: id, method, route, status, duration. Never the query string
// (it may hold a token) and never a manage-link token in the path.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { RequestHandler } from 'express';

/** Replaces secrets in paths (manage-link tokens) with a placeholder. */
export function redactPath(path: string): string {
  return path.replace(/^\/requests\/(?!new(?:$|\/)|preview(?:$|\/))[^/]+/, '/requests/:token');
}

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const id = randomUUID();
    res.locals.requestId = id;
    // Lets an operator find the log line of a request a user reports (the id is random, not personal).
    res.setHeader('X-Request-Id', id);
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        { reqId: id, method: req.method, path: redactPath(req.path), status: res.statusCode, ms: Math.round(ms * 10) / 10 },
        'request',
      );
    });
    next();
  };
}
