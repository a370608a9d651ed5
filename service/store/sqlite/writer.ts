/**
 * Group commit: every write waiting when the writer is free goes into one SQLite transaction, each in
 * a savepoint of its own (a failing one rolls back alone), and one COMMIT — one fsync — makes them all
 * durable. Each caller is answered only after that COMMIT. The writer runs on a worker thread for a
 * database file (writer-thread.ts), so the disk wait never holds the service's event loop, and in
 * the service's own thread for `:memory:`.
 */
import type Database from 'better-sqlite3';
import { ApiProblem } from '../../errors.js';
import { sealStore } from '../sealed.js';
import { OpenRequestExists, RefTaken, transactionNamed, type Queries, type TransactionEnv } from '../store.js';
import type { QueriesAtRest } from '../at-rest.js';
import { rekey } from './rekey.js';
import { promisify } from './promisify.js';
import { SqliteQueries } from './queries.js';

/** One store call with its arguments already sealed, a whole transaction by name, emptying the WAL (`Store.scrub`), or `Store.rekey`. */
export type WriteJob =
  | { kind: 'call'; method: keyof QueriesAtRest; args: unknown[] }
  | { kind: 'transaction'; name: string; args: unknown }
  | { kind: 'scrub' }
  | { kind: 'rekey' };

/** Enough writes for one fsync to pay off, few enough that none waits long behind the others. */
const MAX_BATCH = 256;

interface Pending {
  job: WriteJob;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export class BatchWriter {
  private readonly queue: Pending[] = [];
  private draining: Promise<void> | undefined;
  private readonly raw: SqliteQueries;
  /** Transaction control, compiled once (exec() would parse it again for every write). */
  private readonly control: Record<'begin' | 'savepoint' | 'release' | 'rollbackTo' | 'commit' | 'rollback', Database.Statement>;
  /** What a transaction's body is handed: these queries, sealing as the service's store does. */
  private tx: Queries;

  constructor(
    private readonly db: Database.Database,
    private readonly env: TransactionEnv,
  ) {
    this.raw = new SqliteQueries(db);
    this.control = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      savepoint: db.prepare('SAVEPOINT job'),
      release: db.prepare('RELEASE job'),
      rollbackTo: db.prepare('ROLLBACK TO job'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
    };
    this.tx = sealStore(promisify(this.raw), env.sealer);
  }

  /** Answers the job's result once it is committed to disk. */
  submit(job: WriteJob): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      // setImmediate, not a microtask: writes submitted in the same turn of the event loop share a commit.
      this.draining ??= new Promise<void>((done) => setImmediate(() => void this.drain().finally(done)));
    });
  }

  /** Resolves once every submitted job has been answered. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) await this.commit(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.draining = undefined;
    }
  }

  private async commit(all: Pending[]): Promise<void> {
    // A checkpoint cannot run inside a transaction: scrubs wait for the batch's commit, then run.
    const batch = all.filter((pending) => pending.job.kind === 'call' || pending.job.kind === 'transaction');
    const scrubs = all.filter((pending) => pending.job.kind === 'scrub');
    // A rekey is a long run of its own transactions, between batches.
    for (const pending of all.filter((p) => p.job.kind === 'rekey')) {
      try {
        const resealed = rekey(this.db, this.env.sealer);
        // What the earlier key sealed leaves the files too.
        this.db.pragma('wal_checkpoint(TRUNCATE)');
        pending.resolve(resealed);
      } catch (error) {
        pending.reject(error);
      }
    }
    if (batch.length) await this.commitTogether(batch);
    // The transactions' sealing layer forgets what it opened: an erased patient leaves no clear text in memory either.
    if (scrubs.length) this.tx = sealStore(promisify(this.raw), this.env.sealer);
    for (const pending of scrubs) {
      try {
        // TRUNCATE: every page the WAL held is copied into the database (where secure_delete zeroed deleted content) and the log emptied.
        this.db.pragma('wal_checkpoint(TRUNCATE)');
        pending.resolve(undefined);
      } catch (error) {
        pending.reject(error);
      }
    }
  }

  private async commitTogether(batch: Pending[]): Promise<void> {
    const results: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.control.begin.run();
      for (const { job } of batch) {
        this.control.savepoint.run();
        try {
          const value = await this.run(job);
          this.control.release.run();
          results.push({ ok: true, value });
        } catch (error) {
          // This job's changes go; its neighbours' stay.
          this.control.rollbackTo.run();
          this.control.release.run();
          results.push({ ok: false, error });
        }
      }
      this.control.commit.run();
    } catch (error) {
      // The transaction itself failed (disk full, I/O error): nothing of the batch is committed.
      if (this.db.inTransaction) this.control.rollback.run();
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, i) => {
      const result = results[i]!;
      if (result.ok) pending.resolve(result.value);
      else pending.reject(result.error);
    });
  }

  private run(job: WriteJob): unknown {
    if (job.kind === 'scrub' || job.kind === 'rekey') throw new Error(`a ${job.kind} runs outside any transaction`);
    if (job.kind === 'transaction') return transactionNamed(job.name).run(this.tx, job.args, this.env);
    const method = this.raw[job.method] as (...args: unknown[]) => unknown;
    return method.apply(this.raw, job.args);
  }
}

/** An error as it crosses a thread: the store's and the API's own errors keep their meaning. */
export type ThreadError =
  | { kind: 'problem'; status: number; code: string; message: string; fields?: Record<string, string>; headers?: Record<string, string> }
  | { kind: 'open_request_exists' }
  | { kind: 'ref_taken' }
  | { kind: 'error'; message: string; code?: string };

export function toThreadError(error: unknown): ThreadError {
  if (error instanceof ApiProblem) {
    return { kind: 'problem', status: error.status, code: error.code, message: error.message, fields: error.fields, headers: error.headers };
  }
  if (error instanceof OpenRequestExists) return { kind: 'open_request_exists' };
  if (error instanceof RefTaken) return { kind: 'ref_taken' };
  return { kind: 'error', message: error instanceof Error ? error.message : String(error), code: (error as { code?: string })?.code };
}

export function fromThreadError(error: ThreadError): Error {
  if (error.kind === 'problem') return new ApiProblem(error.status as ApiProblem['status'], error.code, error.message, error.fields as ApiProblem['fields'], error.headers);
  if (error.kind === 'open_request_exists') return new OpenRequestExists();
  if (error.kind === 'ref_taken') return new RefTaken();
  return Object.assign(new Error(error.message), error.code ? { code: error.code } : {});
}
