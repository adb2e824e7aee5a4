// Lists the app's routes by walking Express's router stack, so new routes are covered without a hand-kept list.
import type { Express } from 'express';

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

export function listRoutes(app: Express): RouteInfo[] {
  const router = (app as unknown as { router: { stack: LayerLike[] } }).router;
  const out: RouteInfo[] = [];
  walk(router.stack, '', out);
  return out;
}

/** A concrete URL for a route pattern: every :param replaced by a harmless value. */
export function concrete(path: string, values: Record<string, string> = {}): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => values[name] ?? (/id$/i.test(name) ? '1' : 'x'));
}
