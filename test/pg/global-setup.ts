/**
 * The PostgreSQL project's global setup: one throwaway cluster for the whole run, with a template database already
 * migrated, which test files copy their databases from (test/pg/store.ts). Stopped and removed after the run.
 */
import type { TestProject } from 'vitest/node';
import postgres from 'postgres';
import { openPostgresStore } from '../../service/store/postgres/store.js';
import { findPostgres, startCluster } from './cluster.js';
import { TEMPLATE, type PostgresContext } from './context.js';

export default async function setup(project: TestProject): Promise<() => void> {
  const found = findPostgres();
  if ('missing' in found) throw new Error(`PostgreSQL tests cannot run: ${found.missing}`);
  const cluster = await startCluster(found.bin);
  try {
    const admin = postgres(cluster.url('postgres'), { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${TEMPLATE}`);
    await admin.end();
    // Migrated once here; the key only matters to migrations that seal (none on an empty database).
    const store = await openPostgresStore({ url: cluster.url(TEMPLATE), secretKey: 'template-key-that-seals-nothing-0000000', previousKeys: [], publicUrl: 'http://localhost' });
    await store.close();
  } catch (err) {
    cluster.stop();
    throw err;
  }
  project.provide('postgres', { url: cluster.url('postgres'), dataDir: `${cluster.dir}/data` } satisfies PostgresContext);
  return () => cluster.stop();
}
