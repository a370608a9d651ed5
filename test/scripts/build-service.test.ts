// The production build: the service and the CLI compiled to JavaScript and run by `node` alone, in a folder where no
// TypeScript loader can be found (tsx is left out of its node_modules), on a SQLite file, so the writer thread and the
// transactions it imports are the compiled ones too.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { buildService } from '../../scripts/build-service.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'permanence-build-'));
const out = join(dir, 'service');
const dbPath = join(dir, 'data', 'permanence.db');
const output: string[] = [];
let child: ChildProcess | undefined;

beforeAll(async () => {
  await buildService(out);
  // The project's packages, but for the TypeScript loader: the compiled code must not need it.
  mkdirSync(join(dir, 'node_modules'));
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name !== 'tsx' && name !== '.bin') symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name));
  }
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await new Promise((done) => child!.once('exit', done));
  }
  rmSync(dir, { recursive: true, force: true });
});

/** A bare environment: nothing of the developer's (no NODE_OPTIONS loader, no SMTP_URL), a database in the test's folder. */
const bareEnv = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH, TMPDIR: dir, PERMANENCE_DB: dbPath, DEMO_PORT: '0', ...extra });

function call(port: number, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent: false, headers: { 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => done({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', fail);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

describe('the production build', () => {
  it('compiles the service, the CLI and the writer thread into one folder, importing no TypeScript loader nor source', () => {
    const files = readdirSync(out).filter((file) => file.endsWith('.js'));
    expect(files).toEqual(expect.arrayContaining(['server.js', 'cli.js', 'writer-thread.js', 'transactions.js', 'seed.js']));
    for (const file of files) {
      const code = readFileSync(join(out, file), 'utf8');
      expect(code, file).not.toMatch(/\bfrom\s*["']tsx|\bimport\s*\(\s*["']tsx|\bimport\s*["']tsx/);
      expect(code, file).not.toMatch(/\bfrom\s*["'][^"']+\.ts["']/);
    }
    expect(readdirSync(join(out, 'site'))).toContain('index.html');
    // What makes the run below a real check: from the build's folder, tsx cannot be found.
    expect(() => createRequire(join(out, 'server.js')).resolve('tsx')).toThrow(/Cannot find module/);
  });

  it('runs with node alone: healthy with its database, takes a request through the writer thread, answers the CLI, stops cleanly', { timeout: 60_000 }, async () => {
    onTestFailed(() => console.log(`service output:\n${output.join('')}`));
    const port = await freePort();
    child = spawn(process.execPath, [join(out, 'server.js')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: bareEnv({ PORT: String(port), HOST: '127.0.0.1' }) });
    child.stdout!.on('data', (chunk) => output.push(String(chunk)));
    child.stderr!.on('data', (chunk) => output.push(String(chunk)));
    const exited = new Promise<number | null>((done) => child!.once('exit', (code) => done(code)));

    const until = Date.now() + 20_000;
    let health: { status: number; body: any } | undefined;
    while (!health && Date.now() < until && child.exitCode === null) {
      health = await call(port, 'GET', '/healthz').catch(() => undefined);
      if (!health) await new Promise((r) => setTimeout(r, 50));
    }
    expect(health).toEqual({ status: 200, body: { ok: true, database: 'ok' } });

    // The demo practice was seeded by a transaction the writer thread found in the compiled seed module.
    const form = { name: 'Camille Durand', phone: '06 12 34 56 78', reason: 'Renouvellement d’ordonnance', urgency: 'routine', confirmBy: 'none', consent: true, lang: 'fr' };
    const created = await call(port, 'POST', '/v1/practices/cabinet-martin/callbacks', form);
    expect(created.status).toBe(201);

    const cli = spawnSync(process.execPath, [join(out, 'cli.js'), 'practice', 'export', 'cabinet-martin'], { cwd: dir, env: bareEnv(), encoding: 'utf8' });
    expect(cli.stderr).toBe('');
    expect([cli.status, JSON.parse(cli.stdout).slug]).toEqual([0, 'cabinet-martin']);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output.join('')).toMatch(/"event":"service_stopped"/);
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.prepare('SELECT state FROM callbacks WHERE ref = ?').pluck().get(created.body.ref)).toBe('queued');
    } finally {
      db.close();
    }
  });
});
