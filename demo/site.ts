/**
 * The demo practice website, on its own origin so the widget runs cross-origin as on a
 * real practice site, under the strict CSP of SPEC (no 'unsafe-inline').
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const files: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/confidentialite.html': 'confidentialite.html',
  '/site.css': 'site.css',
};

export function startDemoSite(port: number, host: string, serviceUrl: string): Promise<Server> {
  const dir = fileURLToPath(new URL('./site/', import.meta.url));
  const csp = `default-src 'self'; script-src 'self' ${serviceUrl}; connect-src ${serviceUrl}; style-src 'self'`;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    // No icon: an empty answer rather than a 404 in every visitor's console.
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const name = files[path];
    if (!name) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const body = readFileSync(dir + name, 'utf8').replaceAll('{{SERVICE}}', serviceUrl);
    res.writeHead(200, {
      'Content-Type': name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/html; charset=utf-8',
      'Content-Security-Policy': csp,
    });
    res.end(body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
