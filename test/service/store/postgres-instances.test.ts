// Several instances on one PostgreSQL database, each with its own store, outbox worker and event bus, as N processes
// would have them: the outbox sends each message once between them and takes over what a dead one was sending, the
// limits count together, every sweep's work is done once, and events reach every instance once, also after the
// listening connection dropped. Runs in the postgres project only (vitest.config.ts), on the run's throwaway cluster.
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import postgres from 'postgres';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { demoPractice } from '../../../demo/seed.js';
import type { Deps } from '../../../service/context.js';
import { createSealer } from '../../../service/crypto.js';
import { deliveryFailed, runDueDigests, runDueEscalations } from '../../../service/domain/messages.js';
import { purgeExpired } from '../../../service/domain/retention.js';
import { TRANSACTION_MODULES } from '../../../service/domain/transactions.js';
import { releaseIdleClaims } from '../../../service/domain/work.js';
import { createEventBus, type EventBus, type QueueEvent } from '../../../service/events.js';
import { createPostgresEventBus, EVENTS_APPLICATION, EVENTS_CHANNEL } from '../../../service/events-postgres.js';
import { memoryLogger } from '../../../service/log.js';
import { createOutboxWorker, type OutboxWorker } from '../../../service/notify/outbox.js';
import { openStore } from '../../../service/store/open.js';
import type { NewCallback, Practice, Store } from '../../../service/store/store.js';
import { freshDatabase } from '../../pg/store.js';
import { fastPasswords } from '../helpers.js';

const SECRET = 'instances-secret-key-that-is-long-enough-0';
const AT = '2026-11-25T09:00:00.000Z';
const later = (ms: number) => new Date(Date.parse(AT) + ms).toISOString();

const closing: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).reverse().map((c) => c.close()));
});

async function open(url: string): Promise<Store> {
  const store = await openStore({ dbPath: '', databaseUrl: url, secretKey: SECRET, publicUrl: 'https://p.example' }, TRANSACTION_MODULES);
  closing.push(store);
  return store;
}

/** One instance's parts around its own store, on a clock the test sets. */
function instance(store: Store, clock: { now: Date }, events: EventBus = createEventBus()): Deps {
  return {
    store,
    sealer: createSealer(SECRET),
    log: memoryLogger(),
    events,
    passwords: fastPasswords(),
    config: { publicUrl: 'https://p.example', trustProxy: false },
    now: () => clock.now,
    wakeOutbox: () => {},
    retryOutbox: async () => ({ outcome: 'not_found' }),
  };
}

