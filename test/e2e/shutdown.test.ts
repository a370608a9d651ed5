/**
 * Graceful shutdown: the real service process gets SIGTERM in the middle of a burst of callback requests, with a
 * console's event stream open and two requests whose bodies are still arriving (so that some are surely under way when
 * the drain begins, however fast this machine commits). It must end the stream, answer the requests under way (their
 * commits finish), exit 0 well before its drain limits, and every request it answered 201 must be in the file it leaves.
 */
import { afterAll, expect, it, onTestFailed } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { freePort } from './harness.js';
import { call, startServiceProcess } from './service-process.js';

const IN_FLIGHT = 20;
const ADMIN = { email: 'admin@shutdown.test', password: 'shutdown-test-admin-password' };

const dir = mkdtempSync(join(tmpdir(), 'permanence-shutdown-'));
const dbPath = join(dir, 'permanence.db');
const output: string[] = [];
let child: ChildProcess | undefined;

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await new Promise((done) => child!.once('exit', done));
  }
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A callback request whose body is sent in two halves: the service has its headers (it is under way) until `finish()`
 * sends the rest, then answers.
 */
function halfSent(port: number, form: unknown): { finish(): Promise<{ status: number; body: any }> } {
  const body = Buffer.from(JSON.stringify(form));
  let answer: Promise<{ status: number; body: any }>;
  const req = request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/v1/practices/cabinet-martin/callbacks',
    agent: false,
    headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length), 'X-Forwarded-For': '10.2.0.1' },
  });
  answer = new Promise((done, fail) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => done({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', fail);
  });
  req.flushHeaders();
  req.write(body.subarray(0, body.length >> 1));
  return {
    finish() {
      req.end(body.subarray(body.length >> 1));
      return answer;
    },
  };
}

