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
  // Each join matches at most one row (a primary key), so only a search (which looks into the joined names) needs
  // them for the count: without, counting 100,000 entries reads the index on `at` alone.
  const total = Number((await (f.q ? q : countBase(db, f, zone)).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
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

/** The filters that need no joined table (everything but the search), on the log alone: for the count. */
function countBase(db: Conn, f: AuditFilter, zone: string) {
  let q = db.selectFrom('audit_log as a');
  if (f.area) {
    const prefixes = AUDIT_AREAS[f.area];
    q = q.where((eb) => eb.or(prefixes.map((p) => eb('a.action', 'like', `${p}%`))));
  }
  if (f.action) q = q.where('a.action', '=', f.action);
  if (f.user === 'system' || f.user === 'group') q = q.where('a.actor', '=', f.user);
  else if (f.user) q = q.where('a.user_id', '=', Number(f.user));
  if (f.entity) q = q.where('a.entity', '=', f.entity);
  if (f.entity_id) q = q.where('a.entity_id', '=', Number(f.entity_id));
  if (f.from) q = q.where('a.at', '>=', dayStart(f.from, zone));
  if (f.to) q = q.where('a.at', '<', dayStart(addDays(f.to, 1), zone));
  return q;
}

export type AuditRow = Awaited<ReturnType<typeof queryAudit>>['rows'][number];

/** The actions and entities the log holds, and every account (also deactivated ones): the filter's choices. */
export async function auditFilterChoices(db: Conn) {
  const [actions, entities, users] = await Promise.all([
    loggedActions(db),
    db.selectFrom('audit_log').select('entity').distinct().orderBy('entity').execute(),
    db.selectFrom('users').select(['id', 'name', 'email']).orderBy('name').execute(),
  ]);
  return { actions, entities: entities.map((e) => e.entity), users };
}

/**
 * The actions the log holds, sorted. `action` has no index, and a DISTINCT over 100,000 entries on every view of
 * the page costs more than the page itself; so the list is kept per database and only the entries written since
 * (ids above the last one seen, a rowid range) are read again. When the oldest entries were removed (retention),
 * it is read anew; an action whose every entry went some other way stays in the list until then (its filter
 * then finds nothing), which is harmless.
 */
const actionCache = new WeakMap<object, { minId: number; maxId: number; actions: Set<string> }>();
async function loggedActions(db: Conn): Promise<string[]> {
  const ids = await db
    .selectFrom('audit_log')
    .select((eb) => [eb.fn.min<number | null>('id').as('minId'), eb.fn.max<number | null>('id').as('maxId')])
    .executeTakeFirstOrThrow();
  const minId = Number(ids.minId ?? 0);
  const maxId = Number(ids.maxId ?? 0);
  let cached = actionCache.get(db);
  if (!cached || cached.minId !== minId || maxId < cached.maxId) {
    cached = { minId, maxId: 0, actions: new Set() };
    actionCache.set(db, cached);
  }
  if (maxId > cached.maxId) {
    const fresh = await db.selectFrom('audit_log').select('action').distinct().where('id', '>', cached.maxId).where('id', '<=', maxId).execute();
    for (const a of fresh) cached.actions.add(a.action);
    cached.maxId = maxId;
  }
  return [...cached.actions].sort();
}
