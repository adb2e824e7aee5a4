// The app's routes, found by walking Express's router stack: used to send the language switch of a page
// shown after a POST to a page that exists, and by the tests that check every state-changing route.
import type { Application } from 'express';

export interface RouteInfo {
  method: string;
  path: string;
}

interface LayerLike {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
  rawPath?: string | string[] | RegExp;
}

function join(prefix: string, path: string): string {
  const p = `${prefix}/${path}`.replace(/\/+/g, '/');
  return p.length > 1 ? p.replace(/\/$/, '') : p;
}

function walk(stack: LayerLike[], prefix: string, out: RouteInfo[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const p of paths) {
        for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') out.push({ method: m.toUpperCase(), path: join(prefix, p) });
      }
    } else if (layer.handle?.stack) {
      const raw = typeof layer.rawPath === 'string' ? layer.rawPath : '';
      walk(layer.handle.stack, raw === '/' ? prefix : join(prefix, raw), out);
    }
  }
}

export function listRoutes(app: Application): RouteInfo[] {
  const router = (app as unknown as { router: { stack: LayerLike[] } }).router;
  const out: RouteInfo[] = [];
  walk(router.stack, '', out);
  return out;
}

const getPatterns = new WeakMap<Application, RegExp[]>();

/** The GET routes as patterns ('/admin/requests/:id' matches '/admin/requests/14'), built once per app. */
function pagePatterns(app: Application): RegExp[] {
  let patterns = getPatterns.get(app);
  if (!patterns) {
    patterns = listRoutes(app)
      .filter((r) => r.method === 'GET' && !r.path.includes('*'))
      .map((r) => new RegExp(`^${r.path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+')}$`));
    getPatterns.set(app, patterns);
  }
  return patterns;
}

/**
 * The page a POST's answer belongs to: the path itself when it is also a page, else its nearest parent
 * that is one (or that parent's '/new' form): POST /admin/requests/14/approve → /admin/requests/14,
 * POST /requests → /requests/new. '/' when nothing fits.
 */
export function pageOf(app: Application, path: string): string {
  const patterns = pagePatterns(app);
  const isPage = (p: string) => patterns.some((re) => re.test(p));
  let candidate = path.replace(/\/+$/, '') || '/';
  while (candidate !== '/') {
    if (isPage(candidate)) return candidate;
    if (isPage(`${candidate}/new`)) return `${candidate}/new`;
    candidate = candidate.slice(0, candidate.lastIndexOf('/')) || '/';
  }
  return '/';
}
