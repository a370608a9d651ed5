/** Connecting to PostgreSQL the way the store needs it, and bringing its schema up to date under an advisory lock. */
import postgres from 'postgres';
import type { Sealer } from '../../crypto.js';
import { migrations } from './migrations.js';

/** The client: a pool of connections, each transaction on one of them. */
export type Sql = postgres.Sql;
/** What runs a statement: the pool, or one transaction's connection. */
export type Runner = postgres.Sql | postgres.TransactionSql;

export interface ConnectOptions {
  /** Connections in the pool (the client opens them as work arrives). */
  max?: number;
}

/**
 * A pool on `url`. Identifiers and counts (bigint) arrive as numbers: the store's ids stay far below 2^53, and the
 * interface speaks numbers. The server's notices (a VACUUM's, an IF NOT EXISTS') are not the service's business.
 */
export function connect(url: string, options: ConnectOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: 'permanence' },
    types: { bigint: { to: 20, from: [20], serialize: (n: number) => String(n), parse: (raw: string) => Number(raw) } },
  }) as unknown as Sql;
}

/**
 * `work` in one transaction, committed when it resolves, rolled back when it throws. (The client's own typing
 * unwraps arrays of promises in the result; the store has none.)
 */
export function begin<T>(sql: Sql, work: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return sql.begin(work) as Promise<T>;
}

/**
 * An arbitrary constant naming the migration lock: instances starting together take it in turn, the first
 * migrates, the others find the schema current.
 */
const MIGRATION_LOCK = 0x7065726d616e; // "perman"

/** The lock every named transaction takes first: they run one at a time, on every instance together. */
export const WRITER_LOCK = 0x7772697465; // "write"

/** Applies the migrations this database lacks, all in one transaction under the advisory lock. */
export async function migrate(sql: Sql, sealer: Sealer): Promise<void> {
  await sql.begin(async (tx) => {
    await tx.unsafe(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await tx.unsafe('CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)');
    const [row] = await tx.unsafe('SELECT version FROM schema_version');
    const current = (row?.version as number | undefined) ?? 0;
    if (current > migrations.length) throw new Error(`database schema v${current} is newer than this code (v${migrations.length})`);
    for (let version = current; version < migrations.length; version++) {
      const step = migrations[version]!;
      if (typeof step === 'string') await tx.unsafe(step);
      else await step(tx, sealer);
    }
    if (current === migrations.length) return;
    if (row) await tx.unsafe('UPDATE schema_version SET version = $1', [migrations.length]);
    else await tx.unsafe('INSERT INTO schema_version (version) VALUES ($1)', [migrations.length]);
  });
}

/** SQLSTATEs after which the same transaction, run again, may well succeed: a serialization failure, a deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);

export function retryable(error: unknown): boolean {
  return RETRYABLE.has((error as { code?: string })?.code ?? '');
}

/** How long a transaction keeps being run again after serialization failures before its caller is told. */
const RETRY_FOR_MS = 10_000;

/**
 * Runs `attempt` again while it fails in a way another run may not (`again(error)`), after a short random wait
 * that grows with each failure, so that transactions that collided do not collide again in step.
 */
export async function withRetry<T>(attempt: () => Promise<T>, again: (error: unknown) => boolean = retryable): Promise<T> {
  const started = Date.now();
  for (let failures = 0; ; failures++) {
    try {
      return await attempt();
    } catch (error) {
      if (!again(error) || Date.now() - started > RETRY_FOR_MS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** failures)));
    }
  }
}

/** The database could not be reached or brought up to date at start: the service stops with this one line. */
export class DatabaseUnavailable extends Error {
  constructor(url: string, cause: unknown) {
    super(`PostgreSQL at ${redacted(url)}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'DatabaseUnavailable';
  }
}

/** The URL as it may be logged: without its password. */
export function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}
