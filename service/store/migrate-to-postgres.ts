/**
 * `permanence migrate-to-postgres`: copies a SQLite database into an empty PostgreSQL one, rows as they are at rest.
 * Sealed fields and keyed hashes go across untouched: the PostgreSQL instances open them with the same SECRET_KEY.
 * Nothing is decrypted but one value per key that sealed something, to check the key given is the right one.
 */
import type Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { createSealer, type Sealer } from '../crypto.js';
import { migrate as migrateSqlite, openConnection } from './sqlite/connection.js';
import { connect, DatabaseUnavailable, migrate as migratePostgres, type Sql } from './postgres/connection.js';
import type postgres from 'postgres';

export interface MigrationOptions {
  /** The SQLite file to copy (PERMANENCE_DB). */
  from: string;
  /** The PostgreSQL database to fill (DATABASE_URL). */
  to: string;
  secretKey: string;
  previousKeys: string[];
}

/** What was copied, table by table, in the order the rows went in. */
export interface MigrationReport {
  tables: { name: string; rows: number }[];
}

/** The copy cannot be made as asked; no row was copied. */
export class MigrationRefused extends Error {}

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters per statement, whatever the table's width. */
const PARAMETERS_PER_STATEMENT = 20_000;

interface TargetColumn {
  name: string;
  type: string;
  nullable: boolean;
  identity: boolean;
}

interface ForeignKey {
  table: string;
  refs: string;
  columns: string[];
}

/**
 * Copies the SQLite database `from` into the PostgreSQL database `to`, whose tables must be empty: both schemas are
 * brought up to date first, then every table is copied in one PostgreSQL transaction (all or nothing), in the order
 * its references need, each in the order of its primary key, and the identity sequences continue after the
 * highest id copied. The source is read in one SQLite read transaction: one consistent state (stop the service first,
 * or what it takes meanwhile stays behind).
 */
export async function migrateToPostgres(options: MigrationOptions): Promise<MigrationReport> {
  if (options.from === ':memory:' || !existsSync(options.from)) throw new MigrationRefused(`no SQLite database at ${options.from} (PERMANENCE_DB)`);
  const sealer = createSealer(options.secretKey, options.previousKeys);
  const source = openConnection(options.from);
  let sql: Sql | undefined;
  try {
    migrateSqlite(source, sealer);
    checkKeys(source, sealer, options.from);
    sql = connect(options.to, { max: 1 });
    try {
      await migratePostgres(sql, sealer);
    } catch (err) {
      throw new DatabaseUnavailable(options.to, err);
    }
    source.exec('BEGIN');
    try {
      const report = await sql.begin((tx) => copy(source, tx));
      // The planner's statistics, now that the tables are full, rather than at autovacuum's next round (which also
      // makes them, should this fail: the copy is committed already).
      await sql.unsafe('ANALYZE').catch(() => {});
      return report as MigrationReport;
    } finally {
      source.exec('ROLLBACK');
    }
  } finally {
    await sql?.end({ timeout: 5 });
    source.close();
  }
}

/**
 * Opens one value per key that sealed something in each sealed column: a wrong SECRET_KEY (or a missing
 * SECRET_KEY_PREVIOUS) would fill PostgreSQL with fields no instance can read.
 */
function checkKeys(db: Database.Database, sealer: Sealer, from: string): void {
  for (const { table, column } of sealedColumns(db)) {
    const samples = db
      .prepare(`SELECT ${q(column)} AS v FROM ${q(table)} WHERE ${q(column)} IS NOT NULL GROUP BY CASE WHEN ${q(column)} LIKE 'v2.%' THEN substr(${q(column)}, 1, 11) ELSE 'v1' END`)
      .pluck()
      .all() as string[];
    for (const sample of samples) {
      try {
        sealer.open(sample);
      } catch {
        throw new MigrationRefused(
          `SECRET_KEY does not open what ${from} holds sealed (${table}.${column}): give the key its service used (and SECRET_KEY_PREVIOUS during a rotation)`,
        );
      }
    }
  }
}

function sealedColumns(db: Database.Database): { table: string; column: string }[] {
  return sourceTables(db).flatMap((table) =>
    sourceColumns(db, table)
      .filter((c) => c.name.endsWith('_sealed'))
      .map((c) => ({ table, column: c.name })),
  );
}

