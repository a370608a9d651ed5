// The store contract: every implementation answers the same, through the `Store` interface only. Runs on
// SQLite in memory (one connection) and on a file (writer thread, group commit, reader connection) in the node
// project, and on PostgreSQL (a database of its own per test, in the run's throwaway cluster) in the postgres one.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiProblem } from '../../../service/errors.js';
import { openStore } from '../../../service/store/open.js';
import { OpenRequestExists, RefTaken, type NewCallback, type Store } from '../../../service/store/store.js';
import { demoPractice } from '../../../demo/seed.js';
import { auditThenMaybeFail, TEST_TRANSACTIONS, writeThenRead } from './transactions.js';
import { databaseBytes, freshDatabase, onPostgres, releaseDatabase } from '../../pg/store.js';

const SECRET = 'contract-secret-key-that-is-long-enough';
const AT = '2026-11-25T09:00:00.000Z';

interface Backend {
  name: string;
  /** Several instances may share it: what it counts and leases holds for all of them (PostgreSQL). */
  shared: boolean;
  /** `files()`: every byte the store keeps on disk, as text; `done()`: removes them. */
  open(): Promise<{ store: Store; files(): Promise<string>; done(): Promise<void> | void }>;
}

const sqlite: Backend[] = [
  {
    name: 'SQLite in memory',
    shared: false,
    async open() {
      const store = await openStore({ dbPath: ':memory:', secretKey: SECRET, publicUrl: 'https://p.example' }, [TEST_TRANSACTIONS]);
      return { store, files: async () => '', done: () => {} };
    },
  },
  {
    name: 'SQLite file with a writer thread',
    shared: false,
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'permanence-contract-'));
      const store = await openStore({ dbPath: join(dir, 'p.db'), secretKey: SECRET, publicUrl: 'https://p.example' }, [TEST_TRANSACTIONS]);
      return {
        store,
        files: async () => readdirSync(dir).map((name) => readFileSync(join(dir, name)).toString('latin1')).join('\n'),
        done: () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
];

const postgres: Backend = {
  name: 'PostgreSQL',
  shared: true,
  async open() {
    const { name, url } = await freshDatabase();
    const store = await openStore({ dbPath: '', databaseUrl: url, secretKey: SECRET, publicUrl: 'https://p.example' }, [TEST_TRANSACTIONS]);
    return { store, files: async () => (await databaseBytes(name)).toString('latin1'), done: () => releaseDatabase(name) };
  },
};

const backends = onPostgres() ? [postgres] : sqlite;

/** The ids of the messages a pick answered. */
const ids = (due: { picked: { id: number }[] }) => due.picked.map((m) => m.id);

let phoneSeq = 0;
const request = (overrides: Partial<NewCallback> = {}): NewCallback => ({
  ref: `CB-${String(++phoneSeq).padStart(6, '0').replace(/0/g, 'A')}`,
  practice: 'cabinet-martin',
  name: 'Camille Durand',
  phone: `+336123${String(phoneSeq).padStart(5, '0')}`,
  email: null,
  reason: 'Renouvellement d’ordonnance',
  urgency: 'routine',
  redFlag: false,
  preferredWindow: null,
  confirmBy: 'none',
  lang: 'fr',
  dueAt: AT,
  createdAt: AT,
  ...overrides,
});

