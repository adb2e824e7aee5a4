// Many candidates against many occupants (the caretaker inbox: every pending date against every approved
// booking, blocked time and other pending date of months): findClashes over the whole list per candidate is
// O(candidates × occupants). This index sorts the occupants per room by the start of the interval they
// occupy (bookings widened by their own room's buffers, as findClashes widens them) and hands findClashes only
// those that can reach the candidate, found by binary search. The decision itself stays findClashes's, on the
// same occupants in the same order, so the answers are exactly those of findClashes over the whole list.
import { relatedRooms, type PartLink, type RoomShape } from '../rooms/graph.js';
import { findClashes, widen, type Candidate, type Occupant } from './overlap.js';

interface Entry {
  /** Position in the list the index was built from (answers keep that order). */
  at: number;
  start: number;
  end: number;
}

interface RoomList {
  /** By occupied start. */
  entries: Entry[];
  /** The longest occupied interval in the list: nothing starting earlier than (from − this) reaches from. */
  longest: number;
}

export interface ClashIndex<T extends Occupant> {
  /** findClashes(candidate, occupants, rooms, links), answered from the index. */
  clashes(candidate: Candidate): T[];
}

/** The first position in `entries` whose start is ≥ `value`. */
function lowerBound(entries: readonly Entry[], value: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid]!.start < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function buildClashIndex<T extends Occupant>(occupants: readonly T[], rooms: ReadonlyMap<number, RoomShape>, links: readonly PartLink[]): ClashIndex<T> {
  // Key: the occupant's room id, or null for a whole-house block.
  const byRoom = new Map<number | null, RoomList>();
  occupants.forEach((o, at) => {
    const theirRoom = o.kind === 'booking' && o.roomId !== null ? rooms.get(o.roomId) : undefined;
    const occupied = theirRoom ? widen(o, theirRoom) : o;
    let list = byRoom.get(o.roomId);
    if (!list) byRoom.set(o.roomId, (list = { entries: [], longest: 0 }));
    list.entries.push({ at, start: occupied.start, end: occupied.end });
    list.longest = Math.max(list.longest, occupied.end - occupied.start);
  });
  for (const list of byRoom.values()) list.entries.sort((a, b) => a.start - b.start);
  const related = new Map<number, number[]>();

  return {
    clashes(candidate) {
      const room = rooms.get(candidate.roomId);
      if (!room) throw new Error(`unknown room ${candidate.roomId}`);
      const mine = widen(candidate, room);
      let keys = related.get(candidate.roomId);
      if (!keys) related.set(candidate.roomId, (keys = [...relatedRooms(candidate.roomId, links)]));
      const near: number[] = [];
      for (const key of [...keys, null]) {
        const list = byRoom.get(key);
        if (!list) continue;
        // Everything that starts before mine ends and ends after mine starts; the start bound narrows the scan.
        const end = lowerBound(list.entries, mine.end);
        for (let i = lowerBound(list.entries, mine.start - list.longest); i < end; i++) {
          const e = list.entries[i]!;
          if (e.end > mine.start) near.push(e.at);
        }
      }
      near.sort((a, b) => a - b);
      return findClashes(
        candidate,
        near.map((at) => occupants[at]!),
        rooms,
        links,
      );
    },
  };
}
