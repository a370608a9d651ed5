/** The outbox worker keeps going when a pass fails: the messages stay pending and go out on a later pass. */
import { describe, expect, it } from 'vitest';
import { createOutboxWorker } from '../../service/notify/outbox.js';
import type { EmailPayload, Store } from '../../service/store/store.js';
import { postJson, testApp, validForm } from './helpers.js';

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
