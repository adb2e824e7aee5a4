// The blocked-times (closures) HTTP tests' setup: a fresh app per test, a caretaker logged in, forms posted
// with the blocks page's CSRF token, and a look at the stored blocks and a date's status.
import { afterEach, beforeEach } from 'vitest';
import type supertest from 'supertest';
import { makeTestApp, type TestApp } from './app.js';
import { loginAs, type LoggedIn } from './login.js';
import { localToInstant } from '../../src/time/index.js';

export interface BlocksDesk {
  readonly t: TestApp;
  readonly db: TestApp['ctx']['db'];
  /** The caretaker who works the blocks pages. */
  readonly staff: LoggedIn;
  /** Posts a form as the caretaker, with the CSRF token of /admin/blocks. */
  post(path: string, body: Record<string, string | string[]>): Promise<supertest.Response>;
  /** Every stored blocked time, oldest first. */
  blocks(): ReturnType<typeof selectBlocks>;
  /** A date's status and the message the group got with the decision. */
  statusOf(bookingId: number): Promise<{ status: string; decision_message: string | null }>;
}

const selectBlocks = (t: TestApp) => t.ctx.db.selectFrom('blocked_times').selectAll().orderBy('id').execute();

/** Registers the setup in the surrounding describe; the fields are there inside each test. */
export function useBlocksDesk(): BlocksDesk {
  let t: TestApp | undefined;
  let staff: LoggedIn | undefined;
  beforeEach(async () => {
    t = await makeTestApp();
    staff = await loginAs(t, 'caretaker');
  });
  afterEach(async () => {
    await t?.close();
    t = staff = undefined;
  });
  const app = () => t!;
  return {
    get t() {
      return app();
    },
    get db() {
      return app().ctx.db;
    },
    get staff() {
      return staff!;
    },
    post: async (path, body) =>
      staff!.agent
        .post(path)
        .type('form')
        .send({ _csrf: await staff!.csrf('/admin/blocks'), ...body }),
    blocks: () => selectBlocks(app()),
    statusOf: (bookingId) => app().ctx.db.selectFrom('bookings').select(['status', 'decision_message']).where('id', '=', bookingId).executeTakeFirstOrThrow(),
  };
}

/** A wall-clock time in the house's zone (Europe/Berlin) as the instant stored. */
export function at(date: string, time: string): number {
  const r = localToInstant(date, time, 'Europe/Berlin');
  if (!r.ok) throw new Error(`bad local time ${date} ${time}`);
  return r.instant;
}
