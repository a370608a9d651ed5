/**
 * Stores for tests, on the store the project runs on: SQLite as asked (`:memory:` or a file), or, in the PostgreSQL
 * project (PERMANENCE_TEST_STORE=postgres), a database of its own. A test that asked for a SQLite file keeps it: it
 * reads or restores that file on purpose.
 *
 * A test file's first database is copied from the migrated template (about 0.1 s); once the test that held it is
 * over (test/pg/setup.ts), its stores are closed and it is emptied (every row deleted, identities restarted: a few
 * milliseconds) for the file's next test. The file's databases are dropped after its last test.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { expect, inject } from 'vitest';
import { openStore, type StoreConfig } from '../../service/store/open.js';
import type { Store } from '../../service/store/store.js';
import { TEMPLATE } from './context.js';

export const onPostgres = () => process.env.PERMANENCE_TEST_STORE === 'postgres';

interface TestDatabase {
  name: string;
  url: string;
  /** A connection of the harness's own, to empty it. */
  own: postgres.Sql;
  /** Whose it is: the test that took it (undefined outside any test, as in beforeAll), or nobody's (free). */
  holder: { test: string | undefined } | null;
  stores: Store[];
  /** Made empty (not from the template): dropped rather than emptied once given back. */
  blank?: boolean;
}

const databases: TestDatabase[] = [];
let admin: postgres.Sql | undefined;
let made = 0;
let emptying: string | undefined;

const client = (url: string) => postgres(url, { max: 1, onnotice: () => {} }) as unknown as postgres.Sql;

function maintenance(): postgres.Sql {
  admin ??= client(inject('postgres').url);
  return admin;
}

/** A migrated, empty database held by the running test (or by the file, outside a test); answers its name and URL. */
export async function freshDatabase(): Promise<{ name: string; url: string }> {
  const test = expect.getState().currentTestName;
  let db = databases.find((d) => d.holder === null);
  if (!db) {
    const name = `test_${process.pid}_${++made}_${Math.random().toString(36).slice(2, 8)}`;
    await maintenance().unsafe(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`);
    const url = new URL(inject('postgres').url);
    url.pathname = `/${name}`;
    db = { name, url: url.toString(), own: client(url.toString()), holder: null, stores: [] };
    databases.push(db);
  }
  db.holder = { test };
  return db;
}

/** A database with nothing in it, not even the schema, held by the running test: dropped after it. */
export async function blankDatabase(): Promise<{ name: string; url: string }> {
  const name = `blank_${process.pid}_${++made}_${Math.random().toString(36).slice(2, 8)}`;
  await maintenance().unsafe(`CREATE DATABASE ${name} TEMPLATE template0`);
  const url = new URL(inject('postgres').url);
  url.pathname = `/${name}`;
  databases.push({ name, url: url.toString(), own: client(url.toString()), holder: { test: expect.getState().currentTestName }, stores: [], blank: true });
  return { name, url: url.toString() };
}

/** `openStore()` as the tests' project runs it: on PostgreSQL, unless a SQLite file was asked for. */
export async function openTestStore(config: Omit<StoreConfig, 'databaseUrl'>, transactionModules: string[]): Promise<Store> {
  if (!onPostgres() || config.dbPath !== ':memory:') return openStore(config, transactionModules);
  const { name, url } = await freshDatabase();
  const store = await openStore({ ...config, databaseUrl: url }, transactionModules);
  databases.find((db) => db.name === name)!.stores.push(store);
  return store;
}

/** Gives back the databases a test held (`test`), or all of them at the end of the file (`file`: dropped). */
export async function releaseDatabases(which: 'test' | 'file', test?: string): Promise<void> {
  for (const db of databases.filter((d) => which === 'file' || (d.holder && d.holder.test === test))) {
    await Promise.all(db.stores.splice(0).map((store) => store.close().catch(() => {})));
    if (which === 'test' && !db.blank) {
      await empty(db);
      db.holder = null;
      continue;
    }
    await db.own.end();
    databases.splice(databases.indexOf(db), 1);
    await maintenance().unsafe(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`);
  }
  if (which === 'file') {
    await admin?.end();
    admin = undefined;
  }
}

/** Gives back one database now (a test that manages its own). */
export async function releaseDatabase(name: string): Promise<void> {
  const db = databases.find((d) => d.name === name);
  if (!db) return;
  await Promise.all(db.stores.splice(0).map((store) => store.close().catch(() => {})));
  await empty(db);
  db.holder = null;
}

/** Every row deleted (foreign keys set aside meanwhile) and every identity restarted: the database as copied. */
async function empty(db: TestDatabase): Promise<void> {
  emptying ??= await emptyingSql(db.own);
  await db.own.unsafe(emptying);
}

async function emptyingSql(sql: postgres.Sql): Promise<string> {
  const tables = await sql.unsafe(`SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_version'`);
  const identities = await sql.unsafe(
    `SELECT pg_get_serial_sequence(quote_ident(table_name), column_name) AS seq FROM information_schema.columns WHERE table_schema = 'public' AND is_identity = 'YES'`,
  );
  return [
    'SET session_replication_role = replica',
    ...tables.map((t) => `DELETE FROM ${t.name}`),
    ...identities.map((i) => `SELECT setval('${i.seq}', 1, false)`),
    'RESET session_replication_role',
  ].join(';\n');
}

/**
 * Everything PostgreSQL has written to disk for one database (its tables and indexes), after a checkpoint has
 * written out what was only in memory: what a stolen disk would show.
 */
export async function databaseBytes(name: string): Promise<Buffer> {
  const sql = maintenance();
  await sql.unsafe('CHECKPOINT');
  const [row] = await sql.unsafe('SELECT oid FROM pg_database WHERE datname = $1', [name]);
  const dir = join(inject('postgres').dataDir, 'base', String(row!.oid));
  return Buffer.concat(readdirSync(dir).filter((file) => statSync(join(dir, file)).isFile()).map((file) => readFileSync(join(dir, file))));
}
