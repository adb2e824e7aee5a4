// Attendance links (issue 15): after each approved date the group gets one mail asking how many came, and the
// link's page saves its answer. Each mail is recorded (UNIQUE per date) and queued in the outbox in one
// BEGIN IMMEDIATE transaction, as src/reminders does: whichever process or run records it first queues it, a
// second one finds the record and sends nothing. Called by the jobs runner; the page by src/attendance/routes.ts.
import type { Conn, DB } from '../db/database.js';
import { audit } from '../audit/log.js';
import { translator } from '../i18n/index.js';
import { langOrDefault } from '../i18n/languages.js';
import { enqueueMail } from '../mail/outbox.js';
import { renderMail } from '../mail/templates.js';
import { MANAGE_TOKEN_PLACEHOLDER, sealSecret } from '../mail/secrets.js';
import { hashToken, newManageToken } from '../bookings/reference.js';
import { TOKEN_RE } from '../bookings/repository.js';
import { getHouse, type House } from '../settings/repository.js';
import type { Clock } from '../time/index.js';
import { formatDate, formatWhen } from '../time/format.js';
import { localDate } from '../time/index.js';
import { LONGEST_DATE_MS, MAIL_WINDOW_MS, attendanceBound, dateStamp, isAttendanceMailDue, linkExpiresAt, linkLastDay } from './rules.js';
import { attendanceCandidate, attendanceCandidates, findByTokenHash, recordAttendanceLink, saveGroupAttendance, setAttendanceLinkMail } from './repository.js';

export interface AttendanceDeps {
  baseUrl: string;
  clock: Clock;
  /** Encrypts the link while the mail waits in the outbox (src/mail/secrets.ts). */
  mailKey: Buffer;
}

/** Queues the attendance mail of every date that has just ended; returns how many this call queued. */
export async function sendAttendanceMails(db: DB, deps: AttendanceDeps): Promise<number> {
  const now = deps.clock().getTime();
  const house = await getHouse(db);
  if (!house.attendanceMails) return 0;
  const from = now - MAIL_WINDOW_MS;
  const candidates = await attendanceCandidates(db, { from, now, startFrom: from - LONGEST_DATE_MS });
  let sent = 0;
  for (const c of candidates) {
    if (!isAttendanceMailDue(c, now)) continue;
    const queued = await db.transaction().execute(async (trx) => {
      // Read again under the write lock: the date may have been cancelled, reported or mailed since the list was read.
      const fresh = await attendanceCandidate(trx, c.bookingId);
      if (!fresh || !isAttendanceMailDue(fresh, now)) return false;
      const booking = await trx.selectFrom('bookings').selectAll().where('id', '=', c.bookingId).executeTakeFirstOrThrow();
      const request = await trx.selectFrom('requests').selectAll().where('id', '=', booking.request_id).executeTakeFirstOrThrow();
      const token = newManageToken();
      const linkId = await recordAttendanceLink(trx, {
        bookingId: booking.id,
        requestId: request.id,
        tokenHash: token.hash,
        now,
        expiresAt: linkExpiresAt(booking.end_at, house.zone),
      });
      if (linkId === undefined) return false;
      const room = await trx.selectFrom('rooms').select('name').where('id', '=', booking.room_id).executeTakeFirst();
      const lang = langOrDefault(request.language);
      const t = translator(lang);
      const when = formatWhen(booking.start_at, booking.end_at, house.zone, lang, t);
      const roomName = room?.name ?? '';
      const m = await renderMail({
        lang,
        subject: t('attendanceLink.mail.subject', { date: formatDate(booking.local_date, lang), reference: request.reference }),
        houseName: house.name,
        greeting: t('mail.greeting', { name: request.contact_name }),
        intro: [t('attendanceLink.mail.intro', { house: house.name })],
        dates: [{ text: roomName ? `${when} – ${roomName}` : when }],
        facts: [
          { label: t('mail.field.reference'), value: request.reference },
          { label: t('mail.field.title'), value: request.title },
          { label: t('mail.field.room'), value: roomName },
        ],
        body: [t('attendanceLink.mail.body', { until: formatDate(linkLastDay(booking.end_at, house.zone), lang) })],
        action: { label: t('attendanceLink.mail.action'), url: `${deps.baseUrl}/attendance/${MANAGE_TOKEN_PLACEHOLDER}` },
        after: [t('attendanceLink.mail.thanks')],
        signoff: t('mail.signoff', { house: house.name }),
        footer: footerOf(house, t('mail.autoNote')),
      });
      const outboxId = await enqueueMail(
        trx,
        {
          to: request.email.trim(),
          language: lang,
          kind: 'attendance.group',
          subject: m.subject,
          text: m.text,
          html: m.html,
          requestId: request.id,
          secret: sealSecret(deps.mailKey, token.token),
          replyTo: house.contactEmail || null,
        },
        now,
      );
      await setAttendanceLinkMail(trx, linkId, outboxId);
      return true;
    });
    if (queued) sent++;
  }
  return sent;
}

