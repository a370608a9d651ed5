// Who may do what: every console route tried by each role, by another practice's staff, without a session and without the CSRF token.
import { describe, expect, it } from 'vitest';
import { signIn, testApp } from './helpers.js';
import { demoPractice } from '../../demo/seed.js';
import { newRef } from '../../service/domain/ref.js';

type Who = 'anonymous' | 'admin' | 'opA' | 'opB' | 'drA' | 'drB';

/** Practice A (cabinet-martin) holds a request and a message; B (cabinet-durand) is another customer. */
async function world() {
  const t = await testApp({ practices: [demoPractice(0), { ...demoPractice(0), slug: 'cabinet-durand', name: 'Cabinet Durand' }] });
  const at = t.clock.now.toISOString();
  const cb = await t.deps.store.insertCallback({
    ref: newRef(), practice: 'cabinet-martin', name: 'Camille Durand', phone: '+33612345678', email: null, reason: 'Fièvre', urgency: 'soon',
    redFlag: false, preferredWindow: null, confirmBy: 'none', lang: 'fr', dueAt: at, createdAt: at,
  });
  const messageId = await t.deps.store.insertMessage({ callbackId: cb.id, practice: 'cabinet-martin', body: 'Rappeler', createdBy: null, createdAt: at });
  const headers: Record<Who, Record<string, string>> = {
    anonymous: {},
    admin: await signIn(t, { email: 'admin@permanence.example', role: 'admin' }),
    opA: await signIn(t, { email: 'op-a@permanence.example', role: 'operator', practices: ['cabinet-martin'] }),
    opB: await signIn(t, { email: 'op-b@permanence.example', role: 'operator', practices: ['cabinet-durand'] }),
    drA: await signIn(t, { email: 'dr-a@permanence.example', role: 'practitioner', practices: ['cabinet-martin'] }),
    drB: await signIn(t, { email: 'dr-b@permanence.example', role: 'practitioner', practices: ['cabinet-durand'] }),
  };
  return { t, ref: cb.ref, messageId, headers };
}

const practiceBody = (slug: string) => {
  const { privacyUrl: _p, ...p } = { ...demoPractice(0), slug, allowedOrigins: ['https://www.example.org'] };
  return p;
};

interface Case {
  route: string;
  method: string;
  path: (w: Awaited<ReturnType<typeof world>>) => string;
  body?: unknown;
  /** Expected status per caller. */
  expect: Record<Who, number>;
}

const ALL_READ = { anonymous: 401, admin: 200, opA: 200, opB: 404, drA: 200, drB: 404 };
const WORK = { anonymous: 401, admin: 200, opA: 200, opB: 404, drA: 403, drB: 403 };
const ADMIN_ONLY = (ok: number) => ({ anonymous: 401, admin: ok, opA: 403, opB: 403, drA: 403, drB: 403 });

