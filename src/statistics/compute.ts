// The usage statistics of a period (pure): one pass over the period's dates as SQL grouped them (repository.ts),
// one over the approved dates' times, the opening hours and blocked times day by day. How it counts (docs/staff.md, "Statistics"):
// - booked hours: approved dates, real elapsed time (a 19:00–21:00 date is 2 hours on a DST Sunday too), each
//   date once, in the room it was booked for; the house total counts every date once.
// - occupancy: per physical space (a room without parts, src/rooms/graph.ts): a date of a room made of parts
//   counts for each of its parts. Available = opening hours of the day (closed weekdays: none) minus blocked
//   times of that space or the whole house; occupied = the dates' time inside the opening hours.
// - hours of the day are local hours in the house zone (on the autumn DST Sunday the hour 02:00 is two hours long).
import { CATEGORIES, type Category } from '../constants.js';
import type { OpeningHours, SkipReason, Weekday } from '../db/schema.js';
import { roomSpaces, type PartLink } from '../rooms/graph.js';
import { IANAZone } from 'luxon';
import { addDays, daysBetween, dayStart, localToInstantLenient, minutesOf, weekday } from '../time/index.js';

const HOUR = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The dates of one request in one room with one status (and one cancelling side, skip reason or refusal text),
 * summed in SQL (repository.ts periodFigures).
 */
export interface DateGroup {
  requestId: number;
  roomId: number;
  status: 'pending' | 'approved' | 'rejected' | 'cancelled' | 'skipped';
  /** Of cancelled dates only. */
  cancelledBy: 'group' | 'house' | null;
  /** Of skipped dates only. */
  skipReason: SkipReason | null;
  /** Of refused dates only: the message the group got. */
  decisionMessage: string | null;
  category: Category;
  attendees: number;
  series: boolean;
  /** Who the group is, as a key only (organisation or e-mail, lower-cased; `anon:<request>` once anonymised). */
  group: string;
  source: 'public' | 'house';
  requestCreatedAt: number;
  /** The earliest decision among these dates (approved, refused or cancelled ones), if any. */
  firstDecidedAt: number | null;
  dates: number;
  /** Their summed length in milliseconds (real elapsed time). */
  ms: number;
  /** Of these dates: ended by `now`; of those, with reported numbers; not held; the number that came. */
  pastDates: number;
  reported: number;
  noShows: number;
  actual: number;
}

/** An approved date's room and time (for the occupancy). */
export interface ApprovedTime {
  roomId: number;
  localDate: string;
  startAt: number;
  endAt: number;
}

export interface StatInput {
  zone: string;
  from: string;
  to: string;
  now: number;
  rooms: readonly { id: number; name: string; active: boolean }[];
  links: readonly PartLink[];
  /** Rooms whose spaces the occupancy shows (all active rooms, or the filtered room). */
  occupancyRooms: readonly number[];
  openingHours: OpeningHours;
  blocks: readonly { roomId: number | null; startAt: number; endAt: number }[];
  groups: readonly DateGroup[];
  approved: readonly ApprovedTime[];
  rejectTemplates: readonly { label: string; body: string }[];
}

export interface Usage {
  available: number;
  occupied: number;
  /** occupied / available, 0..1; null when nothing was available. */
  rate: number | null;
}

export interface Quartiles {
  count: number;
  q1: number | null;
  median: number | null;
  q3: number | null;
}

export interface Statistics {
  rooms: { roomId: number; name: string; dates: number; hours: number }[];
  total: { dates: number; hours: number };
  spaces: ({ spaceId: number; name: string } & Usage)[];
  house: Usage;
  weekdays: ({ weekday: number } & Usage)[];
  hoursOfDay: ({ hour: number } & Usage)[];
  groups: number;
  requests: number;
  attendance: { expected: number; pastDates: number; reported: number; actual: number; noShows: number };
  categories: { category: Category; dates: number; hours: number; share: number | null }[];
  kinds: { series: { dates: number; hours: number }; single: { dates: number; hours: number } };
  cancellations: { group: number; house: number };
  refusals: { dates: number; requests: number; reasons: { reason: string | null; kind: 'template' | 'own' | 'none'; dates: number }[] };
  skipped: { reason: SkipReason; dates: number }[];
  leadTimeDays: Quartiles;
}

