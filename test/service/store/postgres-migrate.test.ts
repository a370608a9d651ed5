// `npm run permanence -- migrate-to-postgres`: a SQLite database that has lived (requests in every state, attempts,
// messages with an urgent one escalated, a reply, users and sessions, the outbox, idempotency keys, the audit) copied
// with the command into PostgreSQL serves the same queue, report and records there; and the refusals, each one line.
// Runs in the postgres project only (vitest.config.ts), on the run's throwaway cluster.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { demoPractice } from '../../../demo/seed.js';
import { createApp } from '../../../service/http/app.js';
import { cancelToken } from '../../../service/domain/links.js';
import { runDueEscalations } from '../../../service/domain/messages.js';
import { TRANSACTION_MODULES } from '../../../service/domain/transactions.js';
import { openStore } from '../../../service/store/open.js';
import { copyOrder } from '../../../service/store/migrate-to-postgres.js';
import type { Practice, Store } from '../../../service/store/store.js';
import { blankDatabase } from '../../pg/store.js';
import { OPEN_AT, send, signIn, TEST_PUBLIC_URL, TEST_SECRET_KEY, testApp, validForm, type TestApp } from '../helpers.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'permanence-migrate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const MINUTE = 60_000;

/** The command as an admin runs it, in a process of its own with nothing but these variables. */
function migrate(env: Record<string, string>) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'service/cli.ts', 'migrate-to-postgres'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, TMPDIR: scratch, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, out: run.stdout.trim(), err: run.stderr.trim() };
}

/** Reads the database directly, as an administrator would. */
async function raw<T>(url: string, query: string): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql.unsafe(query);
    return row!.value as T;
  } finally {
    await sql.end();
  }
}

const rowsIn = (url: string, table: string) => raw<number>(url, `SELECT count(*)::int AS value FROM ${table}`);

/** The demo practice with contacts on call and an escalation ladder, and a second practice for the report. */
const practices: Practice[] = [
  {
    ...demoPractice(0),
    allowedOrigins: ['https://www.cabinet-martin.example'],
    contacts: [
      { key: 'martin', name: 'Dr Martin', phone: '+33611111111', email: 'martin@cabinet.example' },
      { key: 'petit', name: 'Dr Petit', phone: '+33633333333', email: 'petit@cabinet.example' },
    ],
    onCall: { default: 'martin', slots: [] },
    escalation: ['petit'],
    urgentAckMinutes: 10,
  },
  { ...demoPractice(0), slug: 'kine-dupont', name: 'Cabinet de kinésithérapie Dupont', allowedOrigins: ['https://kine-dupont.fr'] },
];

interface Filled {
  t: TestApp;
  dbPath: string;
  admin: Record<string, string>;
  practitioner: Record<string, string>;
  urgentRef: string;
}

