// The lint, format and import rules bite (issue 11.4): each runs with the repository's own configuration over
// test/fixtures/lint/bad (one deliberate violation per rule) and must name the rule there, and finds nothing in
// test/fixtures/lint/good. The real `npm run lint` leaves that folder out.
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = join(ROOT, 'test', 'fixtures', 'lint');
const depcruiseConfig = createRequire(import.meta.url)(join(ROOT, '.dependency-cruiser.cjs')) as IConfiguration;

/** Every ESLint message of the fixture tree, as "path: rule" (path relative to the tree). */
async function eslintFindings(tree: 'bad' | 'good'): Promise<string[]> {
  // ignore: false lets the fixtures through the config's ignores; everything else is eslint.config.js as it is.
  const eslint = new ESLint({ cwd: ROOT, overrideConfigFile: join(ROOT, 'eslint.config.js'), ignore: false });
  const results = await eslint.lintFiles([join(FIXTURES, tree, '**/*.ts')]);
  return results.flatMap((r) => r.messages.map((m) => `${relative(join(FIXTURES, tree), r.filePath)}: ${m.ruleId ?? m.message}`));
}

/** Every dependency-cruiser violation of the fixture tree, as "from → to: rule". */
async function depcruiseFindings(tree: 'bad' | 'good'): Promise<string[]> {
  const baseDir = join(FIXTURES, tree);
  // Everything as configured, except that the real run leaves the fixtures out.
  const { exclude: _realRunOnly, ...options } = depcruiseConfig.options ?? {};
  const { output } = await cruise(
    ['src', 'db', 'test'].filter((d) => tree === 'bad' || d !== 'test'),
    {
      ...options,
      baseDir,
      validate: true,
      ruleSet: { forbidden: depcruiseConfig.forbidden },
    },
  );
  const result = output as ICruiseResult;
  return result.summary.violations.map((v) => `${v.from} → ${v.to}: ${v.rule.name}`);
}

async function isFormatted(file: string): Promise<boolean> {
  const options = await prettier.resolveConfig(join(ROOT, 'src', 'app.ts'));
  return prettier.check(readFileSync(file, 'utf8'), { ...options, filepath: file });
}

describe('ESLint (typescript-eslint, type-aware)', () => {
  it('reports a promise nobody awaits, and a transaction opened in a route file', async () => {
    // Only those: the other deliberate violations of the tree are import rules, which ESLint leaves to dependency-cruiser.
    expect((await eslintFindings('bad')).sort()).toEqual([
      'src/bookings/service.ts: @typescript-eslint/no-floating-promises',
      'src/bookings/staff-routes.ts: no-restricted-syntax',
    ]);
  });

  it('finds nothing in code that keeps the rules', async () => {
    expect(await eslintFindings('good')).toEqual([]);
  });
});

describe('Prettier', () => {
  it('refuses a file not in its format', async () => {
    expect(await isFormatted(join(FIXTURES, 'bad', 'src', 'unformatted.ts'))).toBe(false);
  });

  it('passes the correct fixture and the lint configuration itself', async () => {
    const good = readdirSync(join(FIXTURES, 'good'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(good.length).toBeGreaterThan(5);
    for (const f of [
      ...good.map((g) => join(FIXTURES, 'good', g)),
      ...['eslint.config.js', '.dependency-cruiser.cjs', 'test/ops/lint-rules.test.ts'].map((f) => join(ROOT, f)),
    ]) {
      expect(await isFormatted(f), f).toBe(true);
    }
  });
});

describe('dependency-cruiser (the floors)', () => {
  it('names each broken floor rule at the import that breaks it', async () => {
    // npm packages resolve to a path inside node_modules (through the checkout's symlink); compare from there.
    const found = (await depcruiseFindings('bad')).map((f) => f.replace(/[^ ]*node_modules\/([^/]+)\/[^:]*:/, 'node_modules/$1:'));
    expect(found).toEqual(
      expect.arrayContaining([
        'src/bookings/routes.ts → node_modules/kysely: routes-no-kysely',
        'src/bookings/routes.ts → src/db/database.ts: routes-no-db',
        'src/bookings/rules.ts → node_modules/express: domain-no-express',
        'src/bookings/rules.ts → src/web/forms.ts: domain-no-web',
        'src/rooms → src/calendar: no-folder-cycles',
        'src/db/database.ts → src/mail/outbox.ts: db-floor',
        'src/feeds/build.ts → test/factories.ts: src-no-test',
        'src/feeds/build.ts → db/demo.ts: src-only-db-migrations',
      ]),
    );
    // The ring is reported once, from whichever end the cruise reached first.
    expect(found.filter((f) => /^src\/calendar\/(week|month)\.ts → src\/calendar\/(week|month)\.ts: no-circular$/.test(f))).toHaveLength(1);
    // Each finding is one of the deliberate violations: nothing else in the fixture breaks a rule.
    expect(found).toHaveLength(10);
  });

  it('lets a route file name the types of src/db and kysely, and finds nothing in code that keeps the floors', async () => {
    expect(await depcruiseFindings('good')).toEqual([]);
  });
});
