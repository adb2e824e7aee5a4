// A separate process for the concurrency test: opens the shared database file, waits for "go" on stdin,
// then tries to approve its share of the competing requests at once and prints what happened as JSON.
import { loadConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { approveDates } from '../../src/bookings/decisions.js';

const [databasePath, idsJson, userId] = process.argv.slice(2);
const ids = JSON.parse(idsJson!) as number[];
const ctx = createContext(loadConfig({ DATABASE_PATH: databasePath, DEMO: '0', LOG_LEVEL: 'silent' }));
const deps = { clock: () => new Date(), notify: ctx.notify };

process.stdout.write('ready\n');
// The listener ignores what it returns: the run goes on in its own promise, which ends the process itself.
process.stdin.once(
  'data',
  () =>
    void (async () => {
      const results = await Promise.all(
        ids.map(async (requestId) => {
          try {
            const r = await approveDates(ctx.db, deps, { requestId, bookingIds: [], message: 'Zusage', userId: Number(userId) });
            return {
              requestId,
              approved: r.approved.length,
              refused: r.refused.length,
              notPending: r.notPending.length,
              clashesWith: r.refused.flatMap((x) => x.clashes.map((c) => c.requestId)),
            };
          } catch (e) {
            return { requestId, error: e instanceof Error ? e.message : String(e) };
          }
        }),
      );
      await ctx.destroy();
      process.stdout.write(`${JSON.stringify(results)}\n`);
      process.exit(0);
    })(),
);