/** Opens the console's event stream; resolves with when it ended. */
function openEvents(port: number, cookie: string): Promise<{ ended: Promise<number> }> {
  return new Promise((opened, fail) => {
    const req = request({ host: '127.0.0.1', port, path: '/v1/events', agent: false, headers: { Cookie: cookie, Accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return fail(new Error(`GET /v1/events answered ${res.statusCode}`));
      const ended = new Promise<number>((done) => {
        res.on('close', () => done(Date.now()));
        res.on('error', () => done(Date.now()));
      });
      res.resume();
      opened({ ended });
    });
    req.on('error', fail);
    req.end();
  });
}

it('drains on SIGTERM: ends the event streams, answers the requests under way, keeps every 201, exits 0', { timeout: 60_000 }, async () => {
  onTestFailed(() => console.log(`service output (last 60 lines):\n${output.join('').split('\n').slice(-60).join('\n')}`));
  const port = await freePort();
  child = await startServiceProcess(
    port,
    dir,
    { PERMANENCE_DB: dbPath, SECRET_KEY: 'shutdown-test-secret-key-0123456789abcdef', TRUST_PROXY: '1', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
    output,
  );
  const exited = new Promise<{ code: number | null; at: number }>((done) => child!.once('exit', (code) => done({ code, at: Date.now() })));

  const signedIn = await call(port, 'POST', '/v1/session', {}, ADMIN);
  expect(signedIn.status).toBe(204);
  const cookie = (signedIn.headers['set-cookie'] as string[]).map((c) => c.split(';')[0]).join('; ');
  const events = await openEvents(port, cookie);

  const figures = { acked: [] as string[], afterSignal: 0, serverErrors: 0, others: [] as string[], failedBeforeSignal: 0, cut: 0 };
  let signalledAt: number | undefined;
  const signalAfter = 10 + Math.floor(Math.random() * 20);
  let n = 0;
  const slowForm = (i: number) => ({ name: `Patient Lent ${i}`, phone: `0614${String(i).padStart(6, '0')}`, reason: 'Certificat', urgency: 'soon', confirmBy: 'none', consent: true, lang: 'fr' });
  let slow: Promise<{ status: number; body: any }[]> | undefined;
  /** Two requests left half sent, SIGTERM, and once the drain has begun, the rest of their bodies. */
  const signal = async () => {
    const pending = [halfSent(port, slowForm(1)), halfSent(port, slowForm(2))];
    await new Promise((r) => setTimeout(r, 200));
    signalledAt = Date.now();
    child!.kill('SIGTERM');
    while (!output.join('').includes('"event":"shutdown_started"')) await new Promise((r) => setTimeout(r, 5));
    return Promise.all(pending.map((p) => p.finish()));
  };
  const worker = async () => {
    for (;;) {
      const i = ++n;
      const form = { name: `Patient Arrêt ${i}`, phone: `0613${String(i).padStart(6, '0')}`, reason: 'Renouvellement d’ordonnance', urgency: 'routine', confirmBy: i % 2 ? 'email' : 'none', email: `p${i}@example.org`, consent: true, lang: 'fr' };
      const headers = { 'X-Forwarded-For': `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}` };
      try {
        const answer = await call(port, 'POST', '/v1/practices/cabinet-martin/callbacks', headers, form);
        if (answer.status === 201) {
          figures.acked.push(answer.body.ref);
          if (signalledAt) figures.afterSignal++;
          if (figures.acked.length === signalAfter) slow = signal();
        } else if (answer.status >= 500) figures.serverErrors++;
        else figures.others.push(`${answer.status} ${JSON.stringify(answer.body)}`);
      } catch {
        // Refused once the service stopped listening: never acknowledged, so nothing is owed.
        if (!signalledAt) figures.failedBeforeSignal++;
        else figures.cut++;
        if (signalledAt) return;
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const slowAnswers = await slow!;
  const { code, at: exitAt } = await exited;
  const streamEndedAt = await events.ended;

  expect(code, 'exit code after SIGTERM').toBe(0);
  expect(figures.serverErrors, '5xx answers').toBe(0);
  expect(figures.others, 'answers other than 201').toEqual([]);
  expect(figures.failedBeforeSignal, 'requests that failed before the signal').toBe(0);
  // The requests under way when the drain began were answered after the signal, not cut.
  const log = output.join('');
  const started = /"event":"shutdown_started","requests":(\d+),"streams":(\d+)/.exec(log);
  expect(started, 'shutdown_started logged').not.toBeNull();
  expect(Number(started![1]), 'requests under way when the drain began').toBeGreaterThanOrEqual(2);
  expect(Number(started![2]), 'event streams open when the drain began').toBe(1);
  // Their bodies arrived after the drain had begun: still taken, committed and answered.
  expect(slowAnswers.map((a) => a.status)).toEqual([201, 201]);
  figures.acked.push(...slowAnswers.map((a) => a.body.ref));
  expect(log).not.toMatch(/shutdown_requests_cut|shutdown_outbox_cut/);
  expect(log).toMatch(/"event":"service_stopped"/);
  // Ended by the drain, not by the process exiting: well within the drain's limits, the event stream no obstacle.
  expect(streamEndedAt).toBeGreaterThanOrEqual(signalledAt!);
  expect(exitAt - signalledAt!, 'ms from SIGTERM to exit').toBeLessThan(5_000);

  const db = new Database(dbPath, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const stored = new Set(db.prepare('SELECT ref FROM callbacks').pluck().all() as string[]);
    expect(figures.acked.filter((ref) => !stored.has(ref)), `of ${figures.acked.length} acknowledged, missing from the file`).toEqual([]);
  } finally {
    db.close();
  }
  console.log(
    `shutdown: ${figures.acked.length} acknowledged (${figures.afterSignal + 2} after SIGTERM), ${started![1]} requests under way when the drain began, ` +
      `${figures.cut} refused after, 0 lost, exit 0 in ${exitAt - signalledAt!} ms`,
  );
});
