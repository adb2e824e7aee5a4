// A separate Node process with its own app on a shared database file, firing wrong passwords in parallel at
// one account (used by login-processes.test.ts). Prints how many were checked (401) and refused (429).
// argv: <database file> <attempts> <start at (epoch ms): wait until then so the processes race>
import supertest from 'supertest';
import { testConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { bootstrap } from '../../src/bootstrap.js';
import { createApp } from '../../src/app.js';

const [file, attempts, startAt] = process.argv.slice(2);
const ctx = createContext(testConfig({ databasePath: file, trustProxy: 1 }));
try {
  const boot = await bootstrap(ctx);
  const agent = supertest.agent(createApp(ctx, { sessionSecret: boot.sessionSecret }));
  const page = await agent.get('/login');
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  const wait = Number(startAt) - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const statuses = await Promise.all(
    Array.from({ length: Number(attempts) }, () =>
      agent
        .post('/login')
        .set('X-Forwarded-For', '198.51.100.7')
        .type('form')
        .send({ _csrf: token, email: 'admin@example.org', password: 'wrong-password' })
        .then((r) => r.status),
    ),
  );
  process.stdout.write(
    JSON.stringify({
      checked: statuses.filter((s) => s === 401).length,
      refused: statuses.filter((s) => s === 429).length,
      other: statuses.filter((s) => s !== 401 && s !== 429),
    }),
  );
} finally {
  await ctx.destroy();
}
