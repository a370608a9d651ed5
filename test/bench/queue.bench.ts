// The console's two speed promises: the queue read with 100,000 stored requests (on SQLite and on PostgreSQL), and a
// new request reaching an open console over SSE.
import { serve } from '@hono/node-server';
import postgres from 'postgres';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createApp } from '../../service/http/app.js';
import type { Deps } from '../../service/context.js';
import { createSealer } from '../../service/crypto.js';
import { createLogger } from '../../service/log.js';
import { openStore, type StoreConfig } from '../../service/store/open.js';
import { TRANSACTION_MODULES } from '../../service/domain/transactions.js';
import { SEED_QUEUE_MODULE, benchName, seedHistory } from './seed-queue.js';
import { createEventBus } from '../../service/events.js';
import { createPasswordHasher } from '../../service/auth/password.js';
import { demoPractice } from '../../demo/seed.js';
import { notRun, sideBySide, STORES, timeIt, type BenchRow } from './bench.js';
import { benchDatabase, stopBenchCluster } from './postgres.js';

const STORED = 100_000;
const PRACTICES = 50;
/** One request in 199 still open (about 500, ten per practice): a busy day over a long history. */
const OPEN_EVERY = 199;
const PASSWORD = 'benchmark passphrase';
/** A Wednesday morning in Paris: every practice is open. */
const NOW = new Date('2026-11-25T09:00:00Z');

const SECRET = 'benchmark-secret-key-long-enough-0000';
/** Requests per named transaction while seeding: what one commit of the store's writer carries. */
const SEED_BATCH = 5_000;

/** Where the store is: a SQLite file, or a PostgreSQL database. */
type Database = Pick<StoreConfig, 'dbPath' | 'databaseUrl'>;

async function makeDeps(database: Database): Promise<Deps> {
  const sealer = createSealer(SECRET);
  return {
    store: await openStore({ ...database, secretKey: SECRET, publicUrl: 'http://127.0.0.1' }, [...TRANSACTION_MODULES, SEED_QUEUE_MODULE]),
    sealer,
    log: createLogger(() => {}),
    events: createEventBus(),
    passwords: createPasswordHasher({ N: 1024, r: 8, p: 1 }),
    // Behind a proxy, so each simulated patient can have their own address and the intake's per-address brake stays out of the measure.
    config: { publicUrl: 'http://127.0.0.1', trustProxy: true },
    now: () => NOW,
    wakeOutbox: () => {},
    retryOutbox: async () => ({ outcome: 'not_found' }),
  };
}

async function addUser(deps: Deps, email: string, role: 'admin' | 'operator', practices: string[]) {
  await deps.store.createUser({ email, name: email, role, practices, passwordHash: await deps.passwords.hash(PASSWORD) }, NOW.toISOString());
}

async function signIn(fetcher: (path: string, init: RequestInit) => Promise<Response>, email: string): Promise<Record<string, string>> {
  const res = await fetcher('/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  if (res.status !== 204) throw new Error(`sign-in failed: ${res.status}`);
  return { Cookie: res.headers.get('Set-Cookie')!.split(';')[0]! };
}

/**
 * The history seeded through the store, sealed as the service seals, in named transactions of SEED_BATCH requests,
 * then the queue read through the app as a console reads it. Answers the rows, seeding and scenario times last.
 */
async function queueRows(store: string, database: Database): Promise<BenchRow[]> {
  const started = performance.now();
  const slugs = Array.from({ length: PRACTICES }, (_, i) => `cabinet-${String(i).padStart(2, '0')}`);
  const seeding = await makeDeps(database);
  // SQLite's writer runs its statements in-process, one after the other; PostgreSQL's cost a round trip each.
  const seedTogether = database.databaseUrl ? 100 : 1;
  const seedStarted = performance.now();
  try {
    for (const slug of slugs) await seeding.store.savePractice({ ...demoPractice(0), slug }, NOW.toISOString());
    for (let from = 0; from < STORED; from += SEED_BATCH) {
      const slice = { slugs, from, to: Math.min(STORED, from + SEED_BATCH), stored: STORED, openEvery: OPEN_EVERY, now: NOW.getTime(), together: seedTogether };
      await seeding.store.transaction(seedHistory, slice);
    }
  } finally {
    // Closed and opened again, as a restarted service would be: SQLite's store gathers its query statistics then.
    await seeding.store.close();
  }
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  // PostgreSQL's autovacuum would vacuum and analyze the tables within a minute of such a load: done now, rather
  // than waited for or left to run in the middle of the reads.
  if (database.databaseUrl) await vacuumAnalyze(database.databaseUrl);
  const deps = await makeDeps(database);
  try {
    await addUser(deps, 'admin@bench.example', 'admin', []);
    await addUser(deps, 'op@bench.example', 'operator', slugs.slice(0, 3));
    const app = createApp(deps);
    const fetcher = (path: string, init: RequestInit) => Promise.resolve(app.request(path, init));
    const rows: BenchRow[] = [];
    for (const [who, email] of [['operator, 3 practices', 'op@bench.example'], ['admin, 50 practices', 'admin@bench.example']] as const) {
      const headers = await signIn(fetcher, email);
      (globalThis as { gc?: () => void }).gc?.();
      for (const state of ['open', 'done']) {
        const t = await timeIt(async () => {
          const res = await app.request(`/v1/queue?state=${state}`, { headers });
          if (res.status !== 200) throw new Error(`queue answered ${res.status}`);
          await res.arrayBuffer();
        }, 200);
        rows.push({ name: `GET /v1/queue?state=${state} p50 (${who}, 100k stored)`, value: t.p50, unit: 'ms' });
        rows.push({ name: `GET /v1/queue?state=${state} p95 (${who}, 100k stored)`, value: t.p95, unit: 'ms', target: state === 'open' ? '< 5 ms' : undefined });
      }
      // The search box and the filters: last four digits, a word of the name (about 200 patients share it), and a filtered read.
      for (const [what, query] of [
        ['search by last four digits', 'state=all&q=2345'],
        ['search by a name word', `state=all&q=${encodeURIComponent(benchName(12_345).split(' ')[1]!)}`],
        ['filtered (urgent, open)', 'state=open&urgency=urgent'],
      ] as const) {
        const t = await timeIt(async () => {
          const res = await app.request(`/v1/queue?${query}`, { headers });
          if (res.status !== 200) throw new Error(`queue answered ${res.status}`);
          await res.arrayBuffer();
        }, 200);
        rows.push({ name: `GET /v1/queue ${what} p95 (${who}, 100k stored)`, value: t.p95, unit: 'ms', target: '< 5 ms' });
      }
    }
    // The query alone, as the store runs it for the route: what an index can change.
    const query = await timeIt(() => deps.store.listQueue({ state: 'open', limit: 101 }), 200);
    rows.push({ name: 'store.listQueue open, 100 rows (admin), 100k stored p95', value: query.p95, unit: 'ms', target: '< 5 ms' });
    rows.push({
      name: `queue seeding: ${STORED.toLocaleString('en-US')} sealed requests, ${SEED_BATCH.toLocaleString('en-US')} per transaction`,
      value: seedSeconds,
      unit: 's',
      note: seedTogether > 1 ? `${seedTogether} requests' statements pipelined at once` : undefined,
    });
    rows.push({ name: 'queue scenario time (seeding, reads)', value: (performance.now() - started) / 1000, unit: 's' });
    return rows.map((row) => ({ ...row, store }));
  } finally {
    await deps.store.close();
  }
}

async function vacuumAnalyze(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe('VACUUM ANALYZE');
  } finally {
    await sql.end();
  }
}

