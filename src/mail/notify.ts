// Which mails a change causes. Called inside the write transaction of that change, so the mail is in
// the outbox exactly when the change is committed. Each mail is rendered in its recipient's language and
// shows only the data of the one request it is about.
import type { Conn } from '../db/database.js';
import type { BookingRequest, Room } from '../db/schema.js';
import { translator, type Translate } from '../i18n/index.js';
import { langOrDefault, type Lang } from '../i18n/languages.js';
import { getHouse, type House } from '../settings/repository.js';
import { listRooms } from '../rooms/repository.js';
import type { Clock } from '../time/index.js';
import { formatInstant, formatWhen } from '../time/format.js';
import { listRequestBookings, type DetailedBooking } from '../feeds/repository.js';
import { requestCalendar, uidHost } from '../feeds/build.js';
import { serializeCalendar } from '../feeds/ical.js';
import type { BookingEvent, Notifier } from '../bookings/events.js';
import { enqueueMail, type MailAttachment } from './outbox.js';
import { renderMail, type MailContent, type MailDate } from './templates.js';
import { isCancellable, isEditable } from '../bookings/present.js';
import { describeRhythm } from '../bookings/view.js';
import { MANAGE_TOKEN_PLACEHOLDER, sealSecret } from './secrets.js';
import { findOffer, listOfferOptions } from '../offers/repository.js';
import { describeOption } from '../offers/view.js';
import { publicAbsenceOn, staffRecipients } from '../absence/repository.js';
import { withAbsenceContact } from '../absence/rules.js';
import { localDate } from '../time/index.js';

/** The events mails are written for: the booking services' events (bookings/events.ts). */
export type MailEvent = BookingEvent;

export interface NotifyDeps {
  baseUrl: string;
  clock: Clock;
  /** Needed for 'request.received': the manage token is stored only encrypted with it. */
  mailKey?: Buffer;
}

/** Everything a mail about one request needs, loaded once per event. */
interface Scene {
  deps: NotifyDeps;
  now: number;
  house: House;
  rooms: Map<number, Room>;
  request: BookingRequest;
  bookings: DetailedBooking[];
}

/** The notifier the booking services are handed (AppContext.notify): mails for every event, with these deps. */
export function mailNotifier(deps: NotifyDeps): Notifier {
  return (db, event) => notify(db, deps, event);
}

