// Online backups: `permanence backup FILE` copies the database while requests keep coming; `restore` puts a copy back,
// never over a database a running service has open.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { INTAKE_LIMITS } from '../../service/domain/intake.js';
import { postCallback, runCommand, testApp, type TestApp } from './helpers.js';

const UNLIMITED = { ...INTAKE_LIMITS, perIp: { limit: 10_000, windowMs: 60_000 }, perPhone: { limit: 10_000, windowMs: 60_000 } };
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function fileApp(): Promise<{ t: TestApp; dir: string; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'permanence-backup-'));
  dirs.push(dir);
  const path = join(dir, 'permanence.db');
  return { t: await testApp({ dbPath: path, intakeLimits: UNLIMITED }), dir, path };
}

const cli = (t: TestApp, ...argv: string[]) => runCommand(t, argv);

const phone = (i: number) => `06 12 ${String(i).padStart(6, '0').replace(/(\d\d)(?=\d)/g, '$1 ')}`;

it('copies the database while requests are posted; the copy restores whole, with every request acknowledged before it began', async () => {
  const { t, dir, path } = await fileApp();
  const before = await Promise.all(Array.from({ length: 30 }, (_, i) => postCallback(t, { phone: phone(i), confirmBy: 'none' })));
  expect(before.every((r) => r.status === 201)).toBe(true);
  // More requests arrive while the copy is taken.
  const during = Promise.all(Array.from({ length: 40 }, (_, i) => postCallback(t, { phone: phone(100 + i), confirmBy: 'none' })));
  const backup = await cli(t, 'backup', join(dir, 'copy.db'));
  expect((await during).every((r) => r.status === 201)).toBe(true);
  expect(backup).toMatchObject({ code: 0, out: `backed up to ${join(dir, 'copy.db')}` });
  await t.deps.store.close();

  expect(await cli(t, 'restore', join(dir, 'copy.db'))).toMatchObject({ code: 0 });
  const check = new Database(path, { readonly: true });
  expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
  check.close();
  const restored = await testApp({ dbPath: path, practices: [] });
  try {
    for (const { body } of before) expect(await restored.deps.store.getCallback(body.ref)).toMatchObject({ ref: body.ref, name: 'Camille Durand' });
    // The copy is the snapshot taken before the command recorded that it ran.
    expect(await restored.deps.store.listAudit({ limit: 10, action: 'backup' })).toEqual([]);
  } finally {
    await restored.deps.store.close();
  }
});

it('refuses to restore over a database a running service has open, and to back up over an existing file', async () => {
  const { t, dir } = await fileApp();
  await postCallback(t);
  expect(await cli(t, 'backup', join(dir, 'copy.db'))).toMatchObject({ code: 0 });
  expect(await cli(t, 'backup', join(dir, 'copy.db'))).toMatchObject({ code: 1, err: `backup: ${join(dir, 'copy.db')} already exists: choose a new file for each backup` });
  const refused = await cli(t, 'restore', join(dir, 'copy.db'));
  expect(refused.code).toBe(1);
  expect(refused.err).toMatch(/is in use: stop the service before restoring/);
  await t.deps.store.close();
});

it('refuses a file that is not a backup of this database', async () => {
  const { t, dir } = await fileApp();
  await t.deps.store.close();
  writeFileSync(join(dir, 'notes.txt'), 'not a database at all, just some text that is long enough to fill a header page');
  expect(await cli(t, 'restore', join(dir, 'notes.txt'))).toMatchObject({ code: 1, err: `restore: ${join(dir, 'notes.txt')} is not a SQLite database` });
  expect(await cli(t, 'restore', join(dir, 'missing.db'))).toMatchObject({ code: 1, err: `restore: ${join(dir, 'missing.db')} does not exist` });
});
