// The audit log's queries for its page: one filtered page of entries, and the choices of the filter.
import type { Conn } from '../db/database.js';
import { addDays, dayStart } from '../time/index.js';
import { AUDIT_AREAS, type AuditFilter } from './schema.js';

/** A request reference as the caretaker types it (HdB-2026-0023), any case. */
const REFERENCE_RE = /^[A-Za-z]{1,10}-\d{4}-\d{1,6}$/;

export const AUDIT_PAGE_SIZE = 50;

/** One page of entries matching the filter (newest first) and how many match in all; dates are local to `zone`. */
export async function queryAudit(db: Conn, f: AuditFilter, zone: string) {
  let q = db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    // What the entry is about, by name: the request's reference, the room's name, the block's label.
    .leftJoin('requests as rq', (j) => j.onRef('rq.id', '=', 'a.entity_id').on('a.entity', '=', 'request'))
    .leftJoin('rooms as rm', (j) => j.onRef('rm.id', '=', 'a.entity_id').on('a.entity', '=', 'room'))
    .leftJoin('blocked_times as bt', (j) => j.onRef('bt.id', '=', 'a.entity_id').on('a.entity', '=', 'blocked_time'));
  if (f.area) {
    const prefixes = AUDIT_AREAS[f.area];
    q = q.where((eb) => eb.or(prefixes.map((p) => eb('a.action', 'like', `${p}%`))));
  }
  if (f.q) {
    const term = f.q;
    if (REFERENCE_RE.test(term)) {
      // A reference finds its request's entries (LIKE: any case), and entries that name it in their details.
      q = q.where((eb) => eb.or([eb('rq.reference', 'like', term), eb('a.details', 'like', `%${term}%`)]));
    } else {
      const like = `%${term}%`;
      q = q.where((eb) => eb.or([eb('a.details', 'like', like), eb('rq.reference', 'like', like), eb('rm.name', 'like', like), eb('u.name', 'like', like)]));
    }
  }
  if (f.action) q = q.where('a.action', '=', f.action);
  if (f.user === 'system' || f.user === 'group') q = q.where('a.actor', '=', f.user);
  else if (f.user) q = q.where('a.user_id', '=', Number(f.user));
  if (f.entity) q = q.where('a.entity', '=', f.entity);
  if (f.entity_id) q = q.where('a.entity_id', '=', Number(f.entity_id));
  if (f.from) q = q.where('a.at', '>=', dayStart(f.from, zone));
  if (f.to) q = q.where('a.at', '<', dayStart(addDays(f.to, 1), zone));
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await q
    .select([
      'a.id',
      'a.at',
      'a.actor',
      'a.action',
      'a.entity',
      'a.entity_id',
      'a.details',
      'a.user_id',
      'u.name as user_name',
      'rq.reference as request_reference',
      'rm.name as room_name',
      'bt.label as block_label',
      'bt.reason as block_reason',
    ])
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