/** Writes the event's mails to the outbox (use the transaction of the change as `db`). */
export async function notify(db: Conn, deps: NotifyDeps, event: MailEvent): Promise<void> {
  const request = await db.selectFrom('requests').selectAll().where('id', '=', event.requestId).executeTakeFirst();
  if (!request) return;
  const [house, roomList, bookings] = await Promise.all([getHouse(db), listRooms(db, { includeInactive: true }), listRequestBookings(db, request.id)]);
  const now = deps.clock().getTime();
  // During a public absence the group reads the house's alternative contact (src/absence).
  const absence = await publicAbsenceOn(db, localDate(now, house.zone));
  const s: Scene = {
    deps,
    now,
    house: absence ? withAbsenceContact(house, absence) : house,
    rooms: new Map(roomList.map((r) => [r.id, r])),
    request,
    bookings,
  };
  // Only dates of this request, whatever ids the caller passed.
  const picked = (ids: number[]) => bookings.filter((b) => ids.includes(b.id));
  const active = bookings.filter((b) => b.status === 'approved' || b.status === 'pending');

  switch (event.type) {
    case 'request.received': {
      // The stored mail holds a placeholder and the token encrypted; the worker fills it in when it sends.
      if (!deps.mailKey) throw new Error('notify: request.received needs the mail key');
      const secret = sealSecret(deps.mailKey, event.manageToken);
      await toGroup(db, s, 'request.received', (v) => ({
        subject: v.t('mail.received.subject', { reference: request.reference }),
        intro: [v.t('mail.received.intro'), ...seriesLine(request, v)],
        dates: bookings.map((b) => dateLine(s, v, b, true)),
        body: [v.t('mail.received.manage')],
        action: { label: v.t('mail.received.action'), url: `${deps.baseUrl}/requests/${MANAGE_TOKEN_PLACEHOLDER}` },
        after: contactLines(s, v.t),
        secret,
      }));
      await toStaff(db, s, 'staff.request.received', (v) => ({
        subject: v.t('mail.staff.received.subject', { reference: request.reference, title: request.title }),
        intro: [v.t('mail.staff.received.intro'), ...seriesLine(request, v)],
        dates: bookings.map((b) => dateLine(s, v, b, true)),
      }));
      return;
    }
    case 'request.updated': {
      await toGroup(db, s, 'request.updated', (v) => ({
        subject: v.t('mail.updated.subject', { reference: request.reference }),
        intro: [v.t('mail.updated.intro'), ...seriesLine(request, v)],
        dates: bookings.map((b) => dateLine(s, v, b, true)),
        after: laterLines(s, v.t),
      }));
      await toStaff(db, s, 'staff.request.updated', (v) => ({
        subject: v.t('mail.staff.updated.subject', { reference: request.reference, title: request.title }),
        intro: [v.t('mail.staff.updated.intro'), ...seriesLine(request, v)],
        dates: bookings.map((b) => dateLine(s, v, b, true)),
      }));
      return;
    }
    case 'bookings.approved': {
      const dates = picked(event.bookingIds).filter((b) => b.status === 'approved');
      if (!dates.length) return;
      const stillPending = bookings.some((b) => b.status === 'pending');
      // A series the house entered: the dates it left out (holiday, closure, taken) are named with the reason.
      const skipped = picked(event.skippedBookingIds ?? []).filter((b) => b.status === 'skipped');
      await toGroup(db, s, 'bookings.approved', (v) => ({
        subject: v.t('mail.approved.subject', { reference: request.reference }),
        intro: [v.t('mail.approved.intro')],
        dates: dates.map((b) => dateLine(s, v, b, false)),
        message: messageOf(v.t, event.message),
        body: [
          v.t('mail.approved.attachment'),
          ...(skipped.length
            ? [
                v.t('mail.approved.skipped', {
                  dates: skipped
                    .map((b) => {
                      const d = dateLine(s, v, b, false);
                      return `${d.text} (${d.note})`;
                    })
                    .join('; '),
                }),
              ]
            : []),
          ...(stillPending ? [v.t('mail.approved.stillPending')] : []),
        ],
        after: laterLines(s, v.t),
        attachments: [icsAttachment(s, v, dates)],
      }));
      return;
    }
    case 'bookings.rejected': {
      const dates = picked(event.bookingIds);
      if (!dates.length) return;
      await toGroup(db, s, 'bookings.rejected', (v) => ({
        subject: v.t('mail.rejected.subject', { reference: request.reference }),
        intro: [v.t('mail.rejected.intro')],
        dates: dates.map((b) => dateLine(s, v, b, false)),
        message: messageOf(v.t, event.message),
        body: [...(active.length ? [v.t('mail.rejected.others')] : []), v.t('mail.cancelled.attachment')],
        after: laterLines(s, v.t),
        // The group may have put these dates into its calendar from the manage page's file: this removes them.
        attachments: [icsAttachment(s, v, dates, 'CANCEL')],
      }));
      return;
    }
    case 'bookings.cancelled': {
      const dates = picked(event.bookingIds);
      if (!dates.length) return;
      const byGroup = event.by === 'group';
      // The house cancelling dates it never approved cancels a request, not a booking: the mail says so.
      const house = event.wasApproved ? 'mail.cancelledByHouse' : 'mail.cancelledRequestByHouse';
      await toGroup(db, s, byGroup ? 'bookings.cancelled.group' : 'bookings.cancelled.house', (v) => ({
        subject: v.t(byGroup ? 'mail.cancelledByGroup.subject' : `${house}.subject`, { reference: request.reference }),
        intro: [v.t(byGroup ? 'mail.cancelledByGroup.intro' : `${house}.intro`)],
        dates: dates.map((b) => dateLine(s, v, b, false)),
        message: messageOf(v.t, event.message),
        body: [v.t(active.length ? 'mail.cancelled.rest' : 'mail.cancelled.whole'), v.t('mail.cancelled.attachment')],
        after: active.length ? laterLines(s, v.t) : contactLines(s, v.t),
        // Same UIDs as the approval's file, a higher SEQUENCE and METHOD:CANCEL: calendar apps remove the dates.
        attachments: [icsAttachment(s, v, dates, 'CANCEL')],
      }));
      if (byGroup && event.wasApproved) {
        await toStaff(db, s, 'staff.bookings.cancelled', (v) => ({
          subject: v.t('mail.staff.cancelled.subject', { reference: request.reference, title: request.title }),
          intro: [v.t('mail.staff.cancelled.intro')],
          dates: dates.map((b) => dateLine(s, v, b, false)),
        }));
      }
      return;
    }
    case 'bookings.changed': {
      const dates = picked(event.bookingIds);
      if (!dates.length) return;
      const approved = dates.filter((b) => b.status === 'approved');
      await toGroup(db, s, 'bookings.changed', (v) => ({
        // Dates the house has not decided yet are a request, not a booking: the mail says so.
        subject: v.t(approved.length ? 'mail.changed.subject' : 'mail.changedRequest.subject', { reference: request.reference }),
        intro: [v.t(approved.length ? 'mail.changed.intro' : 'mail.changedRequest.intro')],
        dates: dates.map((b) => dateLine(s, v, b, false)),
        message: messageOf(v.t, event.message),
        body: approved.length ? [v.t('mail.changed.attachment')] : [],
        after: laterLines(s, v.t),
        attachments: approved.length ? [icsAttachment(s, v, approved)] : [],
      }));
      return;
    }
    case 'offer.sent': {
      // One link per option, all with the offer's token: sealed like a manage link, filled in by the worker.
      if (!deps.mailKey) throw new Error('notify: offer.sent needs the mail key');
      const offer = await findOffer(db, event.offerId);
      if (!offer) return;
      const options = await listOfferOptions(db, offer.id);
      const open = bookings.filter((b) => b.status === 'pending' && b.start > s.now);
      const secret = sealSecret(deps.mailKey, event.token);
      await toGroup(db, s, 'offer.sent', (v) => ({
        subject: v.t('offer.mail.subject', { reference: request.reference }),
        intro: [v.t('offer.mail.intro', { count: open.length })],
        dates: open.map((b) => dateLine(s, v, b, false)),
        message: messageOf(v.t, offer.message),
        body: [v.t('offer.mail.choose', { count: options.length })],
        links: options.map((o) => ({
          label: describeOption(
            { roomName: o.roomName, date: o.local_date, start: o.start_time, end: o.end_time },
            { zone: s.house.zone, lang: v.lang, t: v.t, count: open.length },
          ),
          url: `${deps.baseUrl}/offers/${MANAGE_TOKEN_PLACEHOLDER}/${o.position}`,
        })),
        after: [v.t('offer.mail.until', { until: formatInstant(offer.expires_at, s.house.zone, v.lang) }), ...contactLines(s, v.t)],
        secret,
      }));
      return;
    }
    case 'offer.accepted': {
      const approved = bookings.filter((b) => b.status === 'approved');
      await toStaff(db, s, 'staff.offer.accepted', (v) => ({
        subject: v.t('desk.mail.accepted.subject', { reference: request.reference, title: request.title }),
        intro: [v.t('desk.mail.accepted.intro')],
        dates: approved.map((b) => dateLine(s, v, b, false)),
      }));
      return;
    }
  }
}

