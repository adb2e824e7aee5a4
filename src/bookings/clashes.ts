// Rule 5 against the database: which approved bookings and blocked times (and, for the caretaker, which
// pending requests) a list of candidate bookings or blocked times would collide with. Reads with listOccupants
// and decides with the one overlap logic in overlap.ts; the database guard enforces the same rule on write.
// findClashesFor describes clashes safely for the public; findClashIdsFor names them by id for the caretaker
// side (src/bookings/occupancy-clashes.ts), which must never reach a public page.
import type { Conn } from '../db/database.js';
import type { BlockReason } from '../db/schema.js';
import { listOccupants, type BlockOccupant, type BookingOccupant, type CalendarOccupant } from './occupants.js';
import { loadRoomGraph } from '../rooms/repository.js';
import { localDate, localTime } from '../time/index.js';
import { findBlockClashes, findClashes, maxBufferMs, overlaps, widen, type BlockCandidate, type Candidate, type Interval } from './overlap.js';
import { relatedRooms, type PartLink, type RoomShape } from '../rooms/graph.js';

/** A clash as the public may see it: where and when, never whose. */
export interface PublicClash {
  kind: 'booking' | 'block';
  /** The room the clashing booking or block is in; null for a whole-house block. */
  roomId: number | null;
  roomName: string | null;
  /** The clashing interval itself (not widened), as instants and in local time. */
  start: number;
  end: number;
  startDate: string;
  startTime: string;
  endDate: string;
  endTime: string;
  /** For blocks: the reason, and the label only when the block is public. */
  reason: BlockReason | null;
  label: string | null;
  /** True when only the set-up/clean-up buffers make it a clash. */
  buffersOnly: boolean;
}

export interface CandidateClashes {
  candidate: Candidate;
  clashes: PublicClash[];
  /** Pending dates of other requests overlapping (widened like approved ones): ids only. */
  competing: { bookingId: number; requestId: number }[];
}

export interface ClashOptions {
  /** The house zone, for the local times in the descriptions. */
  zone: string;
  /** Also list competing pending dates (for the caretaker inbox). */
  includePending?: boolean;
  /** Ignore these bookings (e.g. the dates being approved or changed themselves). */
  excludeBookingIds?: number[];
  /** Ignore every date of this request (when editing it). */
  excludeRequestId?: number;
  /** Ignore this blocked time (when changing it). */
  excludeBlockId?: number;
}

/**
 * A candidate booking (widened by its room's buffers; clashes with approved bookings and blocked times) or a
 * candidate blocked time (kind 'block': not widened; clashes with approved bookings only; roomId null: the whole house).
 */
export type AnyCandidate = (Candidate & { kind?: 'booking' }) | (BlockCandidate & { kind: 'block' });

/** What a candidate clashes with, by id. Caretaker side only: ids lead to personal data, never render them publicly. */
export type ClashRef =
  | {
      kind: 'booking';
      bookingId: number;
      requestId: number;
      roomId: number;
      /** The booking itself (not widened). */
      start: number;
      end: number;
      /** The interval it occupies, widened by its room's buffers (as the database guard sees it). */
      occupied: Interval;
    }
  | {
      kind: 'block';
      blockId: number;
      /** null: a whole-house block. */
      roomId: number | null;
      start: number;
      end: number;
      occupied: Interval;
    };

export interface CandidateClashIds<C extends AnyCandidate = AnyCandidate> {
  candidate: C;
  clashes: ClashRef[];
}

export type ClashIdOptions = Omit<ClashOptions, 'zone' | 'includePending'>;

interface RoomGraph {
  rooms: Map<number, { name: string }>;
  shapes: Map<number, RoomShape>;
  links: PartLink[];
}