let seq = 0;
const request = (overrides: Partial<NewCallback> = {}): NewCallback => ({
  ref: `CB-INST${String(++seq).padStart(3, 'A')}`,
  practice: 'cabinet-martin',
  name: 'Camille Durand',
  phone: `+3361234${String(seq).padStart(4, '0')}`,
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

const practice: Practice = {
  ...demoPractice(0),
  contacts: [{ key: 'martin', name: 'Dr Martin', phone: '+33611111111', email: 'martin@cabinet.test' }],
  onCall: { default: 'martin', slots: [] },
  escalation: ['martin'],
  urgentAckMinutes: 10,
  digestAt: '08:00',
};

/** Two instances' outbox workers on their own stores, sending by email into one list. */
function workers(stores: Store[], clock: { now: Date }, send: (to: string) => Promise<void>): OutboxWorker[] {
  return stores.map((store) => {
    const worker = createOutboxWorker({
      store,
      email: { send: async (to) => (await send(to), {}) },
      sms: { name: 'none', send: async () => ({}) },
      log: memoryLogger(),
      now: () => clock.now,
    });
    closing.push({ close: () => worker.stop() });
    return worker;
  });
}

describe('the outbox, worked by every instance', () => {
  it('sends each of 30 messages once while two instances pass over the outbox together', async () => {
    const { url } = await freshDatabase();
    const [a, b] = [await open(url), await open(url)];
    const clock = { now: new Date(AT) };
    for (let i = 0; i < 30; i++) {
      await (i % 2 ? a : b).enqueue({ channel: 'email', recipient: `patient${i}@example.org`, payload: { subject: 's', text: 't', html: 'h' }, purpose: 'confirmation' }, AT);
    }
    const sent: string[] = [];
    // Each send takes a little while, so that passes of both instances overlap.
    const [one, two] = workers([a, b], clock, async (to) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      sent.push(to);
    });
    while ((await a.listOutbox('sent')).length < 30) await Promise.all([one!.runOnce(), two!.runOnce(), one!.runOnce(), two!.runOnce()]);
    expect(sent).toHaveLength(30);
    expect(new Set(sent).size).toBe(30);
    expect((await b.listOutbox('sent')).every((m) => m.tries === 1)).toBe(true);
  });

  it('sends what a dead instance was sending once its lease has run out, and not before', async () => {
    const { url } = await freshDatabase();
    const [a, b] = [await open(url), await open(url)];
    const clock = { now: new Date(AT) };
    const id = await a.enqueue({ channel: 'email', recipient: 'camille@example.org', payload: { subject: 's', text: 't', html: 'h' }, purpose: 'confirmation' }, AT);
    const sentByB: string[] = [];
    // A picks the message and never finishes: its process is gone.
    let picked = false;
    const dead = createOutboxWorker({ store: a, email: { send: () => ((picked = true), new Promise(() => {})) }, sms: { name: 'none', send: async () => ({}) }, log: memoryLogger(), now: () => clock.now });
    void dead.runOnce();
    await vi.waitFor(() => expect(picked).toBe(true));
    const [survivor] = workers([b], clock, async (to) => void sentByB.push(to));
    expect(await survivor!.runOnce()).toBe(0);
    clock.now = new Date(later(60_000));
    expect(await survivor!.runOnce()).toBe(0);
    clock.now = new Date(later(2 * 60_000));
    expect(await survivor!.runOnce()).toBe(1);
    expect(sentByB).toEqual(['camille@example.org']);
    expect(await b.getOutbox(id)).toMatchObject({ state: 'sent', tries: 1 });
  });

  it('answers in_flight to a retry now on one instance while another is sending the message', async () => {
    const { url } = await freshDatabase();
    const [a, b] = [await open(url), await open(url)];
    const clock = { now: new Date(AT) };
    const id = await a.enqueue({ channel: 'email', recipient: 'camille@example.org', payload: { subject: 's', text: 't', html: 'h' }, purpose: 'confirmation' }, AT);
    let answer: (() => void) | undefined;
    const [sender] = workers([a], clock, () => new Promise<void>((resolve) => (answer = resolve)));
    const pass = sender!.runOnce();
    await vi.waitFor(() => expect(answer).toBeDefined());
    const [other] = workers([b], clock, async () => {});
    expect(await other!.retryNow(id)).toEqual({ outcome: 'in_flight' });
    answer!();
    expect(await pass).toBe(1);
    expect(await other!.retryNow(id)).toEqual({ outcome: 'not_found' });
  });
});

describe('limits counted together', () => {
  it('lets 20 of 60 hits spread over two instances through a limit of 20, as one instance would', async () => {
    const { url } = await freshDatabase();
    const [a, b] = [await open(url), await open(url)];
    const verdicts = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).countHit('intake.ip 203.0.113.7', 20, 10 * 60_000, AT)));
    expect(verdicts.filter((v) => v.ok)).toHaveLength(20);
    expect(await a.countHit('intake.ip 203.0.113.7', 20, 10 * 60_000, later(1000))).toEqual({ ok: false, retryAfterS: 599 });
  });

  it('keeps no spent count once its window is over: a later hit’s sweep deletes it', async () => {
    const { url } = await freshDatabase();
    const store = await open(url);
    for (let i = 0; i < 50; i++) await store.countHit(`intake.ip 198.51.100.${i}`, 20, 60_000, AT);
    await store.countHit('intake.ip 192.0.2.1', 20, 60_000, later(10 * 60_000));
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      expect((await sql`SELECT count(*)::int AS n FROM rate_hits`)[0]!.n).toBe(1);
    } finally {
      await sql.end();
    }
  });
});

