// Transitional: the equipment list for direct-booking.ts until the merge moves its import (rooms live in src/rooms/).
export { EQUIPMENT_KEYS } from '../rooms/staff-routes.js';
