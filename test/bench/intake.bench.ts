// Intake throughput: durable `POST /callbacks` against a bare Hono echo on the same stack, 50 connections, varied
// patients; on SQLite, on PostgreSQL, and on two instances sharing one PostgreSQL database behind a round-robin proxy.
import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../service/store/open.js';
import { notRun, sideBySide, STORES, type BenchRow } from './bench.js';
import { benchDatabase, stopBenchCluster } from './postgres.js';
import type { ProxyReport } from './round-robin-proxy.js';

const CONNECTIONS = 50;
/** First requests compile code and fill caches: run, then throw away. */
const WARMUP_S = 2;
const MEASURE_S = 8;
const PRACTICE = 'cabinet-martin';
const PATH = `/v1/practices/${PRACTICE}/callbacks`;
const SECRET = 'benchmark-secret-key-long-enough-0000';

/**
 * Patient `n` of the run, distinct from every other: their own address (10.x.y.z, sent as the proxy's
 * X-Forwarded-For) and phone (06 1x xx xx xx), so the per-address (20 / 10 min) and per-phone (5 / h)
 * limits never answer 429 and no request merges into another. One in five asks for an email, to an
 * address of their own (the cap is 3 / h per address); without SMTP_URL the service only logs it.
 */
let patients = 0;
function nextPatient(): { ip: string; body: string } {
  const n = patients++;
  const digits = String(n).padStart(7, '0');
  const email = n % 5 === 0;
  return {
    ip: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
    body: JSON.stringify({
      name: 'Camille Durand',
      phone: `06 1${digits[0]} ${digits.slice(1, 3)} ${digits.slice(3, 5)} ${digits.slice(5, 7)}`,
      ...(email ? { email: `patient${n}@example.org` } : {}),
      reason: n % 2 ? 'Renouvellement d’ordonnance' : 'Question sur un résultat de prise de sang',
      urgency: n % 10 === 0 ? 'soon' : 'routine',
      confirmBy: email ? 'email' : 'none',
      consent: true,
      lang: 'fr',
    }),
  };
}

/** Starts test/bench/intake-server.ts in its own process (tsx as a loader: one process, with IPC) and waits for its URL. */
async function startChild(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const child = fork(fileURLToPath(new URL('./intake-server.ts', import.meta.url)), args, {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    // Its stdout would carry the seed's welcome text; its stderr shows a crash.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { url: string }) => resolve(m.url));
    child.once('exit', (code) => reject(new Error(`intake server (${args[0]}) exited with ${code} before listening`)));
  });
  return { child, url };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send('close');
  const timer = setTimeout(() => {
    console.warn(`intake bench: a server (${child.spawnargs.at(-1)}) had not stopped 5 s after being asked: killed`);
    child.kill();
  }, 5_000);
  await exited;
  clearTimeout(timer);
}

/** Asks a child for its next answer to `message`, the one carrying `key`; a child silent for 30 s fails the scenario. */
function ask<T>(child: ChildProcess, message: string, key: string): Promise<T> {
  const answer = new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', listen);
      reject(new Error(`no answer to '${message}' within 30 s`));
    }, 30_000);
    const listen = (m: Record<string, unknown>) => {
      if (!(key in m)) return;
      clearTimeout(timer);
      child.off('message', listen);
      resolve(m[key] as T);
    };
    child.on('message', listen);
  });
  child.send(message);
  return answer;
}

function load(url: string, duration: number): Promise<autocannon.Result> {
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration,
    requests: [
      {
        method: 'POST',
        path: PATH,
        setupRequest: (request) => {
          const { ip, body } = nextPatient();
          return { ...request, headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': ip }, body };
        },
      },
    ],
  });
}

interface Measured {
  result: autocannon.Result;
  /** The event-loop delay p99 of the server process, the highest of the instances' when there are several. */
  loopP99: number;
  /** With several instances: what the proxy relayed, warm-up included. */
  relayed?: ProxyReport;
  /** Start, warm-up, load and stop, in seconds. */
  seconds: number;
}

