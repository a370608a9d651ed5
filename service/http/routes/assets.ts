/** The browser bundles built by scripts/build.js: `/widget.js` for practice sites, loaded cross-origin; `bundle()` also serves the console's. */
import { Hono } from 'hono';
import { readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { ApiProblem } from '../../errors.js';

export interface Asset {
  body: string;
  etag: string;
  mtimeMs: number;
}

/** A strong validator from the content itself, so the same build gets the same ETag on every instance. */
export const etagOf = (body: string) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;

/** Reads a bundle once and again only when the file changes, so a rebuild needs no restart; 503 until it is built. */
export function bundle(path: string): () => Asset {
  let cached: Asset | undefined;
  return () => {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(path).mtimeMs;
    } catch {
      throw new ApiProblem(503, 'bundle_missing', `${path} is not built yet: run npm run build`);
    }
    if (!cached || cached.mtimeMs !== mtimeMs) {
      const body = readFileSync(path, 'utf8');
      cached = { body, mtimeMs, etag: etagOf(body) };
    }
    return cached;
  };
}

export function assetRoutes(distDir = 'dist') {
  const widget = bundle(`${distDir}/widget.js`);
  return new Hono().get('/widget.js', (c) => {
    const asset = widget();
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=300, stale-while-revalidate=86400');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    c.header('Access-Control-Allow-Origin', '*');
    c.header('ETag', asset.etag);
    if (c.req.header('If-None-Match') === asset.etag) return c.body(null, 304);
    return c.body(asset.body);
  });
}
