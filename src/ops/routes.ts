// Operations routes: GET /healthz for monitoring (answers before sessions and house settings are touched).
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { checkHealth } from './health.js';

export function opsRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/healthz', async (_req, res) => {
    const health = await checkHealth(ctx.db, process.uptime(), {
      databasePath: ctx.config.databasePath,
      now: ctx.clock().getTime(),
      store: ctx.store,
    });
    res.set('Cache-Control', 'no-store');
    res.status(health.status === 'ok' ? 200 : 503).json(health);
  });
  return r;
}
