// A separate Node process that opens the database file and approves one request (used by approve-processes.test.ts).
// argv: <database file> <request id> <user id> <start at (epoch ms): wait until then so the processes race>
import { testConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { approveDates } from '../../src/bookings/decisions.js';

const [file, requestId, userId, startAt] = process.argv.slice(2);
const ctx = createContext(testConfig({ databasePath: file }));
const wait = Number(startAt) - Date.now();
if (wait > 0) await new Promise((r) => setTimeout(r, wait));
try {
  const result = await approveDates(
    ctx.db,
    { clock: ctx.clock, notify: ctx.notify },
    {
      requestId: Number(requestId),
      bookingIds: [],
      message: 'ok',
      userId: Number(userId),
    },
  );
  process.stdout.write(
    JSON.stringify({
      approved: result.approved.length,
      refused: result.refused.map((r) => r.clashes.map((c) => c.reference)),
    }),
  );
} finally {
  await ctx.destroy();
}
