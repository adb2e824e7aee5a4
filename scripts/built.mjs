// Makes sure dist/ holds a build of the current sources before `npm start` and the operations scripts run the
// compiled JavaScript: builds when dist/ is missing or older than any source file, and does nothing (in a few
// milliseconds) when it is current. Plain JavaScript, because it runs before anything is compiled. Where the
// development dependencies were left out (a production install: build first, then `npm prune --omit=dev`),
// it only checks that a build is there.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.tsbuildinfo');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith('.ts') || e.name.endsWith('.json')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

const sources = Math.max(
  ...['src', 'db', 'scripts'].map((d) => newest(join(root, d))),
  statSync(join(root, 'tsconfig.json')).mtimeMs,
  statSync(join(root, 'tsconfig.build.json')).mtimeMs,
);
const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (built >= sources) process.exit(0);

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  if (existsSync(join(root, 'dist', 'src', 'server.js'))) {
    console.error('Warning: the sources are newer than the build in dist/, and TypeScript is not installed to rebuild it (see docs/deploy.md, "Updates").');
    process.exit(0);
  }
  console.error('Raumbuch is not built yet and TypeScript is not installed: run `npm install` and `npm run build` first.');
  process.exit(1);
}
console.error('Building Raumbuch (tsc) …');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
// An incremental build that found nothing to emit leaves the stamp as it was: mark the check as done.
if (r.status === 0 && existsSync(stamp)) utimesSync(stamp, new Date(), new Date());
process.exit(r.status ?? 1);
