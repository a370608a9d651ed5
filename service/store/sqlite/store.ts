/**
 * The `Store` on SQLite. For a database file: a writer thread owns the one write connection and
 * commits in groups (writer.ts), while reads go through a read-only connection of their own in the
 * service's thread (WAL lets them run beside the writer). `:memory:` is one connection in the
 * service's thread, with the same group commit: for tests and trials.
 */
import { Worker } from 'node:worker_threads';
import { createSealer } from '../../crypto.js';
import { sealStore } from '../sealed.js';
import type { Store, Transaction } from '../store.js';
import type { QueriesAtRest, StoreAtRest } from '../at-rest.js';
import type Database from 'better-sqlite3';
import { backupTo } from './backup.js';
import { migrate, openConnection } from './connection.js';
import { promisify } from './promisify.js';
import { SqliteQueries } from './queries.js';
import { BatchWriter, fromThreadError, type WriteJob } from './writer.js';
import type { FromWriter, ToWriter, WriterData } from './writer-thread.js';

export interface SqliteOptions {
  path: string;
  secretKey: string;
  /** Earlier keys, still opening and matching what they sealed until `rekey` has run. */
  previousKeys: string[];
  publicUrl: string;
  /** Modules declaring the transactions the store will be asked to run (see `transaction()` in store.ts). */
  transactionModules: string[];
}

/** The store's methods that change something: they go to the writer; every other one reads. */
const WRITES = new Set<keyof QueriesAtRest>([
  'savePractice', 'createUser', 'updateUser',
  'createSession', 'touchSession', 'deleteSession', 'deleteUserSessions', 'purgeSessions',
  'insertCallback', 'mergeIntoCallback', 'cancelCallback', 'claimCallback', 'releaseClaim', 'releaseIdleClaims',
  'insertAttempt', 'applyAttempt', 'markAttemptUndone', 'reopenCallback', 'closeAsDuplicate', 'insertMessage', 'markMessageRead',
  'acknowledgeMessage', 'recordEscalation', 'insertReply', 'requeueCallback', 'closeEscalationItem', 'claimDigest',
  'enqueue', 'markSent', 'markFailed', 'recordDeliveryReport',
  'startIdempotency', 'finishIdempotency', 'deleteIdempotency', 'purgeIdempotency',
  'purgeClosed', 'eraseByPhone', 'eraseByEmail', 'audit', 'rememberSigninPlaces',
]);

export async function openSqliteStore(options: SqliteOptions): Promise<Store> {
  const sealer = createSealer(options.secretKey, options.previousKeys);
  let write: (job: WriteJob) => Promise<unknown>;
  let reads: SqliteQueries;
  let readConnection: Database.Database;
  let close: () => Promise<void>;
  if (options.path === ':memory:') {
    for (const module of options.transactionModules) await import(module);
    const db = openConnection(':memory:');
    migrate(db, sealer);
    const writer = new BatchWriter(db, { sealer, publicUrl: options.publicUrl });
    write = (job) => writer.submit(job);
    reads = new SqliteQueries(db);
    readConnection = db;
    close = async () => {
      await writer.idle();
      db.close();
    };
  } else {
    const thread = await startWriterThread(options);
    write = thread.write;
    // Opened after the writer has created and migrated the file.
    const reader = openConnection(options.path, { readonly: true });
    reads = new SqliteQueries(reader);
    readConnection = reader;
    close = async () => {
      await thread.close();
      reader.close();
    };
  }

  const readQueries = promisify(reads);
  const scrub = async () => void (await write({ kind: 'scrub' }));
  const rekey = async () => (await write({ kind: 'rekey' })) as number;
  const writers = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  const transaction = (work: Transaction<unknown, unknown>, args: unknown) => write({ kind: 'transaction', name: work.name, args });
  const raw = new Proxy({} as StoreAtRest, {
    get(_target, method: string) {
      if (method === 'transaction') return transaction;
      if (method === 'close') return close;
      if (method === 'backup') return async (file: string) => backupTo(readConnection, file);
      if (method === 'scrub') return scrub;
      if (method === 'rekey') return rekey;
      if (!WRITES.has(method as keyof QueriesAtRest)) return readQueries[method as keyof QueriesAtRest];
      let writer = writers.get(method);
      if (!writer) writers.set(method, (writer = (...args: unknown[]) => write({ kind: 'call', method: method as keyof QueriesAtRest, args })));
      return writer;
    },
  });
  return sealStore(raw, sealer);
}

/** Starts the writer thread and answers once it has opened and migrated the database. */
async function startWriterThread(options: SqliteOptions): Promise<{ write(job: WriteJob): Promise<unknown>; close(): Promise<void> }> {
  const entry = new URL('./writer-thread.js', import.meta.url);
  const data: WriterData = {
    path: options.path,
    secretKey: options.secretKey,
    previousKeys: options.previousKeys,
    publicUrl: options.publicUrl,
    transactionModules: options.transactionModules,
  };
  const worker = typeScriptSource(import.meta.url)
    ? // Run from TypeScript sources (tsx, vitest): the thread needs tsx's loader before it can import them.
      new Worker(
        `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href.replace(/\.js$/, '.ts'))}); })`,
        { eval: true, workerData: data },
      )
    : new Worker(entry, { workerData: data });

  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  let nextId = 1;
  let failure: Error | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: FromWriter) => {
      if ('ready' in message) return resolve();
      if ('failed' in message) return reject(new Error(`SQLite writer could not start: ${message.failed}`));
      for (const answer of message.answers) {
        const pending = waiting.get(answer.id);
        waiting.delete(answer.id);
        if (answer.ok) pending?.resolve(answer.value);
        else pending?.reject(fromThreadError(answer.error));
      }
    });
    worker.on('error', (err) => {
      failure = err;
      reject(err);
      for (const pending of waiting.values()) pending.reject(err);
      waiting.clear();
    });
  });
  await ready;

  // Jobs of one turn of the event loop leave in one message (setImmediate: after every request read in this turn).
  const outgoing: { id: number; job: WriteJob }[] = [];
  const flush = () => {
    if (outgoing.length) worker.postMessage({ jobs: outgoing.splice(0) } satisfies ToWriter);
  };
  const expect = (id: number) =>
    new Promise<unknown>((resolve, reject) => {
      if (failure) return reject(failure);
      waiting.set(id, { resolve, reject });
    });
  return {
    write(job) {
      const id = nextId++;
      if (outgoing.push({ id, job }) === 1) setImmediate(flush);
      return expect(id);
    },
    async close() {
      const id = nextId++;
      const closed = expect(id);
      flush();
      worker.postMessage({ close: id } satisfies ToWriter);
      await closed;
      await worker.terminate();
    },
  };
}

const typeScriptSource = (url: string) => url.endsWith('.ts');
