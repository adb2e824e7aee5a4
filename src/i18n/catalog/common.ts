// Transitional: src/admin/rooms.ts still derives its equipment keys from the German catalog's `equipment.*` words
// (issue 11 makes equipment a domain list). Remove this file once that call site reads the domain list.
import type { MessageKey } from '../index.js';
import { loadCatalog } from '../index.js';

export const de = loadCatalog('de') as Record<MessageKey, string>;
