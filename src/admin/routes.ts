// The caretaker and admin area under /admin: every route behind a role check on the server.
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { requireRole } from '../auth/guard.js';
import { bookingDeskRoutes } from '../bookings/staff-routes.js';
import { staffCalendarRoutes } from '../calendar/staff-routes.js';
import { blockRoutes } from '../blocks/routes.js';
import { templateRoutes } from '../message-templates/routes.js';
import { managementRoutes } from './management-routes.js';

export function adminRoutes(ctx: AppContext): Router {
  const r = Router();
  r.use(requireRole('caretaker', 'admin'));
  r.use(bookingDeskRoutes(ctx));
  r.use(staffCalendarRoutes(ctx));
  r.use(blockRoutes(ctx));
  r.use(templateRoutes(ctx));
  r.use(managementRoutes(ctx));
  return r;
}
