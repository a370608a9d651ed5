// An existing SQLite database upgrades in place: the open duplicates the old intake could make (Alice, then Bob,
// then Bob again merged into Alice's request) are merged into the person's oldest request before the rule is enforced.
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createSealer } from '../../../service/crypto.js';
import { openStore } from '../../../service/store/open.js';
import { migrations } from '../../../service/store/sqlite/migrations.js';
import { OpenRequestExists } from '../../../service/store/store.js';
import { demoPractice } from '../../../demo/seed.js';

const SECRET = 'upgrade-secret-key-that-is-long-enough-0';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A database as the previous release left it: schema v6, written with its own SQL. */
function previousRelease(path: string) {
  const sealer = createSealer(SECRET);
  const db = new Database(path);
  for (const step of migrations.slice(0, 6)) db.exec(step as string);
  db.pragma('user_version = 6');
  db.prepare('INSERT INTO practices (slug, record, created_at, updated_at) VALUES (?, ?, ?, ?)').run('cabinet-martin', JSON.stringify(demoPractice(0)), 'x', 'x');
  const insert = db.prepare(
    `INSERT INTO callbacks (ref, practice, name, phone, email, reason_sealed, urgency, red_flag, confirm_by, lang, state, due_at, created_at, updated_at)
     VALUES (?, 'cabinet-martin', ?, '+33612345678', NULL, ?, ?, ?, 'none', 'fr', 'queued', ?, ?, ?)`,
  );
  const rows = [
    ['CB-AAAAAA', 'Alice Durand', 'Ordonnance', 'routine', 0, '2026-11-25T09:00:00.000Z'],
    ['CB-BBBBBB', 'Bob Durand', 'Fièvre', 'routine', 0, '2026-11-25T09:01:00.000Z'],
    ['CB-CCCCCC', 'bob  DURAND', 'Douleur thoracique', 'urgent', 1, '2026-11-25T09:02:00.000Z'],
  ] as const;
  for (const [ref, name, reason, urgency, redFlag, at] of rows) insert.run(ref, name, sealer.seal(reason), urgency, redFlag, at, at, at);
  db.close();
}

it('merges open duplicates into the oldest request of each person, then refuses new ones', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'permanence-upgrade-'));
  dirs.push(dir);
  const path = join(dir, 'p.db');
  previousRelease(path);
  const store = await openStore({ dbPath: path, secretKey: SECRET, publicUrl: 'https://p.example' }, []);
  try {
    const open = await store.listQueue({ state: 'open' });
    expect(open.map((c) => c.ref).sort()).toEqual(['CB-AAAAAA', 'CB-BBBBBB']);
    const bob = (await store.getCallback('CB-BBBBBB'))!;
    expect(bob).toMatchObject({ urgency: 'urgent', redFlag: true, mergedCount: 1 });
    expect(bob.reason).toContain('Fièvre');
    expect(bob.reason).toContain('Douleur thoracique');
    expect(await store.getCallback('CB-CCCCCC')).toMatchObject({ state: 'done', outcome: 'duplicate' });
    expect(await store.getCallback('CB-AAAAAA')).toMatchObject({ reason: 'Ordonnance', mergedCount: 0 });
    const again = { ref: 'CB-DDDDDD', practice: 'cabinet-martin', name: 'Bob Durand', phone: '+33612345678', email: null, reason: 'x', urgency: 'routine' as const, redFlag: false, preferredWindow: null, confirmBy: 'none' as const, lang: 'fr' as const, dueAt: 'x', createdAt: 'x' };
    await expect(store.insertCallback(again)).rejects.toBeInstanceOf(OpenRequestExists);
  } finally {
    await store.close();
  }
  // The upgrade sealed the names and numbers the previous release kept in clear: none is left in the file.
  const bytes = Buffer.concat(readdirSync(dir).map((name) => readFileSync(join(dir, name))));
  for (const clear of ['Alice Durand', 'Bob Durand', '+33612345678']) expect(bytes.includes(Buffer.from(clear)), clear).toBe(false);
});
