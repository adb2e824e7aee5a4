// Which SQL a page runs and how SQLite plans it: the app is built in-process on a benchmark database,
// every statement it prepares is recorded, and EXPLAIN QUERY PLAN is run for each with its real parameters.
import supertest from 'supertest';
import type BetterSqlite3 from 'better-sqlite3';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { createApp } from '../src/app.js';
import { sqliteHandleForTests } from '../src/db/database.js';

/** Small tables that may be scanned whole (a handful of rows by nature). */
const SMALL = new Set(['settings', 'rooms', 'room_parts', 'document_versions', 'message_templates', 'kysely_migration', 'kysely_migration_lock', 'users']);

export interface PlannedQuery {
  sql: string;
  plan: string[];
  /** Plan lines that scan a large table without an index. */
  fullScans: string[];
}

export interface PagePlan {
  url: string;
  status: number;
  queries: PlannedQuery[];
}

export async function explainPages(databasePath: string, urls: string[]): Promise<PagePlan[]> {
  const ctx = createContext(loadConfig({ DATABASE_PATH: databasePath, DEMO: '0', LOG_LEVEL: 'silent' }));
  const raw = sqliteHandleForTests(ctx);
  const seen = new Map<string, unknown[]>();
  const prepare = raw.prepare.bind(raw) as (s: string) => BetterSqlite3.Statement;
  (raw as { prepare: (s: string) => BetterSqlite3.Statement }).prepare = (sqlText: string) => {
    const stmt = prepare(sqlText);
    for (const m of ['all', 'get', 'run', 'iterate'] as const) {
      const fn = (stmt[m] as (...a: unknown[]) => unknown).bind(stmt);
      (stmt as unknown as Record<string, unknown>)[m] = (...params: unknown[]) => {
        seen.set(sqlText, params);
        return fn(...params);
      };
    }
    return stmt;
  };
  try {
    const app = createApp(ctx, { sessionSecret: 'x'.repeat(40) });
    const out: PagePlan[] = [];
    for (const url of urls) {
      seen.clear();
      const res = await supertest(app).get(url);
      const queries: PlannedQuery[] = [];
      for (const [sqlText, params] of seen) {
        if (!/^\s*select/i.test(sqlText)) continue;
        const rows = prepare(`EXPLAIN QUERY PLAN ${sqlText}`).all(...params) as { detail: string }[];
        const plan = rows.map((r) => r.detail);
        const fullScans = plan.filter((l) => {
          const m = l.match(/^SCAN (\w+)(?: AS \w+)?(.*)$/);
          return m && !SMALL.has(m[1] ?? '') && !/USING (COVERING )?INDEX/.test(m[2] ?? '');
        });
        queries.push({ sql: sqlText, plan, fullScans });
      }
      out.push({ url, status: res.status, queries });
    }
    return out;
  } finally {
    await ctx.destroy();
  }
}