const usage = (available: number, occupied: number): Usage => ({ available, occupied, rate: available > 0 ? occupied / available : null });

/** Linear interpolation between closest ranks (the spreadsheet QUARTILE.INC). */
export function quantile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

interface DayFrame {
  date: string;
  weekday: number;
  start: number;
  end: number;
  /** Local hour h of the day: [hourStart[h], hourStart[h + 1]); 25 entries. */
  hourStart: number[];
  open: number;
  close: number;
}

function dayFrames(from: string, to: string, zone: string, hours: OpeningHours): DayFrame[] {
  return daysBetween(from, to).map((date) => {
    const start = dayStart(date, zone);
    const end = dayStart(addDays(date, 1), zone);
    // A day without a clock change has 24 equal hours from midnight; only the two DST days need the zone's rules.
    const plain = end - start === DAY_MS;
    const hourStart: number[] = [];
    for (let h = 0; h < 24; h++) hourStart.push(h === 0 ? start : plain ? start + h * HOUR : firstInstantOfHour(date, h, zone));
    hourStart.push(end);
    const wd = weekday(date);
    const oh = hours[String(wd) as Weekday];
    const at = (time: string) => (plain ? start + minutesOf(time) * 60_000 : localToInstantLenient(date, time, zone));
    const open = oh ? at(oh.open) : start;
    const close = oh ? (oh.close === '24:00' ? end : at(oh.close)) : start;
    return { date, weekday: wd, start, end, hourStart, open, close };
  });
}

