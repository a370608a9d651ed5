// Idempotency-Key on callback intake: replay, conflicts, key limits, scope and lifetime (Stripe / IETF httpapi draft semantics).
import { describe, expect, it } from 'vitest';
import { closeRequest, countCallbacks, countOutbox, postJson, testApp, validForm, type TestApp } from './helpers.js';
import { beginIdempotent, bodyFingerprint, KEEP_MS } from '../../service/domain/idempotency.js';

const CALLBACKS = '/v1/practices/cabinet-martin/callbacks';

async function post(t: TestApp, key: string | undefined, body: unknown = validForm(), path = CALLBACKS) {
  const res = await postJson(t, path, body, key === undefined ? {} : { 'Idempotency-Key': key });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

describe('Idempotency-Key', () => {
  it('answers a retry with the same key and body with the first response: same status and body, one row, one confirmation', async () => {
    const t = await testApp();
    const first = await post(t, 'retry-1');
    t.clock.advance(30_000);
    const again = await post(t, 'retry-1');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(first.headers.get('Idempotent-Replayed')).toBeNull();
    expect(await countCallbacks(t)).toBe(1);
    expect(await countOutbox(t)).toBe(1);
    // A replay is not a merge: the open request was not touched.
    expect((await t.deps.store.getCallback(JSON.parse(first.text).ref))!.mergedCount).toBe(0);
  });

  it('treats the same fields in another order and spacing as the same body', async () => {
    const t = await testApp();
    const form = validForm();
    const reordered = Object.fromEntries(Object.entries(form).reverse());
    const first = await post(t, 'k', JSON.stringify(form));
    const again = await post(t, 'k', JSON.stringify(reordered, null, 2));
    expect(again.text).toBe(first.text);
    expect(await countCallbacks(t)).toBe(1);
  });

  it('answers 422 to the same key with another body, and changes nothing', async () => {
    const t = await testApp();
    const first = await post(t, 'k');
    const other = await post(t, 'k', validForm({ reason: 'Autre chose' }));
    expect(other.status).toBe(422);
    expect(JSON.parse(other.text).error.code).toBe('idempotency_key_reused');
    expect(await countCallbacks(t)).toBe(1);
    expect((await t.deps.store.getCallback(JSON.parse(first.text).ref))!.reason).toBe(validForm().reason);
  });

  it('answers 409 with Retry-After while the first request with the key is still in flight', async () => {
    const t = await testApp();
    const body = validForm();
    // What a concurrent request (another process on the same database) leaves behind mid-flight.
    await beginIdempotent(t.deps.store, 'cabinet-martin', 'busy', bodyFingerprint(body), t.clock.now);
    t.clock.advance(2_000);
    const res = await post(t, 'busy', body);
    expect(res.status).toBe(409);
    expect(JSON.parse(res.text).error.code).toBe('idempotency_in_flight');
    expect(res.headers.get('Retry-After')).toBe('1');
    expect(await countCallbacks(t)).toBe(0);
  });

  it('lets a retry take over a key left in flight by a process that died', async () => {
    const t = await testApp();
    const body = validForm();
    await beginIdempotent(t.deps.store, 'cabinet-martin', 'orphan', bodyFingerprint(body), t.clock.now);
    t.clock.advance(5 * 60_000);
    const res = await post(t, 'orphan', body);
    expect(res.status).toBe(201);
    expect(await countCallbacks(t)).toBe(1);
  });

  it('accepts a key of 255 characters and answers 400 to one of 256, storing nothing', async () => {
    const t = await testApp();
    expect((await post(t, 'a'.repeat(255))).status).toBe(201);
    const long = await post(t, 'b'.repeat(256), validForm({ phone: '06 99 99 99 99' }));
    expect(long.status).toBe(400);
    expect(JSON.parse(long.text).error.code).toBe('invalid_idempotency_key');
    expect(await countCallbacks(t)).toBe(1);
    expect(await t.deps.store.getIdempotency('cabinet-martin', 'a'.repeat(255))).toBeDefined();
    expect(await t.deps.store.getIdempotency('cabinet-martin', 'b'.repeat(256))).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['with a space', 'a b'],
    ['with a non-ASCII letter', 'clé'],
  ])('answers 400 to a key that is %s', async (_what, key) => {
    const t = await testApp();
    const res = await t.app.request(CALLBACKS, {
      method: 'POST',
      // Headers refuses non-ByteString values, so the raw header is sent through a Request made by hand.
      headers: new Headers([['Content-Type', 'application/json'], ['Idempotency-Key', Buffer.from(key, 'utf8').toString('latin1')]]),
      body: JSON.stringify(validForm()),
    });
    expect(res.status).toBe(400);
    expect(await countCallbacks(t)).toBe(0);
  });

  it('scopes keys to the practice: the same key at another practice is a new request', async () => {
    const t = await testApp();
    await t.deps.store.savePractice({ ...(await t.deps.store.getPractice('cabinet-martin'))!, slug: 'kine-dupont', name: 'Kiné Dupont' }, t.clock.now.toISOString());
    const a = await post(t, 'shared-key');
    const b = await post(t, 'shared-key', validForm(), '/v1/practices/kine-dupont/callbacks');
    expect(b.status).toBe(201);
    expect(JSON.parse(b.text).ref).not.toBe(JSON.parse(a.text).ref);
    expect(await countCallbacks(t)).toBe(2);
  });

  it('forgets a key after 24 hours', async () => {
    const t = await testApp();
    const first = await post(t, 'day-old');
    // Close the first request, so the second is not merged into it, then come back a day later.
    await closeRequest(t, JSON.parse(first.text).ref);
    t.clock.advance(KEEP_MS - 60_000);
    expect((await post(t, 'day-old')).text).toBe(first.text);
    t.clock.advance(2 * 60_000);
    const later = await post(t, 'day-old');
    expect(later.status).toBe(201);
    expect(JSON.parse(later.text).ref).not.toBe(JSON.parse(first.text).ref);
    expect(await countCallbacks(t)).toBe(2);
  });

  it('does not spend the key on a request refused as invalid', async () => {
    const t = await testApp();
    expect((await post(t, 'fix-and-retry', validForm({ phone: 'abc' }))).status).toBe(400);
    const fixed = await post(t, 'fix-and-retry');
    expect(fixed.status).toBe(201);
  });

  it('frees the key when the commit fails, so the retry runs for real', async () => {
    const t = await testApp();
    const store = t.deps.store;
    let failures = 1;
    // The request's commit fails once, as a full disk would make it.
    t.deps.store = new Proxy(store, {
      get: (target, method) =>
        method === 'transaction'
          ? (work: { name: string }, args: unknown) => (work.name === 'intake.commit' && failures-- > 0 ? Promise.reject(new Error('disk I/O error')) : target.transaction(work as never, args))
          : Reflect.get(target, method),
    });
    const broken = await post(t, 'after-crash');
    expect(broken.status).toBe(500);
    expect(await store.getIdempotency('cabinet-martin', 'after-crash')).toBeUndefined();
    const retried = await post(t, 'after-crash');
    expect(retried.status).toBe(201);
    expect(await countCallbacks(t)).toBe(1);
  });

  it('works without a key, each request standing alone', async () => {
    const t = await testApp();
    expect((await post(t, undefined)).status).toBe(201);
    // Purging every key there is finds none.
    expect(await t.deps.store.purgeIdempotency('9999-12-31T00:00:00.000Z')).toBe(0);
  });
});
