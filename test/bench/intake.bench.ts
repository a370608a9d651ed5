// Intake throughput: durable `POST /callbacks` against a bare Hono echo on the same stack, 50 connections, varied patients.
import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './bench.js';

const CONNECTIONS = 50;
/** First requests compile code and fill caches: run, then throw away. */
const WARMUP_S = 2;
const MEASURE_S = 8;
const PATH = '/v1/practices/cabinet-martin/callbacks';

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
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send('close');
  const timer = setTimeout(() => child.kill(), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Asks the child for its event-loop delay p99 (ms) over the load since `start`. */
function eventLoopP99(child: ChildProcess): Promise<number> {
  const answer = new Promise<number>((resolve) => child.once('message', (m: { eventLoopP99: number }) => resolve(m.eventLoopP99)));
  child.send('stop');
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

/** Warm-up, then the measured load with the child's event loop watched. */
async function measure(args: string[]) {
  const { child, url } = await startChild(args);
  try {
    await load(url, WARMUP_S);
    child.send('start');
    const result = await load(url, MEASURE_S);
    return { result, loopP99: await eventLoopP99(child) };
  } finally {
    await stopChild(child);
  }
}

export async function run(): Promise<BenchRow[]> {
  const echo = await measure(['echo']);
  const dir = mkdtempSync(join(tmpdir(), 'permanence-bench-'));
  let post: Awaited<ReturnType<typeof measure>>;
  try {
    post = await measure(['service', join(dir, 'intake.db')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const echoRate = echo.result.requests.average;
  const postRate = post.result.requests.average;
  // Answers that are not 2xx (429s, errors) or never came: any at all means the figures above them are not the intake's.
  const failed = (r: autocannon.Result) => r.non2xx + r.errors;
  const rows: BenchRow[] = [
    { name: `echo (bare Hono) req/s, ${CONNECTIONS} connections`, value: echoRate, unit: 'req/s' },
    { name: `echo p99 latency`, value: echo.result.latency.p99, unit: 'ms' },
    { name: `echo event-loop delay p99 (server process)`, value: echo.loopP99, unit: 'ms' },
    { name: `POST /callbacks req/s, ${CONNECTIONS} connections (synchronous=FULL)`, value: postRate, unit: 'req/s' },
    { name: `POST /callbacks req/s as % of echo`, value: (100 * postRate) / echoRate, unit: '%', target: '≥ 25 %' },
    { name: `POST /callbacks p99 latency`, value: post.result.latency.p99, unit: 'ms', target: '≤ 25 ms' },
    { name: `POST /callbacks event-loop delay p99 (service process)`, value: post.loopP99, unit: 'ms' },
    { name: `POST /callbacks answers not 2xx or failed`, value: failed(post.result), unit: 'requests', target: '0' },
  ];
  if (failed(echo.result)) rows.push({ name: 'echo answers not 2xx or failed', value: failed(echo.result), unit: 'requests', target: '0' });
  for (const [what, r] of [['echo', echo.result], ['POST /callbacks', post.result]] as const) {
    if (failed(r)) console.warn(`intake bench: ${what} had ${r.non2xx} non-2xx answers and ${r.errors} errors (${JSON.stringify(r.statusCodeStats)}): its figures are distorted`);
  }
  return rows;
}

// Alone: `npx tsx test/bench/intake.bench.ts`.
if (process.argv[1] === fileURLToPath(import.meta.url)) console.table(await run());
