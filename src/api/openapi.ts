// The OpenAPI 3.1 document of /api/v1, assembled from fragments: each feature that answers under /api/v1 exports
// `{ paths, schemas }` (and may add shared parameters or responses), and FRAGMENTS below lists them. The API's own
// guard (src/api/guard.ts) reads the same document: a path, method or query parameter it does not list is refused.
import { coreOpenApi } from './spec.js';
import { programmeOpenApi } from '../programme/openapi.js';
import type { OpenApiFragment } from './fragment.js';

type Json = Record<string, unknown>;
export type { OpenApiFragment };

/** Every part of the API. A feature adds its fragment here (one import, one entry). */
export const FRAGMENTS: readonly OpenApiFragment[] = [coreOpenApi, programmeOpenApi];

/** The API's version (semantic: a new endpoint or field is a minor step; the path's v1 changes only when clients would break). */
export const API_VERSION = '1.1.0';

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: Json;
  servers: { url: string; description: string }[];
  paths: Record<string, Json>;
  components: { schemas: Record<string, unknown>; parameters: Record<string, unknown>; responses: Record<string, unknown> };
}

/** Merges the fragments; two fragments naming the same path, or the same component differently, is a programming error. */
export function mergeOpenApi(fragments: readonly OpenApiFragment[]): OpenApiDocument {
  const doc: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: 'Raumbuch API',
      version: API_VERSION,
      summary: 'Public, read-only data of the house: rooms, when they are busy, and what is on.',
      description:
        'Read-only JSON without an account and without personal data. Only GET (and HEAD, OPTIONS) are answered: any other method gets ' +
        '405 with an `Allow` header. Every error, on every path under /api/, is JSON `{ "error": { "code", "message", "field"? } }` with ' +
        'the message in the language of `?lang=` or `Accept-Language`. A query parameter given twice, or one the path does not list, is ' +
        'refused with 400 naming it (`lang` is accepted everywhere). Browsers on other sites may read the API when the house allows their ' +
        'origin (CORS, in the house settings).',
    },
    servers: [{ url: '/', description: 'This house' }],
    paths: {},
    components: { schemas: {}, parameters: {}, responses: {} },
  };
  for (const f of fragments) {
    for (const [path, item] of Object.entries(f.paths)) {
      if (path in doc.paths) throw new Error(`OpenAPI: path ${path} is described twice`);
      doc.paths[path] = item;
    }
    for (const kind of ['schemas', 'parameters', 'responses'] as const) {
      for (const [name, value] of Object.entries(f[kind] ?? {})) {
        const have = doc.components[kind][name];
        if (have !== undefined && JSON.stringify(have) !== JSON.stringify(value)) throw new Error(`OpenAPI: ${kind} ${name} is described twice, differently`);
        doc.components[kind][name] = value;
      }
    }
  }
  return doc;
}

let built: OpenApiDocument | undefined;
/** The document (built once). */
export function openApiDocument(): OpenApiDocument {
  return (built ??= mergeOpenApi(FRAGMENTS));
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface ApiOperation {
  /** The path as a pattern (`{slug}` matches one segment). */
  matches(path: string): boolean;
  path: string;
  /** Upper-case methods with an operation. */
  methods: string[];
  /** The query parameters its GET operation lists. */
  query: Set<string>;
}

const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The paths of a document with their methods and query parameters ($ref to components.parameters resolved). */
export function operationsOf(doc: OpenApiDocument): ApiOperation[] {
  const resolve = (p: unknown): Json | undefined => {
    if (!isJson(p)) return undefined;
    const ref = p.$ref;
    if (typeof ref === 'string') {
      const m = /^#\/components\/parameters\/(.+)$/.exec(ref);
      const target = m ? doc.components.parameters[m[1]!] : undefined;
      return isJson(target) ? target : undefined;
    }
    return p;
  };
  return Object.entries(doc.paths).map(([path, item]) => {
    const re = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    const methods = METHODS.filter((m) => isJson(item[m]));
    const get = item.get;
    const list = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);
    const listed = [...list(item.parameters), ...(isJson(get) ? list(get.parameters) : [])];
    const query = new Set(
      listed
        .map(resolve)
        .filter((p) => p?.in === 'query')
        .map((p) => String(p!.name)),
    );
    return { path, matches: (p: string) => re.test(p), methods: methods.map((m) => m.toUpperCase()), query };
  });
}
