// The caretaker and admin area under /admin: every route behind a role check on the server.
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { requireRole } from '../auth/guard.js';
import { staffRoutes } from '../bookings/staff-routes.js';
import { managementRoutes } from './management-routes.js';

export function adminRoutes(ctx: AppContext): Router {
  const r = Router();
  r.use(requireRole('caretaker', 'admin'));
  r.use(staffRoutes(ctx));
  r.use(managementRoutes(ctx));
  return r;
}
