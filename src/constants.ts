// The house's fixed domain lists, one definition each: booking categories and room equipment. Their words
// for people are in the catalogs (`category.<code>`, `equipment.<code>`); the codes are stored in the database.
// No imports: every floor may use this file.

/** What a group's event is about (a request's category); the order is the order of the form's choices. */
export const CATEGORIES = ['education', 'culture', 'social', 'integration', 'sports', 'celebration', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

/** What a room may offer and a group may ask for; the order is the order of the forms' checkboxes. */
export const EQUIPMENT = [
  'projector',
  'screen',
  'kitchen',
  'dishes',
  'chairs_tables',
  'piano',
  'sound',
  'whiteboard',
  'flipchart',
  'wifi',
  'mats',
  'toys',
  'tv',
] as const;
export type Equipment = (typeof EQUIPMENT)[number];

export function isCategory(code: string): code is Category {
  return (CATEGORIES as readonly string[]).includes(code);
}

/** A stored equipment code this version knows (older data may hold codes that were since removed). */
export function isEquipment(code: string): code is Equipment {
  return (EQUIPMENT as readonly string[]).includes(code);
}
