// Which catalog keys the staff side alone uses: a public-only language (src/i18n/languages.ts) needs every other
// key and none of these. The one list the catalog check (test/unit/i18n-catalog.test.ts), the translators'
// drafts and docs/architecture.md ("i18n") go by. A key a group or a visitor can see (a public page, a mail
// to a group, the calendar file of a room or a request) is public, whatever its prefix says.

/** Key prefixes of the staff pages and the staff's mails (a prefix ends in '.', or is a whole key). */
export const STAFF_ONLY_PREFIXES = [
  'adminNav.',
  'auth.',
  'password.',
  'settings.',
  'users.',
  'export.',
  'audit.',
  'outbox.',
  'data.',
  'staff.',
  'rooms.',
  'feed.page.',
  'mail.staff.',
  'mail.greetingStaff',
  'statistics.',
  'media.room.',
  'media.house.',
  'media.logo.',
  'media.plan.',
  'media.field.',
  'media.hint.',
  'media.action.',
  'media.added',
  'media.described',
  'media.moved',
  'media.removed',
  'media.error.',
  'media.note.',
  'reminders.settings.',
  'reminders.error.',
  'reminders.summary.',
  'reminders.page.',
  'languages.settings.',
  // The caretaker's desk (issue 13): inbox list, navigation, notes and offers on the staff side, closures, daily
  // list, audit words, export, regular groups, absence; the house-text translation pages; the API's settings.
  'desk.',
  // The request's history on the staff detail page (the group's manage page has its own requests.history.*).
  'history.',
  'inboxList.',
  'staffNav.',
  'staffHouse.',
  'regularGroups.',
  'absence.',
  'houseText.',
  'api.settings.',
] as const;

/** Keys under a staff prefix that the public side shows all the same (the public room list under 'rooms.'). */
export const PUBLIC_DESPITE_PREFIX = new Set<string>([
  'rooms.title',
  'rooms.intro',
  'rooms.empty',
  // The alternative contact while the house's contact is away, on public pages and in group mails.
  'absence.public.title',
  'absence.public.until',
  'absence.public.untilNoContact',
  'absence.public.phone',
  'absence.public.email',
  // "(only in German)" beside a house text that has no translation yet.
  'houseText.onlyGerman',
]);

/** Whether only the staff side uses this key. */
export function isStaffOnlyKey(key: string): boolean {
  if (PUBLIC_DESPITE_PREFIX.has(key)) return false;
  return STAFF_ONLY_PREFIXES.some((p) => (p.endsWith('.') ? key.startsWith(p) : key === p || key.startsWith(`${p}.`)));
}
