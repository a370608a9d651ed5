/**
 * The browser bundles as the service sends them: compressed once at build time, in the encoding the browser takes best,
 * one ETag per encoding; the widget's chunks long-cached under their hashed names, those of an earlier build still served.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { precompress } from '../../scripts/build.js';
import { assetRoutes, chooseEncoding } from '../../service/http/routes/assets.js';
import { consoleRoutes } from '../../service/http/routes/console.js';

const WIDGET = `import("./widget/form-ABCDEFGH.js");${'console.log("the first screen");'.repeat(40)}`;
const FORM = `export const form = 1;${'console.log("the form");'.repeat(40)}`;

describe('the bundles as served', () => {
  let dist: string;
  let assets: ReturnType<typeof assetRoutes>;

  beforeAll(() => {
    dist = mkdtempSync(join(tmpdir(), 'permanence-assets-'));
    mkdirSync(join(dist, 'widget'));
    writeFileSync(join(dist, 'widget.js'), WIDGET);
    writeFileSync(join(dist, 'widget', 'form-ABCDEFGH.js'), FORM);
    // A chunk of the build before, which pages loaded before the deploy still ask for; precompressed like the others.
    writeFileSync(join(dist, 'widget', 'form-OLDBUILD.js'), 'export const form = 0;');
    writeFileSync(join(dist, 'console.js'), `console.log("console");`.repeat(50));
    for (const file of ['widget.js', 'widget/form-ABCDEFGH.js', 'widget/form-OLDBUILD.js', 'console.js']) precompress(join(dist, file));
    assets = assetRoutes(dist);
  });

  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  it('answers /widget.js in Brotli or gzip as asked, with Vary and an ETag per encoding', async () => {
    const br = await assets.request('/widget.js', { headers: { 'Accept-Encoding': 'gzip, deflate, br, zstd' } });
    const gzip = await assets.request('/widget.js', { headers: { 'Accept-Encoding': 'gzip' } });
    const plain = await assets.request('/widget.js');
    expect([br.headers.get('Content-Encoding'), gzip.headers.get('Content-Encoding'), plain.headers.get('Content-Encoding')]).toEqual(['br', 'gzip', null]);
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(WIDGET);
    expect(gunzipSync(Buffer.from(await gzip.arrayBuffer())).toString()).toBe(WIDGET);
    expect(await plain.text()).toBe(WIDGET);
    for (const res of [br, gzip, plain]) {
      expect(res.headers.get('Vary')).toBe('Accept-Encoding');
      expect(res.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
      expect(res.headers.get('Cache-Control')).toMatch(/max-age=\d+/);
    }
    expect(new Set([br, gzip, plain].map((res) => res.headers.get('ETag'))).size).toBe(3);
  });

  it('answers 304 to the ETag of the encoding asked for, not to another', async () => {
    const br = await assets.request('/widget.js', { headers: { 'Accept-Encoding': 'br' } });
    const etag = br.headers.get('ETag')!;
    expect((await assets.request('/widget.js', { headers: { 'Accept-Encoding': 'br', 'If-None-Match': etag } })).status).toBe(304);
    expect((await assets.request('/widget.js', { headers: { 'Accept-Encoding': 'br', 'If-None-Match': `W/${etag}` } })).status).toBe(304);
    expect((await assets.request('/widget.js', { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': etag } })).status).toBe(200);
  });

  it('serves the chunks compressed, cached for a year, to any site, those of an earlier build too', async () => {
    for (const name of ['form-ABCDEFGH.js', 'form-OLDBUILD.js']) {
      const res = await assets.request(`/widget/${name}`, { headers: { 'Accept-Encoding': 'br, gzip' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Encoding')).toBe('br');
      expect(res.headers.get('Content-Type')).toMatch(/javascript/);
      expect(res.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    }
  });

  it('serves nothing else under /widget/: no other name, no path out of the folder', async () => {
    for (const path of ['/widget/form-NOTBUILT.js', '/widget/builds.json', '/widget/..%2Fconsole.js', '/widget/form-ABCDEFGH.js.br']) {
      expect((await assets.request(path)).status, path).toBe(404);
    }
  });

  it('serves the console’s bundle compressed the same way', async () => {
    const res = await consoleRoutes(dist).request('/console/console.js', { headers: { 'Accept-Encoding': 'gzip, br' } });
    expect(res.headers.get('Content-Encoding')).toBe('br');
    expect(res.headers.get('Vary')).toBe('Accept-Encoding');
    expect(res.headers.get('ETag')).toMatch(/-br"$/);
  });

  it('takes Brotli, then gzip, as Accept-Encoding weighs them', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('gzip;q=0, identity')).toBe('identity');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding(undefined)).toBe('identity');
  });
});
