// Lists the app's routes by walking Express's router stack (src/web/routes-index.ts), so new routes are
// covered without a hand-kept list.
export { listRoutes, type RouteInfo } from '../../src/web/routes-index.js';

/** A concrete URL for a route pattern: every :param replaced by a harmless value. */
export function concrete(path: string, values: Record<string, string> = {}): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => values[name] ?? (/id$/i.test(name) ? '1' : 'x'));
}
