// The OpenAPI document and the route declarations it is made from: every route described, and real answers held to their schemas.
import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import { declaredRoutes, errorSchema, type Method } from '../../service/http/define.js';
import { cancelToken } from '../../service/domain/links.js';
import { ORIGIN, postCallback, postJson, signIn, testApp, type TestApp } from './helpers.js';

/** What the app serves without describing it in the document: browser bundles and stylesheets. */
const STATIC_ASSETS = ['get /widget.js', 'get /console', 'get /console/', 'get /console/console.js', 'get /console/console.css', 'get /c/page.css'];

const documentOf = async (t: TestApp) => (await t.app.request('/openapi.json')).json();

/**
 * Holds a real answer to the schema its route declares for that status: it must parse, and parsing must give the
 * body back whole (zod drops fields a schema does not name, so an undocumented field makes the two differ).
 */
async function expectDocumented(t: TestApp, route: `${Method} ${string}`, res: Response, status = 200) {
  const [method, path] = route.split(' ') as [Method, string];
  expect(res.status, route).toBe(status);
  const spec = declaredRoutes(t.app).find((r) => r.method === method && r.path === path);
  expect(spec, `${route} is declared`).toBeDefined();
  const schema: z.ZodMiniType | undefined = res.status >= 400 ? errorSchema : spec!.responses[res.status]?.schema;
  expect(schema, `${route} documents a JSON answer for ${res.status}`).toBeDefined();
  const body = await res.json();
  const parsed = schema!.safeParse(body);
  expect(parsed.success ? [] : parsed.error.issues, `${route} ${res.status}`).toEqual([]);
  expect(parsed.data).toEqual(body);
  return body;
}

