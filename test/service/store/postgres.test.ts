// What PostgreSQL adds to the store contract: several instances on one database (writes and practice changes seen by
// all, migrations taken in turn, transactions one at a time across them), key rotation,
// erasure with its VACUUM, what the disk holds, and backup and restore left to PostgreSQL's own tools.
// Runs in the postgres project only (vitest.config.ts), on the run's throwaway cluster.
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { demoPractice } from '../../../demo/seed.js';
import { TRANSACTION_MODULES } from '../../../service/domain/transactions.js';
import { migrations } from '../../../service/store/postgres/migrations.js';
import { DatabaseUnavailable, openStore, restoreStore } from '../../../service/store/open.js';
import type { NewCallback, Store } from '../../../service/store/store.js';
import { blankDatabase, databaseBytes, freshDatabase } from '../../pg/store.js';
import { runCommand, testApp } from '../helpers.js';
import { countThenAudit, TEST_TRANSACTIONS } from './transactions.js';

const SECRET = 'postgres-secret-key-that-is-long-enough-0';
const AT = '2026-11-25T09:00:00.000Z';
const stores: Store[] = [];

async function open(url: string, keys: { secretKey?: string; previousKeys?: string[] } = {}): Promise<Store> {
  const store = await openStore({ dbPath: '', databaseUrl: url, secretKey: keys.secretKey ?? SECRET, previousKeys: keys.previousKeys, publicUrl: 'https://p.example' }, [
    ...TRANSACTION_MODULES,
    TEST_TRANSACTIONS,
  ]);
  stores.push(store);
  return store;
}

/** Closes what a test opened (the harness drops or empties its databases after). */
async function closeAll() {
  await Promise.all(stores.splice(0).map((store) => store.close()));
}

const request = (overrides: Partial<NewCallback> = {}): NewCallback => ({
  ref: 'CB-PGTEST',
  practice: 'cabinet-martin',
  name: 'Gédéon Zébulon',
  phone: '+33677881525',
  email: 'zebulon@patient.example',
  reason: 'Douleur au genou gauche',
  urgency: 'routine',
  redFlag: false,
  preferredWindow: null,
  confirmBy: 'sms',
  lang: 'fr',
  dueAt: AT,
  createdAt: AT,
  ...overrides,
});

/** Reads the database directly, as an administrator would. */
async function raw<T>(url: string, work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await work(sql as unknown as postgres.Sql);
  } finally {
    await sql.end();
  }
}

