// Twenty people logging in at the same moment (issue 16: memory on a small box): every one of them is answered
// (logged in, or told the password is wrong), none is dropped, and no more Argon2 runs are under way at once
// than HASH_CONCURRENCY. The runs are counted at the argon2 library itself, not by the queue's own counter.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import supertest from 'supertest';
import { csrfFrom, makeTestApp, type TestApp } from '../helpers/app.js';
import { createUser } from '../../src/auth/users.js';
import { HASH_CONCURRENCY } from '../../src/auth/passwords.js';

const runs = vi.hoisted(() => ({ now: 0, most: 0 }));
vi.mock('argon2', async (importOriginal) => {
  const real = (await importOriginal<{ default: typeof import('argon2') }>()).default;
  const counted =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      runs.now++;
      runs.most = Math.max(runs.most, runs.now);
      try {
        return await fn(...args);
      } finally {
        runs.now--;
      }
    };
  const wrapped = { ...real, hash: counted(real.hash), verify: counted(real.verify) };
  return { ...wrapped, default: wrapped };
});

vi.setConfig({ testTimeout: 180_000 });

describe('twenty logins at once', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp({ config: { trustProxy: 1 } })));
  afterEach(() => t.close());

  it('answers every one, hashing at most HASH_CONCURRENCY passwords at a time', async () => {
    const people = [];
    for (let i = 0; i < 20; i++) {
      const email = `person-${i}@example.org`;
      const password = `das-passwort-von-${i}`;
      await createUser(t.ctx.db, { email, name: `Person ${i}`, role: 'caretaker', password }, t.clock().getTime());
      people.push({ email, password: i % 4 === 3 ? 'ein-falsches-passwort' : password });
    }
    const agents = await Promise.all(
      people.map(async (_, i) => {
        const agent = supertest.agent(t.app);
        const page = await agent.get('/login').set('X-Forwarded-For', `10.3.0.${i + 1}`);
        return { agent, token: csrfFrom(page.text) };
      }),
    );
    runs.most = 0;
    const answers = await Promise.all(
      people.map((p, i) =>
        agents[i]!.agent.post('/login')
          .set('X-Forwarded-For', `10.3.0.${i + 1}`)
          .type('form')
          .send({ _csrf: agents[i]!.token, email: p.email, password: p.password }),
      ),
    );
    const right = answers.filter((_, i) => i % 4 !== 3);
    const wrong = answers.filter((_, i) => i % 4 === 3);
    expect(right.map((r) => [r.status, r.headers.location])).toEqual(right.map(() => [303, '/admin']));
    expect(wrong.map((r) => r.status)).toEqual(wrong.map(() => 401));
    expect(runs.most).toBeGreaterThanOrEqual(1);
    expect(runs.most).toBeLessThanOrEqual(HASH_CONCURRENCY);
  });
});
