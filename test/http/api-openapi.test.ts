// The OpenAPI document is valid OpenAPI 3.1, describes every route under /api/v1, and every response it documents
// is what the app sends: each (path, status) is produced by a real request and its body checked against the schema.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import type { Response } from 'supertest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBlockedTime, aBooking, aRoom, aWholeRoom } from '../helpers/factories.js';
import { listRoutes } from '../../src/web/routes-index.js';
import { sqliteHandleForTests } from '../../src/db/database.js';

type Doc = {
  openapi: string;
  info: { version: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown; example?: unknown }> }> }>>;
  components: { responses: Record<string, { content?: Record<string, { schema: unknown; example?: unknown }> }> };
};

let t: TestApp;
let doc: Doc;

beforeEach(async () => {
  t = await makeFreshApp();
  const res = await t.request.get('/api/v1/openapi.json');
  expect(res.status).toBe(200);
  doc = res.body as Doc;
});
afterEach(() => t.close());

/** The JSON Schema of a documented response (following a $ref to components.responses). */
function responseSchema(path: string, status: string): unknown {
  let r = doc.paths[path]!.get!.responses[status]!;
  if (r.$ref) r = doc.components.responses[r.$ref.replace('#/components/responses/', '')]!;
  return r.content!['application/json']!.schema;
}

/** For each documented (path, status): a request that produces it. A newly documented response needs a line here. */
const CASES: Record<string, (t: TestApp) => Promise<Response>> = {
  'GET /api/v1/rooms 200': (t) => t.request.get('/api/v1/rooms?lang=en'),
  'GET /api/v1/rooms 400': (t) => t.request.get('/api/v1/rooms?from=2026-12-01'),
  'GET /api/v1/rooms 500': async (t) => {
    sqliteHandleForTests(t.ctx).exec('ALTER TABLE rooms RENAME TO rooms_gone');
    return t.request.get('/api/v1/rooms');
  },
  'GET /api/v1/availability 200': (t) => t.request.get('/api/v1/availability?from=2026-11-23&to=2026-11-29'),
  'GET /api/v1/availability 400': (t) => t.request.get('/api/v1/availability?from=2026-02-30'),
  'GET /api/v1/availability 404': (t) => t.request.get('/api/v1/availability?room=saal-z'),
  'GET /api/v1/availability 500': async (t) => {
    sqliteHandleForTests(t.ctx).exec('ALTER TABLE rooms RENAME TO rooms_gone');
    return t.request.get('/api/v1/availability');
  },
  'GET /api/v1/openapi.json 200': (t) => t.request.get('/api/v1/openapi.json'),
  'GET /api/v1/openapi.json 400': (t) => t.request.get('/api/v1/openapi.json?format=yaml'),
  'GET /api/v1/programme 200': (t) => t.request.get('/api/v1/programme?kind=culture'),
  'GET /api/v1/programme 400': (t) => t.request.get('/api/v1/programme?kind=karaoke'),
};

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document whose references all resolve', async () => {
    const v = new Validator();
    const res = await v.validate(structuredClone(doc));
    expect(res.errors ?? [], JSON.stringify(res.errors, null, 1)).toEqual([]);
    expect(res.valid).toBe(true);
    expect(v.version).toBe('3.1');
    expect(() => v.resolveRefs()).not.toThrow();
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(doc.servers.every((s) => s.url.startsWith('/'))).toBe(true);
  });

  it('describes every route the app answers under /api/v1, and no route it does not have', () => {
    const routes = listRoutes(t.app)
      .filter((r) => r.path.startsWith('/api/'))
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`))
      .sort();
    expect(routes).toEqual(documented);
  });

  it('has a request that produces each documented response, and the body matches its schema', async () => {
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).flatMap(([method, op]) => Object.keys(op.responses).map((status) => `${method.toUpperCase()} ${path} ${status}`)),
    );
    expect(Object.keys(CASES).sort()).toEqual(documented.sort());
    const check = validatorFor(doc);
    for (const key of documented) {
      const [, path, status] = key.split(' ') as [string, string, string];
      const fresh = await makeFreshApp();
      try {
        const res = await CASES[key]!(fresh);
        expect(res.status, key).toBe(Number(status));
        expect(res.type, key).toBe('application/json');
        const r = check(responseSchema(path, status), res.body);
        expect(r.errors, `${key}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe('No errors');
      } finally {
        await fresh.close();
      }
    }
  });

  it('has examples that match their schemas', () => {
    const check = validatorFor(doc);
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const status of Object.keys(item.get!.responses)) {
        let r = item.get!.responses[status]!;
        if (r.$ref) r = doc.components.responses[r.$ref.replace('#/components/responses/', '')]!;
        const media = r.content!['application/json']!;
        expect(media.example, `${path} ${status} has an example`).toBeDefined();
        expect(check(media.schema, media.example).errors, `${path} ${status}`).toBe('No errors');
      }
    }
  });
});

/** A checker of values against schemas of `d` (Ajv for JSON Schema 2020-12, as OpenAPI 3.1 uses, with formats). */
function validatorFor(d: Doc) {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  // ajv-formats is CommonJS: its function is the default export's own default.
  (formats as unknown as { default: (a: Ajv2020) => void }).default(ajv);
  ajv.addKeyword('components');
  ajv.addSchema({ $id: 'https://raumbuch.test/openapi.json', components: d.components });
  let n = 0;
  return (schema: unknown, value: unknown) => {
    // A $ref is resolved against the document; an inline schema may itself contain such references.
    const check = ajv.compile(withBase(schema));
    const ok = check(value);
    return { ok, errors: ajv.errorsText(check.errors) };
  };
  function withBase(schema: unknown): object {
    const text = JSON.stringify(schema).replaceAll('"#/components/', '"https://raumbuch.test/openapi.json#/components/');
    return { $id: `https://raumbuch.test/check-${++n}`, ...(JSON.parse(text) as object) };
  }
}

async function makeFreshApp(): Promise<TestApp> {
  const f = await makeTestApp({ now: '2026-11-23T10:00:00+01:00' });
  const a = await aRoom(f.ctx.db, { slug: 'saal-a', name: 'Saal A', equipment: ['projector'] });
  const b = await aRoom(f.ctx.db, { slug: 'saal-b', name: 'Saal B', publicBookable: false });
  await aWholeRoom(f.ctx.db, [a.id, b.id], { slug: 'grosser-saal', name: 'Großer Saal' });
  await aBooking(f.ctx.db, { roomId: a.id, date: '2026-11-24', start: '19:00', end: '21:00', publicTitle: 'Chor', showPublicTitle: true });
  await aBooking(f.ctx.db, { roomId: b.id, date: '2026-11-25', start: '10:00', end: '12:00', status: 'pending' });
  await aBlockedTime(f.ctx.db, { from: '2026-11-27', label: 'Betriebsausflug' });
  return f;
}
