// loginAs(t, role): a new account of that role, logged in through the real login form; csrf() reads a page's token.
import supertest from 'supertest';
import type { Role, User } from '../../src/db/schema.js';
import { createUser, findUserById } from '../../src/auth/users.js';
import { csrfFrom, type TestApp } from './app.js';

export interface LoginOptions {
  email?: string;
  name?: string;
  password?: string;
  /** The account must change its password first (all /admin GETs redirect to /admin/password). */
  mustChangePassword?: boolean;
}

export interface LoggedIn {
  agent: ReturnType<typeof supertest.agent>;
  user: User;
  password: string;
  /** Fetches a page (default /admin/password, which every account may open) and returns its CSRF token. */
  csrf: (path?: string) => Promise<string>;
  /** Posts a form to `path` with the CSRF token of the page `from` (where the form is shown). */
  post: (path: string, from: string, body: Record<string, string | string[]>) => Promise<supertest.Response>;
}

let n = 0;

export async function loginAs(t: TestApp, role: Role, opts: LoginOptions = {}): Promise<LoggedIn> {
  const k = ++n;
  const email = opts.email ?? `${role}-${k}@example.org`;
  const password = opts.password ?? `password-${role}-${k}-long`;
  const id = await createUser(
    t.ctx.db,
    { email, name: opts.name ?? `${role === 'admin' ? 'Admin' : 'Hausverwaltung'} ${k}`, role, password, mustChangePassword: opts.mustChangePassword },
    t.clock().getTime(),
  );
  const agent = supertest.agent(t.app);
  const page = await agent.get('/login');
  const res = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), email, password });
  if (res.status !== 303) throw new Error(`login as ${role} failed: ${res.status}`);
  const user = (await findUserById(t.ctx.db, id))!;
  const csrf = async (path = '/admin/password') => {
    const p = await agent.get(path);
    if (p.status !== 200) throw new Error(`GET ${path} for a CSRF token answered ${p.status}`);
    return csrfFrom(p.text);
  };
  return {
    agent,
    user,
    password,
    csrf,
    post: async (path, from, body) =>
      agent
        .post(path)
        .type('form')
        .send({ _csrf: await csrf(from), ...body }),
  };
}
