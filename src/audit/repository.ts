// The audit log's queries for its page: one filtered page of entries, and the choices of the filter.
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Conn } from '../db/database.js';
import { addDays, dayStart } from '../time/index.js';
import { AUDIT_AREAS, type AuditArea, type AuditFilter } from './schema.js';

/** A request reference as the caretaker types it (HdB-2026-0023), any case. */
const REFERENCE_RE = /^[A-Za-z]{1,10}-\d{4}-\d{1,6}$/;

export const AUDIT_PAGE_SIZE = 50;

/** An area whose entries are at least 1 in DENSE_SHARE of the log is read along the dates (see queryAudit). */
const DENSE_SHARE = 20;

/**
 * The entries of an area: actions starting with one of its prefixes, as ranges (`action >= 'request.' AND action <
 * 'request/'`), which the index on action can search; LIKE cannot (it ignores case, the index does not). Action
 * codes are lower case, so both find the same entries.
 */
function areaCondition(area: AuditArea, action: RawBuilder<unknown>): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.join(
    AUDIT_AREAS[area].map((p) => sql`(${action} >= ${p} and ${action} < ${prefixEnd(p)})`),
    sql` or `,
  )})`;
}

/** The smallest string after every string that starts with `prefix`. */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** About how many entries the log holds (ids are handed out in order; retention removes the oldest). */
async function approximateLogSize(db: Conn): Promise<number> {
  const { minId, maxId } = await idRange(db);
  return maxId - minId + 1;
}

/** One page of entries matching the filter (newest first) and how many match in all; dates are local to `zone`. */
export async function queryAudit(db: Conn, f: AuditFilter, zone: string) {
  // Each join matches at most one row (a primary key), so only a search (which looks into the joined names) needs
  // them for the count: without, the count reads one index of the log alone (migration 019: one per filter).
  const [total, logSize] = await Promise.all([f.q ? null : countOf(countBase(db, f, zone)), f.area ? approximateLogSize(db) : 0]);
  let q = db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    // What the entry is about, by name: the request's reference, the room's name, the block's label.
    .leftJoin('requests as rq', (j) => j.onRef('rq.id', '=', 'a.entity_id').on('a.entity', '=', 'request'))
    .leftJoin('rooms as rm', (j) => j.onRef('rm.id', '=', 'a.entity_id').on('a.entity', '=', 'room'))
    .leftJoin('blocked_times as bt', (j) => j.onRef('bt.id', '=', 'a.entity_id').on('a.entity', '=', 'blocked_time'));
  if (f.area) {
    // Dense areas (most of the log, e.g. the requests) are found fastest by reading the log newest first and
    // skipping the rest; a rare area by its actions' index (and sorting the few found). `+a.action` keeps SQLite
    // from choosing the index where walking the dates is cheaper.
    const dense = total === null || total * DENSE_SHARE >= logSize;
    q = q.where(areaCondition(f.area, dense ? sql`+${sql.ref('a.action')}` : sql.ref('a.action')));
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
  const matching = total ?? (await countOf(q));
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
  return { total: matching, rows };
}

/** How many entries a filtered query matches. */
async function countOf(q: ReturnType<typeof countBase>): Promise<number> {
  return Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

/** The filters that need no joined table (everything but the search), on the log alone: for the count. */
function countBase(db: Conn, f: AuditFilter, zone: string) {
  let q = db.selectFrom('audit_log as a');
  if (f.area) q = q.where(areaCondition(f.area, sql.ref('a.action')));
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
  const [logged, users] = await Promise.all([loggedCodes(db), db.selectFrom('users').select(['id', 'name', 'email']).orderBy('name').execute()]);
  return { ...logged, users };
}

/**
 * The lowest and highest id of the log. Two subqueries, since SQLite answers a lone min() or max() of the rowid
 * from the b-tree's ends, but both in one select by reading every entry.
 */
async function idRange(db: Conn): Promise<{ minId: number; maxId: number }> {
  const ids = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('audit_log')
        .select((e) => e.fn.min<number | null>('id').as('v'))
        .as('minId'),
      eb
        .selectFrom('audit_log')
        .select((e) => e.fn.max<number | null>('id').as('v'))
        .as('maxId'),
    ])
    .executeTakeFirstOrThrow();
  return { minId: Number(ids.minId ?? 0), maxId: Number(ids.maxId ?? 0) };
}

/**
 * The actions and entities the log holds, sorted. A DISTINCT over 100,000 entries on every view of the page costs
 * more than the page itself; so both lists are kept per database and only the entries written since (ids above
 * the last one seen, a rowid range) are read again. When the oldest entries were removed (retention), they are
 * read anew; a code whose every entry went some other way stays in the list until then (its filter then finds
 * nothing), which is harmless.
 */
const codeCache = new WeakMap<object, { minId: number; maxId: number; actions: Set<string>; entities: Set<string> }>();
async function loggedCodes(db: Conn): Promise<{ actions: string[]; entities: string[] }> {
  const { minId, maxId } = await idRange(db);
  let cached = codeCache.get(db);
  if (!cached || cached.minId !== minId || maxId < cached.maxId) {
    cached = { minId, maxId: 0, actions: new Set(), entities: new Set() };
    codeCache.set(db, cached);
  }
  if (maxId > cached.maxId) {
    const fresh = await db.selectFrom('audit_log').select(['action', 'entity']).distinct().where('id', '>', cached.maxId).where('id', '<=', maxId).execute();
    for (const a of fresh) {
      cached.actions.add(a.action);
      cached.entities.add(a.entity);
    }
    cached.maxId = maxId;
  }
  return { actions: [...cached.actions].sort(), entities: [...cached.entities].sort() };
}
