// What every answer to hostile input must look like: no 500, no stack trace, no unescaped payload, a message.
import { expect } from 'vitest';
import type { Response } from 'supertest';

/** What every answer to hostile input must look like. */
export function expectSaneAnswer(res: Response, what: string): void {
  const ctx = `${what} → ${res.status}`;
  expect(res.status, ctx).toBeLessThan(500);
  expect(res.status, ctx).toBeGreaterThanOrEqual(200);
  if (res.status === 431 || res.status === 414) return; // Node refuses an oversized request line before the app sees it
  const body = res.text ?? '';
  expect(body, ctx).not.toMatch(/<script>alert\(1\)<\/script>|<img src=x onerror/i);
  expect(body, ctx).not.toMatch(/\n\s+at .+\.(ts|js):\d+|node_modules|SqliteError|ZodError|TypeError|ReferenceError/);
  if (res.status >= 400) {
    if (/json/.test(String(res.headers['content-type']))) {
      expect(typeof res.body?.error?.message, ctx).toBe('string');
      expect(res.body.error.message.length, ctx).toBeGreaterThan(0);
    } else if (res.status !== 404 || body) {
      expect(body, ctx).toMatch(/<h1[^>]*>[^<]+/);
    }
  }
}
