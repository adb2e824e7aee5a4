// Starts a real Raumbuch server process (as `npm start` would) on a free port with its own database file,
// for browser journeys, crash tests and benchmarks; stops it with SIGTERM, then SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const ADMIN_EMAIL = 'admin@example.org';
export const ADMIN_PASSWORD = 'admin-password-123';

export interface ServerOptions {
  /** Load the demo house into a new database (default true). */
  demo?: boolean;
  /** Use this database file (e.g. to restart on the same file); default: a new file in a temp folder. */
  databasePath?: string;
  /** Run the production build (dist/src/server.js) with NODE_ENV=production instead of src/ under tsx. */
  production?: boolean;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Node flags for the server process, e.g. ['--cpu-prof']. */
  nodeArgs?: string[];
  startTimeoutMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  databasePath: string;
  proc: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, then SIGKILL after a grace period; resolves when the process has ended. */
  stop(): Promise<void>;
  /** SIGKILL at once (a crash); resolves when the process has ended. */
  kill(): Promise<void>;
  /** Removes the temp folder of the database (only one this helper made). */
  cleanup(): void;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

/** A new temp folder for database files; remove it with cleanupDir. */
export function tempDir(prefix = 'raumbuch-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function exited(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((res) => proc.once('exit', () => res()));
}

export async function startServer(opts: ServerOptions = {}): Promise<RunningServer> {
  const ownDir = opts.databasePath ? undefined : tempDir();
  const databasePath = opts.databasePath ?? join(ownDir!, 'raumbuch.sqlite');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const entry = opts.production ? ['dist/src/server.js'] : ['--import', 'tsx', 'src/server.ts'];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    BASE_URL: url,
    DATABASE_PATH: databasePath,
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    DEMO: opts.demo === false ? '0' : '1',
    LOG_LEVEL: 'warn',
    NODE_ENV: opts.production ? 'production' : 'development',
    ...opts.env,
  };
  // Variables of the test runner must not change the server's behaviour.
  delete env.VITEST;
  delete env.VITEST_POOL_ID;
  delete env.VITEST_WORKER_ID;
  delete env.SMTP_URL;
  const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...entry], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d) => (out += String(d)));
  proc.stderr.on('data', (d) => (out += String(d)));

  const server: RunningServer = {
    url,
    port,
    databasePath,
    proc,
    output: () => out,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited(proc);
      clearTimeout(timer);
    },
    async kill() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGKILL');
      await exited(proc);
    },
    cleanup() {
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    },
  };

  const deadline = Date.now() + (opts.startTimeoutMs ?? 45_000);
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`server exited (${proc.exitCode ?? proc.signalCode}) before answering:\n${out}`);
    }
    try {
      const res = await fetch(`${url}/static/css/site.css`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) {
        await res.arrayBuffer();
        return server;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await server.kill();
  server.cleanup();
  throw new Error(`server did not answer within the start timeout:\n${out}`);
}

export function cleanupDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
