/**
 * The real service as a child process, for the tests that kill it, signal it or restart it (crash, shutdown, urgent
 * messages): started the way `npm start` runs it, on a bare environment, and spoken to over fresh connections.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request, type IncomingMessage } from 'node:http';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface Answer {
  status: number;
  body: any;
  headers: IncomingMessage['headers'];
}

/** One HTTP exchange on a fresh connection (no pooled socket survives a kill); rejects when no answer arrives. */
export function call(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Answer> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent: false, headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('error', fail);
      res.on('end', () => {
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // A non-JSON answer (a 5xx page) stays text, for the failure message.
        }
        done({ status: res.statusCode!, body: parsed, headers: res.headers });
      });
    });
    req.on('error', fail);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => child.once('exit', (code) => done(code)));
}

/**
 * Starts the service on `port` and answers once it answers /healthz (20 s at most). `node --import tsx` rather than
 * the `tsx` command: that one runs the service in a child node process, and a SIGKILL to the wrapper would leave the
 * process holding the database alive. A bare environment (no SMTP_URL or SMS_URL of the developer's), `env` on top;
 * TMPDIR keeps tsx's cache in the test's folder. What the process prints goes to `output`, for a failure's message.
 */
export async function startServiceProcess(port: number, dir: string, env: Record<string, string>, output: string[] = []): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'service/server.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, TMPDIR: dir, PORT: String(port), HOST: '127.0.0.1', DEMO_PORT: '0', ...env },
  });
  child.stdout!.on('data', (chunk) => output.push(String(chunk)));
  child.stderr!.on('data', (chunk) => output.push(String(chunk)));
  const until = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited with code ${child.exitCode} before answering /healthz`);
    const health = await call(port, 'GET', '/healthz').catch(() => undefined);
    if (health?.status === 200) return child;
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error('the service did not answer /healthz within 20 s');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