function footerOf(h: House, autoNote: string): string {
  const address = [h.street, [h.postalCode, h.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return [h.name, address, h.contactPhone, h.contactEmail, autoNote].filter(Boolean).join('\n');
}

export interface AttendanceLinkView {
  bookingId: number;
  start: number;
  end: number;
  /** The local day of the date (house zone). */
  date: string;
  roomName: string;
  title: string;
  reference: string;
  /** The group's language (its mails; this page unless the visitor chose another). */
  language: string;
  /** The last local day the link works, and whether that has passed. */
  lastDay: string;
  expired: boolean;
  /** The highest number the form takes. */
  max: number;
  /** The date as the form shows it (its hidden field `shown`): saving checks it is still the same. */
  stamp: string;
  /** What is recorded now: null when nothing is. */
  recorded: { tookPlace: boolean; attended: number | null; by: 'staff' | 'group' } | null;
}

/** What an attendance link opens; undefined for a malformed or unknown link, or a date no longer approved. */
export async function loadAttendanceLink(db: Conn, token: string, now: number, zone: string): Promise<AttendanceLinkView | undefined> {
  if (!TOKEN_RE.test(token)) return undefined;
  const row = await findByTokenHash(db, hashToken(token));
  // An erased request has no links (src/privacy); a cancelled date has nothing to report.
  if (!row || row.anonymized_at !== null || row.status !== 'approved') return undefined;
  return {
    bookingId: row.booking_id,
    start: row.start_at,
    end: row.end_at,
    date: localDate(row.start_at, zone),
    roomName: row.room_name,
    title: row.title,
    reference: row.reference,
    language: row.language,
    lastDay: linkLastDay(row.end_at, zone),
    expired: now >= row.expires_at,
    max: attendanceBound(row.capacity),
    stamp: dateStamp(row.start_at, row.end_at),
    recorded: row.took_place === null || row.reported_by === null ? null : { tookPlace: row.took_place === 1, attended: row.attended, by: row.reported_by },
  };
}

export type ReportResult = { ok: true } | { ok: false; reason: 'unknown' | 'expired' | 'changed' | 'tooMany'; max?: number };

/**
 * Saves the group's answer (source 'group'), audited without personal data; refused once the link expired, and
 * when the date's time changed after the form showed it (`shown`, see dateStamp; empty: a form without the field).
 */
export async function reportAttendanceByLink(
  db: DB,
  input: { token: string; tookPlace: boolean; attended: number | null; shown?: string },
  o: { now: number; zone: string },
): Promise<ReportResult> {
  return db.transaction().execute(async (trx) => {
    const view = await loadAttendanceLink(trx, input.token, o.now, o.zone);
    if (!view) return { ok: false, reason: 'unknown' } as const;
    if (view.expired) return { ok: false, reason: 'expired' } as const;
    if (input.shown && input.shown !== view.stamp) return { ok: false, reason: 'changed' } as const;
    if (input.tookPlace && input.attended !== null && input.attended > view.max) return { ok: false, reason: 'tooMany', max: view.max } as const;
    await saveGroupAttendance(trx, { bookingId: view.bookingId, tookPlace: input.tookPlace, attended: input.attended, at: o.now });
    await audit(trx, {
      at: o.now,
      userId: null,
      actor: 'group',
      action: 'attendance.reported',
      entity: 'booking',
      entityId: view.bookingId,
      details: { source: 'group', tookPlace: input.tookPlace, attended: input.tookPlace ? input.attended : null },
    });
    return { ok: true } as const;
  });
}
