// Static files under a fingerprint of their content: /assets/<fingerprint>/css/site.css may be cached for a year
// as immutable, because any change to a file in public/ gives every asset a new address. Views ask for an
// address with asset('css/site.css'). The fingerprint is computed once at start from the files' contents.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import compression from 'compression';
import express, { type Router } from 'express';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

export interface Assets {
  /** The address of a file under public/, e.g. asset('css/site.css'). */
  url: (path: string) => string;
  /** Serves the fingerprinted addresses (and the older /static/ ones, for a week) and /favicon.ico. */
  router(): Router;
}

export function assets(dir: string): Assets {
  const hash = createHash('sha256');
  for (const f of files(dir).sort()) hash.update(relative(dir, f)).update('\0').update(readFileSync(f)).update('\0');
  const prefix = `/assets/${hash.digest('hex').slice(0, 12)}`;
  return {
    url: (path) => `${prefix}/${path.replace(/^\/+/, '')}`,
    router() {
      const r = express.Router();
      // CSS, SVG and scripts gzip- or brotli-compressed as they are streamed (the maintained middleware).
      const compressed = compression();
      r.use(prefix, compressed, express.static(dir, { immutable: true, maxAge: '365d', index: false, fallthrough: false }));
      r.use('/static', compressed, express.static(dir, { maxAge: '7d', index: false }));
      // Browsers ask for /favicon.ico on their own; the icon is an SVG.
      r.get('/favicon.ico', (_req, res) => res.redirect(301, `${prefix}/favicon.svg`));
      return r;
    },
  };
}
