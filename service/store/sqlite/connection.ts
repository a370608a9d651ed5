/** Opening a SQLite database the way the store needs it, and bringing its schema up to date. */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Sealer } from '../../crypto.js';
import { migrations } from './migrations.js';

/**
 * WAL, so readers never wait for the writer; synchronous=FULL, so a commit returns only once the WAL
 * is on disk (a request is acknowledged only after that).
 */
export function openConnection(path: string, options: { readonly?: boolean } = {}): Database.Database {
  if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { readonly: !!options.readonly, fileMustExist: !!options.readonly });
  if (!options.readonly) db.pragma('journal_mode = WAL');
  // Deleted content is overwritten with zeros, not left in free space: an erased patient must not be readable from the file.
  if (!options.readonly) db.pragma('secure_delete = ON');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

export function migrate(db: Database.Database, sealer: Sealer): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) throw new Error(`database schema v${current} is newer than this code (v${migrations.length})`);
  for (let version = current; version < migrations.length; version++) {
    const step = migrations[version]!;
    db.transaction(() => {
      if (typeof step === 'string') db.exec(step);
      else step(db, sealer);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
  // An upgrade may have sealed what was in clear: the old pages go from the database file now, not at some later checkpoint.
  if (current < migrations.length) db.pragma('wal_checkpoint(TRUNCATE)');
}

/**
 * Gathers the query planner's statistics where they are missing or stale, as SQLite advises for a
 * connection that stays open: at start (cheap when nothing changed) and again at close.
 */
export function optimize(db: Database.Database, atOpen = false): void {
  db.pragma(atOpen ? 'optimize = 0x10002' : 'optimize');
}
