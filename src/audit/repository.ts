// The audit log's queries for its page: one filtered page of entries, and the choices of the filter.
import type { Conn } from '../db/database.js';
import { addDays, dayStart } from '../time/index.js';
import type { AuditFilter } from './schema.js';

export const AUDIT_PAGE_SIZE = 50;

/** One page of entries matching the filter (newest first) and how many match in all; dates are local to `zone`. */
export async function queryAudit(db: Conn, f: AuditFilter, zone: string) {
  let q = db.selectFrom('audit_log as a').leftJoin('users as u', 'u.id', 'a.user_id');
  if (f.action) q = q.where('a.action', '=', f.action);
  if (f.user === 'system' || f.user === 'group') q = q.where('a.actor', '=', f.user);
  else if (f.user) q = q.where('a.user_id', '=', Number(f.user));
  if (f.entity) q = q.where('a.entity', '=', f.entity);
  if (f.entity_id) q = q.where('a.entity_id', '=', Number(f.entity_id));
  if (f.from) q = q.where('a.at', '>=', dayStart(f.from, zone));
  if (f.to) q = q.where('a.at', '<', dayStart(addDays(f.to, 1), zone));
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await q
    .select(['a.id', 'a.at', 'a.actor', 'a.action', 'a.entity', 'a.entity_id', 'a.details', 'a.user_id', 'u.name as user_name'])
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(AUDIT_PAGE_SIZE)
    .offset((f.page - 1) * AUDIT_PAGE_SIZE)
    .execute();
  return { total, rows };
}

export type AuditRow = Awaited<ReturnType<typeof queryAudit>>['rows'][number];

/** The actions and entities the log holds, and every account (also deactivated ones): the filter's choices. */
export async function auditFilterChoices(db: Conn) {
  const [actions, entities, users] = await Promise.all([
    db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute(),
    db.selectFrom('audit_log').select('entity').distinct().orderBy('entity').execute(),
    db.selectFrom('users').select(['id', 'name', 'email']).orderBy('name').execute(),
  ]);
  return { actions: actions.map((a) => a.action), entities: entities.map((e) => e.entity), users };
}
