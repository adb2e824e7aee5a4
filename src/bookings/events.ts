// What the booking services tell the rest of the house (the mails to the group and the caretakers): the events
// and the notifier the services are handed. Bookings never import mail; mail reads bookings (see context.ts).
import type { Conn } from '../db/database.js';
import type { Clock } from '../time/index.js';

export type BookingEvent =
  /** A group sent a request: to the group (with the manage link) and to every active caretaker. */
  | { type: 'request.received'; requestId: number; manageToken: string }
  /** A group edited its pending request: to the group (and the caretakers). */
  | { type: 'request.updated'; requestId: number }
  /** Dates approved (all or some of a series): to the group, with the .ics attached. */
  | { type: 'bookings.approved'; requestId: number; bookingIds: number[]; message: string; skippedBookingIds?: number[] }
  /** Dates rejected: to the group, with the house's message. */
  | { type: 'bookings.rejected'; requestId: number; bookingIds: number[]; message: string }
  /** Dates cancelled by the group (manage link) or by the house: to the group; to caretakers when an approved date was cancelled by the group. */
  | { type: 'bookings.cancelled'; requestId: number; bookingIds: number[]; by: 'group' | 'house'; message?: string; wasApproved: boolean }
  /** The house changed an approved booking's time or room: to the group. */
  | { type: 'bookings.changed'; requestId: number; bookingIds: number[]; message?: string }
  /** The house offers another time or room (src/offers): to the group, one link per option (the token sealed in the outbox). */
  | { type: 'offer.sent'; requestId: number; offerId: number; token: string }
  /** The group accepted an offered option (its dates moved and approved): to the staff. */
  | { type: 'offer.accepted'; requestId: number; offerId: number };

/** Records an event's consequences (mails into the outbox) in the caller's transaction `db`. */
export type Notifier = (db: Conn, event: BookingEvent) => Promise<void>;

/** What a booking service needs besides the database: the time and where to tell what happened. */
export interface BookingDeps {
  clock: Clock;
  notify: Notifier;
}
