/**
 * Copies of a SQLite database taken while the service runs, and putting one back. The copy is
 * `VACUUM INTO`: one read transaction, so one consistent snapshot that never holds up the writer.
 * SQLite's page-by-page backup API would start over whenever another connection writes, which under
 * steady intake may be never-ending.
 */
import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from './migrations.js';

/** Writes a consistent copy of the database open on `db` to `file`, which must not exist yet; on disk when this returns. */
export function backupTo(db: Database.Database, file: string): void {
  if (existsSync(file)) throw new Error(`${file} already exists: choose a new file for each backup`);
  db.prepare('VACUUM INTO ?').run(file);
  syncFile(file);
}

/**
 * Puts the backup `file` in place of the database at `path`: the backup is checked first (integrity, a
 * schema this code knows), and a database in use by a running service is never overwritten.
 */
export function restoreFrom(file: string, path: string): void {
  checkBackup(file);
  if (existsSync(path) && inUse(path)) {
    throw new Error(`${path} is in use: stop the service before restoring (a running service would keep writing to the old file)`);
  }
  const incoming = `${path}.restoring`;
  copyFileSync(file, incoming);
  syncFile(incoming);
  // A leftover WAL would be replayed onto the restored file: it belongs to the database being replaced.
  rmSync(`${path}-wal`, { force: true });
  rmSync(`${path}-shm`, { force: true });
  renameSync(incoming, path);
  syncFile(dirname(path));
}

function checkBackup(file: string): void {
  if (!existsSync(file)) throw new Error(`${file} does not exist`);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version === 0 || version > migrations.length) throw new Error(`${file} is not a backup of this service's database (schema v${version})`);
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`${file} is damaged: ${String(check)}`);
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_NOTADB') throw new Error(`${file} is not a SQLite database`);
    throw err;
  } finally {
    db?.close();
  }
}

/** Whether another connection has the database open: leaving WAL mode needs it alone, and says so at once. */
function inUse(path: string): boolean {
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('journal_mode = DELETE');
    return false;
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw err;
  } finally {
    db.close();
  }
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