/** The occupants near the candidates, minus the excluded ones: firm (approved and blocks) and pending. */
async function loadOccupants(
  db: Conn,
  candidates: readonly AnyCandidate[],
  opts: ClashIdOptions & { includePending?: boolean },
): Promise<{ graph: RoomGraph; firm: CalendarOccupant[]; pending: BookingOccupant[] }> {
  const graph = await loadRoomGraph(db);
  const pad = maxBufferMs(graph.shapes.values());
  let from = Infinity;
  let to = -Infinity;
  let roomIds: Set<number> | null = new Set<number>();
  for (const c of candidates) {
    from = Math.min(from, c.start);
    to = Math.max(to, c.end);
    if (c.roomId === null) roomIds = null;
    else if (roomIds) for (const id of relatedRooms(c.roomId, graph.links)) roomIds.add(id);
  }
  // Both sides may be widened by up to the largest buffer.
  const occupants = await listOccupants(db, {
    from: from - 2 * pad,
    to: to + 2 * pad,
    roomIds: roomIds ? [...roomIds] : undefined,
    includePending: opts.includePending === true,
  });
  const excluded = new Set(opts.excludeBookingIds ?? []);
  const mine = (o: CalendarOccupant) =>
    o.kind === 'booking'
      ? excluded.has(o.id) || (opts.excludeRequestId !== undefined && o.requestId === opts.excludeRequestId)
      : opts.excludeBlockId !== undefined && o.id === opts.excludeBlockId;
  const relevant = occupants.filter((o) => !mine(o));
  const firm = relevant.filter((o) => o.kind === 'block' || o.status === 'approved');
  const pending = relevant.filter((o): o is BookingOccupant => o.kind === 'booking' && o.status === 'pending');
  return { graph, firm, pending };
}

/** The one decision: a blocked time with findBlockClashes, a booking with findClashes (overlap.ts). */
function clashing<T extends CalendarOccupant>(candidate: AnyCandidate, occupants: readonly T[], graph: RoomGraph): T[] {
  if (candidate.kind === 'block') return findBlockClashes(candidate, occupants, graph.shapes, graph.links);
  return findClashes(candidate, occupants, graph.shapes, graph.links);
}

/**
 * For each candidate {roomId, start, end}: the approved bookings and blocked times it clashes with in its
 * room, its parts and the wholes it is part of, buffers included (rule 5), described safely for the public;
 * with `includePending`, the competing pending dates too.
 */
export async function findClashesFor(db: Conn, candidates: readonly Candidate[], opts: ClashOptions): Promise<CandidateClashes[]> {
  if (!candidates.length) return [];
  const { graph, firm, pending } = await loadOccupants(db, candidates, opts);

  return candidates.map((candidate) => {
    const clashes = clashing(candidate, firm, graph).map((o): PublicClash => {
      const room = o.roomId === null ? undefined : graph.rooms.get(o.roomId);
      return {
        kind: o.kind,
        roomId: o.roomId,
        roomName: room?.name ?? null,
        start: o.start,
        end: o.end,
        startDate: localDate(o.start, opts.zone),
        startTime: localTime(o.start, opts.zone),
        endDate: localDate(o.end, opts.zone),
        endTime: localTime(o.end, opts.zone),
        reason: o.kind === 'block' ? o.reason : null,
        label: o.kind === 'block' && o.isPublic && o.label ? o.label : null,
        buffersOnly: !overlaps(candidate, o),
      };
    });
    const competing = opts.includePending ? clashing(candidate, pending, graph).map((o) => ({ bookingId: o.id, requestId: o.requestId })) : [];
    return { candidate, clashes, competing };
  });
}

/**
 * For each candidate booking or blocked time: the approved bookings and (for bookings) blocked times it
 * clashes with, by id, in the order the occupied intervals start. The same rule as findClashesFor, for the
 * caretaker side only. A booking candidate in a room that does not exist clashes with nothing.
 */
export async function findClashIdsFor<C extends AnyCandidate>(db: Conn, candidates: readonly C[], opts: ClashIdOptions = {}): Promise<CandidateClashIds<C>[]> {
  if (!candidates.length) return [];
  const { graph, firm } = await loadOccupants(db, candidates, opts);
  return candidates.map((candidate) => {
    if (candidate.kind !== 'block' && !graph.shapes.has(candidate.roomId)) return { candidate, clashes: [] };
    const clashes = clashing(candidate, firm, graph).map((o): ClashRef => {
      if (o.kind === 'block') return blockRef(o);
      const shape = graph.shapes.get(o.roomId);
      return {
        kind: 'booking',
        bookingId: o.id,
        requestId: o.requestId,
        roomId: o.roomId,
        start: o.start,
        end: o.end,
        occupied: shape ? widen(o, shape) : { start: o.start, end: o.end },
      };
    });
    clashes.sort((a, b) => a.occupied.start - b.occupied.start);
    return { candidate, clashes };
  });
}

function blockRef(o: BlockOccupant): ClashRef {
  return { kind: 'block', blockId: o.id, roomId: o.roomId, start: o.start, end: o.end, occupied: { start: o.start, end: o.end } };
}