async function sqliteQueueRows(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'permanence-bench-'));
  try {
    return await queueRows(STORES.sqlite, { dbPath: join(dir, 'queue.db') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same on a fresh PostgreSQL database, or rows saying why not; a failure is said in the table and the bench goes on. */
async function postgresQueueRows(like: BenchRow[]): Promise<BenchRow[]> {
  try {
    const database = await benchDatabase('queue');
    if ('notRun' in database) return notRun(like, STORES.postgres, `not run: ${database.notRun}`);
    return await queueRows(STORES.postgres, { dbPath: '', databaseUrl: database.url });
  } catch (err) {
    console.error('queue bench on PostgreSQL failed:', err);
    return notRun(like, STORES.postgres, `failed: ${(err as Error).message}`);
  }
}

/** Time from a patient's submit to the `callback.created` event read by a console connected to a real server. */
async function sseRows(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'permanence-bench-'));
  const deps = await makeDeps({ dbPath: join(dir, 'sse.db') });
  await deps.store.savePractice({ ...demoPractice(0), allowedOrigins: [] }, NOW.toISOString());
  await addUser(deps, 'op@bench.example', 'operator', ['cabinet-martin']);
  const app = createApp(deps);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fetcher = (path: string, init: RequestInit) => fetch(base + path, init);
  const abort = new AbortController();
  try {
    const headers = await signIn(fetcher, 'op@bench.example');
    const res = await fetch(base + '/v1/events', { headers, signal: abort.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const waiting = new Map<string, (at: number) => void>();
    const early = new Map<string, number>();
    void (async () => {
      for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done) return;
        const at = performance.now();
        buffer += decoder.decode(value);
        for (const match of buffer.matchAll(/event: callback\.created\ndata: (.*)\n/g)) {
          const { ref } = JSON.parse(match[1]!) as { ref: string };
          const resolve = waiting.get(ref);
          if (resolve) resolve(at);
          else early.set(ref, at);
        }
        buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
      }
    })();

    const samples: number[] = [];
    for (let i = 0; i < 60; i++) {
      const start = performance.now();
      const submit = await fetch(base + '/v1/practices/cabinet-martin/callbacks', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `198.51.100.${i + 1}` },
        body: JSON.stringify({
          name: 'Camille Durand', phone: `06 12 34 56 ${String(i).padStart(2, '0')}`, reason: 'Renouvellement d’ordonnance',
          urgency: 'routine', confirmBy: 'none', consent: true, lang: 'fr',
        }),
      });
      if (submit.status !== 201) throw new Error(`submit answered ${submit.status}: ${await submit.text()}`);
      const { ref } = (await submit.json()) as { ref: string };
      const received = early.get(ref) ?? (await new Promise<number>((resolve) => waiting.set(ref, resolve)));
      // The first ten warm up the JIT and the connection pool.
      if (i >= 10) samples.push(received - start);
    }
    samples.sort((a, b) => a - b);
    const p95 = samples[Math.floor(0.95 * samples.length)]!;
    return [{ name: 'submit → SSE callback.created p95 (50 submits, real server)', store: STORES.sqlite, value: p95, unit: 'ms', target: '< 250 ms' }];
  } finally {
    abort.abort();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await deps.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchRow[]> {
  const sqlite = await sqliteQueueRows();
  return [...sideBySide(sqlite, await postgresQueueRows(sqlite)), ...(await sseRows())];
}

// Alone: `npx tsx test/bench/queue.bench.ts`.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    console.table(await run());
  } finally {
    await stopBenchCluster();
  }
}
