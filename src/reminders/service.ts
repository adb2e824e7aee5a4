// Sending reminders: each due date's mail to the group and each account's daily summary, exactly once.
// Every mail is recorded (UNIQUE) and queued in the outbox in one BEGIN IMMEDIATE transaction: whichever process
// or run records it first queues it; a second one finds the record and sends nothing. Called by the jobs runner.
import type { DB } from '../db/database.js';
import type { BookingRequest } from '../db/schema.js';
import { audit } from '../audit/log.js';
import { translator, type Translate } from '../i18n/index.js';
import { languageInfo, langOrDefault, staffLanguageOf, type Lang } from '../i18n/languages.js';
import { houseTextIn, type ShownText } from '../house-texts/service.js';
import { enqueueMail, countByStatus } from '../mail/outbox.js';
import { renderMail, type MailContent } from '../mail/templates.js';
import { MANAGE_TOKEN_PLACEHOLDER, sealSecret } from '../mail/secrets.js';
import { newManageToken } from '../bookings/reference.js';
import { getHouse, type House } from '../settings/repository.js';
import { listRooms } from '../rooms/repository.js';
import type { Clock } from '../time/index.js';
import { addDays, dayStart, localDate, localTime } from '../time/index.js';
import { formatDate, formatInstant, formatTimeRange, formatWhen } from '../time/format.js';
import { isReminderDue, lastDueDate, summaryDay } from './rules.js';
import { absentOn, publicAbsenceOn } from '../absence/repository.js';
import { withAbsenceContact } from '../absence/rules.js';
import {
  addManageToken,
  approvedBetween,
  openRequests,
  recordReminder,
  recordSummary,
  reminderCandidate,
  reminderCandidates,
  setDailySummaryFlag,
  setReminderMail,
  setSummaryMail,
  summaryRecipients,
  wantsSummary,
  type SummaryBooking,
} from './repository.js';

export interface ReminderDeps {
  baseUrl: string;
  clock: Clock;
  /** Encrypts the manage link while the mail waits in the outbox (src/mail/secrets.ts). */
  mailKey: Buffer;
}

export interface ReminderRun {
  reminders: number;
  summaries: number;
}

/** One run: the reminders due now and the daily summaries due today. */
export async function runReminders(db: DB, deps: ReminderDeps): Promise<ReminderRun> {
  const reminders = await sendDueReminders(db, deps);
  const summaries = await sendDailySummaries(db, deps);
  return { reminders, summaries };
}

/** Queues the group reminder of every date due now; returns how many this call queued. */
export async function sendDueReminders(db: DB, deps: ReminderDeps): Promise<number> {
  const now = deps.clock().getTime();
  const house = await getHouse(db);
  if (house.reminderDays <= 0) return 0;
  const last = lastDueDate(now, house.reminderDays, house.zone);
  // Bounded by start too, for the (status, start_at) index: a date starts before the end of the day after its local day.
  const candidates = await reminderCandidates(db, now, dayStart(addDays(last, 2), house.zone), last);
  let sent = 0;
  for (const c of candidates) {
    if (!isReminderDue(c, now, house.reminderDays, house.zone)) continue;
    const queued = await db.transaction().execute(async (trx) => {
      // Read again under the write lock: the date may have been cancelled or reminded since the list was read.
      const fresh = await reminderCandidate(trx, c.bookingId);
      if (!fresh || !isReminderDue(fresh, now, house.reminderDays, house.zone)) return false;
      const reminderId = await recordReminder(trx, c.bookingId, now);
      if (reminderId === undefined) return false;
      const booking = await trx.selectFrom('bookings').selectAll().where('id', '=', c.bookingId).executeTakeFirstOrThrow();
      const request = await trx.selectFrom('requests').selectAll().where('id', '=', booking.request_id).executeTakeFirstOrThrow();
      const rooms = await listRooms(trx, { includeInactive: true });
      // During a public absence the reminder names the house's alternative contact (src/absence).
      const absence = await publicAbsenceOn(trx, localDate(now, house.zone));
      const contactHouse = absence ? withAbsenceContact(house, absence) : house;
      const roomName = rooms.find((r) => r.id === booking.room_id)?.name ?? '';
      // A request the group made itself gets a manage link of its own (only its hash is kept): the group can
      // cancel from the reminder. A booking the house entered never had a link; the group calls the house.
      let secret: string | undefined;
      if (request.source === 'public') {
        const token = newManageToken();
        await addManageToken(trx, request.id, token.hash, now);
        secret = sealSecret(deps.mailKey, token.token);
      }
      const lang = langOrDefault(request.language);
      const t = translator(lang);
      // Where and when to pick up the key: the house's own text, in the group's language where it was translated.
      const keyPickup = await houseTextIn(trx, 'house', 0, 'key_pickup', lang);
      const m = await renderMail(
        groupMail({
          t,
          lang,
          house: contactHouse,
          request,
          roomName,
          start: booking.start_at,
          end: booking.end_at,
          keyPickup,
          date: booking.local_date,
          deps,
          withLink: secret !== undefined,
        }),
      );
      const outboxId = await enqueueMail(
        trx,
        {
          to: request.email.trim(),
          language: lang,
          kind: 'reminder.group',
          subject: m.subject,
          text: m.text,
          html: m.html,
          requestId: request.id,
          secret,
          replyTo: house.contactEmail || null,
        },
        now,
      );
      await setReminderMail(trx, reminderId, outboxId);
      return true;
    });
    if (queued) sent++;
  }
  return sent;
}

