// The staff area under /admin: only mounts the feature routers, every one behind a role check on the server
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { requireRole } from '../auth/guard.js';
import { bookingDeskRoutes } from '../bookings/staff-routes.js';
import { staffCalendarRoutes } from '../calendar/staff-routes.js';
import { blockRoutes } from '../blocks/routes.js';
import { templateRoutes } from '../message-templates/routes.js';
import { passwordRoutes } from '../auth/password-routes.js';
import { roomAdminRoutes } from '../room-admin/staff-routes.js';
import { settingsRoutes } from '../settings/staff-routes.js';
import { accountRoutes } from '../accounts/staff-routes.js';
import { exportRoutes } from '../export/staff-routes.js';
import { auditRoutes } from '../audit/staff-routes.js';
import { mediaStaffRoutes } from '../media/staff-routes.js';
import { reminderRoutes } from '../reminders/staff-routes.js';
import { statisticsRoutes } from '../statistics/staff-routes.js';
import { translationRoutes } from '../house-texts/staff-routes.js';
import { deskExtensions, offerStaffRoutes } from '../offers/staff-routes.js';
import { regularGroupRoutes } from '../regular-groups/staff-routes.js';
import { absenceRoutes } from '../absence/staff-routes.js';
import { programmeStaffRoutes } from '../programme/staff-routes.js';

export function staffRoutes(ctx: AppContext): Router {
  const r = Router();
  r.use(requireRole('caretaker', 'admin'));
  // The request detail page also shows notes and offers (src/offers, above bookings): handed in, not imported.
  r.use(bookingDeskRoutes(ctx, deskExtensions(ctx)));
  r.use(offerStaffRoutes(ctx));
  r.use(staffCalendarRoutes(ctx));
  r.use(blockRoutes(ctx));
  r.use(templateRoutes(ctx));
  // Own password, rooms, export: caretaker and admin; settings, accounts: admin only (in their routers); the audit
  // log: admin only, guarded here (its folder imports nothing from auth: auth writes to the log).
  r.use('/audit', requireRole('admin'));
  r.use(passwordRoutes(ctx), roomAdminRoutes(ctx), settingsRoutes(ctx), accountRoutes(ctx), exportRoutes(ctx), auditRoutes(ctx));
  // Room photos (caretaker and admin), the logo and floor plan (admin only, guarded in the router).
  r.use(mediaStaffRoutes(ctx));
  // Own daily summary on/off: every account.
  r.use(reminderRoutes(ctx));
  // Usage statistics and attendance: caretaker and admin (the caretaker writes the funding report's numbers).
  r.use(statisticsRoutes(ctx));
  // Translations of the house texts: caretaker and admin; the house's own texts admin only (in the router).
  r.use(translationRoutes(ctx));
  // Regular groups (auto-approval) and absence/deputy: caretaker and admin (the deputy and public contact: admin, in the router).
  r.use(regularGroupRoutes(ctx), absenceRoutes(ctx));
  r.use(programmeStaffRoutes(ctx));
  return r;
}