export function computeStatistics(input: StatInput): Statistics {
  const spacesOf = roomSpaces(input.links);
  const roomName = new Map(input.rooms.map((r) => [r.id, r.name]));

  // The spaces the occupancy shows, and the share of each room's dates that falls on them.
  const spaceIds = new Set<number>();
  for (const r of input.occupancyRooms) for (const s of spacesOf(r)) spaceIds.add(s);
  const spaces = [...spaceIds].sort((a, b) => a - b);

  const frames = dayFrames(input.from, input.to, input.zone, input.openingHours);
  const frameIndex = new Map(frames.map((f, i) => [f.date, i]));

  // Available hours: each space, each local hour, inside the opening hours, minus blocked times.
  const availSpace = new Map(spaces.map((s) => [s, 0]));
  const availWeekday = new Array<number>(8).fill(0);
  const availHour = new Array<number>(24).fill(0);
  const occSpace = new Map(spaces.map((s) => [s, 0]));
  const occWeekday = new Array<number>(8).fill(0);
  const occHour = new Array<number>(24).fill(0);

  const blocksOf = (space: number, f: DayFrame) =>
    input.blocks.filter((b) => b.endAt > f.start && b.startAt < f.end && (b.roomId === null || spacesOf(b.roomId).has(space)));
  for (const f of frames) {
    if (f.close <= f.open) continue;
    for (const s of spaces) {
      const blocks = blocksOf(s, f);
      for (let h = 0; h < 24; h++) {
        const a0 = Math.max(f.hourStart[h]!, f.open);
        const a1 = Math.min(f.hourStart[h + 1]!, f.close);
        if (a1 <= a0) continue;
        let avail = a1 - a0;
        if (blocks.length) avail -= unionOverlap(blocks, a0, a1);
        availSpace.set(s, availSpace.get(s)! + avail);
        availWeekday[f.weekday]! += avail;
        availHour[h]! += avail;
      }
    }
  }

  const perRoom = new Map<number, { dates: number; hours: number }>();
  const perCategory = new Map<Category, { dates: number; hours: number }>(CATEGORIES.map((c) => [c, { dates: 0, hours: 0 }]));
  const kinds = { series: { dates: 0, hours: 0 }, single: { dates: 0, hours: 0 } };
  const groups = new Set<string>();
  const requests = new Set<number>();
  const attendance = { expected: 0, pastDates: 0, reported: 0, actual: 0, noShows: 0 };
  const cancellations = { group: 0, house: 0 };
  const rejectedRequests = new Set<number>();
  const reasonCount = new Map<string, { reason: string | null; kind: 'template' | 'own' | 'none'; dates: number }>();
  const skipped = new Map<SkipReason, number>();
  const templateByBody = new Map(input.rejectTemplates.map((t) => [t.body.trim(), t.label]));
  const firstDecision = new Map<number, { created: number; decided: number }>();
  let total = { dates: 0, hours: 0 };
  const shownSpaces = new Map<number, number[]>();

  for (const g of input.groups) {
    if (g.firstDecidedAt !== null && g.source === 'public' && (g.status === 'approved' || g.status === 'rejected' || g.status === 'cancelled')) {
      const known = firstDecision.get(g.requestId);
      if (!known || g.firstDecidedAt < known.decided) firstDecision.set(g.requestId, { created: g.requestCreatedAt, decided: g.firstDecidedAt });
    }
    if (g.status === 'cancelled') {
      if (g.cancelledBy === 'house') cancellations.house += g.dates;
      else cancellations.group += g.dates;
      continue;
    }
    if (g.status === 'skipped') {
      if (g.skipReason) skipped.set(g.skipReason, (skipped.get(g.skipReason) ?? 0) + g.dates);
      continue;
    }
    if (g.status === 'rejected') {
      rejectedRequests.add(g.requestId);
      const text = (g.decisionMessage ?? '').trim();
      const label = text ? (templateByBody.get(text) ?? null) : null;
      const key = !text ? 'none:' : label !== null ? `template:${label}` : 'own:';
      const row = reasonCount.get(key) ?? {
        reason: label,
        kind: !text ? ('none' as const) : label !== null ? ('template' as const) : ('own' as const),
        dates: 0,
      };
      row.dates += g.dates;
      reasonCount.set(key, row);
      continue;
    }
    if (g.status !== 'approved') continue;

    const hours = g.ms / HOUR;
    total = { dates: total.dates + g.dates, hours: total.hours + hours };
    const room = perRoom.get(g.roomId) ?? { dates: 0, hours: 0 };
    room.dates += g.dates;
    room.hours += hours;
    perRoom.set(g.roomId, room);
    const cat = perCategory.get(g.category);
    if (cat) {
      cat.dates += g.dates;
      cat.hours += hours;
    }
    const kind = g.series ? kinds.series : kinds.single;
    kind.dates += g.dates;
    kind.hours += hours;
    groups.add(g.group);
    requests.add(g.requestId);
    attendance.expected += g.attendees * g.dates;
    attendance.pastDates += g.pastDates;
    attendance.reported += g.reported;
    attendance.noShows += g.noShows;
    attendance.actual += g.actual;
  }

  for (const b of input.approved) {
    // Occupancy: the date's time inside the opening hours, for each of its spaces the page shows.
    let mine = shownSpaces.get(b.roomId);
    if (!mine) shownSpaces.set(b.roomId, (mine = [...spacesOf(b.roomId)].filter((s) => spaceIds.has(s))));
    if (!mine.length) continue;
    let i = frameIndex.get(b.localDate) ?? -1;
    if (i < 0) continue;
    for (; i < frames.length && frames[i]!.start < b.endAt; i++) {
      const f = frames[i]!;
      if (f.close <= f.open) continue;
      // On a day of 24 equal hours only the hours the date spans; on a DST day all of them.
      const plain = f.end - f.start === DAY_MS;
      const h0 = plain ? Math.max(0, Math.floor((b.startAt - f.start) / HOUR)) : 0;
      const h1 = plain ? Math.min(23, Math.floor((b.endAt - 1 - f.start) / HOUR)) : 23;
      for (let h = h0; h <= h1; h++) {
        const a0 = Math.max(f.hourStart[h]!, f.open, b.startAt);
        const a1 = Math.min(f.hourStart[h + 1]!, f.close, b.endAt);
        if (a1 <= a0) continue;
        const ms = a1 - a0;
        for (const s of mine) occSpace.set(s, occSpace.get(s)! + ms);
        occWeekday[f.weekday]! += ms * mine.length;
        occHour[h]! += ms * mine.length;
      }
    }
  }

  // A decision stamped before its request (imported or hand-made data) is no lead time.
  const leadTimes = [...firstDecision.values()]
    .filter((d) => d.decided >= d.created)
    .map((d) => (d.decided - d.created) / DAY_MS)
    .sort((a, b) => a - b);
  const availTotal = [...availSpace.values()].reduce((a, b) => a + b, 0);
  const occTotal = [...occSpace.values()].reduce((a, b) => a + b, 0);

  return {
    rooms: [...perRoom.entries()]
      .map(([roomId, v]) => ({ roomId, name: roomName.get(roomId) ?? String(roomId), ...v }))
      .sort((a, b) => b.hours - a.hours || a.name.localeCompare(b.name)),
    total,
    spaces: spaces.map((s) => ({ spaceId: s, name: roomName.get(s) ?? String(s), ...usage(availSpace.get(s)! / HOUR, occSpace.get(s)! / HOUR) })),
    house: usage(availTotal / HOUR, occTotal / HOUR),
    weekdays: [1, 2, 3, 4, 5, 6, 7].map((w) => ({ weekday: w, ...usage(availWeekday[w]! / HOUR, occWeekday[w]! / HOUR) })),
    hoursOfDay: availHour.map((a, h) => ({ hour: h, ...usage(a / HOUR, occHour[h]! / HOUR) })).filter((r) => r.available > 0 || r.occupied > 0),
    groups: groups.size,
    requests: requests.size,
    attendance,
    categories: CATEGORIES.map((c) => ({ category: c, ...perCategory.get(c)!, share: total.hours > 0 ? perCategory.get(c)!.hours / total.hours : null })),
    kinds,
    cancellations,
    refusals: {
      dates: [...reasonCount.values()].reduce((a, r) => a + r.dates, 0),
      requests: rejectedRequests.size,
      reasons: [...reasonCount.values()].sort((a, b) => b.dates - a.dates || a.kind.localeCompare(b.kind) || (a.reason ?? '').localeCompare(b.reason ?? '')),
    },
    skipped: (['holiday', 'closure', 'clash'] as const).map((reason) => ({ reason, dates: skipped.get(reason) ?? 0 })),
    leadTimeDays: { count: leadTimes.length, q1: quantile(leadTimes, 0.25), median: quantile(leadTimes, 0.5), q3: quantile(leadTimes, 0.75) },
  };
}

