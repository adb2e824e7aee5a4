// Changes to the list of regular groups, each in one transaction with its audit entry (old → new for a change).
import type { DB } from '../db/database.js';
import type { RegularGroup } from '../db/schema.js';
import { audit } from '../audit/log.js';
import { listRooms } from '../rooms/repository.js';
import { deleteRegularGroup, findByMatch, findRegularGroup, insertRegularGroup, updateRegularGroup } from './repository.js';
import { normaliseMatch } from './rules.js';
import type { RegularGroupInput } from './schema.js';

type Actor = { userId: number; now: number };

export type SaveResult =
  { ok: true; id: number } | { ok: false; field: 'match_value' | 'rooms'; key: 'regularGroups.error.duplicate' | 'regularGroups.error.rooms' };

/** The row's allowance fields as the audit log shows them. */
function auditFields(g: Pick<RegularGroup, 'match_kind' | 'label' | 'room_ids' | 'weekdays' | 'start_time' | 'end_time' | 'valid_until' | 'note'>) {
  return {
    matchKind: g.match_kind,
    label: g.label,
    roomIds: JSON.parse(g.room_ids) as number[],
    weekdays: g.weekdays,
    time: `${g.start_time}–${g.end_time}`,
    validUntil: g.valid_until,
    note: g.note,
  };
}

/** Creates (id undefined) or changes a regular group; one address or organisation is listed once. */
export async function saveRegularGroup(db: DB, input: RegularGroupInput, actor: Actor, id?: number): Promise<SaveResult> {
  return db.transaction().execute(async (trx): Promise<SaveResult> => {
    const value = normaliseMatch(input.match_value);
    const other = await findByMatch(trx, input.match_kind, value);
    if (other && other.id !== id) return { ok: false, field: 'match_value', key: 'regularGroups.error.duplicate' };
    const rooms = new Set((await listRooms(trx)).map((r) => r.id));
    if (input.rooms.some((r) => !rooms.has(r))) return { ok: false, field: 'rooms', key: 'regularGroups.error.rooms' };
    const row = {
      match_kind: input.match_kind,
      match_value: value,
      label: input.match_value.trim().replace(/\s+/g, ' '),
      room_ids: JSON.stringify([...input.rooms].sort((a, b) => a - b)),
      weekdays: input.weekdays.join(','),
      start_time: input.start_time,
      end_time: input.end_time,
      valid_until: input.valid_until || null,
      note: input.note,
      updated_at: actor.now,
    };
    if (id === undefined) {
      const newId = await insertRegularGroup(trx, { ...row, created_by: actor.userId, created_at: actor.now });
      await audit(trx, {
        at: actor.now,
        userId: actor.userId,
        actor: 'user',
        action: 'regular_group.created',
        entity: 'regular_group',
        entityId: newId,
        details: auditFields(row),
      });
      return { ok: true, id: newId };
    }
    const cur = await findRegularGroup(trx, id);
    if (!cur) return { ok: false, field: 'match_value', key: 'regularGroups.error.duplicate' };
    await updateRegularGroup(trx, id, row);
    const before = auditFields(cur);
    const after = auditFields(row);
    const changes = Object.fromEntries(
      (Object.keys(after) as (keyof typeof after)[])
        .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
        .map((k) => [k, { from: before[k], to: after[k] }]),
    );
    await audit(trx, {
      at: actor.now,
      userId: actor.userId,
      actor: 'user',
      action: 'regular_group.updated',
      entity: 'regular_group',
      entityId: id,
      details: { label: row.label, changes },
    });
    return { ok: true, id };
  });
}

/** Removes a regular group; requests it approved keep their label. False when it did not exist. */
export async function removeRegularGroup(db: DB, id: number, actor: Actor): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const cur = await findRegularGroup(trx, id);
    if (!cur) return false;
    await deleteRegularGroup(trx, id);
    await audit(trx, {
      at: actor.now,
      userId: actor.userId,
      actor: 'user',
      action: 'regular_group.deleted',
      entity: 'regular_group',
      entityId: id,
      details: auditFields(cur),
    });
    return true;
  });
}