/** A SQLite database filled through the API, as a month of use would. */
async function filledSqlite(): Promise<Filled> {
  const dbPath = join(mkdtempSync(join(scratch, 'db-')), 'permanence.db');
  const t = await testApp({ dbPath, at: OPEN_AT, practices });
  const admin = await signIn(t, { email: 'admin@example.org', role: 'admin' });
  const op = await signIn(t, { email: 'op@permanence.example', role: 'operator', practices: ['cabinet-martin', 'kine-dupont'] });
  const practitioner = await signIn(t, { email: 'dr.martin@example.org', role: 'practitioner', practices: ['cabinet-martin'] });
  const post = async (form: Record<string, unknown>, practice = 'cabinet-martin', headers: Record<string, string> = {}) => {
    const res = await send(t, 'POST', `/v1/practices/${practice}/callbacks`, headers, validForm(form));
    expect(res.status).toBe(201);
    return res.body.ref as string;
  };
  const work = async (ref: string, attempt: Record<string, unknown>) => {
    expect((await send(t, 'POST', `/v1/callbacks/${ref}/claim`, op)).status).toBe(200);
    const res = await send(t, 'POST', `/v1/callbacks/${ref}/attempts`, op, attempt);
    expect(res.status).toBe(200);
    return res.body;
  };

  // Open, tried once (a retry), then asked again by the same person (merged into it), with an idempotency key.
  const retried = await post({ name: 'Camille Durand', phone: '06 12 34 56 78' }, 'cabinet-martin', { 'Idempotency-Key': 'first-try' });
  await work(retried, { outcome: 'no_answer', note: 'Messagerie pleine' });
  await post({ name: 'Camille Durand', phone: '06 12 34 56 78', reason: 'Et aussi un certificat' });
  // A red flag, open; an urgent one by SMS, reached, with an urgent message for the practitioner.
  await post({ name: 'Jean Petit', phone: '06 22 33 44 55', reason: 'Douleur thoracique intense, je n’arrive plus à respirer', urgency: 'urgent', confirmBy: 'sms' });
  const urgentRef = await post({ name: 'Louise Bernard', phone: '06 98 76 54 32', reason: 'Fièvre à 40 depuis trois jours', urgency: 'urgent', confirmBy: 'sms' });
  const taken = await work(urgentRef, { outcome: 'reached', note: 'Rappelée', message: 'Rappeler Mme Bernard', messageUrgent: true });
  // Cancelled by the patient with the link's token; closed as spam; reached with a message at the other practice.
  const cancelled = await post({ name: 'Paul Martin', phone: '06 11 22 33 44', confirmBy: 'none' });
  expect((await send(t, 'POST', `/v1/callbacks/${cancelled}/cancel`, {}, { token: cancelToken(t.deps.sealer, cancelled) })).status).toBe(200);
  await work(await post({ name: 'Spam Spam', phone: '06 55 44 33 22', confirmBy: 'none' }), { outcome: 'spam' });
  await work(await post({ name: 'Nina Roux', phone: '06 77 88 99 00' }, 'kine-dupont'), { outcome: 'reached', message: 'Séance à décaler' });
  // Some confirmations delivered (their texts dropped), the rest pending.
  await t.outbox.runOnce();
  await post({ name: 'Hugo Lambert', phone: '06 33 22 11 00', urgency: 'soon' });

  // Unacknowledged for its 10 minutes, the urgent message escalates: an escalation item tops the queue.
  t.clock.advance(11 * MINUTE);
  expect(await runDueEscalations(t.deps)).toBe(1);
  // The practitioner reads another message and replies to it: the request goes back to the queue.
  const messages = (await send(t, 'GET', '/v1/messages', practitioner)).body.items as { id: number; urgent: boolean }[];
  const urgentId = taken.messages[0].id as number;
  expect(messages.some((m) => m.id === urgentId)).toBe(true);
  expect((await send(t, 'POST', `/v1/messages/${urgentId}/reply`, practitioner, { text: 'Rappeler la patiente : RDV demain 9 h' })).status).toBe(200);
  return { t, dbPath, admin, practitioner, urgentRef };
}

/** What the comparison reads, the same way on either store. */
async function answers(app: TestApp['app'], f: Filled) {
  const get = async (path: string, headers: Record<string, string>) => {
    const res = await app.request(path, { headers });
    expect(res.status, path).toBe(200);
    return res.headers.get('Content-Type')?.includes('json') ? res.json() : res.text();
  };
  const queueAll = (await get('/v1/queue?state=all&limit=500', f.admin)) as { items: { ref: string; kind: string }[] };
  const escalationRef = queueAll.items.find((item) => item.kind === 'escalation')?.ref;
  expect(escalationRef, 'an escalation item').toBeDefined();
  return {
    queueAll,
    escalationItem: await get(`/v1/callbacks/${escalationRef}`, f.admin),
    queueOpen: await get('/v1/queue', f.admin),
    report: await get('/v1/reports/activity?month=2026-11', f.admin),
    reportCsv: await get('/v1/reports/activity?month=2026-11&format=csv-fr', f.admin),
    urgentRequest: await get(`/v1/callbacks/${f.urgentRef}`, f.admin),
    messages: await get('/v1/messages', f.practitioner),
    users: await get('/v1/users', f.admin),
    practices: await get('/v1/practices', f.admin),
    outboxPending: await get('/v1/outbox?state=pending', f.admin),
  };
}

