// ESLint: typescript-eslint's type-aware recommended rules over src, db, scripts, test and bench; formatting is
// Prettier's (eslint-config-prettier switches off the rules it would fight with). `npm run lint` runs it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    // test/fixtures/lint holds deliberate violations for test/ops/lint-rules.test.ts.
    ignores: ['dist/**', 'coverage/**', 'test-results/**', 'node_modules/**', 'public/**', 'test/fixtures/lint/**'],
  },
  {
    files: ['**/*.{ts,js,mjs,cjs}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` marks an argument an interface demands but the function does not use (Express's `next`, a clock).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Off: every hit is a function that satisfies a Promise-returning interface without awaiting (Kysely's driver
      // and migration provider, a migration's empty down(), an Express handler); marking them non-async changes nothing.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Route files parse, call one service and render: no transaction and no query built there (the floors of
    // docs/architecture.md). Imports are dependency-cruiser's; this catches what needs no import (ctx.db.…).
    files: ['**/src/**/routes.ts', '**/src/**/*-routes.ts', '**/src/app.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression > MemberExpression.callee[property.name=/^(transaction|selectFrom|insertInto|updateTable|deleteFrom|replaceInto|executeQuery)$/]',
          message: 'No database work in a route file: call a service (transactions) or a repository function (queries).',
        },
      ],
    },
  },
  {
    // Off for migrations: they are written against Kysely<any> on purpose, frozen apart from the app's schema type.
    files: ['db/migrations/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Off in tests: they read JSON (supertest's res.body, JSON.parse, ical.js) as any, and the expect() that
    // follows is the check; a typed wrapper for every response body would add nothing a failing test does not say.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain JavaScript (scripts/built.mjs, the configs) is not part of tsconfig.json: no type information there.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', module: 'writable', require: 'readonly', __dirname: 'readonly' } },
  },
  {
    // CommonJS config files (.dependency-cruiser.cjs) load modules with require: that is what the format is.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
