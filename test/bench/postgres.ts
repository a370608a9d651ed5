/**
 * The benchmarks' PostgreSQL: one throwaway cluster (test/pg/cluster.ts) started at the first scenario that asks,
 * durable as in production, with a fresh database per scenario; `stopBenchCluster()` stops and removes it.
 */
import postgres from 'postgres';
import { findPostgres, startCluster, type Cluster } from '../pg/cluster.js';

/** What a PostgreSQL row of the table says when it has no figure. */
export type NotRun = { notRun: string };

let cluster: Promise<Cluster | NotRun> | undefined;
let made = 0;

function benchCluster(): Promise<Cluster | NotRun> {
  cluster ??= (async () => {
    const found = findPostgres();
    if ('missing' in found) return { notRun: found.missing };
    try {
      // fsync and synchronous commit on: the SQLite figures beside these are taken with synchronous=FULL.
      const started = await startCluster(found.bin, { durable: true });
      // A signal does not run 'exit' handlers, where the cluster would otherwise stop.
      for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
        process.once(signal, () => {
          started.stop();
          process.exit(code);
        });
      }
      return started;
    } catch (err) {
      return { notRun: (err as Error).message };
    }
  })();
  return cluster;
}

/** A new, empty database for one scenario (the store migrates it when it opens), or why there is none. */
export async function benchDatabase(purpose: string): Promise<{ url: string } | NotRun> {
  const running = await benchCluster();
  if ('notRun' in running) return running;
  const name = `bench_${purpose}_${++made}`;
  const admin = postgres(running.url('postgres'), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE template0`);
  } finally {
    await admin.end();
  }
  return { url: running.url(name) };
}

/** Stops and removes the cluster, if one was started; safe to call more than once. */
export async function stopBenchCluster(): Promise<void> {
  const running = await cluster;
  cluster = undefined;
  if (running && !('notRun' in running)) running.stop();
}
