// CORS for the API: browsers on the origins the house allows (settings: api_origins) may read /api/v1; '*' lets every
// site read (the data is public). The setting comes from the versioned house settings, not a database read per request.
import cors from 'cors';
import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../context.js';
import { currentHouse } from '../settings/repository.js';

/** What Access-Control-Allow-Origin says for `origin`: '*', the origin itself (true), or nothing (false). */
export function allowedOrigin(allowed: readonly string[], origin: string | undefined): '*' | boolean {
  if (allowed.includes('*')) return '*';
  return origin !== undefined && allowed.includes(origin);
}

export function apiCors(ctx: AppContext) {
  const handler = cors({
    origin: (origin, done) => {
      currentHouse(ctx).then(
        (house) => done(null, allowedOrigin(house.apiOrigins, origin)),
        (err: Error) => done(err),
      );
    },
    methods: ['GET', 'HEAD', 'OPTIONS'],
    allowedHeaders: ['Accept', 'Accept-Language'],
    exposedHeaders: ['Content-Language'],
    maxAge: 600,
  });
  return (req: Request, res: Response, next: NextFunction) => {
    // The answer depends on Origin whatever the setting says today (cors adds it only for a listed origin).
    res.vary('Origin');
    handler(req, res, next);
  };
}
