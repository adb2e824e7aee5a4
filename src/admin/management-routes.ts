// The management half of /admin: own password, rooms, export (caretaker and admin); settings, accounts, audit log (admin).
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { passwordRoutes } from '../auth/password-routes.js';
import { roomAdminRoutes } from '../rooms/staff-routes.js';
import { settingsRoutes } from '../settings/staff-routes.js';
import { accountRoutes } from '../accounts/staff-routes.js';
import { exportRoutes } from '../export/staff-routes.js';
import { auditRoutes } from '../audit/staff-routes.js';

export function managementRoutes(ctx: AppContext): Router {
  const r = Router();
  r.use(passwordRoutes(ctx));
  r.use(roomAdminRoutes(ctx));
  r.use(settingsRoutes(ctx));
  r.use(accountRoutes(ctx));
  r.use(exportRoutes(ctx));
  r.use(auditRoutes(ctx));
  return r;
}