describe('every sweep’s work done once', () => {
  it('runs an urgent message’s escalation step once when two instances sweep together', async () => {
    const { url } = await freshDatabase();
    const [a, b] = [await open(url), await open(url)];
    await a.savePractice(practice, AT);
    const callback = await a.insertCallback(request());
    const id = await a.insertMessage({ callbackId: callback.id, practice: 'cabinet-martin', body: 'Rappeler', createdBy: null, createdAt: AT, urgent: true, to: 'martin', nextEscalationAt: later(10 * 60_000) });
    const clock = { now: new Date(later(10 * 60_000 + 1000)) };
    const ran = await Promise.all([runDueEscalations(instance(a, clock)), runDueEscalations(instance(b, clock)), runDueEscalations(instance(a, clock))]);
    expect(ran.reduce((n, r) => n + r, 0)).toBe(1);
    expect(await a.listEscalations([id])).toHaveLength(1);
    expect((await a.listOutbox('pending')).filter((m) => m.purpose === 'urgent_message')).toHaveLength(2);
  });

  it('sends a practice’s daily digest once when two instances sweep together', async () => {
    const { url } = await freshDatabase();
    const [a, b] = [await open(url), await open(url)];
    await a.savePractice(practice, AT);
    const callback = await a.insertCallback(request());
    await a.insertMessage({ callbackId: callback.id, practice: 'cabinet-martin', body: 'Rappeler', createdBy: null, createdAt: AT });
    // 10:00 in Paris, past the practice's 08:00.
    const clock = { now: new Date(later(60_000)) };
    const sent = await Promise.all([runDueDigests(instance(a, clock)), runDueDigests(instance(b, clock))]);
    // One instance sends it, to each of the practice's addresses; the other finds the day taken.
    expect(sent.filter((n) => n > 0)).toHaveLength(1);
    expect((await b.listOutbox('pending')).filter((m) => m.purpose === 'digest')).toHaveLength(Math.max(...sent));
  });

  it('returns an idle claim to the queue once, told once to the consoles, when two instances sweep together', async () => {
    const { url } = await freshDatabase();
    const [a, b] = [await open(url), await open(url)];
    await a.savePractice(practice, AT);
    const op = await a.createUser({ email: 'op@example.org', name: 'Op', role: 'operator', practices: ['cabinet-martin'], passwordHash: 'h' }, AT);
    const callback = await a.insertCallback(request());
    await a.claimCallback(callback.ref, op.id, AT, AT);
    const told: QueueEvent[] = [];
    const bus = createEventBus();
    bus.subscribe((event) => told.push(event));
    const clock = { now: new Date(later(11 * 60_000)) };
    const moved = await Promise.all([releaseIdleClaims(instance(a, clock, bus)), releaseIdleClaims(instance(b, clock, bus))]);
    expect(moved.reduce((n, m) => n + m, 0)).toBe(1);
    expect(told).toEqual([{ type: 'callback.updated', practice: 'cabinet-martin', ref: callback.ref }]);
  });

  it('purges an expired request once when two instances run the retention sweep together', async () => {
    const { url } = await freshDatabase();
    const [a, b] = [await open(url), await open(url)];
    await a.savePractice(practice, AT);
    const callback = await a.insertCallback(request());
    await a.cancelCallback(callback.id, AT);
    const after = new Date(Date.parse(AT) + 91 * 24 * 60 * 60_000);
    const done = await Promise.all([purgeExpired(a, after), purgeExpired(b, after)]);
    expect(done.map((d) => d.callbacks).sort()).toEqual([0, 1]);
  });

  it('falls back to the other channel once when a practitioner’s notice fails, whichever instance hears of it', async () => {
    const { url } = await freshDatabase();
    const [a, b] = [await open(url), await open(url)];
    await a.savePractice(practice, AT);
    const callback = await a.insertCallback(request());
    const messageId = await a.insertMessage({ callbackId: callback.id, practice: 'cabinet-martin', body: 'Rappeler', createdBy: null, createdAt: AT, to: 'martin' });
    const outboxId = await a.enqueue({ channel: 'email', recipient: 'martin@cabinet.test', payload: { subject: 's', text: 't', html: 'h' }, purpose: 'practitioner_message', messageId }, AT);
    await a.markFailed(outboxId, 'refused', null);
    const clock = { now: new Date(AT) };
    const item = { id: outboxId, messageId, purpose: 'practitioner_message' };
    await Promise.all([deliveryFailed(instance(a, clock), item), deliveryFailed(instance(b, clock), item)]);
    expect((await a.listDeliveries([messageId])).map((m) => m.channel).sort()).toEqual(['email', 'sms']);
  });
});