const sourceTables = (db: Database.Database) =>
  db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`).pluck().all() as string[];

const sourceColumns = (db: Database.Database, table: string) => db.prepare(`SELECT name, pk FROM pragma_table_info(?) ORDER BY cid`).all(table) as { name: string; pk: number }[];

/** The copy itself, inside the PostgreSQL transaction `tx` and SQLite's read transaction. */
async function copy(db: Database.Database, tx: postgres.TransactionSql): Promise<MigrationReport> {
  const columns = new Map<string, TargetColumn[]>();
  const rows = await tx.unsafe(
    `SELECT c.table_name, c.column_name, c.udt_name, c.is_nullable = 'YES' AS nullable, c.is_identity = 'YES' AS identity
       FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> 'schema_version'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  for (const row of rows) {
    const list = columns.get(row.table_name) ?? [];
    list.push({ name: row.column_name, type: row.udt_name, nullable: row.nullable, identity: row.identity });
    columns.set(row.table_name, list);
  }
  const targetTables = [...columns.keys()];

  // Every table and column of the source has its place in the target: the two schemas are the same version's.
  const tables = sourceTables(db);
  for (const table of tables) {
    const target = columns.get(table);
    if (!target) throw new MigrationRefused(`PostgreSQL has no table ${table}: this version's two schemas differ, nothing was copied`);
    const missing = sourceColumns(db, table).find((c) => !target.some((t) => t.name === c.name));
    if (missing) throw new MigrationRefused(`PostgreSQL has no column ${table}.${missing.name}: this version's two schemas differ, nothing was copied`);
  }

  // Nobody writes meanwhile (another copy, an instance started too soon), and nothing is there yet.
  await tx.unsafe(`LOCK TABLE ${targetTables.map(q).join(', ')} IN SHARE ROW EXCLUSIVE MODE`);
  const filled: string[] = [];
  for (const table of targetTables) {
    const [row] = await tx.unsafe(`SELECT EXISTS (SELECT 1 FROM ${q(table)}) AS any`);
    if (row?.any) filled.push(table);
  }
  if (filled.length) throw new MigrationRefused(`the PostgreSQL database is not empty (${filled.join(', ')} hold rows): migrate-to-postgres only fills an empty one`);

  const foreignKeys = (
    await tx.unsafe(
      `SELECT t.relname AS "table", r.relname AS refs,
              (SELECT string_agg(a.attname, ',' ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)) AS columns
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
        WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`,
    )
  ).map((fk) => ({ table: fk.table as string, refs: fk.refs as string, columns: String(fk.columns).split(',') }));
  const nullable = (table: string, column: string) => columns.get(table)!.find((c) => c.name === column)?.nullable ?? false;
  const { order, deferred } = copyOrder(tables, foreignKeys, nullable);

  const report: MigrationReport = { tables: [] };
  for (const table of order) {
    const target = columns.get(table)!;
    const source = sourceColumns(db, table);
    const later = new Set(deferred.filter((fk) => fk.table === table).flatMap((fk) => fk.columns));
    const copied = source.map((c) => target.find((t) => t.name === c.name)!);
    const keys = source.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => q(c.name));
    const read = db.prepare(`SELECT ${copied.map((c) => q(c.name)).join(', ')} FROM ${q(table)} ORDER BY ${keys.length ? keys.join(', ') : 'rowid'}`).raw();
    const overriding = target.some((c) => c.identity) ? ' OVERRIDING SYSTEM VALUE' : '';
    const perStatement = Math.max(1, Math.floor(PARAMETERS_PER_STATEMENT / copied.length));
    let batch: unknown[][] = [];
    let count = 0;
    const flush = async () => {
      if (!batch.length) return;
      const values = batch.map((_, r) => `(${copied.map((c, i) => cast(r * copied.length + i + 1, c)).join(', ')})`);
      const params = batch.flatMap((row) => row.map((value, i) => (later.has(copied[i]!.name) ? null : atRest(value, copied[i]!, table))));
      await tx.unsafe(`INSERT INTO ${q(table)} (${copied.map((c) => q(c.name)).join(', ')})${overriding} VALUES ${values.join(', ')}`, params as never[]);
      count += batch.length;
      batch = [];
    };
    for (const row of read.iterate() as Iterable<unknown[]>) {
      batch.push(row);
      if (batch.length === perStatement) await flush();
    }
    await flush();
    report.tables.push({ name: table, rows: count });
  }

  // References that had to wait for their rows (tables that refer to each other): filled in now both sides are there.
  for (const fk of deferred) {
    const key = sourceColumns(db, fk.table).filter((c) => c.pk > 0);
    if (key.length !== 1) throw new MigrationRefused(`cannot fill ${fk.table}.${fk.columns.join(', ')} afterwards: its primary key is not one column`);
    const target = columns.get(fk.table)!;
    const set = [key[0]!.name, ...fk.columns].map((name) => target.find((t) => t.name === name)!);
    const read = db
      .prepare(`SELECT ${set.map((c) => q(c.name)).join(', ')} FROM ${q(fk.table)} WHERE ${fk.columns.map((c) => `${q(c)} IS NOT NULL`).join(' OR ')} ORDER BY 1`)
      .raw()
      .all() as unknown[][];
    const perStatement = Math.floor(PARAMETERS_PER_STATEMENT / set.length);
    for (let start = 0; start < read.length; start += perStatement) {
      const batch = read.slice(start, start + perStatement);
      const values = batch.map((_, r) => `(${set.map((c, i) => cast(r * set.length + i + 1, c)).join(', ')})`);
      const params = batch.flatMap((row) => row.map((value, i) => atRest(value, set[i]!, fk.table)));
      await tx.unsafe(
        `UPDATE ${q(fk.table)} AS t SET ${fk.columns.map((c) => `${q(c)} = v.${q(c)}`).join(', ')}
           FROM (VALUES ${values.join(', ')}) AS v (${set.map((c) => q(c.name)).join(', ')})
          WHERE t.${q(set[0]!.name)} = v.${q(set[0]!.name)}`,
        params as never[],
      );
    }
  }

  // New rows continue after the highest id copied.
  for (const [table, list] of columns) {
    for (const column of list.filter((c) => c.identity)) {
      await tx.unsafe(`SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT max(${q(column.name)}) FROM ${q(table)}), 0) + 1, false)`, [q(table), column.name]);
    }
  }
  return report;
}

