/**
 * Several instances on one database (issue 13): a throwaway PostgreSQL cluster (test/pg), instance A as a child process
 * (`node --import tsx service/server.ts`, so that it can be killed with SIGKILL) and instance B in this process through
 * `startServer`, each with its own outbox worker, and a real SMTP server. Through their HTTP APIs only: a session opened
 * on one works on the other; a request taken on A reaches a console connected to B within a second; two operators
 * claiming one request on A and B get one 200 and one 409; a burst from one address spread over both meets the per-address
 * limit once, and so do failed sign-ins; 30 confirmations leave exactly once; B hears events again after its LISTEN
 * connection is cut; and a kill -9 of A under load loses no acknowledged request while B keeps answering.
 * Without PostgreSQL installed, left out with one line (an error with PERMANENCE_REQUIRE_POSTGRES or CI set).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { findPostgres, startCluster, type Cluster } from '../pg/cluster.js';
import { call as callPort } from './service-process.js';
import { loadConfig } from '../../service/env.js';
import { memoryLogger } from '../../service/log.js';
import { startServer, type RunningService } from '../../service/server.js';
import { EVENTS_APPLICATION } from '../../service/events-postgres.js';
import { INTAKE_LIMITS } from '../../service/domain/intake.js';
import { eventually, freePort, startSmtp } from './harness.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ADMIN = { email: 'admin@instances.test', password: 'instances-test-admin-password' };
const OPERATOR_PASSWORD = 'instances-test-operator-password';
/** The whole file's budget: the cluster, two instances, every step. */
const BUDGET_MS = 120_000;

const found = findPostgres();
if ('missing' in found) {
  const required = (process.env.CI && process.env.CI !== 'false') || process.env.PERMANENCE_REQUIRE_POSTGRES;
  if (required) throw new Error(`test/e2e/instances.test.ts needs PostgreSQL: ${found.missing}`);
  console.warn(`test/e2e/instances.test.ts did not run: ${found.missing}`);
}

/** One HTTP exchange with the instance at `base`, on a fresh connection (none pooled survives a kill). */
const call = (base: string, method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
  callPort(Number(new URL(base).port), method, path, headers, body);

async function signIn(base: string, email: string, password: string): Promise<Record<string, string>> {
  const answer = await call(base, 'POST', '/v1/session', {}, { email, password });
  if (answer.status !== 204) throw new Error(`sign-in of ${email} on ${base} answered ${answer.status}`);
  const cookie = (answer.headers['set-cookie'] as string[]).map((c) => c.split(';')[0]!).find((c) => c.startsWith('permanence_session'))!;
  const me = await call(base, 'GET', '/v1/me', { Cookie: cookie });
  return { Cookie: cookie, 'X-CSRF-Token': me.body.csrfToken };
}

let seq = 0;
/** A patient's form, each one another person (own name and phone), from the address given. */
function form(overrides: Record<string, unknown> = {}) {
  const n = ++seq;
  return {
    name: `Patient Instances ${n}`,
    phone: `0613${String(n).padStart(6, '0')}`,
    email: `patient${n}@example.org`,
    reason: 'Renouvellement d’ordonnance',
    urgency: 'routine',
    confirmBy: 'none',
    consent: true,
    lang: 'fr',
    ...overrides,
  };
}
/** A client address of its own for each request, so no per-address limit is met by accident. */
const address = () => `10.${(seq >> 16) & 255}.${(seq >> 8) & 255}.${seq & 255}`;
const submit = (base: string, overrides: Record<string, unknown> = {}, ip = address()) =>
  call(base, 'POST', '/v1/practices/cabinet-martin/callbacks', { 'X-Forwarded-For': ip }, form(overrides));

/** A console's event stream on one instance: every event heard, with when. */
async function openEvents(base: string, session: Record<string, string>) {
  const controller = new AbortController();
  const res = await fetch(`${base}/v1/events`, { headers: { Cookie: session.Cookie!, Accept: 'text/event-stream' }, signal: controller.signal });
  expect(res.status).toBe(200);
  const heard: { type: string; ref: string; at: number }[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let connected: () => void = () => {};
  const ready = new Promise<void>((resolve) => (connected = resolve));
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.includes(': connected')) connected();
        const type = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (type && data) heard.push({ type, ref: JSON.parse(data).ref, at: performance.now() });
      }
    }
  })().catch(() => {});
  await ready;
  return { heard, close: () => controller.abort() };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (ms: number) => Math.round(ms * 10) / 10;

