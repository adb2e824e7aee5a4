// Transitional: staff-routes.ts and direct-booking.ts still import these from here; the merge points them at
// src/web/forms.ts (and time/index.ts's inCalendarRange) and deletes this file.
export { queryDateOr, staffDateField } from '../web/forms.js';
export { inCalendarRange as inStaffDateRange } from '../time/index.js';
