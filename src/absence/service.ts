// Changes to absences and to the house's deputy and alternative contact, each in one transaction with its audit entry.
import type { DB } from '../db/database.js';
import { audit } from '../audit/log.js';
import { absenceSettings, activeStaff, setAbsence, setAbsenceSettings } from './repository.js';
import type { AbsenceInput, AbsenceSettingsInput } from './schema.js';

type Actor = { userId: number; now: number };

export type AbsenceResult = { ok: true } | { ok: false; field: 'user_id' | 'deputy'; key: 'absence.error.user' | 'absence.error.deputy' };

/** Marks an active account absent from–until (or present again with `null`); the log names old → new. */
export async function saveAbsence(db: DB, userId: number, input: Pick<AbsenceInput, 'from' | 'until' | 'public'> | null, actor: Actor): Promise<AbsenceResult> {
  return db.transaction().execute(async (trx): Promise<AbsenceResult> => {
    const cur = (await activeStaff(trx)).find((u) => u.id === userId);
    if (!cur) return { ok: false, field: 'user_id', key: 'absence.error.user' };
    const next = input ? { from: input.from, until: input.until, isPublic: input.public } : { from: null, until: null, isPublic: cur.absencePublic };
    await setAbsence(trx, userId, next, actor.now);
    await audit(trx, {
      at: actor.now,
      userId: actor.userId,
      actor: 'user',
      action: 'absence.updated',
      entity: 'user',
      entityId: userId,
      details: {
        from: { from: cur.absentFrom, to: next.from },
        until: { from: cur.absentUntil, to: next.until },
        public: { from: cur.absencePublic, to: next.isPublic },
      },
    });
    return { ok: true };
  });
}

/** Names the deputy (an active account, or none) and the public alternative contact. */
export async function saveAbsenceSettings(db: DB, input: AbsenceSettingsInput, actor: Actor): Promise<AbsenceResult> {
  return db.transaction().execute(async (trx): Promise<AbsenceResult> => {
    if (input.deputy !== null && !(await activeStaff(trx)).some((u) => u.id === input.deputy))
      return { ok: false, field: 'deputy', key: 'absence.error.deputy' };
    const cur = await absenceSettings(trx);
    const next = { deputyUserId: input.deputy, phone: input.contact_phone, email: input.contact_email, notice: input.notice };
    const changes = Object.fromEntries(
      (Object.keys(next) as (keyof typeof next)[]).filter((k) => cur[k] !== next[k]).map((k) => [k, { from: cur[k], to: next[k] }]),
    );
    if (!Object.keys(changes).length) return { ok: true };
    await setAbsenceSettings(trx, next, actor.now);
    await audit(trx, { at: actor.now, userId: actor.userId, actor: 'user', action: 'absence.settings', entity: 'settings', entityId: 1, details: changes });
    return { ok: true };
  });
}