describe.runIf(!('missing' in found))('two instances on one PostgreSQL database', () => {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'permanence-instances-'));
  const output: string[] = [];
  const figures: Record<string, unknown> = {};
  let cluster: Cluster;
  let databaseUrl: string;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let childA: ChildProcess;
  let instanceB: RunningService;
  const logB = memoryLogger();
  let A: string;
  let B: string;
  let admin: Record<string, string>;

  beforeAll(async () => {
    cluster = await startCluster((found as { bin: string }).bin);
    const maintenance = postgres(cluster.url('postgres'), { max: 1, onnotice: () => {} });
    await maintenance.unsafe('CREATE DATABASE permanence');
    await maintenance.end();
    databaseUrl = cluster.url('permanence');
    smtp = await startSmtp();
    const [portA, portB] = [await freePort(), await freePort()];
    [A, B] = [`http://127.0.0.1:${portA}`, `http://127.0.0.1:${portB}`];
    const env = {
      DATABASE_URL: databaseUrl,
      SECRET_KEY: 'instances-test-secret-key-0123456789abcdef',
      HOST: '127.0.0.1',
      DEMO_PORT: '0',
      TRUST_PROXY: '1',
      SMTP_URL: smtp.url,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    };
    // A first: it migrates and seeds the empty database; B finds both done.
    childA = spawn(process.execPath, ['--import', 'tsx', 'service/server.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, TMPDIR: dir, PORT: String(portA), PUBLIC_URL: A, ...env },
    });
    childA.stdout!.on('data', (chunk) => output.push(String(chunk)));
    childA.stderr!.on('data', (chunk) => output.push(String(chunk)));
    await new Promise<void>((ready, fail) => {
      childA.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('service_started') && ready());
      childA.once('exit', (code) => fail(new Error(`instance A exited with ${code}: ${output.join('')}`)));
    });
    instanceB = await startServer(loadConfig({ ...env, PORT: String(portB), PUBLIC_URL: B }), { log: logB });
    admin = await signIn(A, ADMIN.email, ADMIN.password);
    for (const email of ['op1@instances.test', 'op2@instances.test']) {
      const created = await call(A, 'POST', '/v1/users', admin, { email, name: email.split('@')[0], role: 'operator', practices: ['cabinet-martin'], password: OPERATOR_PASSWORD });
      expect(created.status).toBe(201);
    }
    figures.startMs = round(performance.now() - started);
  }, 60_000);

  afterAll(async () => {
    if (childA && childA.exitCode === null && childA.signalCode === null) childA.kill('SIGKILL');
    await instanceB?.stop();
    await smtp?.close();
    cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
    figures.totalMs = round(performance.now() - started);
    console.log(`instances: ${JSON.stringify(figures)}`);
    expect(performance.now() - started, 'the file’s time budget').toBeLessThan(BUDGET_MS);
  }, 30_000);

  it('keeps a session opened on A valid on B: sessions live in the database', async () => {
    const me = await call(B, 'GET', '/v1/me', { Cookie: admin.Cookie! });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(ADMIN.email);
    // And a write with it on B, CSRF token included.
    const out = await call(B, 'DELETE', '/v1/session', admin);
    expect(out.status).toBe(204);
    expect((await call(A, 'GET', '/v1/me', { Cookie: admin.Cookie! })).status).toBe(401);
    admin = await signIn(B, ADMIN.email, ADMIN.password);
  });

  it('shows a request taken by A within a second in a console connected to B', async () => {
    const watcher = await openEvents(B, admin);
    try {
      const latencies: number[] = [];
      for (let i = 0; i < 20; i++) {
        const sent = performance.now();
        const answer = await submit(A);
        expect(answer.status).toBe(201);
        const ref = answer.body.ref as string;
        const event = await eventually(() => watcher.heard.find((e) => e.ref === ref), 2000);
        expect(event.type).toBe('callback.created');
        latencies.push(event.at - sent);
      }
      figures.eventAtoB = { medianMs: round(median(latencies)), maxMs: round(Math.max(...latencies)) };
      expect(Math.max(...latencies)).toBeLessThan(1000);
      // Each event once.
      expect(new Set(watcher.heard.map((e) => `${e.type} ${e.ref}`)).size).toBe(watcher.heard.length);
    } finally {
      watcher.close();
    }
  });

  it('gives a request claimed on A to nobody else on B: 409, and of two claims at once one wins', async () => {
    const [op1, op2] = [await signIn(A, 'op1@instances.test', OPERATOR_PASSWORD), await signIn(B, 'op2@instances.test', OPERATOR_PASSWORD)];
    const first = (await submit(A)).body.ref as string;
    expect((await call(A, 'POST', `/v1/callbacks/${first}/claim`, op1)).status).toBe(200);
    const taken = await call(B, 'POST', `/v1/callbacks/${first}/claim`, op2);
    expect([taken.status, taken.body.error?.code]).toEqual([409, 'claimed']);
    for (let i = 0; i < 5; i++) {
      const ref = (await submit(B)).body.ref as string;
      const claims = await Promise.all([call(A, 'POST', `/v1/callbacks/${ref}/claim`, op1), call(B, 'POST', `/v1/callbacks/${ref}/claim`, op2)]);
      expect(claims.map((c) => c.status).sort()).toEqual([200, 409]);
    }
  });

  it(`meets the per-address limit once when a burst of 60 from one address is spread over A and B`, async () => {
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => submit(i % 2 ? A : B, {}, '203.0.113.77')));
    const statuses = answers.map((a) => a.status);
    figures.burst = { accepted: statuses.filter((s) => s === 201).length, refused: statuses.filter((s) => s === 429).length };
    expect(statuses.filter((s) => s === 201)).toHaveLength(INTAKE_LIMITS.perIp.limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(60 - INTAKE_LIMITS.perIp.limit);
  });

  it('brakes failed sign-ins counted on both instances: the 6th for one account from one address is refused on either', async () => {
    const from = { 'X-Forwarded-For': '198.51.100.23' };
    for (let i = 0; i < 5; i++) {
      expect((await call(i % 2 ? A : B, 'POST', '/v1/session', from, { email: 'op1@instances.test', password: `guess ${i}` })).status).toBe(401);
    }
    for (const base of [A, B]) expect((await call(base, 'POST', '/v1/session', from, { email: 'op1@instances.test', password: OPERATOR_PASSWORD })).status).toBe(429);
  });

  it('delivers 30 confirmations exactly once while both instances work the outbox', async () => {
    const began = performance.now();
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => submit(i % 2 ? A : B, { confirmBy: 'email', email: `patient${i}@thirty.test` })));
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(201));
    const ours = () => smtp.mails.filter((m) => m.to.some((to) => to.endsWith('@thirty.test')));
    await eventually(() => (ours().length >= 30 ? true : undefined), 20_000);
    figures.thirtyConfirmationsMs = round(performance.now() - began);
    // Time for a second sending, were there one: more than a pass of each worker.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const recipients = ours().flatMap((m) => m.to);
    expect(recipients).toHaveLength(30);
    expect(new Set(recipients).size).toBe(30);
    // Each tried once: a second try, even one that failed, would count.
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const [row] = await sql`SELECT count(*)::int AS n, count(*) FILTER (WHERE state = 'sent')::int AS sent, max(tries) AS tries FROM outbox WHERE purpose = 'confirmation'`;
      expect(row).toEqual({ n: 30, sent: 30, tries: 1 });
    } finally {
      await sql.end();
    }
  });

  it('hears events again on B after its LISTEN connection is cut', async () => {
    const watcher = await openEvents(B, admin);
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const cut = await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ${EVENTS_APPLICATION} AND query ILIKE 'listen%'`;
      expect(cut.length).toBeGreaterThanOrEqual(2);
      const since = performance.now();
      // Events published while a listener is down are lost to it: publish until one arrives.
      await eventually(async () => {
        const ref = (await submit(A)).body.ref as string;
        await new Promise((resolve) => setTimeout(resolve, 100));
        return watcher.heard.some((e) => e.ref === ref) || undefined;
      }, 15_000);
      figures.listenBackMs = round(performance.now() - since);
      // What A did while B was not listening, B's consoles may not know: B's stream tells them to read again.
      await eventually(() => watcher.heard.some((e) => e.type === 'resync') || undefined, 15_000);
    } finally {
      watcher.close();
      await sql.end();
    }
  });

  it('loses no acknowledged request when A is killed with SIGKILL under load, and B keeps answering', async () => {
    const acked: string[] = [];
    let ackedByA = 0;
    let unanswered = 0;
    let killedAt = 0;
    const fromB = { before: 0, after: 0, serverErrors: 0 };
    let stop = false;
    const worker = async (i: number) => {
      while (!stop) {
        const base = i % 2 && !killedAt ? A : B;
        const n = seq + 1;
        try {
          const answer = await submit(base, { confirmBy: n % 2 ? 'email' : 'none', email: `patient${n}@kill.test` });
          if (answer.status === 201) acked.push(answer.body.ref);
          if (base === A && answer.status === 201) ackedByA++;
          if (base === B) {
            if (answer.status >= 500) fromB.serverErrors++;
            else if (answer.status === 201) fromB[killedAt ? 'after' : 'before']++;
          }
        } catch {
          // No answer (A killed mid-request): not acknowledged.
          unanswered++;
        }
      }
    };
    const load = Promise.all(Array.from({ length: 16 }, (_, i) => worker(i)));
    await eventually(() => (acked.length >= 40 ? true : undefined), 20_000);
    childA.kill('SIGKILL');
    await new Promise((resolve) => childA.once('exit', resolve));
    killedAt = performance.now();
    await eventually(() => (fromB.after >= 40 ? true : undefined), 20_000);
    stop = true;
    await load;
    figures.kill = { acknowledged: acked.length, acknowledgedByA: ackedByA, unansweredByA: unanswered, answeredByBAfterKill: fromB.after };
    expect(ackedByA).toBeGreaterThan(0);
    expect(fromB.serverErrors).toBe(0);
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const stored = new Set((await sql`SELECT ref FROM callbacks`).map((row) => row.ref as string));
      expect(acked.filter((ref) => !stored.has(ref))).toEqual([]);
    } finally {
      await sql.end();
    }
    const after = await submit(B);
    expect(after.status).toBe(201);
    expect((await call(B, 'GET', `/v1/callbacks/${after.body.ref}`, admin)).status).toBe(200);
  }, 60_000);
});
