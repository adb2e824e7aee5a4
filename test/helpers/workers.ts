// Runs a TypeScript worker script (under tsx) as its own process and collects what it printed: for the tests
// that prove a rule holds across several processes on one database file.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');

export interface WorkerExit {
  code: number | null;
  out: string;
  err: string;
}

/** Runs `test/<script>` with the arguments; resolves when the process has ended. */
export function runWorker(script: string, args: string[]): Promise<WorkerExit> {
  return new Promise((resolve) => {
    const child = spawn(TSX, [join(process.cwd(), 'test', script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}