describe.each(backends)('the store on $name', (backend) => {
  let store: Store;
  let files: () => Promise<string>;
  let done: () => Promise<void> | void;
  beforeEach(async () => {
    ({ store, files, done } = await backend.open());
    await store.savePractice({ ...demoPractice(0) }, AT);
  });
  afterEach(async () => {
    await store.close();
    await done();
  });

  it('saves and reads practices back', async () => {
    const saved = await store.savePractice({ ...demoPractice(0), slug: 'kine-dupont', name: 'Kiné Dupont' }, AT);
    expect(saved.slug).toBe('kine-dupont');
    expect((await store.getPractice('kine-dupont'))?.name).toBe('Kiné Dupont');
    expect((await store.listPractices()).map((p) => p.slug)).toEqual(['cabinet-martin', 'kine-dupont']);
    expect(await store.getPractice('nobody')).toBeUndefined();
  });

  it('creates, finds and changes accounts, with their practices', async () => {
    const user = await store.createUser({ email: 'op@example.org', name: 'Op', role: 'operator', practices: ['cabinet-martin'], passwordHash: 'h' }, AT);
    expect(user).toMatchObject({ email: 'op@example.org', role: 'operator', practices: ['cabinet-martin'], disabled: false });
    expect((await store.findUserByEmail('OP@example.org'))?.passwordHash).toBe('h');
    expect(await store.updateUser('op@example.org', { disabled: true, name: 'Opérateur' })).toMatchObject({ disabled: true, name: 'Opérateur' });
    expect(await store.updateUser('nobody@example.org', { disabled: true })).toBeUndefined();
    expect(await store.countUsers()).toBe(1);
  });

  it('keeps sessions until deleted or purged', async () => {
    const user = await store.createUser({ email: 'a@example.org', name: 'A', role: 'admin', practices: [], passwordHash: 'h' }, AT);
    await store.createSession('s1', user.id, 'csrf', AT);
    await store.touchSession('s1', '2026-11-25T09:05:00.000Z');
    expect(await store.getSession('s1')).toEqual({ userId: user.id, csrf: 'csrf', createdAt: AT, seenAt: '2026-11-25T09:05:00.000Z' });
    expect(await store.purgeSessions('2026-11-25T10:00:00.000Z')).toBe(1);
    expect(await store.getSession('s1')).toBeUndefined();
  });

  it('answers a written request as stored, its reason sealed at rest', async () => {
    const created = await store.insertCallback(request({ reason: 'Douleur au genou gauche' }));
    expect(created).toMatchObject({ state: 'queued', reason: 'Douleur au genou gauche', attempts: 0, mergedCount: 0 });
    expect(await store.getCallback(created.ref)).toEqual(created);
    expect(await files()).not.toContain('genou');
  });

  it('holds at most one open request per person: same phone, same name once normalised', async () => {
    const first = await store.insertCallback(request({ name: 'Éloïse Martin' }));
    await expect(store.insertCallback(request({ phone: first.phone, name: '  eloise   MARTIN ' }))).rejects.toBeInstanceOf(OpenRequestExists);
    // Another name on the same phone is another person (a family phone).
    await store.insertCallback(request({ phone: first.phone, name: 'Jules Martin' }));
    expect((await store.findOpenCallback('cabinet-martin', first.phone, 'ELOISE martin'))?.ref).toBe(first.ref);
    // Once the request is closed, the same person may ask again.
    await store.cancelCallback(first.id, AT);
    await store.insertCallback(request({ phone: first.phone, name: 'Éloïse Martin' }));
    expect(await store.countCallbacks({ state: 'open' })).toBe(2);
    expect(await store.countCallbacks({ state: 'all' })).toBe(3);
  });

  it('refuses a reference already taken, so the caller draws another', async () => {
    const first = await store.insertCallback(request());
    await expect(store.insertCallback(request({ ref: first.ref }))).rejects.toBeInstanceOf(RefTaken);
  });

  it('gives a claim to one operator only, and answers the claimed row', async () => {
    const a = await store.createUser({ email: 'a@example.org', name: 'A', role: 'operator', practices: ['cabinet-martin'], passwordHash: 'h' }, AT);
    const b = await store.createUser({ email: 'b@example.org', name: 'B', role: 'operator', practices: ['cabinet-martin'], passwordHash: 'h' }, AT);
    const { ref } = await store.insertCallback(request());
    const [first, second] = await Promise.all([store.claimCallback(ref, a.id, AT, AT), store.claimCallback(ref, b.id, AT, AT)]);
    expect(first).toMatchObject({ state: 'claimed', claimedBy: a.id });
    expect(second).toBeUndefined();
    expect(await store.releaseClaim(ref, b.id, AT)).toBeUndefined();
    expect(await store.releaseClaim(ref, a.id, AT)).toMatchObject({ state: 'queued', claimedBy: null });
  });

  it('records attempts and messages, sealed, and answers the changed request', async () => {
    const cb = await store.insertCallback(request());
    await store.insertAttempt({ callbackId: cb.id, userId: null, outcome: 'reached', note: 'Très anxieuse', retryAt: null, retryRule: null, createdAt: AT });
    const closed = await store.applyAttempt(cb.id, { state: 'done', outcome: 'reached', dueAt: cb.dueAt, attempts: 1, firstCallAt: AT, closedAt: AT }, AT);
    expect(closed).toMatchObject({ state: 'done', outcome: 'reached', attempts: 1 });
    const id = await store.insertMessage({ callbackId: cb.id, practice: 'cabinet-martin', body: 'Résultat de biopsie', createdBy: null, createdAt: AT });
    expect((await store.getMessage(id))?.body).toBe('Résultat de biopsie');
    expect((await store.listAttempts(cb.id))[0]?.note).toBe('Très anxieuse');
    expect(await files()).not.toMatch(/anxieuse|biopsie/);
  });

  it('keeps with a message the operator instructions in force, sealed, and null when there were none', async () => {
    const cb = await store.insertCallback(request());
    const consignes = { fr: 'Consigne du zèbre : **message**', en: 'Zebra rule: a **message**' };
    const id = await store.insertMessage({ callbackId: cb.id, practice: 'cabinet-martin', body: 'Rappeler', createdBy: null, createdAt: AT, instructionsInForce: consignes });
    const bare = await store.insertMessage({ callbackId: cb.id, practice: 'cabinet-martin', body: 'Rappeler encore', createdBy: null, createdAt: AT });
    expect((await store.getMessage(id))?.instructionsInForce).toEqual(consignes);
    expect((await store.getMessage(bare))?.instructionsInForce).toBeNull();
    expect((await store.listMessages({ callbackId: cb.id })).map((m) => m.instructionsInForce)).toEqual([null, consignes]);
    expect(await files()).not.toMatch(/zèbre|Zebra/);
  });

  it('takes back a closing outcome: the attempt marked undone, the request reopened or closed as a duplicate', async () => {
    const op = await store.createUser({ email: 'op@example.org', name: 'Op', role: 'operator', practices: ['cabinet-martin'], passwordHash: 'h' }, AT);
    const cb = await store.insertCallback(request());
    const attempt = await store.insertAttempt({ callbackId: cb.id, userId: op.id, outcome: 'spam', note: null, retryAt: null, retryRule: null, createdAt: AT });
    await store.applyAttempt(cb.id, { state: 'done', outcome: 'spam', dueAt: cb.dueAt, attempts: 1, firstCallAt: null, closedAt: AT }, AT);
    await store.markAttemptUndone(attempt, AT);
    expect(await store.reopenCallback(cb.id, { claimedBy: op.id, attempts: 0, firstCallAt: null }, AT)).toMatchObject({ state: 'claimed', claimedBy: op.id, outcome: null });
    expect(await store.closeAsDuplicate(cb.id, AT)).toMatchObject({ state: 'done', outcome: 'duplicate' });
  });

  it('counts and delivers outbox messages', async () => {
    const since = '2026-11-25T08:00:00.000Z';
    const id = await store.enqueue({ channel: 'sms', recipient: '+33612345678', payload: { body: 'x' }, purpose: 'confirmation', practice: 'cabinet-martin' }, AT);
    await store.enqueue({ channel: 'sms', recipient: '+33612349999', payload: { body: 'x' }, purpose: 'confirmation', practice: 'cabinet-martin' }, AT);
    expect(await store.countOutbox({ channel: 'sms', recipient: '+33612345678', since })).toBe(1);
    expect(await store.countOutbox({ channel: 'sms', block: '+3361234', since })).toBe(2);
    // A lease ending at once: picked again by the next call.
    expect(ids(await store.dueOutbox(AT, 'sms', 10, AT))).toEqual([id, id + 1]);
    expect(await store.dueOutbox(AT, 'sms', 1, AT)).toMatchObject({ picked: [{ id }], more: true });
    expect(await store.dueOutbox(AT, 'sms', 10, AT, [id])).toMatchObject({ picked: [{ id: id + 1 }], more: false });
    expect(await store.dueOutbox(AT, 'email', 10, AT)).toEqual({ picked: [], more: false });
    await store.markSent(id, AT);
    await store.markFailed(id + 1, 'refused', null);
    expect((await store.listOutbox('sent')).map((m) => m.id)).toEqual([id]);
    expect((await store.listOutbox('dead')).map((m) => m.lastError)).toEqual(['refused']);
  });

  const sms = (to: string) => store.enqueue({ channel: 'sms', recipient: to, payload: { body: 'x' }, purpose: 'confirmation', practice: 'cabinet-martin' }, AT);
  const later = (ms: number) => new Date(Date.parse(AT) + ms).toISOString();

  it.runIf(backend.shared)('leases what it picks until the lease runs out or the try is recorded, so no other instance picks it meanwhile', async () => {
    const [first, second, third] = [await sms('+33612340001'), await sms('+33612340002'), await sms('+33612340003')];
    const lease = later(120_000);
    expect(await store.dueOutbox(AT, 'sms', 2, lease)).toMatchObject({ picked: [{ id: first }, { id: second }], more: true });
    expect(await store.dueOutbox(AT, 'sms', 10, lease)).toMatchObject({ picked: [{ id: third }], more: false });
    expect(await store.dueOutbox(later(60_000), 'sms', 10, later(180_000))).toEqual({ picked: [], more: false });
    expect(await store.leaseOutbox(first, later(60_000), later(180_000))).toBeUndefined();
    // A try recorded ends its lease: failed, the message is picked again when due.
    await store.markSent(first, later(1000));
    await store.markFailed(second, 'refused', later(10_000));
    expect(ids(await store.dueOutbox(later(10_000), 'sms', 10, later(130_000)))).toEqual([second]);
    // The instance that picked the third died: once its lease has run out, the message is picked again.
    expect(ids(await store.dueOutbox(lease, 'sms', 10, later(240_000)))).toEqual([third]);
    expect(await store.leaseOutbox(first, lease, later(240_000))).toBeUndefined();
  });

  it.runIf(backend.shared)('leases one message for a retry now, pending or dead, unless another instance holds it', async () => {
    const id = await sms('+33612340004');
    await store.markFailed(id, 'refused', null);
    expect(await store.leaseOutbox(id, AT, later(120_000))).toMatchObject({ id, state: 'dead', recipient: '+33612340004' });
    expect(await store.leaseOutbox(id, later(60_000), later(180_000))).toBeUndefined();
    await store.markFailed(id, 'refused again', null);
    expect(await store.leaseOutbox(id, later(60_000), later(180_000))).toMatchObject({ id, state: 'dead', tries: 2 });
  });

  it.runIf(!backend.shared)('keeps no lease where one process owns the file: its worker skips what it is sending', async () => {
    const id = await sms('+33612340005');
    expect(ids(await store.dueOutbox(AT, 'sms', 10, later(120_000)))).toEqual([id]);
    expect(ids(await store.dueOutbox(AT, 'sms', 10, later(120_000)))).toEqual([id]);
    expect(await store.dueOutbox(AT, 'sms', 10, later(120_000), [id])).toEqual({ picked: [], more: false });
    expect(await store.leaseOutbox(id, AT, later(120_000))).toMatchObject({ id, state: 'pending' });
    await store.markSent(id, AT);
    expect(await store.leaseOutbox(id, AT, later(120_000))).toBeUndefined();
  });

  it('counts hits in a sliding window per key, refusing without counting once the limit is reached', async () => {
    const hit = (key: string, ms: number) => store.countHit(key, 2, 1000, later(ms));
    expect(await hit('intake.ip 203.0.113.7', 0)).toEqual({ ok: true });
    expect(await hit('intake.ip 203.0.113.7', 400)).toEqual({ ok: true });
    expect(await hit('intake.ip 203.0.113.7', 900)).toEqual({ ok: false, retryAfterS: 1 });
    expect(await hit('intake.ip 203.0.113.8', 900)).toEqual({ ok: true });
    // The first hit leaves the window: exactly one place is free.
    expect(await hit('intake.ip 203.0.113.7', 1001)).toEqual({ ok: true });
    expect(await hit('intake.ip 203.0.113.7', 1002)).toEqual({ ok: false, retryAfterS: 1 });
    // Another limit's window over the same key is counted apart (limits name their keys).
    expect(await store.countHit('intake.ip 203.0.113.7', 5, 60_000, later(1003))).toEqual({ ok: true });
  });

  it('tells how long until the oldest hit leaves the window, and takes a hit back', async () => {
    const key = 'signin.account camille@example.org';
    for (let i = 0; i < 3; i++) expect((await store.countHit(key, 3, 15 * 60_000, AT)).ok).toBe(true);
    expect(await store.countHit(key, 3, 15 * 60_000, later(60_000))).toEqual({ ok: false, retryAfterS: 14 * 60 });
    // Hits in the same millisecond: one is taken back, the others stay.
    await store.forgiveHit(key, AT);
    expect(await store.countHit(key, 3, 15 * 60_000, later(60_000))).toEqual({ ok: true });
    expect((await store.countHit(key, 3, 15 * 60_000, later(60_000))).ok).toBe(false);
    await store.forgiveHit('signin.account nobody@example.org', AT);
    // Who was counted is nowhere in clear.
    expect(await files()).not.toContain('camille@example.org');
  });

  it('counts hits arriving together one by one: a burst meets the limit once', async () => {
    const verdicts = await Promise.all(Array.from({ length: 30 }, () => store.countHit('intake.ip 198.51.100.1', 10, 60_000, AT)));
    expect(verdicts.filter((v) => v.ok)).toHaveLength(10);
  });

  it('reads one outbox message by its id, opened, in any state', async () => {
    const payload = { subject: 'Demande reçue', text: 'Bonjour Camille', html: '<p>Bonjour Camille</p>' };
    const id = await store.enqueue({ channel: 'email', recipient: 'camille@example.org', payload, purpose: 'confirmation', practice: 'cabinet-martin' }, AT);
    expect(await store.getOutbox(id)).toMatchObject({ id, channel: 'email', recipient: 'camille@example.org', payload, state: 'pending', tries: 0, lastError: null });
    await store.markFailed(id, '550 No such user', null);
    expect(await store.getOutbox(id)).toMatchObject({ state: 'dead', tries: 1, lastError: '550 No such user', payload });
    await store.markSent(id, AT);
    expect(await store.getOutbox(id)).toMatchObject({ state: 'sent', payload: null });
    expect(await store.getOutbox(id + 1000)).toBeUndefined();
    expect(await files()).not.toMatch(/camille@example|Bonjour Camille/);
  });

  it('keeps idempotency keys until purged', async () => {
    expect(await store.startIdempotency('cabinet-martin', 'k', 'hash', AT)).toBe(true);
    expect(await store.startIdempotency('cabinet-martin', 'k', 'hash', AT)).toBe(false);
    await store.finishIdempotency('cabinet-martin', 'k', 201, '{"ref":"CB-AAAAAA"}');
    expect(await store.getIdempotency('cabinet-martin', 'k')).toEqual({ bodyHash: 'hash', status: 201, response: '{"ref":"CB-AAAAAA"}', createdAt: AT });
    expect(await store.purgeIdempotency('2026-11-26T00:00:00.000Z')).toBe(1);
  });

  it('runs a transaction whole: what it reads includes its own writes, a throw rolls all of it back', async () => {
    expect(await store.transaction(writeThenRead, { action: 'seen', at: AT })).toBe(1);
    const entries = [{ at: AT, action: 'a' }, { at: AT, action: 'b' }];
    await expect(store.transaction(auditThenMaybeFail, { entries, fail: 'error' })).rejects.toThrow('failed on purpose');
    expect(await store.listAudit({ limit: 10, action: 'a' })).toEqual([]);
    expect(await store.transaction(auditThenMaybeFail, { entries, fail: null })).toBe(3);
  });

  it('hands back the API error a transaction threw, with its status, code, fields and headers', async () => {
    const error = await store.transaction(auditThenMaybeFail, { entries: [], fail: 'problem' }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ApiProblem);
    expect(error).toMatchObject({ status: 409, code: 'test_conflict', message: 'Refused on purpose', fields: { name: 'invalid' }, headers: { 'Retry-After': '7' } });
  });

  it('commits concurrent writes together without letting one failure undo its neighbours', async () => {
    const writes = Array.from({ length: 60 }, (_, i) =>
      store.transaction(auditThenMaybeFail, { entries: [{ at: AT, action: `w${i}` }], fail: i % 10 === 3 ? 'error' : null }).then(
        () => 'ok',
        () => 'failed',
      ),
    );
    const outcomes = await Promise.all(writes);
    expect(outcomes.filter((o) => o === 'failed')).toHaveLength(6);
    const kept = await store.listAudit({ limit: 1000 });
    expect(kept).toHaveLength(54);
    expect(kept.map((e) => e.action)).not.toContain('w3');
  });

  it('erases everything held on a phone number', async () => {
    const cb = await store.insertCallback(request());
    await store.enqueue({ channel: 'sms', recipient: cb.phone, payload: { body: 'x' }, purpose: 'confirmation', callbackId: cb.id, practice: 'cabinet-martin' }, AT);
    expect(await store.eraseByPhone(cb.phone)).toBe(1);
    expect(await store.getCallback(cb.ref)).toBeUndefined();
    expect(await store.listOutbox('pending')).toEqual([]);
  });

  it('acknowledges an urgent message once, which stops its escalation; each step is recorded once, after the one before', async () => {
    const cb = await store.insertCallback(request());
    const later = '2026-11-25T09:10:00.000Z';
    const id = await store.insertMessage({ callbackId: cb.id, practice: 'cabinet-martin', body: 'Rappeler', createdBy: null, createdAt: AT, urgent: true, to: 'dr-martin', nextEscalationAt: AT });
    expect(await store.dueEscalations(AT, 10)).toEqual([id]);
    const step = { messageId: id, step: 1, at: AT, contacts: ['dr-martin', 'dr-durand'], callbackId: null, nextAt: later };
    // Two instances running the same step: one records it.
    expect(await Promise.all([store.recordEscalation(step), store.recordEscalation(step)])).toEqual(expect.arrayContaining([true, false]));
    expect(await store.recordEscalation({ ...step, step: 3 })).toBe(false);
    expect(await store.listEscalations([id])).toEqual([{ messageId: id, step: 1, at: AT, contacts: ['dr-martin', 'dr-durand'], callbackRef: null }]);
    expect(await store.dueEscalations(AT, 10)).toEqual([]);
    expect(await store.dueEscalations(later, 10)).toEqual([id]);
    expect(await store.acknowledgeMessage(id, 'dr@example.org', later)).toBe(true);
    expect(await store.acknowledgeMessage(id, 'other@example.org', later)).toBe(false);
    expect(await store.getMessage(id)).toMatchObject({ urgent: true, to: 'dr-martin', ackAt: later, ackBy: 'dr@example.org', escalationStep: 1, nextEscalationAt: null });
    expect(await store.dueEscalations(later, 10)).toEqual([]);
    expect(await store.recordEscalation({ ...step, step: 2 })).toBe(false);
  });

  it('keeps a practitioner’s reply sealed, and sends a closed request back to the queue unless the person has another open', async () => {
    const cb = await store.insertCallback(request());
    const id = await store.insertMessage({ callbackId: cb.id, practice: 'cabinet-martin', body: 'Rappeler', createdBy: null, createdAt: AT });
    await store.applyAttempt(cb.id, { state: 'done', outcome: 'reached', dueAt: cb.dueAt, attempts: 1, firstCallAt: AT, closedAt: AT }, AT);
    await store.insertReply({ messageId: id, body: 'Rendez-vous du zéphyr demain', userId: null, createdAt: AT, callbackId: cb.id });
    expect((await store.listReplies({ messageIds: [id] })).map((r) => r.body)).toEqual(['Rendez-vous du zéphyr demain']);
    expect(await store.listReplies({ callbackId: cb.id })).toHaveLength(1);
    expect(await files()).not.toMatch(/zéphyr/);
    expect(await store.requeueCallback(cb.id, AT, AT)).toMatchObject({ state: 'queued', outcome: null, closedAt: null });
    await store.cancelCallback(cb.id, AT);
    await store.insertCallback(request({ phone: cb.phone }));
    await expect(store.requeueCallback(cb.id, AT, AT)).rejects.toBeInstanceOf(OpenRequestExists);
  });

  it('keeps escalation items out of the one-open-request rule and of a patient’s records, and closes one once', async () => {
    const cb = await store.insertCallback(request());
    const id = await store.insertMessage({ callbackId: cb.id, practice: 'cabinet-martin', body: 'Rappeler', createdBy: null, createdAt: AT, urgent: true });
    const item = await store.insertCallback(request({ phone: cb.phone, kind: 'escalation', messageId: id }));
    expect(item).toMatchObject({ kind: 'escalation', messageId: id, state: 'queued' });
    expect((await store.findEscalationItem(id))?.ref).toBe(item.ref);
    expect((await store.findPatientCallbacks({ phone: cb.phone })).map((c) => c.ref)).toEqual([cb.ref]);
    expect((await store.listQueue({ state: 'open' })).map((c) => c.ref)).toEqual([item.ref, cb.ref]);
    expect(await store.closeEscalationItem(item.id, AT)).toMatchObject({ state: 'done', outcome: 'acknowledged' });
    expect(await store.closeEscalationItem(item.id, AT)).toBeUndefined();
    expect(await store.findEscalationItem(id)).toBeUndefined();
  });

  it('tracks a message’s deliveries: a late "delivered" never overrides a failure the provider reported', async () => {
    const cb = await store.insertCallback(request());
    const messageId = await store.insertMessage({ callbackId: cb.id, practice: 'cabinet-martin', body: 'Rappeler', createdBy: null, createdAt: AT, urgent: true });
    const sms = await store.enqueue({ channel: 'sms', recipient: '+33612340000', payload: { body: 'x' }, purpose: 'urgent_message', practice: 'cabinet-martin', messageId }, AT);
    await store.markSent(sms, AT, 'SM-PROVIDER-1');
    expect(await store.recordDeliveryReport('SM-PROVIDER-1', { status: 'failed', at: AT, error: '30003 unreachable' })).toMatchObject({ id: sms, failedAt: AT, lastError: '30003 unreachable' });
    expect(await store.recordDeliveryReport('SM-PROVIDER-1', { status: 'delivered', at: AT })).toMatchObject({ id: sms, deliveredAt: null, failedAt: AT });
    expect(await store.recordDeliveryReport('SM-UNKNOWN', { status: 'delivered', at: AT })).toBeUndefined();
    expect((await store.listDeliveries([messageId])).map((d) => ({ id: d.id, providerRef: d.providerRef, sentAt: d.sentAt }))).toEqual([{ id: sms, providerRef: 'SM-PROVIDER-1', sentAt: AT }]);
    // What goes to the practice's people is counted apart from what goes to patients (their caps differ).
    const since = '2026-11-25T08:00:00.000Z';
    expect(await store.countOutbox({ channel: 'sms', since, audience: 'practitioner' })).toBe(1);
    expect(await store.countOutbox({ channel: 'sms', since, audience: 'patient' })).toBe(0);
  });

  it('lets one instance only claim a practice’s digest for a day', async () => {
    expect(await Promise.all([store.claimDigest('cabinet-martin', '2026-11-25', AT), store.claimDigest('cabinet-martin', '2026-11-25', AT)])).toEqual(
      expect.arrayContaining([true, false]),
    );
    expect(await store.claimDigest('cabinet-martin', '2026-11-26', AT)).toBe(true);
  });
});