/**
 * When the local hour `h` of `date` begins: the first instant showing that wall time (the doubled autumn hour
 * begins at its first pass, so it lasts two hours); an hour skipped in spring begins where the next one does.
 */
function firstInstantOfHour(date: string, h: number, zone: string): number {
  const z = IANAZone.create(zone);
  const [y = NaN, mo = NaN, d = NaN] = date.split('-').map(Number);
  const wall = Date.UTC(y, mo - 1, d, h);
  const candidates = [z.offset(wall - 86_400_000), z.offset(wall), z.offset(wall + 86_400_000)]
    .map((o) => wall - o * 60_000)
    .filter((instant) => z.offset(instant) * 60_000 === wall - instant);
  return candidates.length ? Math.min(...candidates) : localToInstantLenient(date, `${String(h).padStart(2, '0')}:00`, zone);
}

/** Length of [a0, a1) covered by the union of the intervals. */
function unionOverlap(intervals: readonly { startAt: number; endAt: number }[], a0: number, a1: number): number {
  const parts = intervals
    .map((i) => [Math.max(i.startAt, a0), Math.min(i.endAt, a1)] as const)
    .filter(([s, e]) => e > s)
    .sort((x, y) => x[0] - y[0]);
  let covered = 0;
  let reach = a0;
  for (const [s, e] of parts) {
    if (e <= reach) continue;
    covered += e - Math.max(s, reach);
    reach = e;
  }
  return covered;
}
