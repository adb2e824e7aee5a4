// Queries for blocked times (Sperrzeiten): the upcoming ones for the list, one for editing.
import type { Conn } from '../db/database.js';
import type { BlockedTime } from '../db/schema.js';

export async function listUpcomingBlocks(db: Conn, now: number): Promise<(BlockedTime & { roomName: string | null })[]> {
  return db
    .selectFrom('blocked_times as t')
    .leftJoin('rooms as r', 'r.id', 't.room_id')
    .selectAll('t')
    .select('r.name as roomName')
    .where('t.end_at', '>', now)
    .orderBy('t.start_at')
    .execute();
}

export async function findBlock(db: Conn, id: number): Promise<BlockedTime | undefined> {
  return db.selectFrom('blocked_times').selectAll().where('id', '=', id).executeTakeFirst();
}
