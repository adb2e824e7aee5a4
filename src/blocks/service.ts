// Blocked times (Sperrzeiten) for one room or the whole house. The house's own use comes first: a block over
// approved bookings is stored only together with cancelling them (each group gets a message), and together with
// rejecting the pending requests the caretaker ticked, all in one transaction: all of it is stored or none.
import type { DB } from '../db/database.js';
import { attempt } from '../db/attempt.js';
import type { BlockReason } from '../db/schema.js';
import { audit } from '../audit/log.js';
import type { BookingDeps } from '../bookings/events.js';
import { DomainError } from '../errors.js';
import { holidaysOfYear } from '../time/holidays.js';
import type { Lang } from '../i18n/index.js';
import { addDays, dayStart } from '../time/index.js';
import { findOccupancyClashes, type Clash } from '../bookings/occupancy-clashes.js';
import { cancelBookingsOfRequest } from '../bookings/changes.js';
import { findBlock } from './repository.js';
import { pendingInside, rejectPendingDatesIn } from './pending.js';

export interface BlockInput {
  roomId: number | null;
  start: number;
  end: number;
  reason: BlockReason;
  label: string;
  isPublic: boolean;
}

export interface SaveBlockInput extends BlockInput {
  /** Editing an existing block. */
  id?: number;
  /** The approved bookings the caretaker agreed to cancel (as listed to them), with the message to each group. */
  cancelBookingIds: number[];
  /** The pending dates inside the block the caretaker chose to reject (with the same message). */
  rejectBookingIds: number[];
  message: string;
  userId: number;
}

export type SaveBlockResult =
  | { ok: true; id: number; cancelled: number[]; rejected: number }
  /** Approved bookings in the way that the caretaker has not (yet) agreed to cancel. */
  | { ok: false; reason: 'inTheWay'; bookings: Clash[] }
  /** Dates chosen for rejection that are no longer pending inside the block (decided meanwhile): nothing stored. */
  | { ok: false; reason: 'pendingChanged'; bookingIds: number[] };

/** Creates or changes a block; approved bookings in the way are cancelled only when the caretaker listed them. */
export async function saveBlock(db: DB, deps: BookingDeps, input: SaveBlockInput): Promise<SaveBlockResult> {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock().getTime();
    if (input.id !== undefined && !(await findBlock(trx, input.id))) throw new DomainError('not_found');
    const inTheWay = (
      await findOccupancyClashes(trx, {
        roomId: input.roomId,
        start: input.start,
        end: input.end,
        kind: 'block',
      })
    ).filter((c) => c.kind === 'booking');
    const agreed = new Set(input.cancelBookingIds);
    if (inTheWay.some((c) => !agreed.has(c.bookingId!))) return { ok: false as const, reason: 'inTheWay' as const, bookings: inTheWay };
    const inside = new Set((await pendingInside(trx, input)).map((c) => c.bookingId!));
    const stale = input.rejectBookingIds.filter((id) => !inside.has(id));
    if (stale.length) return { ok: false as const, reason: 'pendingChanged' as const, bookingIds: stale };

    const cancelled: number[] = [];
    const byRequest = new Map<number, Clash[]>();
    for (const c of inTheWay) byRequest.set(c.requestId!, [...(byRequest.get(c.requestId!) ?? []), c]);
    for (const [requestId, clashes] of byRequest) {
      const req = await trx.selectFrom('requests').select(['email']).where('id', '=', requestId).executeTakeFirstOrThrow();
      const rows = await trx
        .selectFrom('bookings')
        .select(['id', 'status', 'local_date'])
        .where(
          'id',
          'in',
          clashes.map((c) => c.bookingId!),
        )
        .execute();
      cancelled.push(
        ...(await cancelBookingsOfRequest(trx, deps, {
          requestId,
          email: req.email,
          bookings: rows,
          message: input.message,
          userId: input.userId,
          now,
          reason: 'blocked_time',
        })),
      );
    }

    const values = {
      room_id: input.roomId,
      start_at: input.start,
      end_at: input.end,
      reason: input.reason,
      label: input.label,
      is_public: input.isPublic ? 1 : 0,
      updated_at: now,
    };
    const tried = await attempt(trx, async (t) => {
      if (input.id === undefined) {
        const row = await t
          .insertInto('blocked_times')
          .values({ ...values, created_by: input.userId, created_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        return row.id;
      }
      await t.updateTable('blocked_times').set(values).where('id', '=', input.id).execute();
      return input.id;
    });
    // Cannot happen under the write lock after the check above; if it does, nothing is stored.
    if (!tried.ok) throw new DomainError('conflict');
    const id = tried.value;
    const { rejected, notPending } = await rejectPendingDatesIn(trx, deps, {
      bookingIds: input.rejectBookingIds,
      message: input.message,
      userId: input.userId,
    });
    // Checked above under the same write lock; if a date was decided all the same, the block is not stored either.
    if (notPending.length) throw new DomainError('conflict');
    await audit(trx, {
      at: now,
      userId: input.userId,
      actor: 'user',
      action: input.id === undefined ? 'block.created' : 'block.updated',
      entity: 'blocked_time',
      entityId: id,
      details: {
        roomId: input.roomId,
        start: input.start,
        end: input.end,
        reason: input.reason,
        label: input.label,
        isPublic: input.isPublic,
        cancelledBookingIds: cancelled,
      },
    });
    return { ok: true as const, id, cancelled, rejected };
  });
}