/**
 * Starts the servers one after the other (the first on an empty database migrates and seeds it), with the
 * round-robin proxy in front when there are several; warm-up, then the measured load with their event loops watched.
 */
async function measure(servers: string[][]): Promise<Measured> {
  const started = performance.now();
  const measured = await startAndLoad(servers);
  return { ...measured, seconds: (performance.now() - started) / 1000 };
}

async function startAndLoad(servers: string[][]): Promise<Omit<Measured, 'seconds'>> {
  const children: ChildProcess[] = [];
  try {
    const instances: { child: ChildProcess; url: string }[] = [];
    for (const args of servers) {
      const instance = await startChild(args);
      children.push(instance.child);
      instances.push(instance);
    }
    let front = instances[0]!;
    if (instances.length > 1) {
      front = await startChild(['proxy', ...instances.map((i) => i.url)]);
      children.push(front.child);
    }
    await load(front.url, WARMUP_S);
    for (const { child } of instances) child.send('start');
    const result = await load(front.url, MEASURE_S);
    const loops = await Promise.all(instances.map(({ child }) => ask<number>(child, 'stop', 'eventLoopP99')));
    const relayed = instances.length > 1 ? await ask<ProxyReport>(front.child, 'report', 'report') : undefined;
    return { result, loopP99: Math.max(...loops), relayed };
  } finally {
    // The proxy first, then the instances: nothing is relayed to a stopped one.
    for (const child of children.reverse()) await stopChild(child);
  }
}

/**
 * Every 201 the instances gave is stored exactly once: one row per reference they answered, and no row beyond
 * them, read through a store opened afresh on the database once both instances have stopped.
 */
async function checkStoredOnce(databaseUrl: string, relayed: ProxyReport): Promise<{ ok: boolean; said: string }> {
  const store = await openStore({ dbPath: '', databaseUrl, secretKey: SECRET, publicUrl: 'http://127.0.0.1' }, []);
  try {
    const refs = new Set(relayed.created);
    const stored = await store.countCallbacks({ practice: PRACTICE, state: 'all' });
    const all = [...refs];
    let missing = 0;
    for (let i = 0; i < all.length; i += 50) {
      const found = await Promise.all(all.slice(i, i + 50).map((ref) => store.getCallback(ref)));
      missing += found.filter((callback) => !callback).length;
    }
    const repeated = relayed.created.length - refs.size;
    const count = (n: number) => n.toLocaleString('en-US');
    const ok = missing === 0 && repeated === 0 && stored === refs.size;
    const split = relayed.sent.map(count).join(' + ');
    return {
      ok,
      said: ok
        ? `every 201 stored exactly once (${count(relayed.created.length)} 201s, ${count(stored)} rows; requests ${split})`
        : `NOT stored exactly once: ${count(relayed.created.length)} 201s (${count(repeated)} repeated refs), ${count(stored)} rows, ${count(missing)} refs missing`,
    };
  } finally {
    await store.close();
  }
}

/** Answers that are not 2xx (429s, errors) or never came: any at all means the figures above them are not the intake's. */
const failed = (r: autocannon.Result) => r.non2xx + r.errors;

function warnIfFailed(what: string, r: autocannon.Result): void {
  if (failed(r)) console.warn(`intake bench: ${what} had ${r.non2xx} non-2xx answers and ${r.errors} errors (${JSON.stringify(r.statusCodeStats)}): its figures are distorted`);
}

