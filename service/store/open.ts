/** The one place that picks the store implementation from the configuration. */
import type { Store } from './store.js';
import { openSqliteStore } from './sqlite/store.js';
import { restoreFrom } from './sqlite/backup.js';

export interface StoreConfig {
  /** SQLite file, or `:memory:`. */
  dbPath: string;
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
  return openSqliteStore({ path: config.dbPath, secretKey: config.secretKey, previousKeys: config.previousKeys ?? [], publicUrl: config.publicUrl, transactionModules });
}

/** Puts a backup made by `Store.backup()` in place of the configured database, which no running service may have open. */
export function restoreStore(config: Pick<StoreConfig, 'dbPath'>, file: string): void {
  if (config.dbPath === ':memory:') throw new Error('PERMANENCE_DB is :memory:, there is no file to restore to');
  restoreFrom(file, config.dbPath);
}