const cases: Case[] = [
  { route: 'GET /v1/callbacks/:ref', method: 'GET', path: (w) => `/v1/callbacks/${w.ref}`, expect: ALL_READ },
  { route: 'POST /v1/callbacks/:ref/claim', method: 'POST', path: (w) => `/v1/callbacks/${w.ref}/claim`, expect: WORK },
  // Nobody holds it yet: the ones allowed through get 409 not_claimed, the others are stopped before.
  { route: 'POST /v1/callbacks/:ref/release', method: 'POST', path: (w) => `/v1/callbacks/${w.ref}/release`, expect: { ...WORK, admin: 409, opA: 409 } },
  { route: 'POST /v1/callbacks/:ref/attempts', method: 'POST', path: (w) => `/v1/callbacks/${w.ref}/attempts`, body: { outcome: 'reached' }, expect: { ...WORK, admin: 409, opA: 409 } },
  { route: 'GET /v1/queue?practice=A', method: 'GET', path: () => '/v1/queue?practice=cabinet-martin', expect: { ...ALL_READ, drA: 403, drB: 403 } },
  { route: 'GET /v1/messages?practice=A', method: 'GET', path: () => '/v1/messages?practice=cabinet-martin', expect: ALL_READ },
  { route: 'POST /v1/messages/:id/read', method: 'POST', path: (w) => `/v1/messages/${w.messageId}/read`, expect: { anonymous: 401, admin: 403, opA: 403, opB: 403, drA: 200, drB: 404 } },
  { route: 'GET /v1/events', method: 'GET', path: () => '/v1/events', expect: { anonymous: 401, admin: 200, opA: 200, opB: 200, drA: 200, drB: 200 } },
  { route: 'GET /v1/practices', method: 'GET', path: () => '/v1/practices', expect: { anonymous: 401, admin: 200, opA: 200, opB: 200, drA: 200, drB: 200 } },
  { route: 'POST /v1/practices', method: 'POST', path: () => '/v1/practices', body: practiceBody('cabinet-neuf'), expect: ADMIN_ONLY(201) },
  { route: 'GET /v1/practices/:slug', method: 'GET', path: () => '/v1/practices/cabinet-martin', expect: ALL_READ },
  { route: 'PUT /v1/practices/:slug', method: 'PUT', path: () => '/v1/practices/cabinet-martin', body: practiceBody('cabinet-martin'), expect: ADMIN_ONLY(200) },
  { route: 'GET /v1/users', method: 'GET', path: () => '/v1/users', expect: ADMIN_ONLY(200) },
  {
    route: 'POST /v1/users',
    method: 'POST',
    path: () => '/v1/users',
    body: { email: 'new@permanence.example', name: 'New', role: 'operator', practices: ['cabinet-martin'], password: 'a long enough passphrase' },
    expect: ADMIN_ONLY(201),
  },
  { route: 'PUT /v1/users/:email', method: 'PUT', path: () => '/v1/users/op-b@permanence.example', body: { name: 'Renamed' }, expect: ADMIN_ONLY(200) },
  { route: 'GET /v1/reports/activity', method: 'GET', path: () => '/v1/reports/activity?month=2026-11', expect: ADMIN_ONLY(200) },
  { route: 'GET /v1/audit', method: 'GET', path: () => '/v1/audit', expect: ADMIN_ONLY(200) },
];

async function send(w: Awaited<ReturnType<typeof world>>, c: Case, headers: Record<string, string>) {
  const res = await w.t.app.request(c.path(w), {
    method: c.method,
    headers: { ...headers, ...(c.body ? { 'Content-Type': 'application/json' } : {}) },
    body: c.body ? JSON.stringify(c.body) : undefined,
  });
  if (res.headers.get('Content-Type')?.startsWith('text/event-stream')) await res.body?.cancel();
  return res;
}

describe('access by role and practice', () => {
  for (const c of cases) {
    for (const who of Object.keys(c.expect) as Who[]) {
      it(`${c.route} answers ${c.expect[who]} to ${who}`, async () => {
        const w = await world();
        const res = await send(w, c, w.headers[who]);
        expect(res.status).toBe(c.expect[who]);
      });
    }
  }

  it('never lists another practice’s requests, messages or practices', async () => {
    const w = await world();
    const get = async (path: string) => ((await (await w.t.app.request(path, { headers: w.headers.opB })).json()) as any).items;
    expect(await get('/v1/queue?state=all')).toEqual([]);
    expect(await get('/v1/messages')).toEqual([]);
    expect((await get('/v1/practices')).map((p: any) => p.slug)).toEqual(['cabinet-durand']);
    const dr = ((await (await w.t.app.request('/v1/messages', { headers: w.headers.drB })).json()) as any).items;
    expect(dr).toEqual([]);
  });
});

describe('CSRF on every state-changing route', () => {
  for (const c of cases.filter((c) => c.method !== 'GET')) {
    it(`${c.route} answers 403 "csrf" to a signed-in admin without the token`, async () => {
      const w = await world();
      const who: Who = c.route.startsWith('POST /v1/messages') ? 'drA' : 'admin';
      const res = await send(w, c, { Cookie: w.headers[who].Cookie! });
      expect(res.status).toBe(403);
      expect(((await res.json()) as any).error.code).toBe('csrf');
    });
  }
});