describe('migrate-to-postgres', () => {
  it('copies a SQLite database that serves the same queue, report and records on PostgreSQL, and new rows continue after', { timeout: 120_000 }, async () => {
    const filled = await filledSqlite();
    const before = await answers(filled.t.app, filled);
    expect((before.queueAll as { items: unknown[] }).items.length).toBeGreaterThanOrEqual(8);
    await filled.t.deps.store.close();

    const { url } = await blankDatabase();
    const run = migrate({ PERMANENCE_DB: filled.dbPath, DATABASE_URL: url, SECRET_KEY: TEST_SECRET_KEY });
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^copied \d+ rows: .*\bcallbacks 8\b/);
    expect(run.out).toMatch(/\bmessage_escalations 1\b.*\bmessage_replies 1\b/);

    const store: Store = await openStore({ dbPath: '', databaseUrl: url, secretKey: TEST_SECRET_KEY, publicUrl: TEST_PUBLIC_URL }, TRANSACTION_MODULES);
    try {
      const app = createApp({ ...filled.t.deps, store });
      // The same sign-in cookies: the sessions came across too.
      const after = await answers(app, filled);
      expect(after).toEqual(before);
      // The escalation item and the message it escalates refer to each other: both came across, linked.
      expect((after.escalationItem as { escalation: { messageRef: string } }).escalation.messageRef).toBe(filled.urgentRef);
      expect((after.urgentRequest as { messages: { escalations: unknown[] }[] }).messages[0]!.escalations).toHaveLength(1);
      expect(await store.listAudit({ limit: 5, action: 'migrated_to_postgres' })).toHaveLength(1);

      // Identities continue after the highest id copied: new requests and accounts are written, not refused.
      const res = await app.request('/v1/practices/cabinet-martin/callbacks', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(validForm({ name: 'Après Migration', phone: '06 01 02 03 04' })),
      });
      expect(res.status).toBe(201);
      const user = await app.request('/v1/users', {
        method: 'POST',
        headers: { ...filled.admin, 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'new@example.org', name: 'New', role: 'operator', practices: ['cabinet-martin'], password: 'correct horse battery staple' }),
      });
      expect(user.status).toBe(201);
    } finally {
      await store.close();
    }

    // Run again: the target is no longer empty, and nothing changes.
    const callbacks = await rowsIn(url, 'callbacks');
    const again = migrate({ PERMANENCE_DB: filled.dbPath, DATABASE_URL: url, SECRET_KEY: TEST_SECRET_KEY });
    expect(again.code).toBe(1);
    expect(again.err.split('\n')).toHaveLength(1);
    expect(again.err).toMatch(/^migrate-to-postgres: the PostgreSQL database is not empty \(.*callbacks.*\)/);
    expect(await rowsIn(url, 'callbacks')).toBe(callbacks);
  });

  it('refuses a SECRET_KEY that does not open the sealed fields, writing nothing', { timeout: 60_000 }, async () => {
    const dbPath = join(mkdtempSync(join(scratch, 'db-')), 'permanence.db');
    const t = await testApp({ dbPath, at: OPEN_AT });
    expect((await send(t, 'POST', '/v1/practices/cabinet-martin/callbacks', {}, validForm())).status).toBe(201);
    await t.deps.store.close();
    const { url } = await blankDatabase();
    const run = migrate({ PERMANENCE_DB: dbPath, DATABASE_URL: url, SECRET_KEY: 'another-key-that-is-long-enough-0000000000' });
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/^migrate-to-postgres: SECRET_KEY does not open what .* holds sealed \(callbacks\.\w+_sealed\)/);
    // Refused before PostgreSQL was touched: not even the schema was made.
    expect(await raw(url, `SELECT to_regclass('practices')::text AS value`)).toBeNull();
  });

  it('asks for DATABASE_URL, and for SECRET_KEY with where the service kept it', () => {
    const folder = mkdtempSync(join(scratch, 'db-'));
    writeFileSync(join(folder, 'secret.key'), 'k'.repeat(43));
    const dbPath = join(folder, 'permanence.db');
    expect(migrate({ PERMANENCE_DB: dbPath }).err).toMatch(/needs DATABASE_URL/);
    const noKey = migrate({ PERMANENCE_DB: dbPath, DATABASE_URL: 'postgres://localhost/nowhere' });
    expect(noKey.code).toBe(2);
    expect(noKey.err).toContain(`SECRET_KEY="$(cat ${join(folder, 'secret.key')})"`);
  });
});

describe('copyOrder', () => {
  const nullable = (table: string, column: string) => `${table}.${column}` === 'callbacks.message_id';

  it('fills a table after those it refers to', () => {
    const fks = [
      { table: 'attempts', refs: 'callbacks', columns: ['callback_id'] },
      { table: 'callbacks', refs: 'practices', columns: ['practice'] },
    ];
    expect(copyOrder(['attempts', 'callbacks', 'practices'], fks, nullable)).toEqual({ order: ['practices', 'callbacks', 'attempts'], deferred: [] });
  });

  it('breaks a circle at the reference that may wait empty', () => {
    const fks = [
      { table: 'callbacks', refs: 'messages', columns: ['message_id'] },
      { table: 'messages', refs: 'callbacks', columns: ['callback_id'] },
    ];
    expect(copyOrder(['callbacks', 'messages'], fks, nullable)).toEqual({ order: ['callbacks', 'messages'], deferred: [fks[0]] });
    expect(() => copyOrder(['callbacks', 'messages'], fks, () => false)).toThrow(/refer to each other/);
  });
});
