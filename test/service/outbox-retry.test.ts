/** The admins' "retry now" for an undelivered message: `POST /v1/outbox/:id/retry`, the outbox worker's `retryNow` behind it. */
import { describe, expect, it, vi } from 'vitest';
import { DeliveryError } from '../../service/notify/delivery-error.js';
import { auditOf, signIn, testApp, type TestApp } from './helpers.js';

const ADMIN = { email: 'admin@example.org', role: 'admin' } as const;
const TEXT = { subject: 'Demande reçue', text: 'Bonjour Camille, votre demande est bien reçue.', html: '<p>Bonjour Camille</p>' };

/** An email to `recipient` that gave up: dead after a permanent refusal. */
async function deadEmail(t: TestApp, recipient = 'camille@refuse.example'): Promise<number> {
  const id = await t.deps.store.enqueue({ channel: 'email', recipient, payload: TEXT, purpose: 'confirmation', practice: 'cabinet-martin' }, t.clock.now.toISOString());
  await t.deps.store.markFailed(id, '550 No such user', null);
  return id;
}

const retry = (t: TestApp, id: number | string, headers: Record<string, string>) => t.app.request(`/v1/outbox/${id}/retry`, { method: 'POST', headers });

describe('POST /v1/outbox/:id/retry', () => {
  it('sends a dead message at once, answers sent, and takes it off the dead letters', async () => {
    const sent: string[] = [];
    const email = {
      send: async (to: string) => {
        sent.push(to);
        return {};
      },
    };
    const t = await testApp({ senders: { email } });
    const id = await deadEmail(t);
    const admin = await signIn(t, ADMIN);
    const res = await retry(t, id, admin);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id, outcome: 'sent', state: 'sent' });
    expect(sent).toEqual(['camille@refuse.example']);
    expect(await t.deps.store.listOutbox('dead')).toEqual([]);
    expect(await t.deps.store.getOutbox(id)).toMatchObject({ state: 'sent', tries: 2 });
  });

  it('answers failed with the new error when the server refuses again, and leaves the message dead', async () => {
    const t = await testApp({ senders: { email: { send: async () => Promise.reject(new DeliveryError('smtp: 550 Mailbox unavailable', true, '550')) } } });
    const id = await deadEmail(t);
    const res = await retry(t, id, await signIn(t, ADMIN));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id, outcome: 'failed', state: 'dead', error: 'smtp: 550 Mailbox unavailable' });
    expect(await t.deps.store.getOutbox(id)).toMatchObject({ state: 'dead', tries: 2, lastError: 'smtp: 550 Mailbox unavailable' });
  });

  it('audits who retried which message and what came of it, without its recipient or text', async () => {
    const t = await testApp();
    const id = await deadEmail(t);
    await retry(t, id, await signIn(t, ADMIN));
    const [entry] = await auditOf(t, 'outbox_retry');
    expect(entry).toMatchObject({ actor: 'admin@example.org', target: String(id), details: { delivery: 'sent', messageState: 'sent' } });
    expect(JSON.stringify(entry)).not.toMatch(/camille|refuse\.example|Bonjour/i);
  });

  it('answers 404 for a message already sent, one unknown, or an id that is not a number, and audits none of them', async () => {
    const t = await testApp();
    const admin = await signIn(t, ADMIN);
    const id = await deadEmail(t);
    expect((await retry(t, id, admin)).status).toBe(200);
    for (const target of [id, 9999, 'abc', '1e3']) {
      const res = await retry(t, target, admin);
      expect([res.status, (await res.json()).error.code], String(target)).toEqual([404, 'not_found']);
    }
    expect(await auditOf(t, 'outbox_retry')).toHaveLength(1);
  });

  it('answers 409 for a message being sent, and 503 with Retry-After when every slot of its channel is taken', async () => {
    const calls: (() => void)[] = [];
    const t = await testApp({ senders: { email: { send: () => new Promise((resolve) => calls.push(() => resolve({}))) } } });
    const admin = await signIn(t, ADMIN);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await deadEmail(t, `patient${i}@example.org`));
    const trying = ids.slice(0, 4).map((id) => retry(t, id, admin));
    await vi.waitFor(() => expect(calls).toHaveLength(4));
    const busy = await retry(t, ids[4]!, admin);
    expect([busy.status, (await busy.json()).error.code, busy.headers.get('Retry-After')]).toEqual([503, 'busy', '10']);
    const again = await retry(t, ids[0]!, admin);
    expect([again.status, (await again.json()).error.code]).toEqual([409, 'in_flight']);
    for (const answer of calls) answer();
    expect((await Promise.all(trying)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(calls).toHaveLength(4);
  });

  it('is for admins only', async () => {
    const t = await testApp();
    const id = await deadEmail(t);
    const operator = await signIn(t, { email: 'op1@permanence.example', role: 'operator', practices: ['cabinet-martin'] });
    expect((await retry(t, id, operator)).status).toBe(403);
    expect((await retry(t, id, {})).status).toBe(401);
    expect(await t.deps.store.getOutbox(id)).toMatchObject({ state: 'dead', tries: 1 });
  });
});
