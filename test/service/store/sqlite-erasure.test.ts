// Erasure leaves nothing behind: after `erase` (by phone or email) and after a retention purge, the bytes the store
// had written for the erased requests — name, phone, email, sealed reason, the confirmation sent — are found neither
// in the database file nor in its write-ahead log. SQLite-specific: it reads the files themselves.
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeRequest, postCallback, runCommand, testApp, type TestApp } from '../helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function fileApp() {
  const dir = mkdtempSync(join(tmpdir(), 'permanence-erase-'));
  dirs.push(dir);
  const path = join(dir, 'permanence.db');
  return { t: await testApp({ dbPath: path }), dir, path };
}

const cli = (t: TestApp, ...argv: string[]) => runCommand(t, argv);

/** Every byte of the database and its WAL. */
const files = (dir: string) => Buffer.concat(readdirSync(dir).filter((name) => name.startsWith('permanence.db')).map((name) => readFileSync(join(dir, name))));
/** Whether `bytes` hold `text` as the store would have written it (UTF-8). */
const holds = (bytes: Buffer, text: string) => bytes.includes(Buffer.from(text, 'utf8'));

/** What the store wrote for the request `ref` and the messages sent about it — ciphertext and keyed hashes — read back from the file before the erase. */
function storedBytes(path: string, ref: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    const row = db.prepare('SELECT * FROM callbacks WHERE ref = ?').get(ref) as Record<string, string>;
    const columns = ['name_sealed', 'phone_sealed', 'email_sealed', 'reason_sealed', 'name_key', 'phone_hash', 'phone_last4_hash', 'email_hash'];
    const words = db.prepare('SELECT word_hash FROM callback_name_words WHERE callback_id = ?').all(row.id) as { word_hash: string }[];
    const sent = db.prepare('SELECT recipient_sealed, recipient_hash, payload_sealed FROM outbox WHERE callback_id = ?').all(row.id) as Record<string, string>[];
    return [...columns.map((c) => row[c]!), ...words.map((w) => w.word_hash), ...sent.flatMap((m) => Object.values(m))].filter(Boolean);
  } finally {
    db.close();
  }
}

const ZORGLUB = { name: 'Zorglub Pataquès', phone: '06 98 76 54 32', email: 'zorglub@example.org', reason: 'Douleur zorglubienne au genou', confirmBy: 'email' };

describe.each([
  ['erase --phone', ['erase', '--phone', '06 98 76 54 32']],
  ['erase --email', ['erase', '--email', 'ZORGLUB@example.org']],
])('%s', (_name, argv) => {
  it('leaves none of the erased request’s stored bytes in the database or its WAL, and keeps everyone else', async () => {
    const { t, dir, path } = await fileApp();
    const erased = await postCallback(t, ZORGLUB);
    const kept = await postCallback(t, { name: 'Camille Durand', phone: '06 11 22 33 44', email: 'camille@example.org' });
    const traces = storedBytes(path, erased.body.ref);
    expect(traces.length).toBeGreaterThanOrEqual(12);
    for (const trace of traces) expect(holds(files(dir), trace)).toBe(true);

    expect(await cli(t, ...argv)).toMatchObject({ code: 0, out: 'erased 1 requests' });
    const after = files(dir);
    for (const trace of [...traces, 'Zorglub', 'zorglub@example.org', '+33698765432']) expect(holds(after, trace), trace).toBe(false);
    expect(await t.deps.store.getCallback(kept.body.ref)).toMatchObject({ name: 'Camille Durand' });
    const [audit] = await t.deps.store.listAudit({ limit: 1, action: 'erase' });
    expect(JSON.stringify(audit)).not.toMatch(/98 76|98765432|zorglub/i);
    await t.deps.store.close();
  });
});

it('a retention purge leaves none of the purged request’s bytes behind either', async () => {
  const { t, dir, path } = await fileApp();
  const purged = await postCallback(t, ZORGLUB);
  await closeRequest(t, purged.body.ref);
  const traces = storedBytes(path, purged.body.ref);
  t.clock.advance(91 * 24 * 3600_000);
  expect((await cli(t, 'purge')).out).toMatch(/^purged 1 requests/);
  const after = files(dir);
  for (const trace of [...traces, 'Zorglub']) expect(holds(after, trace), trace).toBe(false);
  await t.deps.store.close();
});

it('exports everything held about a patient as JSON, and audits that it did without saying whose', async () => {
  const { t } = await fileApp();
  const first = await postCallback(t, ZORGLUB);
  await closeRequest(t, first.body.ref);
  await postCallback(t, { ...ZORGLUB, reason: 'Toujours mal' });
  await postCallback(t, { name: 'Camille Durand', phone: '06 11 22 33 44' });
  const { code, out } = await cli(t, 'export', '--phone', '+33 6 98 76 54 32');
  expect(code).toBe(0);
  const record = JSON.parse(out);
  expect(record.requests.map((r: { reason: string }) => r.reason)).toEqual(['Douleur zorglubienne au genou', 'Toujours mal']);
  expect(record.requests[0]).toMatchObject({ name: 'Zorglub Pataquès', phone: '+33698765432', email: 'zorglub@example.org', state: 'done' });
  expect(record.messagesSent.map((m: { purpose: string }) => m.purpose)).toEqual(['confirmation', 'confirmation']);
  expect(JSON.stringify(record)).not.toContain('Camille');
  const [audit] = await t.deps.store.listAudit({ limit: 1, action: 'export' });
  expect(audit).toMatchObject({ actor: 'cli', details: { exported: 2, byEmail: false } });
  expect(await cli(t, 'export', '--phone', 'not a number')).toMatchObject({ code: 1, err: 'export: "not a number" is not a phone number' });
  await t.deps.store.close();
});