export async function deleteBlock(db: DB, now: number, id: number, userId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const block = await findBlock(trx, id);
    if (!block) throw new DomainError('not_found');
    await trx.deleteFrom('blocked_times').where('id', '=', id).execute();
    await audit(trx, {
      at: now,
      userId,
      actor: 'user',
      action: 'block.deleted',
      entity: 'blocked_time',
      entityId: id,
      details: { roomId: block.room_id, start: block.start_at, end: block.end_at, reason: block.reason, label: block.label },
    });
  });
}

export interface HolidayImportResult {
  imported: { date: string; name: string }[];
  /** Already a whole-house holiday block on that day. */
  existing: { date: string; name: string }[];
  /** Not imported: approved bookings on that day (listed; cancel them or block the day by hand). */
  withBookings: { date: string; name: string; bookings: Clash[] }[];
}

/** Imports the state's public holidays of a year as whole-house closures (whole local days), in one transaction. */
export async function importHolidays(
  db: DB,
  opts: { state: string; year: number; zone: string; lang: Lang; now: number; userId: number },
): Promise<HolidayImportResult> {
  return db.transaction().execute(async (trx) => {
    const result: HolidayImportResult = { imported: [], existing: [], withBookings: [] };
    for (const h of holidaysOfYear(opts.state, opts.year, opts.lang)) {
      const start = dayStart(h.date, opts.zone);
      const end = dayStart(addDays(h.date, 1), opts.zone);
      const exists = await trx
        .selectFrom('blocked_times')
        .select('id')
        .where('room_id', 'is', null)
        .where('reason', '=', 'holiday')
        .where('start_at', '<=', start)
        .where('end_at', '>=', end)
        .executeTakeFirst();
      if (exists) {
        result.existing.push(h);
        continue;
      }
      const bookings = await findOccupancyClashes(trx, { roomId: null, start, end, kind: 'block' });
      if (bookings.length) {
        result.withBookings.push({ ...h, bookings });
        continue;
      }
      await trx
        .insertInto('blocked_times')
        .values({
          room_id: null,
          start_at: start,
          end_at: end,
          reason: 'holiday',
          label: h.name,
          is_public: 1,
          created_by: opts.userId,
          created_at: opts.now,
          updated_at: opts.now,
        })
        .execute();
      result.imported.push(h);
    }
    await audit(trx, {
      at: opts.now,
      userId: opts.userId,
      actor: 'user',
      action: 'blocks.holidays_imported',
      entity: 'blocked_time',
      entityId: null,
      details: {
        state: opts.state,
        year: opts.year,
        imported: result.imported.map((h) => h.date),
        skippedExisting: result.existing.map((h) => h.date),
        skippedWithBookings: result.withBookings.map((h) => h.date),
      },
    });
    return result;
  });
}
