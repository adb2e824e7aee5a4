// The usage statistics of a period: a few queries (the period's dates grouped in SQL, the approved dates' times,
// blocked times, rooms, templates) and one pure pass (compute.ts); and staff entering the attendance of an
// approved date that has ended.
import type { Conn } from '../db/database.js';
import type { OpeningHours } from '../db/schema.js';
import { relatedRooms } from '../rooms/graph.js';
import { loadRoomGraph } from '../rooms/repository.js';
import { addDays, dayStart } from '../time/index.js';
import { audit } from '../audit/log.js';
import { computeStatistics, type Statistics } from './compute.js';
import {
  approvedTimes,
  attendanceDates,
  blocksBetween,
  clearAttendance,
  findDateForAttendance,
  periodFigures,
  rejectTemplates,
  saveAttendance,
  type BookingFilter,
} from './repository.js';
import type { StatParams } from './schema.js';

export interface StatRoom {
  id: number;
  name: string;
  active: boolean;
}

export interface StatisticsResult {
  stats: Statistics;
  rooms: StatRoom[];
  /** The filtered room, when one is chosen and exists. */
  room: StatRoom | null;
}

function roomList(graph: Awaited<ReturnType<typeof loadRoomGraph>>): StatRoom[] {
  return [...graph.rooms.values()]
    .sort((a, b) => a.sort_order - b.sort_order || a.name.localeCompare(b.name))
    .map((r) => ({ id: r.id, name: r.name, active: r.active === 1 }));
}

/** The rooms for the filter. */
export async function statisticsRooms(db: Conn): Promise<StatRoom[]> {
  return roomList(await loadRoomGraph(db));
}

async function filterOf(db: Conn, p: StatParams, zone: string) {
  const graph = await loadRoomGraph(db);
  const rooms = roomList(graph);
  const room = p.roomId !== null ? (rooms.find((r) => r.id === p.roomId) ?? null) : null;
  // A room filter takes the dates of every room sharing space with it (its parts, the wholes it is part of):
  // they are what occupies the room; the occupancy then shows this room's spaces only.
  const roomIds = p.roomId === null ? null : room ? [...relatedRooms(room.id, graph.links)] : [];
  const filter: BookingFilter = {
    start: dayStart(p.from, zone),
    end: dayStart(addDays(p.to, 1), zone),
    roomIds,
    category: p.category,
    group: p.group,
  };
  return { graph, rooms, room, filter };
}

export async function statisticsFor(db: Conn, p: StatParams, house: { zone: string; openingHours: OpeningHours }, now: number): Promise<StatisticsResult> {
  const { graph, rooms, room, filter } = await filterOf(db, p, house.zone);
  const [groups, approved, blocks, templates] = await Promise.all([
    periodFigures(db, filter, now),
    approvedTimes(db, filter),
    blocksBetween(db, filter.start, filter.end),
    rejectTemplates(db),
  ]);
  const stats = computeStatistics({
    zone: house.zone,
    from: p.from,
    to: p.to,
    now,
    rooms,
    links: graph.links,
    occupancyRooms: p.roomId === null ? rooms.filter((r) => r.active).map((r) => r.id) : room ? [room.id] : [],
    openingHours: house.openingHours,
    blocks,
    groups,
    approved,
    rejectTemplates: templates,
  });
  return { stats, rooms, room };
}

/** How many approved, ended dates the attendance page lists at most (narrow the period for more). */
export const ATTENDANCE_PAGE_LIMIT = 100;

export async function attendanceList(db: Conn, p: StatParams, zone: string, now: number) {
  const { rooms, room, filter } = await filterOf(db, p, zone);
  const { rows, total } = await attendanceDates(db, { ...filter, before: now, limit: ATTENDANCE_PAGE_LIMIT });
  return { rows, total, rooms, room };
}

export type AttendanceResult = { ok: true } | { ok: false; code: 'notFound' | 'notApproved' | 'notEnded' };

/** Staff enter (or correct, or clear) the attendance of an approved date that has ended. */
export async function recordAttendance(
  db: Conn,
  bookingId: number,
  input: { tookPlace: boolean; attended: number | null },
  actor: { userId: number; now: number },
): Promise<AttendanceResult> {
  return db.transaction().execute(async (trx) => {
    const b = await findDateForAttendance(trx, bookingId);
    if (!b) return { ok: false, code: 'notFound' } as const;
    if (b.status !== 'approved') return { ok: false, code: 'notApproved' } as const;
    if (b.end_at > actor.now) return { ok: false, code: 'notEnded' } as const;
    const clear = input.tookPlace && input.attended === null;
    if (clear) await clearAttendance(trx, bookingId);
    else await saveAttendance(trx, { bookingId, ...input, at: actor.now });
    await audit(trx, {
      at: actor.now,
      userId: actor.userId,
      actor: 'user',
      action: clear ? 'attendance.cleared' : 'attendance.reported',
      entity: 'booking',
      entityId: bookingId,
      details: clear ? {} : { tookPlace: input.tookPlace, attended: input.tookPlace ? input.attended : null },
    });
    return { ok: true } as const;
  });
}