/**
 * The order to fill `tables` in so that every reference finds its row: a table after those it refers to. Tables that
 * refer to each other (a request and the message it escalates) are filled with one of those references left empty
 * (`deferred`: a column that may be NULL), set once both sides are there.
 */
export function copyOrder(tables: string[], foreignKeys: ForeignKey[], nullable: (table: string, column: string) => boolean): { order: string[]; deferred: ForeignKey[] } {
  const pending = new Set(tables);
  const edges = foreignKeys.filter((fk) => pending.has(fk.table) && pending.has(fk.refs));
  const deferred: ForeignKey[] = [];
  const order: string[] = [];
  const blocking = (table: string) => edges.filter((fk) => fk.table === table && pending.has(fk.refs) && !deferred.includes(fk));
  while (pending.size) {
    const ready = [...pending].find((table) => !blocking(table).length);
    if (ready) {
      order.push(ready);
      pending.delete(ready);
      continue;
    }
    const breakable = [...pending].flatMap(blocking).find((fk) => fk.columns.every((column) => nullable(fk.table, column)));
    if (!breakable) throw new MigrationRefused(`cannot order the copy: ${[...pending].join(', ')} refer to each other through columns that cannot be empty`);
    deferred.push(breakable);
  }
  return { order, deferred };
}

/**
 * Parameter `n` as the column's type. Sent as text and cast by PostgreSQL: the client would otherwise serialize it by
 * the type the server describes (a JSON record, already text, written again as a JSON string).
 */
const cast = (n: number, column: TargetColumn) => `$${n}::text::${column.type}`;

/** A SQLite value as the text PostgreSQL casts to the column's type. */
function atRest(value: unknown, column: TargetColumn, table: string): string | null {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'bool':
      return value ? 'true' : 'false';
    case 'int2':
    case 'int4':
    case 'int8':
    case 'numeric':
    case 'float4':
    case 'float8':
      return String(value);
    case 'text':
    case 'varchar':
    case 'json':
    case 'jsonb':
      return String(value);
    default:
      throw new MigrationRefused(`cannot copy ${table}.${column.name}: no rule for PostgreSQL's type ${column.type}`);
  }
}

/** An identifier, quoted. */
const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