describe('several instances on one database', () => {
  it('see each other’s writes at once, a practice changed by one included, and only one of them wins a claim', async () => {
    const { url } = await freshDatabase();
    const [a, b] = [await open(url), await open(url)];
    await a.savePractice(demoPractice(0), AT);
    expect((await b.getPractice('cabinet-martin'))?.name).toBe(demoPractice(0).name);
    await a.savePractice({ ...demoPractice(0), name: 'Cabinet Martin & associés' }, AT);
    expect((await b.getPractice('cabinet-martin'))?.name).toBe('Cabinet Martin & associés');

    const created = await a.insertCallback(request());
    expect(await b.getCallback(created.ref)).toMatchObject({ name: 'Gédéon Zébulon', reason: 'Douleur au genou gauche' });
    const op = await a.createUser({ email: 'op@example.org', name: 'Op', role: 'operator', practices: ['cabinet-martin'], passwordHash: 'h' }, AT);
    const other = await b.createUser({ email: 'other@example.org', name: 'Other', role: 'operator', practices: ['cabinet-martin'], passwordHash: 'h' }, AT);
    const claims = await Promise.all([a.claimCallback(created.ref, op.id, AT, AT), b.claimCallback(created.ref, other.id, AT, AT)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    await closeAll();
  });

  it('take the migrations in turn when they start together: one migrates, the others find the schema current', async () => {
    const { url } = await blankDatabase();
    await Promise.all([open(url), open(url), open(url), open(url)]);
    expect(await raw(url, (sql) => sql.unsafe('SELECT version FROM schema_version'))).toEqual([{ version: migrations.length }]);
    await closeAll();
  });

  it('refuses a database whose schema is newer than the code, in one line', async () => {
    const { url } = await blankDatabase();
    await open(url);
    await closeAll();
    await raw(url, (sql) => sql.unsafe('UPDATE schema_version SET version = 999'));
    const error = await open(url).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DatabaseUnavailable);
    expect((error as Error).message).toMatch(/^PostgreSQL at postgres:\/\/.*: database schema v999 is newer than this code/);
  });
});

it('runs transactions one at a time across instances: each sees every one committed before it', async () => {
  const { url } = await freshDatabase();
  const instances = [await open(url), await open(url)];
  const seen = await Promise.all(Array.from({ length: 20 }, (_, i) => instances[i % 2]!.transaction(countThenAudit, { action: 'counted', at: AT })));
  expect([...seen].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  await closeAll();
});

it('rotates the key: the old one still reads and matches until rekey has sealed everything again', async () => {
  const { url } = await freshDatabase();
  const OLD = SECRET;
  const NEW = 'the-new-secret-key-after-a-rotation-000';
  const before = await open(url, { secretKey: OLD });
  await before.savePractice(demoPractice(0), AT);
  const created = await before.insertCallback(request());
  await before.insertAttempt({ callbackId: created.id, userId: null, outcome: 'no_answer', note: 'Rappeler après 18 h', retryAt: null, retryRule: null, createdAt: AT });
  await before.enqueue({ channel: 'sms', recipient: created.phone, payload: { body: 'Demande reçue' }, purpose: 'confirmation', callbackId: created.id, practice: 'cabinet-martin' }, AT);
  await closeAll();

  const rotating = await open(url, { secretKey: NEW, previousKeys: [OLD] });
  expect(await rotating.findOpenCallback('cabinet-martin', '+33677881525', 'gedeon zebulon')).toMatchObject({ ref: created.ref });
  expect(await rotating.countOutbox({ channel: 'sms', recipient: '+33677881525', since: '2000-01-01T00:00:00.000Z' })).toBe(1);
  expect(await rotating.rekey()).toBeGreaterThanOrEqual(7);
  expect(await rotating.rekey()).toBe(0);
  await closeAll();

  const after = await open(url, { secretKey: NEW });
  expect(await after.getCallback(created.ref)).toMatchObject({ name: 'Gédéon Zébulon', phone: '+33677881525', email: 'zebulon@patient.example' });
  expect(await after.findOpenCallback('cabinet-martin', '+33677881525', 'Gédéon Zébulon')).toMatchObject({ ref: created.ref });
  expect(await after.listQueue({ state: 'open', search: { words: ['zebulon'] } })).toHaveLength(1);
  expect((await after.listAttempts(created.id))[0]?.note).toBe('Rappeler après 18 h');
  expect((await after.listOutbox('pending'))[0]?.payload).toEqual({ body: 'Demande reçue' });
  await closeAll();
});

it('erases a patient: the rows deleted, then the tables vacuumed', async () => {
  const { url } = await freshDatabase();
  const store = await open(url);
  await store.savePractice(demoPractice(0), AT);
  const created = await store.insertCallback(request());
  await store.insertMessage({ callbackId: created.id, practice: 'cabinet-martin', body: 'Résultat de biopsie', createdBy: null, createdAt: AT });
  await store.enqueue({ channel: 'sms', recipient: created.phone, payload: { body: 'x' }, purpose: 'confirmation', practice: 'cabinet-martin' }, AT);
  expect(await store.eraseByPhone(created.phone)).toBe(1);
  await store.scrub();
  const left = await raw(url, (sql) =>
    sql.unsafe(`SELECT (SELECT count(*) FROM callbacks) + (SELECT count(*) FROM callback_name_words) + (SELECT count(*) FROM messages) + (SELECT count(*) FROM outbox) AS n`),
  );
  expect(left).toEqual([{ n: '0' }]);
  const vacuumed = await raw(url, (sql) => sql.unsafe(`SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL ORDER BY relname`));
  expect(vacuumed.map((r) => r.relname)).toEqual(expect.arrayContaining(['attempts', 'callback_name_words', 'callbacks', 'messages', 'outbox']));
  await closeAll();
});

it('writes to disk a request’s reference and practice as given, and none of its patient’s name, phone, email or reason', async () => {
  const { name, url } = await freshDatabase();
  const store = await open(url);
  await store.savePractice(demoPractice(0), AT);
  await store.insertCallback(request({ ref: 'CB-ZQXJKV' }));
  const bytes = await databaseBytes(name);
  // What is not sealed is there to be read: the check reads the right files.
  expect(bytes.includes(Buffer.from('CB-ZQXJKV'))).toBe(true);
  for (const clear of ['Zébulon', '+33677881525', '33677881525', 'zebulon@patient', 'genou']) expect(bytes.includes(Buffer.from(clear)), clear).toBe(false);
  await closeAll();
});

it('leaves backups and restores to PostgreSQL’s own tools, and says so', async () => {
  const t = await testApp();
  const backup = await runCommand(t, ['backup', '/tmp/permanence-never-written.db']);
  expect(backup).toMatchObject({ code: 1, err: expect.stringMatching(/^backup: on PostgreSQL, back up with the database’s own tools \(pg_dump/) });
  expect(() => restoreStore({ dbPath: '', databaseUrl: 'postgres://localhost/permanence' }, '/tmp/x.db')).toThrow(/restore with its own tools \(pg_restore/);
});
