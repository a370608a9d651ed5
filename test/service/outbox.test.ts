/**
 * The outbox worker: it keeps going when a pass fails, delivers each channel in its own lane of a few slots,
 * retries on a schedule that notices a server's return within a minute, and retries a message now on demand.
 */
import { describe, expect, it, vi } from 'vitest';
import { DeliveryError } from '../../service/notify/delivery-error.js';
import { createOutboxWorker, type OutboxDeps, type OutboxWorker } from '../../service/notify/outbox.js';
import type { EmailPayload, Store } from '../../service/store/store.js';
import { postJson, testApp, validForm, type TestApp } from './helpers.js';

describe('outbox worker', () => {
  it('logs a failed pass instead of crashing, and delivers on the next one', async () => {
    const t = await testApp();
    await postJson(t, '/v1/practices/cabinet-martin/callbacks', validForm());
    const sent: string[] = [];
    let failNext = true;
    const store = new Proxy(t.deps.store, {
      get(target, key, receiver) {
        if (key === 'dueOutbox' && failNext) {
          return () => {
            failNext = false;
            throw new Error('database is locked');
          };
        }
        const value = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as Store;
    const worker = createOutboxWorker({
      store,
      email: {
        send: async (to: string, _message: EmailPayload) => {
          sent.push(to);
          return {};
        },
      },
      sms: { name: 'none', send: async () => ({}) },
      log: t.log,
      now: () => t.clock.now,
    });
    expect(await worker.runOnce()).toBe(0);
    expect(t.log.lines.some((l) => l.includes('outbox_pass_failed') && l.includes('database is locked'))).toBe(true);
    expect(await t.deps.store.listOutbox('pending')).toHaveLength(1);
    expect(await worker.runOnce()).toBe(1);
    expect(sent).toEqual(['camille@example.org']);
  });
});

/** A channel whose sends wait until the test answers them. */
function gatedChannel() {
  const calls: { to: string; answer(err?: Error): void }[] = [];
  const send = (to: string) => new Promise<{ providerId?: string }>((resolve, reject) => calls.push({ to, answer: (err) => (err ? reject(err) : resolve({})) }));
  return { name: 'gated', calls, send };
}

const unreachable = () => new DeliveryError('smtp: ECONNREFUSED', false, 'ECONNREFUSED');

async function enqueue(t: TestApp, channel: 'email' | 'sms', recipient: string): Promise<number> {
  const payload = channel === 'email' ? { subject: 'Demande reçue', text: 'Bonjour', html: '<p>Bonjour</p>' } : { body: 'Bonjour' };
  return t.deps.store.enqueue({ channel, recipient, payload, purpose: 'confirmation' }, t.clock.now.toISOString());
}

function worker(t: TestApp, channels: { email?: OutboxDeps['email']; sms?: OutboxDeps['sms'] }, options: Partial<OutboxDeps> = {}) {
  return createOutboxWorker({
    store: t.deps.store,
    email: channels.email ?? { send: async () => ({}) },
    sms: channels.sms ?? { name: 'none', send: async () => ({}) },
    log: t.log,
    now: () => t.clock.now,
    ...options,
  });
}

/** Runs passes on the test's clock, moving it to each next attempt, until the one message is sent or dead. */
async function runUntilSettled(t: TestApp, outbox: OutboxWorker): Promise<void> {
  for (let pass = 0; pass < 100; pass++) {
    await outbox.runOnce();
    const [pending] = await t.deps.store.listOutbox('pending');
    if (!pending) return;
    t.clock.now = new Date(pending.nextAttemptAt);
  }
  throw new Error('still pending after 100 passes');
}

describe('outbox lanes', () => {
  it('has up to 4 emails in flight at once, and starts the 5th as soon as one of them is answered', async () => {
    const t = await testApp();
    const email = gatedChannel();
    for (let i = 0; i < 6; i++) await enqueue(t, 'email', `patient${i}@example.org`);
    const outbox = worker(t, { email });
    const pass = outbox.runOnce();
    await vi.waitFor(() => expect(email.calls).toHaveLength(4));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(email.calls).toHaveLength(4);
    email.calls[0]!.answer();
    await vi.waitFor(() => expect(email.calls).toHaveLength(5));
    for (const call of email.calls.slice(1)) call.answer();
    await vi.waitFor(() => expect(email.calls).toHaveLength(6));
    email.calls[5]!.answer();
    expect(await pass).toBe(4);
    await outbox.stop();
    expect(await t.deps.store.listOutbox('sent')).toHaveLength(6);
  });

  it('lets a stalled email hold one slot only: the other emails and the SMS go out meanwhile', async () => {
    const t = await testApp();
    const stalled = gatedChannel();
    const sent: string[] = [];
    await enqueue(t, 'email', 'stalled@example.org');
    await enqueue(t, 'email', 'a@example.org');
    await enqueue(t, 'email', 'b@example.org');
    await enqueue(t, 'sms', '+33612345678');
    const outbox = worker(t, {
      email: { send: (to) => (to.startsWith('stalled') ? stalled.send(to) : (sent.push(to), Promise.resolve({}))) },
      sms: { name: 'recorder', send: async (to) => (sent.push(to), {}) },
    });
    void outbox.runOnce();
    await vi.waitFor(() => expect(sent.sort()).toEqual(['+33612345678', 'a@example.org', 'b@example.org']));
    // The sends were called; their `markSent` may not have committed yet (a round trip away on PostgreSQL).
    await vi.waitFor(async () => expect(await t.deps.store.listOutbox('pending')).toEqual([expect.objectContaining({ recipient: 'stalled@example.org', tries: 0 })]));
    stalled.calls[0]!.answer();
    await outbox.stop();
    expect(await t.deps.store.listOutbox('sent')).toHaveLength(4);
  });

  it('finds an SMS behind more emails than a pass reads, while every email slot waits on a stalled server', async () => {
    const t = await testApp();
    const email = gatedChannel();
    const sms: string[] = [];
    for (let i = 0; i < 120; i++) await enqueue(t, 'email', `patient${i}@example.org`);
    await enqueue(t, 'sms', '+33612345678');
    const outbox = worker(t, { email, sms: { name: 'recorder', send: async (to) => (sms.push(to), {}) } });
    void outbox.runOnce();
    await vi.waitFor(() => expect(sms).toEqual(['+33612345678']));
    expect(email.calls).toHaveLength(4);
    for (const call of email.calls) call.answer(unreachable());
    await outbox.stop();
  });

  it('never hands a message still being sent to another pass', async () => {
    const t = await testApp();
    const email = gatedChannel();
    await enqueue(t, 'email', 'camille@example.org');
    const outbox = worker(t, { email });
    const first = outbox.runOnce();
    await vi.waitFor(() => expect(email.calls).toHaveLength(1));
    for (let i = 0; i < 3; i++) {
      outbox.wake();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(email.calls).toHaveLength(1);
    email.calls[0]!.answer();
    expect(await first).toBe(1);
    expect(await outbox.runOnce()).toBe(0);
    expect(email.calls).toHaveLength(1);
  });
});

describe('outbox retry schedule', () => {
  it.each([
    { outage: '30 s', ms: 30_000 },
    { outage: '2 minutes', ms: 2 * 60_000 },
    { outage: '5 minutes', ms: 5 * 60_000 },
  ])('tries again within a minute of the server’s return after an outage of $outage', async ({ ms }) => {
    const t = await testApp();
    const back = t.clock.now.getTime() + ms;
    const tries: number[] = [];
    await enqueue(t, 'email', 'camille@example.org');
    const outbox = worker(t, {
      email: {
        send: async () => {
          tries.push(t.clock.now.getTime());
          if (t.clock.now.getTime() < back) throw unreachable();
          return {};
        },
      },
    });
    await runUntilSettled(t, outbox);
    expect(await t.deps.store.listOutbox('sent')).toHaveLength(1);
    expect(tries.at(-1)! - back).toBeGreaterThanOrEqual(0);
    expect(tries.at(-1)! - back).toBeLessThanOrEqual(60_000);
  });

  it('keeps trying for about three hours before dead-lettering a message', async () => {
    const t = await testApp();
    const tries: number[] = [];
    await enqueue(t, 'email', 'camille@example.org');
    const outbox = worker(t, {
      email: {
        send: async () => {
          tries.push(t.clock.now.getTime());
          throw unreachable();
        },
      },
    });
    await runUntilSettled(t, outbox);
    const [dead] = await t.deps.store.listOutbox('dead');
    expect(dead).toMatchObject({ tries: tries.length });
    const span = tries.at(-1)! - tries[0]!;
    expect(span).toBeGreaterThan(3 * 60 * 60_000);
    expect(span).toBeLessThan(3.5 * 60 * 60_000);
  });
});

describe('outbox retry now', () => {
  it('sends a dead message at once and marks it sent', async () => {
    const t = await testApp();
    let refuse = true;
    const id = await enqueue(t, 'sms', '+33612345678');
    const outbox = worker(t, {
      sms: {
        name: 'flaky',
        send: async () => {
          if (refuse) throw new DeliveryError('twilio: 401 20003 Authenticate', true, '20003');
          return {};
        },
      },
    });
    await outbox.runOnce();
    expect(await t.deps.store.listOutbox('dead')).toEqual([expect.objectContaining({ id })]);
    refuse = false;
    expect(await outbox.retryNow(id)).toEqual({ outcome: 'sent' });
    expect(await t.deps.store.listOutbox('sent')).toEqual([expect.objectContaining({ id, tries: 2 })]);
    const line = t.log.lines.find((l) => l.includes('outbox_retry_now'))!;
    expect(JSON.parse(line)).toMatchObject({ id, channel: 'sms', state: 'dead' });
    expect(line).not.toContain('612345678');
  });

  it('leaves a dead message that fails again dead, with the new error, and off the schedule', async () => {
    const t = await testApp();
    let error = new DeliveryError('twilio: 401 20003 Authenticate', true, '20003');
    const calls: number[] = [];
    const id = await enqueue(t, 'sms', '+33612345678');
    const outbox = worker(t, {
      sms: {
        name: 'failing',
        send: async () => {
          calls.push(t.clock.now.getTime());
          throw error;
        },
      },
    });
    await outbox.runOnce();
    error = new DeliveryError('twilio: 503 20503 Service unavailable', false, '20503');
    expect(await outbox.retryNow(id)).toEqual({ outcome: 'failed', state: 'dead', error: 'twilio: 503 20503 Service unavailable' });
    expect(await t.deps.store.listOutbox('dead')).toEqual([expect.objectContaining({ id, tries: 2, lastError: expect.stringContaining('20503') })]);
    t.clock.advance(60 * 60_000);
    await outbox.runOnce();
    expect(calls).toHaveLength(2);
  });

  it('sends a pending message without waiting for its next attempt', async () => {
    const t = await testApp();
    let down = true;
    const id = await enqueue(t, 'email', 'camille@example.org');
    const outbox = worker(t, {
      email: {
        send: async () => {
          if (down) throw unreachable();
          return {};
        },
      },
    });
    await outbox.runOnce();
    expect(await t.deps.store.listOutbox('pending')).toEqual([expect.objectContaining({ id, tries: 1 })]);
    down = false;
    expect(await outbox.retryNow(id)).toEqual({ outcome: 'sent' });
    expect(await t.deps.store.listOutbox('sent')).toEqual([expect.objectContaining({ id, tries: 2 })]);
  });

  it('answers in_flight for a message being sent, busy when its channel has no free slot, not_found for one sent or unknown', async () => {
    const t = await testApp();
    const email = gatedChannel();
    const first = await enqueue(t, 'email', 'a@example.org');
    const outbox = worker(t, { email }, { concurrency: 1 });
    const pass = outbox.runOnce();
    await vi.waitFor(() => expect(email.calls).toHaveLength(1));
    const second = await enqueue(t, 'email', 'b@example.org');
    expect(await outbox.retryNow(first)).toEqual({ outcome: 'in_flight' });
    expect(await outbox.retryNow(second)).toEqual({ outcome: 'busy' });
    email.calls[0]!.answer();
    expect(await pass).toBe(1);
    expect(await outbox.retryNow(first)).toEqual({ outcome: 'not_found' });
    expect(await outbox.retryNow(9999)).toEqual({ outcome: 'not_found' });
    expect(email.calls).toHaveLength(1);
    await outbox.stop();
  });
});
