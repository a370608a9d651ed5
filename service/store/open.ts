/** The one place that picks the store implementation from the configuration: PostgreSQL with a URL, else SQLite. */
import type { Store } from './store.js';
import { openSqliteStore } from './sqlite/store.js';
import { restoreFrom } from './sqlite/backup.js';
import { openPostgresStore } from './postgres/store.js';
import { redacted } from './postgres/connection.js';

export { DatabaseUnavailable } from './postgres/connection.js';

export interface StoreConfig {
  /** SQLite file, or `:memory:`; unused when `databaseUrl` is given. */
  dbPath: string;
  /** `postgres://…` (DATABASE_URL): PostgreSQL, shared by any number of instances. */
  databaseUrl?: string;
  secretKey: string;
  /** Earlier keys (SECRET_KEY_PREVIOUS), read until `permanence rekey` has re-sealed everything. */
  previousKeys?: string[];
  publicUrl: string;
}

/**
 * Opens the configured store. `transactionModules` are the modules that declare the transactions it
 * will run (service/domain/transactions.ts lists the service's): a writer thread imports them.
 */
export function openStore(config: StoreConfig, transactionModules: string[]): Promise<Store> {
  const keys = { secretKey: config.secretKey, previousKeys: config.previousKeys ?? [], publicUrl: config.publicUrl };
  if (config.databaseUrl) return openPostgresStore({ url: config.databaseUrl, ...keys });
  return openSqliteStore({ path: config.dbPath, ...keys, transactionModules });
}

/** Which database the configuration names, as it may be logged (a URL without its password). */
export function storeName(config: Pick<StoreConfig, 'dbPath' | 'databaseUrl'>): string {
  return config.databaseUrl ? redacted(config.databaseUrl) : config.dbPath;
}

/** Puts a backup made by `Store.backup()` in place of the configured database, which no running service may have open. */
export function restoreStore(config: Pick<StoreConfig, 'dbPath' | 'databaseUrl'>, file: string): void {
  if (config.databaseUrl) throw new Error('DATABASE_URL is PostgreSQL: restore with its own tools (pg_restore, or a base backup), not permanence restore');
  if (config.dbPath === ':memory:') throw new Error('PERMANENCE_DB is :memory:, there is no file to restore to');
  restoreFrom(file, config.dbPath);
}
