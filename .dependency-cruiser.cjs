// Import rules that keep the three floors of docs/architecture.md (web → domain → db, arrows down only).
// Run with `npm run lint:deps`; test/ops/lint-rules.test.ts shows each rule failing on a deliberate violation.
//
// Type-only imports: with tsPreCompilationDeps 'specify' an `import type …` (or an import whose names are all
// `type`) is marked 'type-only', and an import TypeScript drops because it is only used as a type is marked
// 'pre-compilation-only'. Neither exists at run time, so the rules about route files and src/db let them through
// (a route may name the type of a row); the rules about express, the web layer, test/ and upward imports from
// src/db count them too, because a type from there still ties the lower floor to the upper one.

const { join } = require('node:path');

/** Route files: the web floor's entry points. */
const ROUTE_FILES = '^src/(?:routes|.*[/-]routes)\\.ts$|^src/app\\.ts$';
/** Domain code: rules, repositories and services of the public side and the staff room pages (their route files and the mail worker excepted). */
const DOMAIN = '^src/(?:bookings|rooms|room-admin|calendar|time|feeds|privacy|mail)/';
const DOMAIN_EXCEPT = `${ROUTE_FILES}|^src/mail/worker\\.ts$`;
/**
 * Form schemas (`schema.ts`, `*-schema.ts` in a feature folder): zod schemas of what a form sends, with catalog keys
 * as messages for the field errors. They are the web edge inside a feature folder, built from the shared field
 * builders of src/web/forms.ts; they may use src/web but, like domain code, never express.
 */
const FORM_SCHEMAS = '^src/[a-z-]+/(?:schema|[a-z]+-schema)\\.ts$';
/**
 * Pure lists below every floor: the domain constants (categories, equipment) and the language registry. They
 * import nothing (rule pure-lists), so src/db may name their types (a stored category, a stored language code)
 * without reaching up a floor: they are data about the house, not code of the floors above.
 */
const PURE_LISTS = '^src/constants\\.ts$|^src/i18n/languages\\.ts$';
/** Imports that vanish when TypeScript compiles the file. */
const TYPES_ONLY = ['type-only', 'pre-compilation-only'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Two modules that import each other (directly or round a ring) load in an order that depends on who came first.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      severity: 'error',
      scope: 'folder',
      comment: 'Folders (features) form a tree: if bookings uses calendar, calendar must not use bookings (type imports count too).',
      from: { path: '^src/' },
      to: { path: '^src/', circular: true },
    },
    {
      name: 'routes-no-kysely',
      severity: 'error',
      comment: 'Route files parse, call one service and render: no query builder in the web floor (a type-only import is fine).',
      from: { path: ROUTE_FILES },
      to: { path: '(?:^|/)node_modules/kysely/', dependencyTypesNot: TYPES_ONLY },
    },
    {
      name: 'routes-no-db',
      severity: 'error',
      comment: 'Route files reach the database only through a service; the types of src/db (rows, the DB type) may be named.',
      from: { path: ROUTE_FILES },
      to: { path: '^src/db/', dependencyTypesNot: TYPES_ONLY },
    },
    {
      name: 'domain-no-express',
      severity: 'error',
      comment: 'Domain code gets data and returns data: no Request, Response or Router (type imports count too).',
      from: { path: DOMAIN, pathNot: DOMAIN_EXCEPT },
      to: { path: '(?:^|/)node_modules/(?:@types/)?(?:express|express-serve-static-core)/' },
    },
    {
      name: 'domain-no-web',
      severity: 'error',
      comment:
        'Domain code does not import from the web floor (src/web: middleware, forms, errors rendered as pages); form schemas are the web edge (FORM_SCHEMAS).',
      from: { path: DOMAIN, pathNot: `${DOMAIN_EXCEPT}|${FORM_SCHEMAS}` },
      to: { path: '^src/web/' },
    },
    {
      name: 'src-no-test',
      severity: 'error',
      comment: 'Production code never imports test helpers or fixtures.',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
    {
      name: 'src-only-db-migrations',
      severity: 'error',
      comment: 'From the top-level db/ folder src may load the migration list only (the demo house seed lives in src/demo).',
      from: { path: '^src/' },
      to: { path: '^db/', pathNot: '^db/migrations/' },
    },
    {
      name: 'db-floor',
      severity: 'error',
      comment: 'src/db is the bottom floor: it may use src/time, src/paths.ts, src/config.ts and the pure lists (PURE_LISTS), nothing else from src.',
      from: { path: '^src/db/' },
      to: { path: '^src/', pathNot: `^src/(?:db|time)/|^src/(?:paths|config)\\.ts$|${PURE_LISTS}` },
    },
    {
      name: 'pure-lists',
      severity: 'error',
      comment: 'The pure lists (domain constants, the language registry) import nothing, so every floor, src/db too, may use them.',
      from: { path: PURE_LISTS },
      to: {},
    },
  ],
  options: {
    // test/fixtures/lint holds deliberate violations for test/ops/lint-rules.test.ts.
    exclude: { path: '^test/fixtures/lint/' },
    doNotFollow: { path: ['node_modules'] },
    tsPreCompilationDeps: 'specify',
    // Absolute, so the rules also run from another folder (docs/testing.md: the fixtures by hand).
    tsConfig: { fileName: join(__dirname, 'tsconfig.json') },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
