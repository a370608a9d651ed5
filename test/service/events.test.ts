// Server-Sent Events: a new request reaches the consoles of its practice only, with heartbeats, and the stream ends with the session.
import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { postJson, signIn, testApp, validForm, type TestApp } from './helpers.js';
import { demoPractice } from '../../demo/seed.js';
import { eventRoutes } from '../../service/http/routes/events.js';
import type { AppEnv } from '../../service/context.js';
import { createListeners, type EventBus } from '../../service/events.js';

/** Reads an SSE body chunk by chunk; `until` resolves with all text received once `match` appears. */
function reader(body: ReadableStream<Uint8Array>) {
  const r = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  return {
    async until(match: RegExp, timeoutMs = 2000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      while (!match.test(text)) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out waiting for ${match}; got ${JSON.stringify(text)}`);
        const chunk = await Promise.race([r.read(), new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), left))]);
        if (chunk === 'timeout') continue;
        if (chunk.done) throw new Error(`stream ended; got ${JSON.stringify(text)}`);
        text += decoder.decode(chunk.value);
      }
      return text;
    },
    async ended(timeoutMs = 2000): Promise<boolean> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const chunk = await Promise.race([r.read(), new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), deadline - Date.now()))]);
        if (chunk !== 'timeout' && chunk.done) return true;
      }
      return false;
    },
    get text() {
      return text;
    },
    cancel: () => r.cancel(),
  };
}

async function connect(app: { request: TestApp['app']['request'] }, headers: Record<string, string>) {
  const res = await app.request('/v1/events', { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
  const stream = reader(res.body!);
  await stream.until(/: connected/);
  return stream;
}

const twoPractices = () => testApp({ practices: [demoPractice(0), { ...demoPractice(0), slug: 'cabinet-durand', name: 'Cabinet Durand' }] });

describe('GET /v1/events', () => {
  it('sends callback.created with {ref, practice} as soon as a patient submits', async () => {
    const t = await testApp();
    const stream = await connect(t.app, await signIn(t, { email: 'op@permanence.example', role: 'operator', practices: ['cabinet-martin'] }));
    const created = (await (await postJson(t, '/v1/practices/cabinet-martin/callbacks', validForm())).json()) as { ref: string };
    const text = await stream.until(/event: callback\.created/);
    const data = /event: callback\.created\ndata: (.*)\n/.exec(text)![1]!;
    expect(JSON.parse(data)).toEqual({ ref: created.ref, practice: 'cabinet-martin' });
    await stream.cancel();
  });

  it('tells an operator nothing about a practice they are not assigned to', async () => {
    const t = await twoPractices();
    const other = await connect(t.app, await signIn(t, { email: 'op-b@permanence.example', role: 'operator', practices: ['cabinet-durand'] }));
    const admin = await connect(t.app, await signIn(t, { email: 'admin@permanence.example', role: 'admin' }));
    t.deps.events.publish({ type: 'callback.created', practice: 'cabinet-martin', ref: 'CB-AAAAAA' });
    t.deps.events.publish({ type: 'callback.updated', practice: 'cabinet-durand', ref: 'CB-BBBBBB' });
    await admin.until(/CB-BBBBBB/);
    await other.until(/CB-BBBBBB/);
    expect(admin.text).toContain('CB-AAAAAA');
    expect(other.text).not.toContain('CB-AAAAAA');
    await Promise.all([admin.cancel(), other.cancel()]);
  });

  it('sends a comment heartbeat and stops listening once the client goes', async () => {
    const t = await testApp();
    const app = new Hono<AppEnv>().route('/', eventRoutes(t.deps, { heartbeatMs: 30 }));
    const headers = await signIn(t, { email: 'op@permanence.example', role: 'operator', practices: ['cabinet-martin'] });
    const stream = await connect(app, headers);
    await stream.until(/: heartbeat\n\n/);
    await stream.cancel();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(t.log.lines.some((l) => l.includes('"events_closed"'))).toBe(true);
  });

  it('ends the stream at the next heartbeat once the account is disabled', async () => {
    const t = await testApp();
    const app = new Hono<AppEnv>().route('/', eventRoutes(t.deps, { heartbeatMs: 30 }));
    const headers = await signIn(t, { email: 'op@permanence.example', role: 'operator', practices: ['cabinet-martin'] });
    const stream = await connect(app, headers);
    await t.deps.store.updateUser('op@permanence.example', { disabled: true });
    expect(await stream.ended()).toBe(true);
  });

  it('sends resync, naming no practice, when the bus may have missed events', async () => {
    const t = await testApp();
    const listeners = createListeners();
    const bus: EventBus = { publish: listeners.deliver, subscribe: listeners.subscribe, close: async () => {} };
    const app = new Hono<AppEnv>().route('/', eventRoutes({ ...t.deps, events: bus }));
    const stream = await connect(app, await signIn(t, { email: 'op@permanence.example', role: 'operator', practices: ['cabinet-martin'] }));
    listeners.gap();
    const text = await stream.until(/event: resync\n/);
    expect(/event: resync\ndata: (.*)\n/.exec(text)![1]).toBe('{}');
    // Still open: the events after the gap come as before.
    bus.publish({ type: 'callback.updated', practice: 'cabinet-martin', ref: 'CB-AFTER1' });
    await stream.until(/CB-AFTER1/);
    await stream.cancel();
  });

  it('ends the stream when the session goes idle, since an open stream is not activity', async () => {
    const t = await testApp();
    const app = new Hono<AppEnv>().route('/', eventRoutes(t.deps, { heartbeatMs: 30 }));
    const stream = await connect(app, await signIn(t, { email: 'op@permanence.example', role: 'operator', practices: ['cabinet-martin'] }));
    await stream.until(/: heartbeat/);
    t.clock.advance(31 * 60_000);
    expect(await stream.ended()).toBe(true);
  });
});