interface GroupMailInput {
  t: Translate;
  lang: Lang;
  house: House;
  request: BookingRequest;
  roomName: string;
  start: number;
  end: number;
  date: string;
  deps: ReminderDeps;
  withLink: boolean;
  /** The key pickup note as the group's language shows it (src/house-texts); '' when the house has none. */
  keyPickup: ShownText;
}

/** The house's contact as one line ("Name, 030 …, haus@…"), or '' when the settings hold none. */
function contactOf(h: House): string {
  return [h.contactName, h.contactPhone, h.contactEmail]
    .map((s) => s.trim())
    .filter(Boolean)
    .join(', ');
}

function footerOf(h: House, t: Translate): string {
  const address = [h.street, [h.postalCode, h.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return [h.name, address, h.contactPhone, h.contactEmail, t('mail.autoNote')].filter(Boolean).join('\n');
}

/** The key pickup note; in the house language with the "only in German" note where it has no translation. */
function keyPickupLine(k: ShownText, t: Translate): string {
  if (!k.fallback) return k.text;
  return t('reminders.group.keyFallback', { text: k.text, note: t('houseText.onlyGerman', { language: k.lang, name: languageInfo(k.lang).nativeName }) });
}

function groupMail(i: GroupMailInput): MailContent {
  const { t, lang, house, request: r } = i;
  const when = formatWhen(i.start, i.end, house.zone, lang, t);
  const contact = contactOf(house);
  return {
    lang,
    subject: t('reminders.group.subject', { reference: r.reference, date: formatDate(i.date, lang) }),
    houseName: house.name,
    greeting: t('mail.greeting', { name: r.contact_name }),
    intro: [t('reminders.group.intro', { house: house.name })],
    dates: [{ text: i.roomName ? `${when} – ${i.roomName}` : when }],
    facts: [
      { label: t('mail.field.reference'), value: r.reference },
      { label: t('mail.field.title'), value: r.title },
      { label: t('mail.field.room'), value: i.roomName },
      ...(i.keyPickup.text ? [{ label: t('reminders.group.key'), value: keyPickupLine(i.keyPickup, t) }] : []),
      ...(contact ? [{ label: t('reminders.group.contact'), value: contact }] : []),
    ],
    body: [i.withLink ? t('reminders.group.cancelHint') : t('mail.manageByHouse', { reference: r.reference })],
    action: i.withLink ? { label: t('reminders.group.action'), url: `${i.deps.baseUrl}/requests/${MANAGE_TOKEN_PLACEHOLDER}` } : undefined,
    after: [],
    signoff: t('mail.signoff', { house: house.name }),
    footer: footerOf(house, t),
  };
}

/** Queues today's summary for every account that wants it and has not had it; returns how many. */
export async function sendDailySummaries(db: DB, deps: ReminderDeps): Promise<number> {
  const now = deps.clock().getTime();
  const house = await getHouse(db);
  const day = summaryDay(now, house.summaryHour, house.zone);
  if (!day) return 0;
  // An absent account gets no summary on its absent days (its deputy gets the staff mails: src/absence).
  const absent = await absentOn(db, day);
  const recipients = (await summaryRecipients(db, day)).filter((u) => !absent.has(u.id));
  if (!recipients.length) return 0;
  const tomorrow = addDays(day, 1);
  const [today, next, open, outbox] = await Promise.all([
    approvedBetween(db, dayStart(day, house.zone), dayStart(tomorrow, house.zone)),
    approvedBetween(db, dayStart(tomorrow, house.zone), dayStart(addDays(day, 2), house.zone)),
    openRequests(db, now),
    countByStatus(db),
  ]);
  let sent = 0;
  for (const u of recipients) {
    const queued = await db.transaction().execute(async (trx) => {
      if (!(await wantsSummary(trx, u.id))) return false;
      const summaryId = await recordSummary(trx, u.id, day, now);
      if (summaryId === undefined) return false;
      const lang = staffLanguageOf(langOrDefault(u.language));
      const t = translator(lang);
      const m = await renderMail(summaryMail({ t, lang, house, name: u.name, day, tomorrow, today, next, open, failed: outbox.failed, baseUrl: deps.baseUrl }));
      const outboxId = await enqueueMail(trx, { to: u.email, language: lang, kind: 'reminder.summary', subject: m.subject, text: m.text, html: m.html }, now);
      await setSummaryMail(trx, summaryId, outboxId);
      return true;
    });
    if (queued) sent++;
  }
  return sent;
}

interface SummaryInput {
  t: Translate;
  lang: Lang;
  house: House;
  name: string;
  day: string;
  tomorrow: string;
  today: SummaryBooking[];
  next: SummaryBooking[];
  open: Awaited<ReturnType<typeof openRequests>>;
  failed: number;
  baseUrl: string;
}

/** One line of the summary: "18:00–20:00 Uhr – Saal – Verein (Titel, HdB-2026-0042)". */
function summaryLine(b: SummaryBooking, zone: string, lang: Lang, t: Translate): string {
  const sameDay = localDate(b.start, zone) === localDate(b.end, zone);
  const endsAtMidnight = localTime(b.end, zone) === '00:00' && localDate(b.end, zone) === addDays(localDate(b.start, zone), 1);
  const when =
    sameDay || endsAtMidnight
      ? formatTimeRange(localTime(b.start, zone), endsAtMidnight ? '24:00' : localTime(b.end, zone), t)
      : formatWhen(b.start, b.end, zone, lang, t);
  return `${when} – ${b.roomName} – ${b.group} (${b.title}, ${b.reference})`;
}

function daySection(label: string, list: SummaryBooking[], i: SummaryInput): string {
  const lines = list.length ? list.map((b) => summaryLine(b, i.house.zone, i.lang, i.t)) : [i.t('reminders.summary.none')];
  return [label, ...lines].join('\n');
}

function summaryMail(i: SummaryInput): MailContent {
  const { t, lang, house } = i;
  return {
    lang,
    subject: t('reminders.summary.subject', { date: formatDate(i.day, lang) }),
    houseName: house.name,
    greeting: t('mail.greetingStaff', { name: i.name }),
    intro: [t('reminders.summary.intro')],
    dates: [],
    facts: [],
    body: [
      daySection(t('reminders.summary.today', { date: formatDate(i.day, lang) }), i.today, i),
      daySection(t('reminders.summary.tomorrow', { date: formatDate(i.tomorrow, lang) }), i.next, i),
      [
        t('reminders.summary.open', { count: i.open.count }),
        ...(i.open.oldest
          ? [t('reminders.summary.oldest', { reference: i.open.oldest.reference, since: formatInstant(i.open.oldest.createdAt, house.zone, lang) })]
          : []),
      ].join('\n'),
      t('reminders.summary.failed', { count: i.failed }),
    ],
    action: { label: t('reminders.summary.action'), url: `${i.baseUrl}/admin` },
    after: [t('reminders.summary.switchOff', { url: `${i.baseUrl}/admin/summary` })],
    signoff: t('mail.autoNote'),
    footer: house.name,
  };
}

/** Switches the daily summary of one's own account on or off (audited when it changed). */
export async function setDailySummary(db: DB, userId: number, on: boolean, now: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const changed = await setDailySummaryFlag(trx, userId, on, now);
    if (changed)
      await audit(trx, { at: now, userId, actor: 'user', action: 'user.daily_summary', entity: 'user', entityId: userId, details: { dailySummary: on } });
    return changed;
  });
}

export { dailySummaryFlag } from './repository.js';