describe('the OpenAPI document', () => {
  it('describes the API in OpenAPI 3.1 from the validating schemas', async () => {
    const doc = await documentOf(await testApp());
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.schemas.CallbackRequest.properties.urgency.enum).toEqual(['routine', 'soon', 'urgent']);
    expect(doc.components.schemas.CallbackRequest.additionalProperties).toBe(false);
    expect(doc.paths['/v1/practices/{slug}/callbacks'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CallbackRequest' });
  });

  it('documents every route the app serves but its static assets', async () => {
    const t = await testApp();
    const doc = await documentOf(t);
    const served = [...new Set(t.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`))];
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops as object).map((method) => `${method} ${path}`));
    expect(served.filter((r) => !documented.includes(r) && !STATIC_ASSETS.includes(r))).toEqual([]);
    expect(documented).toContain('post /c/{ref}');
    // The list of exceptions holds only what is really served, so it cannot hide a route by a stale name.
    expect(STATIC_ASSETS.filter((r) => !served.includes(r))).toEqual([]);
    expect(documented.filter((r) => STATIC_ASSETS.includes(r))).toEqual([]);
  });

  it('gives every successful answer a schema, a media type, or says it has no body (204)', async () => {
    const doc = await documentOf(await testApp());
    const bare = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops as Record<string, { responses: Record<string, { content?: object }> }>).flatMap(([method, op]) =>
        Object.entries(op.responses)
          .filter(([status, answer]) => status.startsWith('2') && status !== '204' && !answer.content)
          .map(([status]) => `${method} ${path} ${status}`),
      ),
    );
    expect(bare).toEqual([]);
    expect(doc.paths['/v1/queue'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/QueuePage' });
    expect(doc.components.schemas.QueuePage.properties.items.items).toEqual({ $ref: '#/components/schemas/QueueItem' });
    expect(Object.keys(doc.paths['/v1/reports/activity'].get.responses['200'].content)).toEqual(['application/json', 'text/csv']);
  });

  it('names the request bodies and the answers as components, and refers to them', async () => {
    const doc = await documentOf(await testApp());
    const names = Object.keys(doc.components.schemas);
    for (const name of ['CallbackRequest', 'Practice', 'UserCreate', 'UserUpdate', 'Attempt', 'Login', 'Hours', 'Error']) expect(names).toContain(name);
    for (const name of ['WidgetConfig', 'CallbackCreated', 'QueuePage', 'CallbackDetail', 'PractitionerMessageList', 'PracticeRecord', 'UserList', 'Me', 'ActivityReport', 'AuditPage', 'OutboxList', 'Cancelled', 'Health']) {
      expect(names).toContain(name);
    }
    expect(doc.components.schemas.WidgetConfig.properties.hours).toEqual({ $ref: '#/components/schemas/Hours' });
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/\w+/g) ?? [];
    expect(refs.map((r) => r.split('/').at(-1)).filter((name) => !names.includes(name!))).toEqual([]);
  });

  it('lists path, query and header parameters, and marks the session routes', async () => {
    const doc = await documentOf(await testApp());
    const queue = doc.paths['/v1/queue'].get;
    expect(queue.parameters.map((p: { name: string; in: string }) => `${p.in} ${p.name}`)).toEqual(['query state', 'query limit', 'query practice', 'query q', 'query urgency', 'query mine']);
    expect(queue.parameters[0].schema).toMatchObject({ enum: ['open', 'done', 'all'], default: 'open' });
    expect(queue.security).toEqual([{ session: [] }]);
    expect(Object.keys(queue.responses)).toEqual(['200', '400', '401', '403', '404']);
    expect(doc.paths['/v1/reports/activity'].get.parameters.find((p: { name: string }) => p.name === 'month').required).toBe(true);
    expect(doc.paths['/v1/callbacks/{ref}/claim'].post.parameters).toEqual([{ name: 'ref', in: 'path', required: true, schema: { type: 'string' } }]);
    expect(doc.paths['/v1/callbacks/{ref}/claim'].post.security).toEqual([{ session: [], csrf: [] }]);
    expect(doc.paths['/v1/practices/{slug}/callbacks'].post.parameters.map((p: { name: string }) => p.name)).toEqual(['slug', 'Idempotency-Key']);
    expect(doc.paths['/v1/practices/{slug}/widget'].get.security).toBeUndefined();
    const undo = doc.paths['/v1/callbacks/{ref}/undo'].post;
    expect(undo.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/UndoResult' });
    expect(Object.keys(undo.responses)).toEqual(expect.arrayContaining(['200', '403', '404', '409']));
  });
});

describe('answers match their documented schemas', () => {
  it('on the widget’s routes, the patient’s cancel and the service routes', async () => {
    const t = await testApp();
    await expectDocumented(t, 'get /v1/practices/:slug/widget', await t.app.request('/v1/practices/cabinet-martin/widget', { headers: { Origin: ORIGIN } }));
    const created = await expectDocumented(
      t,
      'post /v1/practices/:slug/callbacks',
      await postJson(t, '/v1/practices/cabinet-martin/callbacks', {
        name: 'Camille Durand', phone: '06 12 34 56 78', email: 'camille@example.org', reason: 'Renouvellement d’ordonnance', urgency: 'routine',
        preferredWindow: { from: '2026-11-25T10:00:00+01:00', to: '2026-11-25T11:00:00+01:00' }, confirmBy: 'email', consent: true, lang: 'fr',
      }),
      201,
    );
    await expectDocumented(t, 'post /v1/practices/:slug/callbacks', await postJson(t, '/v1/practices/cabinet-martin/callbacks', { name: '' }), 400);
    const merged = await expectDocumented(t, 'post /v1/practices/:slug/callbacks', await askAgain(t, { reason: 'Encore une question' }), 201);
    expect(merged.duplicate).toBe(true);
    const token = cancelToken(t.deps.sealer, created.ref);
    await expectDocumented(t, 'post /v1/callbacks/:ref/cancel', await postJson(t, `/v1/callbacks/${created.ref}/cancel`, { token }));
    const again = await expectDocumented(t, 'post /v1/callbacks/:ref/cancel', await postJson(t, `/v1/callbacks/${created.ref}/cancel`, { token }));
    expect(again.alreadyCancelled).toBe(true);
    await expectDocumented(t, 'get /healthz', await t.app.request('/healthz'));
    await expectDocumented(t, 'get /openapi.json', await t.app.request('/openapi.json'));
  });

  it('on the console’s routes: me, the queue, a request worked through, messages', async () => {
    const t = await testApp();
    const { ref } = (await postCallback(t)).body as { ref: string };
    // A repeat merged into it: the reason's entries are part of every answer below.
    await postCallback(t, { reason: 'Et aussi un certificat' });
    const operator = await signIn(t, { email: 'op1@permanence.example', role: 'operator', practices: ['cabinet-martin'] });
    await expectDocumented(t, 'get /v1/me', await t.app.request('/v1/me', { headers: operator }));
    await expectDocumented(t, 'get /v1/queue', await t.app.request('/v1/queue', { headers: operator }));
    await expectDocumented(t, 'post /v1/callbacks/:ref/claim', await t.app.request(`/v1/callbacks/${ref}/claim`, { method: 'POST', headers: operator }));
    const attempt = { outcome: 'no_answer', note: 'Messagerie pleine' };
    await expectDocumented(t, 'post /v1/callbacks/:ref/attempts', await postJson(t, `/v1/callbacks/${ref}/attempts`, attempt, operator));
    await t.app.request(`/v1/callbacks/${ref}/claim`, { method: 'POST', headers: operator });
    await expectDocumented(t, 'post /v1/callbacks/:ref/release', await t.app.request(`/v1/callbacks/${ref}/release`, { method: 'POST', headers: operator }));
    await t.app.request(`/v1/callbacks/${ref}/claim`, { method: 'POST', headers: operator });
    const message = { outcome: 'reached', message: 'Rappeler la patiente pour le résultat' };
    await expectDocumented(t, 'post /v1/callbacks/:ref/attempts', await postJson(t, `/v1/callbacks/${ref}/attempts`, message, operator));
    const detail = await expectDocumented(t, 'get /v1/callbacks/:ref', await t.app.request(`/v1/callbacks/${ref}`, { headers: operator }));
    expect([detail.attempts.length, detail.messages.length, detail.reasonEntries.length]).toEqual([2, 1, 2]);
    expect(detail.attempts.map((a: { retryRule: string | null }) => a.retryRule)).toEqual(['delay', null]);
    await expectDocumented(t, 'get /v1/queue', await t.app.request('/v1/queue?state=all&limit=1', { headers: operator }));
    const undone = await expectDocumented(t, 'post /v1/callbacks/:ref/undo', await t.app.request(`/v1/callbacks/${ref}/undo`, { method: 'POST', headers: operator }));
    expect(undone).toMatchObject({ mergedInto: null, messageKept: true, request: { state: 'claimed', history: [] } });
    await expectDocumented(t, 'get /v1/queue', await t.app.request('/v1/queue?q=Durand&urgency=routine&mine=1', { headers: operator }));

    const practitioner = await signIn(t, { email: 'dr.martin@example.org', role: 'practitioner', practices: ['cabinet-martin'] });
    const list = await expectDocumented(t, 'get /v1/messages', await t.app.request('/v1/messages?unread=1', { headers: practitioner }));
    await expectDocumented(t, 'post /v1/messages/:id/read', await t.app.request(`/v1/messages/${list.items[0].id}/read`, { method: 'POST', headers: practitioner }));
  });

  it('on the admin’s routes: practices, accounts, the report, the audit log and the outbox', async () => {
    const t = await testApp();
    await postCallback(t);
    const admin = await signIn(t, { email: 'admin@example.org', role: 'admin' });
    const operator = await signIn(t, { email: 'op1@permanence.example', role: 'operator', practices: ['cabinet-martin'] });
    await expectDocumented(t, 'get /v1/practices', await t.app.request('/v1/practices', { headers: admin }));
    const record = await expectDocumented(t, 'get /v1/practices/:slug', await t.app.request('/v1/practices/cabinet-martin', { headers: admin }));
    expect(record.operators).toEqual(['op1@permanence.example']);
    await expectDocumented(t, 'get /v1/practices/:slug', await t.app.request('/v1/practices/cabinet-martin', { headers: operator }));
    const { operators: _operators, ...edit } = record;
    await expectDocumented(t, 'put /v1/practices/:slug', await sendJson(t, 'PUT', '/v1/practices/cabinet-martin', admin, { ...edit, name: 'Cabinet Martin' }));
    const created = { ...edit, slug: 'cabinet-durand', name: 'Cabinet Durand', operators: ['op1@permanence.example'] };
    await expectDocumented(t, 'post /v1/practices', await sendJson(t, 'POST', '/v1/practices', admin, created), 201);
    await expectDocumented(t, 'get /v1/users', await t.app.request('/v1/users', { headers: admin }));
    const account = { email: 'nina@example.org', name: 'Nina', role: 'operator', practices: ['cabinet-martin'], password: 'correct horse battery staple' };
    await expectDocumented(t, 'post /v1/users', await sendJson(t, 'POST', '/v1/users', admin, account), 201);
    await expectDocumented(t, 'put /v1/users/:email', await sendJson(t, 'PUT', '/v1/users/nina@example.org', admin, { disabled: true }));
    await expectDocumented(t, 'get /v1/reports/activity', await t.app.request('/v1/reports/activity?month=2026-11', { headers: admin }));
    await expectDocumented(t, 'get /v1/audit', await t.app.request('/v1/audit?limit=5', { headers: admin }));
    const pending = await expectDocumented(t, 'get /v1/outbox', await t.app.request('/v1/outbox?state=pending', { headers: admin }));
    const retry = (id: number) => t.app.request(`/v1/outbox/${id}/retry`, { method: 'POST', headers: admin });
    const retried = await expectDocumented(t, 'post /v1/outbox/:id/retry', await retry(pending.items[0].id));
    expect(retried).toEqual({ id: pending.items[0].id, outcome: 'sent', state: 'sent' });
    await expectDocumented(t, 'post /v1/outbox/:id/retry', await retry(pending.items[0].id), 404);
    const patient = await expectDocumented(t, 'post /v1/patients/export', await sendJson(t, 'POST', '/v1/patients/export', admin, { phone: '06 12 34 56 78' }));
    expect([patient.requests.length, patient.messagesSent.length]).toEqual([1, 1]);
    const wrong = { phone: '06 12 34 56 78', confirm: '06 00 00 00 00' };
    await expectDocumented(t, 'post /v1/patients/erase', await sendJson(t, 'POST', '/v1/patients/erase', admin, wrong), 400);
    await expectDocumented(t, 'post /v1/patients/erase', await sendJson(t, 'POST', '/v1/patients/erase', admin, { ...wrong, confirm: '0612345678' }));
  });

  it('on a patient’s record holding every kind of entry: calls, messages taken, history, an undelivered message', async () => {
    const t = await testApp();
    const { ref } = (await postCallback(t, { preferredWindow: { from: '2026-11-25T10:00:00+01:00', to: '2026-11-25T11:00:00+01:00' } })).body as { ref: string };
    const operator = await signIn(t, { email: 'op1@permanence.example', role: 'operator', practices: ['cabinet-martin'] });
    await t.app.request(`/v1/callbacks/${ref}/claim`, { method: 'POST', headers: operator });
    await postJson(t, `/v1/callbacks/${ref}/attempts`, { outcome: 'reached', note: 'Rappelée', message: 'Résultat à voir' }, operator);
    const [confirmation] = await t.deps.store.listOutbox('pending');
    await t.deps.store.markFailed(confirmation!.id, '550 No such user', null);
    const admin = await signIn(t, { email: 'admin@example.org', role: 'admin' });
    const record = await expectDocumented(t, 'post /v1/patients/export', await sendJson(t, 'POST', '/v1/patients/export', admin, { email: 'camille@example.org' }));
    const [request] = record.requests;
    expect([request.calls.length, request.messagesForPractitioner.length, request.history.length > 0, request.preferredWindow !== null]).toEqual([1, 1, true, true]);
    expect(record.messagesSent.map((m: { state: string }) => m.state)).toContain('dead');
  });
});

describe('validators built from the declared schemas', () => {
  it.each([
    ['/v1/queue?state=everything', { state: 'invalid' }],
    ['/v1/queue?limit=0', { limit: 'invalid' }],
    ['/v1/queue?limit=501', { limit: 'invalid' }],
    ['/v1/queue?limit=ten', { limit: 'invalid' }],
    ['/v1/outbox?state=sent', { state: 'invalid' }],
    ['/v1/audit?before=yesterday', { before: 'invalid' }],
    ['/v1/audit?limit=1001', { limit: 'invalid' }],
    ['/v1/reports/activity', { month: 'required' }],
    ['/v1/reports/activity?month=', { month: 'required' }],
    ['/v1/reports/activity?month=2026-13', { month: 'invalid' }],
    ['/v1/reports/activity?month=2026-11&format=xlsx', { format: 'invalid' }],
  ])('answers %s with 400 naming the parameter', async (path, fields) => {
    const t = await testApp();
    const admin = await signIn(t, { email: 'admin@example.org', role: 'admin' });
    const res = await t.app.request(path, { headers: admin });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toEqual({ code: 'validation_failed', message: expect.any(String), fields });
  });

  it('checks the session before the query string', async () => {
    const t = await testApp();
    expect((await t.app.request('/v1/queue?state=everything')).status).toBe(401);
  });

  it('treats an empty filter as no filter', async () => {
    const t = await testApp();
    await postCallback(t);
    const admin = await signIn(t, { email: 'admin@example.org', role: 'admin' });
    const res = await t.app.request('/v1/queue?practice=', { headers: admin });
    expect((await res.json()).items).toHaveLength(1);
  });

  it('refuses a body that is not JSON, malformed or invalid on a route whose schema validates it at the edge', async () => {
    const t = await testApp();
    const login = (body: string, type = 'application/json') => t.app.request('/v1/session', { method: 'POST', headers: { 'Content-Type': type }, body });
    const form = await login('email=a', 'application/x-www-form-urlencoded');
    expect([form.status, (await form.json()).error.code]).toEqual([415, 'unsupported_media_type']);
    const broken = await login('{"email":');
    expect([broken.status, (await broken.json()).error.code]).toEqual([400, 'invalid_json']);
    const wrong = await login(JSON.stringify({ email: 'a', password: 7, extra: true }));
    expect((await wrong.json()).error).toEqual({ code: 'validation_failed', message: expect.any(String), fields: { email: 'too_short', password: 'invalid', extra: 'unknown_field' } });
  });

  it('checks the session and its CSRF token before reading the body', async () => {
    const t = await testApp();
    const { Cookie } = await signIn(t, { email: 'op1@permanence.example', role: 'operator', practices: ['cabinet-martin'] });
    const res = await t.app.request('/v1/callbacks/CB-AAAAAA/attempts', { method: 'POST', headers: { Cookie, 'Content-Type': 'text/plain' }, body: 'x' });
    expect([res.status, (await res.json()).error.code]).toEqual([403, 'csrf']);
  });
});

/** The same person asking again, so the answer is a merge. */
function askAgain(t: TestApp, overrides: Record<string, unknown>) {
  return postJson(t, '/v1/practices/cabinet-martin/callbacks', {
    name: 'Camille Durand', phone: '06 12 34 56 78', email: 'camille@example.org', urgency: 'routine', confirmBy: 'email', consent: true, lang: 'fr', ...overrides,
  });
}

/** A JSON request whose answer the test reads itself (`send` in helpers.ts reads it first). */
const sendJson = (t: TestApp, method: string, path: string, headers: Record<string, string>, body: unknown) =>
  t.app.request(path, { method, headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

