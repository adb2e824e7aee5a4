// Turns bookings and blocked times into iCalendar events for the three feeds and the mail attachment.
// The public calendar gets only what the public pages show: "belegt" or the public title, "geschlossen".
import type { BookingRequest, Room } from '../db/schema.js';
import type { Translate } from '../i18n/index.js';
import type { House } from '../settings/repository.js';
import type { IcalCalendar, IcalEvent } from './ical.js';
import type { DetailedBooking, FeedBlock, PublicFeedBooking } from './repository.js';

export interface FeedContext {
  /** Host part of the base URL, for globally unique UIDs. */
  host: string;
  house: House;
  t: Translate;
  rooms: ReadonlyMap<number, Room>;
}

/** Subscribing clients are asked to poll this often. */
export const REFRESH_MINUTES = 60;

export function uidHost(baseUrl: string): string {
  return new URL(baseUrl).hostname || 'raumbuch';
}

export const bookingUid = (id: number, host: string) => `booking-${id}@${host}`;
export const blockUid = (id: number, host: string) => `block-${id}@${host}`;

function roomName(fc: FeedContext, roomId: number | null): string {
  if (roomId === null) return fc.t('feed.wholeHouse');
  return fc.rooms.get(roomId)?.name ?? '';
}

function houseAddress(h: House): string {
  return [h.name, h.street, [h.postalCode, h.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
}

function location(fc: FeedContext, roomId: number | null): string {
  return [roomName(fc, roomId), houseAddress(fc.house)].filter(Boolean).join(', ');
}

function blockSummary(fc: FeedContext, b: FeedBlock, withLabel: boolean): string {
  const closed = fc.t('status.closed');
  if (!withLabel) return closed;
  return fc.t('feed.closedWith', { status: closed, label: b.label.trim() || fc.t(`blockReason.${b.reason}`) });
}

function blockEvent(fc: FeedContext, b: FeedBlock, details: boolean): IcalEvent {
  const showLabel = details || b.isPublic;
  const description = details
    ? [
        `${fc.t('feed.field.reason')}: ${fc.t(`blockReason.${b.reason}`)}`,
        `${fc.t('feed.field.visibility')}: ${fc.t(b.isPublic ? 'feed.visibility.public' : 'feed.visibility.internal')}`,
      ].join('\n')
    : undefined;
  return {
    uid: blockUid(b.id, fc.host),
    start: b.start,
    end: b.end,
    stamp: b.updatedAt,
    sequence: 0,
    summary: blockSummary(fc, b, showLabel),
    description,
    location: location(fc, b.roomId),
    status: 'CONFIRMED',
  };
}

/** Public feed of one room: approved bookings in the room, its parts and the wholes it belongs to, and blocked times. */
export function publicRoomCalendar(fc: FeedContext, room: Room, bookings: PublicFeedBooking[], blocks: FeedBlock[]): IcalCalendar {
  const events: IcalEvent[] = bookings.map((b) => {
    const label = b.publicTitle ?? fc.t('status.approved');
    return {
      uid: bookingUid(b.id, fc.host),
      start: b.start,
      end: b.end,
      stamp: b.updatedAt,
      sequence: b.sequence,
      summary: b.roomId === room.id ? label : fc.t('feed.inOtherRoom', { label, room: roomName(fc, b.roomId) }),
      location: location(fc, b.roomId),
      status: 'CONFIRMED',
    };
  });
  events.push(...blocks.map((b) => blockEvent(fc, b, false)));
  return {
    name: fc.t('feed.calendar.room', { house: fc.house.name, room: room.name }),
    zone: fc.house.zone,
    refreshMinutes: REFRESH_MINUTES,
    events: sortEvents(events),
  };
}

function staffDescription(fc: FeedContext, b: DetailedBooking): string {
  const lines = [`${fc.t('feed.field.reference')}: ${b.reference}`, `${fc.t('feed.field.status')}: ${fc.t(`bookingStatus.${b.status}`)}`];
  if (b.organisation) lines.push(`${fc.t('feed.field.organisation')}: ${b.organisation}`);
  lines.push(`${fc.t('feed.field.contact')}: ${[b.contactName, b.email, b.phone].filter(Boolean).join(', ')}`);
  lines.push(`${fc.t('feed.field.attendees')}: ${b.attendees}`);
  lines.push(`${fc.t('feed.field.category')}: ${fc.t(`category.${b.category}`)}`);
  if (b.notes) lines.push(`${fc.t('feed.field.notes')}: ${b.notes}`);
  return lines.join('\n');
}

/** The caretakers' feed: every room, approved and pending bookings with the group's details, and blocked times. */
export function staffCalendar(fc: FeedContext, bookings: DetailedBooking[], blocks: FeedBlock[]): IcalCalendar {
  const events: IcalEvent[] = bookings.map((b) => {
    const who = b.organisation || b.contactName;
    const summary = fc.t(b.status === 'pending' ? 'feed.staffSummaryPending' : 'feed.staffSummary', {
      title: b.title,
      who,
      room: roomName(fc, b.roomId),
      status: fc.t('status.pending'),
    });
    return {
      uid: bookingUid(b.id, fc.host),
      start: b.start,
      end: b.end,
      stamp: Math.max(b.updatedAt, b.requestUpdatedAt),
      sequence: b.sequence + b.requestSequence,
      summary,
      description: staffDescription(fc, b),
      location: location(fc, b.roomId),
      status: b.status === 'pending' ? 'TENTATIVE' : 'CONFIRMED',
      transparent: b.status === 'pending',
      categories: [fc.t(`category.${b.category}`)],
    };
  });
  events.push(...blocks.map((b) => blockEvent(fc, b, true)));
  return { name: fc.t('feed.calendar.staff', { house: fc.house.name }), zone: fc.house.zone, refreshMinutes: REFRESH_MINUTES, events: sortEvents(events) };
}

const GROUP_STATUS = { approved: 'CONFIRMED', pending: 'TENTATIVE', cancelled: 'CANCELLED', rejected: 'CANCELLED' } as const;

/**
 * One request's dates for the group: approved as CONFIRMED, pending as TENTATIVE, cancelled and rejected
 * as CANCELLED (so a client that had them removes them); skipped dates never existed and are left out.
 */
export function requestCalendar(
  fc: FeedContext,
  request: Pick<BookingRequest, 'reference' | 'title'>,
  bookings: DetailedBooking[],
  opts: { method?: 'PUBLISH' | 'CANCEL'; stamp?: number; organizer?: IcalEvent['organizer'] } = {},
): IcalCalendar {
  const phone = fc.house.contactPhone;
  const events: IcalEvent[] = bookings
    .filter((b) => b.status !== 'skipped')
    .map((b) => {
      const status = GROUP_STATUS[b.status as keyof typeof GROUP_STATUS];
      const lines = [`${fc.t('feed.field.reference')}: ${b.reference}`, `${fc.t('feed.field.status')}: ${fc.t(`bookingStatus.${b.status}`)}`];
      if (phone) lines.push(`${fc.t('feed.field.housePhone')}: ${phone}`);
      return {
        uid: bookingUid(b.id, fc.host),
        start: b.start,
        end: b.end,
        stamp: opts.stamp ?? Math.max(b.updatedAt, b.requestUpdatedAt),
        sequence: b.sequence + b.requestSequence,
        summary: request.title,
        description: lines.join('\n'),
        location: location(fc, b.roomId),
        status,
        transparent: status === 'CANCELLED',
        organizer: opts.organizer,
      };
    });
  return {
    name: fc.t('feed.calendar.request', { reference: request.reference, title: request.title }),
    zone: fc.house.zone,
    method: opts.method,
    refreshMinutes: opts.method ? undefined : REFRESH_MINUTES,
    events: sortEvents(events),
  };
}

function sortEvents(events: IcalEvent[]): IcalEvent[] {
  return events.sort((a, b) => a.start - b.start || a.end - b.end || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
}
