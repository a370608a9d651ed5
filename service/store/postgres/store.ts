/**
 * The `Store` on PostgreSQL, shared by any number of service instances. A pool of connections serves the calls,
 * each atomic on its own. Named transactions run on a small pool of their own, one at a time across every instance:
 * each first takes the writer lock (a transaction-level advisory lock), as SQLite's writer runs them one after the
 * other, so what a transaction reads stays true until it commits whichever instance runs it. Sealing is the same
 * layer (sealed.ts).
 */
import { createSealer, type Sealer } from '../../crypto.js';
import { sealStore } from '../sealed.js';
import type { StoreAtRest } from '../at-rest.js';
import type { Store, Transaction, TransactionEnv } from '../store.js';
import type postgres from 'postgres';
import { begin, connect, DatabaseUnavailable, migrate, retryable, withRetry, WRITER_LOCK, type Sql } from './connection.js';
import { PostgresQueries, type QueriesContext, type SharedCache } from './queries.js';
import { rekey } from './rekey.js';

export interface PostgresOptions {
  /** `postgres://user:password@host:port/database` (DATABASE_URL). */
  url: string;
  secretKey: string;
  /** Earlier keys, still opening and matching what they sealed until `rekey` has run. */
  previousKeys: string[];
  publicUrl: string;
  /** Connections in the pool for calls (10 by default); named transactions have 2 more of their own. */
  poolSize?: number;
}

/** Transactions run one at a time: one connection runs the current one while the next waits for the lock on the other. */
const WRITER_CONNECTIONS = 2;

/** What erasure deletes from: VACUUM takes the deleted rows out of their pages once no transaction can still see them. */
const ERASED_TABLES = ['callbacks', 'callback_name_words', 'attempts', 'messages', 'message_replies', 'message_escalations', 'outbox'];

export async function openPostgresStore(options: PostgresOptions): Promise<Store> {
  const sealer = createSealer(options.secretKey, options.previousKeys);
  const sql = connect(options.url, { max: options.poolSize });
  try {
    await migrate(sql, sealer);
  } catch (err) {
    await sql.end({ timeout: 1 });
    throw new DatabaseUnavailable(options.url, err);
  }
  const writer = connect(options.url, { max: WRITER_CONNECTIONS });
  return sealStore(new PostgresStore(sql, writer, sealer, { sealer, publicUrl: options.publicUrl }), sealer);
}

/** Queries inside a transaction: a call of several statements runs them as they come, in that transaction. */
function inTransaction(tx: postgres.TransactionSql, cache: SharedCache, failed?: QueriesContext['failed']): PostgresQueries {
  const queries: PostgresQueries = new PostgresQueries(tx, { cache, inTransaction: true, atomic: (work) => work(queries), failed });
  return queries;
}

/**
 * The store below the sealing layer: the queries on the pool, plus what a store does besides. `sql` stays at hand
 * for what several instances will share (LISTEN/NOTIFY takes a connection of its own: `sql.listen`).
 */
class PostgresStore extends PostgresQueries implements StoreAtRest {
  private closing: Promise<void> | undefined;

  constructor(
    readonly sql: Sql,
    private readonly writer: Sql,
    private readonly sealer: Sealer,
    private readonly env: TransactionEnv,
    private readonly cache: SharedCache = { practices: new Map() },
  ) {
    // A call of several statements (an account and its practices, an erasure) commits them together.
    super(sql, { cache, inTransaction: false, atomic: (work) => withRetry(() => begin(sql, (tx) => work(inTransaction(tx, cache)))) });
  }

  /**
   * Runs `work` in one transaction, under the writer lock. Its statements run at READ COMMITTED, each seeing what
   * committed before it: once the lock is held, no other transaction commits until this one has. Should it still
   * meet a deadlock (with a call of several statements), it runs again from the start, with a fresh copy of its
   * arguments; a statement failing that way is noted even if the body catches it.
   */
  transaction<A, R>(work: Transaction<A, R>, args: A): Promise<R> {
    let collided = false;
    return withRetry(
      async () => {
        collided = false;
        return begin(this.writer, async (tx) => {
          await tx.unsafe(`SELECT pg_advisory_xact_lock(${WRITER_LOCK})`);
          const queries = inTransaction(tx, this.cache, (error) => void (collided ||= retryable(error)));
          return work.run(sealStore(queries, this.sealer), structuredClone(args), this.env);
        });
      },
      (error) => retryable(error) || collided,
    );
  }

  /** Not on PostgreSQL: its own tools take consistent copies of a live database. */
  async backup(_file: string): Promise<void> {
    throw new Error(
      'on PostgreSQL, back up with the database’s own tools (pg_dump, or continuous archiving with pg_basebackup); permanence backup copies a SQLite database',
    );
  }

  /**
   * After an erasure or a purge: VACUUM removes the deleted rows from the tables' pages and indexes (their content
   * is sealed in any case). PostgreSQL's write-ahead log keeps its segments until they are recycled.
   */
  async scrub(): Promise<void> {
    await this.sql.unsafe(`VACUUM ${ERASED_TABLES.join(', ')}`);
  }

  rekey(): Promise<number> {
    return rekey(this.sql, this.sealer);
  }

  close(): Promise<void> {
    this.closing ??= Promise.all([this.writer.end({ timeout: 5 }), this.sql.end({ timeout: 5 })]).then(() => {});
    return this.closing;
  }
}
