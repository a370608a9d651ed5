// Bounded fuzzing of the API: random and malformed bodies, headers and paths, on the public routes and the
// console's, never answer 5xx and always answer the JSON error shape. A fixed seed keeps a failure reproducible.
import { describe, expect, it } from 'vitest';
import { signIn, testApp, validForm } from './helpers.js';

/** A small deterministic generator (mulberry32). */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}

const STRINGS = ['', ' ', '\u0000', '\u200b\u200b', '\ud800', 'é'.repeat(300), 'a'.repeat(5000), '<script>alert(1)</script>', '06 12 34 56 78', '+33612345678', '__proto__', 'constructor', '{"a":1}', '💥', 'null', '2026-13-45T99:99:99Z', '\n\r\t'];
const KEYS = ['name', 'phone', 'email', 'reason', 'urgency', 'confirmBy', 'consent', 'lang', 'preferredWindow', 'website', 'formToken', '__proto__', 'constructor', 'prototype', 'x', 'slug', 'hours', 'outcome', 'note', 'message', 'retryAt', 'password', 'role', 'practices', 'token'];

function value(r: ReturnType<typeof random>, depth = 0): unknown {
  switch (r.int(depth > 2 ? 5 : 8)) {
    case 0: return r.pick(STRINGS);
    case 1: return r.pick([0, -1, 1e308, 3.5, NaN, Infinity, 2 ** 53 + 1]);
    case 2: return r.pick([true, false, null]);
    case 3: return r.pick(['routine', 'urgent', 'sms', 'email', 'none', 'fr', 'en', 'reached', 'no_answer']);
    case 4: return r.pick(STRINGS) + r.pick(STRINGS);
    case 5: return Array.from({ length: r.int(4) }, () => value(r, depth + 1));
    default: return object(r, depth + 1);
  }
}

function object(r: ReturnType<typeof random>, depth = 0): Record<string, unknown> {
  const o: Record<string, unknown> = r.next() < 0.5 ? validForm() : {};
  for (let i = r.int(6); i > 0; i--) Object.defineProperty(o, r.pick(KEYS), { value: value(r, depth), enumerable: true, configurable: true, writable: true });
  return o;
}

function body(r: ReturnType<typeof random>): string {
  switch (r.int(6)) {
    case 0: return r.pick(['', '{', '[]', 'null', '"x"', '{"a":', '\u0000', '{"name":"\\ud800"}']);
    case 1: return JSON.stringify(value(r));
    default: return JSON.stringify(object(r));
  }
}

describe('fuzzed requests', () => {
  it('never answer 5xx and always answer JSON, on 600 random requests', async () => {
    const t = await testApp();
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    const r = random(20261130);
    const targets: [string, string, boolean][] = [
      ['POST', '/v1/practices/cabinet-martin/callbacks', false],
      ['GET', '/v1/practices/cabinet-martin/widget', false],
      ['POST', '/v1/callbacks/CB-AAAAAA/cancel', false],
      ['POST', '/v1/session', false],
      ['POST', '/v1/practices', true],
      ['PUT', '/v1/practices/cabinet-martin', true],
      ['POST', '/v1/users', true],
      ['POST', '/v1/callbacks/CB-AAAAAA/attempts', true],
      ['GET', '/v1/queue?state=%00&limit=1e9&practice=__proto__', true],
      ['GET', '/v1/reports/activity?month=2026-%FF', true],
    ];
    const failures: string[] = [];
    for (let i = 0; i < 600; i++) {
      const [method, path, signedIn] = r.pick(targets);
      const headers: Record<string, string> = {
        'Content-Type': r.next() < 0.85 ? 'application/json' : r.pick(['text/plain', 'application/json; charset=utf-16', '', 'multipart/form-data']),
        ...(signedIn ? admin : {}),
        ...(r.next() < 0.2 ? { 'Idempotency-Key': r.pick(STRINGS).slice(0, 300).replace(/[^\x20-\x7e]/g, 'x') || 'k' } : {}),
        ...(r.next() < 0.2 ? { Origin: r.pick(['https://evil.example', 'null', 'https://www.cabinet-martin.example']) } : {}),
      };
      const sent = method === 'GET' ? undefined : body(r);
      const res = await t.app.request(path, { method, headers, body: sent });
      const text = await res.text();
      let json = false;
      try {
        json = typeof JSON.parse(text) === 'object';
      } catch {}
      if (res.status >= 500 || (!json && res.status !== 204)) failures.push(`${method} ${path} ${res.status} ${sent?.slice(0, 80)} → ${text.slice(0, 120)}`);
    }
    expect(failures).toEqual([]);
    await t.deps.store.close();
  });
});
