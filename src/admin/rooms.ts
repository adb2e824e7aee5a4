// Transitional: the equipment list for direct-booking.ts until the merge moves its import to src/constants.ts.
import { EQUIPMENT } from '../constants.js';

export const EQUIPMENT_KEYS: readonly string[] = EQUIPMENT;
