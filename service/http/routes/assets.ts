/**
 * The browser bundles built by scripts/build.js, served compressed: `/widget.js` and its chunks for practice sites,
 * loaded cross-origin; `bundle()` and `sendBundle()` also serve the console's.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { ApiProblem } from '../../errors.js';

/** What a bundle can be sent as, best first; `gzip` is read from the `.gz` copy, `br` from the `.br` one. */
const ENCODINGS = ['br', 'gzip', 'identity'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export interface Asset {
  /** The bundle in each encoding. */
  bodies: Record<Encoding, Uint8Array<ArrayBuffer>>;
  /** A strong validator per encoding: the gzip bytes and the Brotli ones are different representations. */
  etags: Record<Encoding, string>;
  mtimeMs: number;
}

/** A strong validator from the content itself, so the same build gets the same ETag on every instance. */
export const etagOf = (body: string | Uint8Array) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;

const SUFFIX: Record<Exclude<Encoding, 'identity'>, string> = { br: '.br', gzip: '.gz' };

/** The copy the build compressed beside `path`, or, when it left none (a build from before it did), compressed here once. */
function compressedCopy(path: string, body: Uint8Array, encoding: Exclude<Encoding, 'identity'>, mtimeMs: number): Uint8Array<ArrayBuffer> {
  const copy = path + SUFFIX[encoding];
  if (existsSync(copy) && statSync(copy).mtimeMs >= mtimeMs) return new Uint8Array(readFileSync(copy));
  return new Uint8Array(encoding === 'br' ? brotliCompressSync(body) : gzipSync(body, { level: 9 }));
}

function readAsset(path: string, mtimeMs: number): Asset {
  const body = new Uint8Array(readFileSync(path));
  const etag = etagOf(body);
  return {
    bodies: { identity: body, br: compressedCopy(path, body, 'br', mtimeMs), gzip: compressedCopy(path, body, 'gzip', mtimeMs) },
    etags: { identity: etag, br: `${etag.slice(0, -1)}-br"`, gzip: `${etag.slice(0, -1)}-gz"` },
    mtimeMs,
  };
}

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
    if (!cached || cached.mtimeMs !== mtimeMs) cached = readAsset(path, mtimeMs);
    return cached;
  };
}

/** The encoding to answer `Accept-Encoding` with: Brotli when accepted, else gzip, else none. */
export function chooseEncoding(accept: string | undefined): Encoding {
  const weights = new Map<string, number>();
  for (const part of (accept ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    if (name) weights.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (encoding: string) => weights.get(encoding) ?? weights.get('*') ?? 0;
  return ENCODINGS.find((encoding) => encoding === 'identity' || weight(encoding) > 0) ?? 'identity';
}

/** Whether `If-None-Match` names `etag` (a list, or weakened by a proxy, as RFC 9110's weak comparison allows). */
const matches = (header: string | undefined, etag: string) => !!header && header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);

/** Answers with `asset` in the encoding the client takes best, its ETag for that encoding, or 304 when the client has it. */
export function sendBundle(c: Context, asset: Asset, cacheControl: string): Response {
  const encoding = chooseEncoding(c.req.header('Accept-Encoding'));
  const etag = asset.etags[encoding];
  c.header('Content-Type', 'text/javascript; charset=utf-8');
  c.header('Cache-Control', cacheControl);
  c.header('Vary', 'Accept-Encoding');
  c.header('ETag', etag);
  if (matches(c.req.header('If-None-Match'), etag)) return c.body(null, 304);
  if (encoding !== 'identity') c.header('Content-Encoding', encoding);
  return c.body(asset.bodies[encoding]);
}

/** Loadable from any practice's site: module scripts are fetched in CORS mode, without credentials. */
function crossOrigin(c: Context): void {
  c.header('Cross-Origin-Resource-Policy', 'cross-origin');
  c.header('Access-Control-Allow-Origin', '*');
}

/** A chunk's name as the build writes it: the module's name, then a hash of the content (see scripts/build.js). */
const CHUNK_NAME = /^[\w-]+-[A-Z0-9]{8}\.js$/;

/**
 * `GET /widget/<name>-<HASH>.js`: a chunk of the widget, from this build or one of the builds before it that the build
 * kept, so a page that loaded `widget.js` before a deploy still finds the chunks it names. A chunk's name changes with
 * its content, so it is cached for a year. A middleware, like any static file server, so that it serves what is on disk.
 */
export function widgetChunks(chunkDir: string): MiddlewareHandler {
  const chunks = new Map<string, () => Asset>();
  return async function widgetChunk(c, next) {
    const name = c.req.path.slice(c.req.path.lastIndexOf('/') + 1);
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || !CHUNK_NAME.test(name) || !existsSync(`${chunkDir}/${name}`)) return next();
    let chunk = chunks.get(name);
    if (!chunk) chunks.set(name, (chunk = bundle(`${chunkDir}/${name}`)));
    crossOrigin(c);
    return sendBundle(c, chunk(), 'public, max-age=31536000, immutable');
  };
}

export function assetRoutes(distDir = 'dist') {
  const widget = bundle(`${distDir}/widget.js`);
  return (
    new Hono()
      .use('/widget/*', widgetChunks(`${distDir}/widget`))
      // The address practices paste never changes, so it is revalidated often; what it loads is named by content.
      .get('/widget.js', (c) => {
        crossOrigin(c);
        return sendBundle(c, widget(), 'public, max-age=300, stale-while-revalidate=86400');
      })
  );
}
