// The API's door: under /api/ only the paths, methods and query parameters the OpenAPI document lists get through.
// It runs before sessions and the CSRF check, so a POST is a 405 (with Allow), not a 403, and an unknown path a JSON 404.
import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './errors.js';
import { openApiDocument, operationsOf } from './openapi.js';

/** Accepted on every path: the language of names and messages. */
const EVERYWHERE = new Set(['lang']);

export function apiGuard() {
  let operations: ReturnType<typeof operationsOf> | undefined;
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.path.startsWith('/api/')) return next();
    operations ??= operationsOf(openApiDocument());
    res.set('Content-Language', req.lang);
    const path = req.path.length > 1 ? req.path.replace(/\/$/, '') : req.path;
    const op = operations.find((o) => o.matches(path));
    if (!op) return next(new ApiError(404, 'not_found', 'api.error.notFound'));
    const allow = [...new Set([...op.methods, ...(op.methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'])];
    if (req.method === 'OPTIONS') {
      res.set('Allow', allow.join(', '));
      res.status(204).end();
      return;
    }
    if (!allow.includes(req.method)) {
      res.set('Allow', allow.join(', '));
      return next(new ApiError(405, 'method_not_allowed', 'api.error.methodNotAllowed', { method: req.method, allow: allow.join(', ') }));
    }
    for (const [name, value] of Object.entries(req.query)) {
      if (Array.isArray(value)) return next(new ApiError(400, 'repeated_parameter', 'api.error.repeatedParameter', { name: shownName(name) }, shownName(name)));
    }
    for (const name of Object.keys(req.query)) {
      if (!op.query.has(name) && !EVERYWHERE.has(name)) {
        const known = [...new Set([...op.query, ...EVERYWHERE])].join(', ');
        return next(new ApiError(400, 'unknown_parameter', 'api.error.unknownParameter', { name: shownName(name), known }, shownName(name)));
      }
    }
    next();
  };
}

/** A parameter name as a message repeats it: short, and without characters that could form markup. */
function shownName(name: string): string {
  return name.slice(0, 40).replace(/[^\p{L}\p{N} ._:,/+[\]-]/gu, '?');
}
