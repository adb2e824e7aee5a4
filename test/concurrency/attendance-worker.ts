// A separate Node process that opens the database file and runs one pass of the attendance mails (used by
// attendance-processes.test.ts). argv: <database file> <now (ISO instant)> <start at (epoch ms): wait until then>
import { testConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { sendAttendanceMails } from '../../src/attendance/service.js';

const [file, now, startAt] = process.argv.slice(2);
const fixed = new Date(now!);
const ctx = createContext(testConfig({ databasePath: file }), { clock: () => fixed });
const wait = Number(startAt) - Date.now();
if (wait > 0) await new Promise((r) => setTimeout(r, wait));
try {
  const sent = await sendAttendanceMails(ctx.db, { baseUrl: ctx.config.baseUrl, clock: ctx.clock, mailKey: ctx.mailKey });
  process.stdout.write(JSON.stringify({ sent }));
} finally {
  await ctx.destroy();
}