/** One store's rows, in the order every store gives them; the two-instance figures have no target (see below). */
function intakeRows(store: string, measured: Measured, echoRate: number, options: { withoutTargets?: string; note?: string }): BenchRow[] {
  const rate = measured.result.requests.average;
  const target = (t: string) => (options.withoutTargets ? undefined : t);
  return [
    { name: `POST /callbacks req/s, ${CONNECTIONS} connections`, store, value: rate, unit: 'req/s', note: options.note },
    { name: `POST /callbacks req/s as % of echo`, store, value: (100 * rate) / echoRate, unit: '%', target: target('≥ 25 %'), note: options.withoutTargets },
    { name: `POST /callbacks p99 latency`, store, value: measured.result.latency.p99, unit: 'ms', target: target('≤ 25 ms') },
    { name: `POST /callbacks event-loop delay p99 (service process)`, store, value: measured.loopP99, unit: 'ms' },
    { name: `POST /callbacks answers not 2xx or failed`, store, value: failed(measured.result), unit: 'requests', target: '0' },
    { name: `intake scenario time (start, warm-up, load, stop; the check with 2 instances)`, store, value: measured.seconds, unit: 's' },
  ];
}

/** A PostgreSQL scenario, or rows saying why it has no figures; a failure is said in the table and the bench goes on. */
async function onPostgres(store: string, like: BenchRow[], scenario: () => Promise<BenchRow[]>): Promise<BenchRow[]> {
  try {
    return await scenario();
  } catch (err) {
    console.error(`intake bench on ${store} failed:`, err);
    return notRun(like, store, `failed: ${(err as Error).message}`);
  }
}

export async function run(): Promise<BenchRow[]> {
  const echo = await measure([['echo']]);
  const echoRate = echo.result.requests.average;
  warnIfFailed('echo', echo.result);

  const dir = mkdtempSync(join(tmpdir(), 'permanence-bench-'));
  let sqlite: Measured;
  try {
    sqlite = await measure([['service', join(dir, 'intake.db')]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  warnIfFailed('POST /callbacks on SQLite', sqlite.result);
  const sqliteRows = intakeRows(`${STORES.sqlite} (synchronous=FULL)`, sqlite, echoRate, {});

  const postgresRows = await onPostgres(STORES.postgres, sqliteRows, async () => {
    const database = await benchDatabase('intake');
    if ('notRun' in database) return notRun(sqliteRows, STORES.postgres, `not run: ${database.notRun}`);
    const measured = await measure([['service', database.url]]);
    warnIfFailed('POST /callbacks on PostgreSQL', measured.result);
    return intakeRows(STORES.postgres, measured, echoRate, { note: 'fsync and synchronous_commit on' });
  });

  // On two cores the instances, the proxy, the load and PostgreSQL share the same two: what this shows is that
  // sharing one database stays correct, not a speed-up, so its figures carry no target.
  const sharedRows = await onPostgres(STORES.shared, sqliteRows, async () => {
    const database = await benchDatabase('intake_shared');
    if ('notRun' in database) return notRun(sqliteRows, STORES.shared, `not run: ${database.notRun}`);
    const measured = await measure([['service', database.url], ['service', database.url]]);
    warnIfFailed('POST /callbacks on 2 instances', measured.result);
    const checkStarted = performance.now();
    const check = await checkStoredOnce(database.url, measured.relayed!);
    if (!check.ok) console.warn(`intake bench, 2 instances: ${check.said}`);
    measured.seconds += (performance.now() - checkStarted) / 1000;
    return intakeRows(STORES.shared, measured, echoRate, {
      note: `behind a round-robin proxy; ${check.said}`,
      withoutTargets: 'no target: on 2 cores this shows that sharing one database stays correct, not a speed-up',
    });
  });

  return [
    { name: `echo (bare Hono) req/s, ${CONNECTIONS} connections`, value: echoRate, unit: 'req/s' },
    { name: `echo p99 latency`, value: echo.result.latency.p99, unit: 'ms' },
    { name: `echo event-loop delay p99 (server process)`, value: echo.loopP99, unit: 'ms' },
    ...(failed(echo.result) ? [{ name: 'echo answers not 2xx or failed', value: failed(echo.result), unit: 'requests', target: '0' }] : []),
    ...sideBySide(sqliteRows, postgresRows, sharedRows),
  ];
}

// Alone: `npx tsx test/bench/intake.bench.ts`.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    console.table(await run());
  } finally {
    await stopBenchCluster();
  }
}