/** The recipient's language. */
interface Voice {
  t: Translate;
  lang: Lang;
}

interface Parts {
  subject: string;
  intro: string[];
  dates: MailDate[];
  message?: MailContent['message'];
  body?: string[];
  action?: MailContent['action'];
  links?: MailContent['links'];
  after?: string[];
  attachments?: MailAttachment[];
  /** Encrypted manage token for MANAGE_TOKEN_PLACEHOLDER in the text. */
  secret?: string;
}

/** A series in words, as on the manage page and in the inbox ("Serie: jeden letzten Dienstag im Monat, …"); none for a single date. */
function seriesLine(request: BookingRequest, v: Voice): string[] {
  const series = describeRhythm(request, v.lang, v.t);
  return series ? [v.t('rhythm.mail', { series })] : [];
}

/** A stored language read back: a registered one, else German (a language removed from the registry). */
function asLang(v: string): Lang {
  return langOrDefault(v);
}

function footerOf(s: Scene, t: Translate): string {
  const h = s.house;
  const address = [h.street, [h.postalCode, h.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return [h.name, address, h.contactPhone, h.contactEmail, t('mail.autoNote')].filter(Boolean).join('\n');
}

function messageOf(t: Translate, message: string | undefined): MailContent['message'] {
  const text = message?.trim();
  return text ? { label: t('mail.field.message'), text } : undefined;
}

/** "Questions? Call us" with the house's phone, else its e-mail. */
function contactLines(s: Scene, t: Translate): string[] {
  if (s.house.contactPhone) return [t('mail.contactLine', { phone: s.house.contactPhone })];
  if (s.house.contactEmail) return [t('mail.contactMail', { email: s.house.contactEmail })];
  return [];
}

/**
 * Every mail to the group after the first: the manage link is not known any more (only its hash is stored).
 * It says what the link can still do now: change while the house has not decided, cancel until a date begins.
 */
function laterLines(s: Scene, t: Translate): string[] {
  // A booking the house entered (phone) never had a confirmation mail with a link.
  if (s.request.source === 'house') return [t('mail.manageByHouse', { reference: s.request.reference }), ...contactLines(s, t)];
  const dates = s.bookings.map((b) => ({ status: b.status, start_at: b.start }));
  const key = isEditable(dates, s.now)
    ? 'mail.manageLater.edit'
    : dates.some((b) => isCancellable(b, s.now))
      ? 'mail.manageLater.cancel'
      : 'mail.manageLater.view';
  return [t(key, { reference: s.request.reference }), ...contactLines(s, t)];
}

function dateLine(s: Scene, v: Voice, b: DetailedBooking, withStatus: boolean): MailDate {
  const { t, lang } = v;
  const when = formatWhen(b.start, b.end, s.house.zone, lang, t);
  const room = s.rooms.get(b.roomId)?.name ?? '';
  const text = room ? `${when} – ${room}` : when;
  if (b.status === 'skipped') {
    return { text, note: t('mail.skipped', { reason: b.skipReason ? t(`mail.skip.${b.skipReason}`) : '–' }) };
  }
  return withStatus ? { text, note: t(`bookingStatus.${b.status}`) } : { text };
}

/**
 * The dates as a calendar file, one event per date with the UID the approval's file and the request's feed
 * use (booking-<id>@host) and its current SEQUENCE, which every change raises: PUBLISH adds or moves them,
 * CANCEL removes them from a calendar that has them.
 */
function icsAttachment(s: Scene, { t }: Voice, dates: DetailedBooking[], method: 'PUBLISH' | 'CANCEL' = 'PUBLISH'): MailAttachment {
  const organizer = s.house.contactEmail ? { email: s.house.contactEmail, name: s.house.name } : undefined;
  const cal = requestCalendar({ host: uidHost(s.deps.baseUrl), house: s.house, t, rooms: s.rooms }, s.request, dates, { method, stamp: s.now, organizer });
  return { filename: `${s.request.reference}.ics`, contentType: `text/calendar; charset=utf-8; method=${method}`, content: serializeCalendar(cal) };
}

async function toGroup(db: Conn, s: Scene, kind: string, build: (v: Voice) => Parts): Promise<void> {
  const r = s.request;
  if (r.anonymized_at !== null || !r.email.trim()) return;
  const lang = asLang(r.language);
  const t = translator(lang);
  const p = build({ t, lang });
  const content: MailContent = {
    lang,
    subject: p.subject,
    houseName: s.house.name,
    greeting: t('mail.greeting', { name: r.contact_name }),
    intro: p.intro,
    dates: p.dates,
    message: p.message,
    facts: [
      { label: t('mail.field.reference'), value: r.reference },
      { label: t('mail.field.title'), value: r.title },
      { label: t('mail.field.room'), value: s.rooms.get(r.room_id)?.name ?? '' },
    ],
    body: p.body ?? [],
    action: p.action,
    links: p.links,
    after: p.after ?? [],
    signoff: t('mail.signoff', { house: s.house.name }),
    footer: footerOf(s, t),
  };
  const m = await renderMail(content);
  await enqueueMail(
    db,
    {
      to: r.email.trim(),
      language: lang,
      kind,
      subject: m.subject,
      text: m.text,
      html: m.html,
      attachments: p.attachments,
      requestId: r.id,
      secret: p.secret,
      // "Answer" reaches the house, not the robot sender.
      replyTo: s.house.contactEmail || null,
    },
    s.now,
  );
}

/** To every active caretaker and admin, each in their language, with the request's full details. */
async function toStaff(db: Conn, s: Scene, kind: string, build: (v: Voice) => Parts): Promise<void> {
  // Every active account; while one is absent, the deputy instead of it (src/absence).
  const staff = await staffRecipients(db, s.now, s.house.zone);
  const r = s.request;
  for (const u of staff) {
    const lang = asLang(u.language);
    const t = translator(lang);
    const p = build({ t, lang });
    const facts = [
      { label: t('mail.field.reference'), value: r.reference },
      { label: t('mail.field.title'), value: r.title },
      { label: t('mail.field.room'), value: s.rooms.get(r.room_id)?.name ?? '' },
      ...(r.organisation ? [{ label: t('mail.field.organisation'), value: r.organisation }] : []),
      { label: t('mail.field.contact'), value: r.contact_name },
      { label: t('mail.field.email'), value: r.email },
      ...(r.phone ? [{ label: t('mail.field.phone'), value: r.phone }] : []),
      { label: t('mail.field.attendees'), value: String(r.attendees) },
      { label: t('mail.field.category'), value: t(`category.${r.category}`) },
      ...(r.notes ? [{ label: t('mail.field.notes'), value: r.notes }] : []),
    ];
    const content: MailContent = {
      lang,
      subject: p.subject,
      houseName: s.house.name,
      greeting: t('mail.greetingStaff', { name: u.name }),
      intro: p.intro,
      dates: p.dates,
      message: p.message,
      facts,
      body: p.body ?? [],
      action: { label: t('mail.staff.action'), url: `${s.deps.baseUrl}/admin/requests/${r.id}` },
      after: [],
      signoff: t('mail.autoNote'),
      footer: s.house.name,
    };
    const m = await renderMail(content);
    // "Answer" reaches the group the mail is about.
    await enqueueMail(
      db,
      { to: u.email, language: lang, kind, subject: m.subject, text: m.text, html: m.html, requestId: r.id, replyTo: r.email.trim() || null },
      s.now,
    );
  }
}