describe('events across instances', () => {
  /** Subscribes to a bus: what it hears, in order. */
  function listen(bus: EventBus) {
    const heard: QueueEvent[] = [];
    bus.subscribe((event) => heard.push(event));
    return heard;
  }

  it('reaches every instance once, the publishing one included, with identifiers only, in the order published', async () => {
    const { url } = await freshDatabase();
    const log = memoryLogger();
    const [a, b] = [await createPostgresEventBus({ url, log }), await createPostgresEventBus({ url, log })];
    closing.push(a, b);
    const [onA, onB] = [listen(a), listen(b)];
    // What travels, read as any client of the database would.
    const raw = postgres(url, { max: 1, onnotice: () => {} });
    closing.push({ close: () => raw.end() });
    const payloads: string[] = [];
    await raw.listen(EVENTS_CHANNEL, (payload) => payloads.push(payload));
    const events = Array.from({ length: 100 }, (_, i): QueueEvent => ({ type: i % 3 ? 'callback.updated' : 'callback.created', practice: 'cabinet-martin', ref: `CB-${1000 + i}` }));
    const started = performance.now();
    for (const event of events) a.publish(event);
    await vi.waitFor(() => expect(onB).toHaveLength(100), { timeout: 2000, interval: 5 });
    const latencyMs = performance.now() - started;
    await vi.waitFor(() => expect(onA).toHaveLength(100));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(onA).toEqual(events);
    expect(onB).toEqual(events);
    expect(latencyMs).toBeLessThan(1000);
    for (const payload of payloads.filter((p) => p.includes('events'))) {
      expect(Object.keys(JSON.parse(payload)).sort()).toEqual(['events', 'from']);
      expect(payload.length).toBeLessThan(8000);
    }
  });

  it('hears again once its listening connection was cut: the client reconnects at once', async () => {
    const { url } = await freshDatabase();
    const log = memoryLogger();
    const a = await createPostgresEventBus({ url, log });
    const b = await createPostgresEventBus({ url, log, checkEveryMs: 200 });
    closing.push(a, b);
    const onB = listen(b);
    let gaps = 0;
    b.subscribe(() => {}, () => gaps++);
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    closing.push({ close: () => admin.end() });
    const cut = () => admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ${EVENTS_APPLICATION} AND query ILIKE 'listen%'`;
    expect((await cut()).length).toBe(2);
    // Events published while a connection is down are lost to it; those after it is back arrive.
    await vi.waitFor(
      () => {
        a.publish({ type: 'callback.updated', practice: 'cabinet-martin', ref: 'CB-AGAIN' });
        expect(onB.length).toBeGreaterThan(0);
      },
      { timeout: 10_000, interval: 250 },
    );
    expect(onB[0]).toEqual({ type: 'callback.updated', practice: 'cabinet-martin', ref: 'CB-AGAIN' });
    // What was published in between is not heard: the subscribers are told so, and read again.
    expect(gaps).toBeGreaterThan(0);
  });

  it('finds a connection gone silent without closing (a network cut) by its check, and listens again on a new one', async () => {
    const { url } = await freshDatabase();
    const proxy = await silenceableProxy(new URL(url));
    closing.push(proxy);
    const log = memoryLogger();
    const a = await createPostgresEventBus({ url, log });
    const b = await createPostgresEventBus({ url: proxy.url(url), log, checkEveryMs: 300 });
    closing.push(a, b);
    const onB = listen(b);
    let gaps = 0;
    b.subscribe(() => {}, () => gaps++);
    a.publish({ type: 'callback.created', practice: 'cabinet-martin', ref: 'CB-BEFORE' });
    await vi.waitFor(() => expect(onB).toHaveLength(1));
    expect(gaps).toBe(0);
    // Every byte between B and the database stops, and no connection closes: the client notices nothing.
    proxy.silence();
    await vi.waitFor(
      () => {
        a.publish({ type: 'callback.created', practice: 'cabinet-martin', ref: 'CB-AFTER' });
        expect(onB.map((e) => e.ref)).toContain('CB-AFTER');
      },
      { timeout: 10_000, interval: 250 },
    );
    expect(log.lines.filter((line) => line.includes('events_listen_lost')).length).toBeGreaterThan(0);
    expect(gaps).toBeGreaterThan(0);
  });

  it('tells the other instances to read again once its own NOTIFY, failed for a while, goes through', async () => {
    const { url } = await freshDatabase();
    const proxy = await silenceableProxy(new URL(url));
    closing.push(proxy);
    const log = memoryLogger();
    const a = await createPostgresEventBus({ url, log: memoryLogger() });
    const b = await createPostgresEventBus({ url: proxy.url(url), log, checkEveryMs: 300 });
    closing.push(a, b);
    const onA = listen(a);
    let gapsOnA = 0;
    a.subscribe(() => {}, () => gapsOnA++);
    // B's notifying connection open, as after any event, before the network goes silent.
    b.publish({ type: 'callback.created', practice: 'cabinet-martin', ref: 'CB-BEFORE' });
    await vi.waitFor(() => expect(onA).toHaveLength(1));
    proxy.silence();
    // Published by B while its connections carry nothing: A never hears of it.
    b.publish({ type: 'callback.created', practice: 'cabinet-martin', ref: 'CB-UNHEARD' });
    await vi.waitFor(() => expect(log.lines.some((line) => line.includes('events_notify_failed'))).toBe(true), { timeout: 10_000, interval: 100 });
    expect(gapsOnA).toBe(0);
    // B listens again on new connections; its next event goes through, and with it the word to read again.
    await vi.waitFor(
      () => {
        b.publish({ type: 'callback.updated', practice: 'cabinet-martin', ref: 'CB-LATER' });
        expect(gapsOnA).toBeGreaterThan(0);
      },
      { timeout: 10_000, interval: 250 },
    );
    expect(onA.map((e) => e.ref)).not.toContain('CB-UNHEARD');
    expect(onA.map((e) => e.ref)).toContain('CB-LATER');
  });
});

/**
 * A TCP relay to the database whose connections can be silenced: from then on they carry nothing and stay open, as
 * through a network cut. Connections made after still go through.
 */
async function silenceableProxy(target: URL) {
  const pairs: Socket[][] = [];
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    client.pipe(upstream).on('error', () => {});
    upstream.pipe(client).on('error', () => {});
    pairs.push([client, upstream]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (database: string) => Object.assign(new URL(database), { port: String(port) }).toString(),
    silence() {
      for (const [client, upstream] of pairs.splice(0)) {
        client!.unpipe();
        upstream!.unpipe();
        client!.pause();
        upstream!.pause();
      }
    },
    async close() {
      server.close();
      for (const socket of pairs.flat()) socket.destroy();
    },
  };
}
