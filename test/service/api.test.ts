import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
/** The walking skeleton's HTTP contract: widget config, intake, errors, sign-in and the queue. */
import { describe, expect, it } from 'vitest';
import { ORIGIN, countCallbacks, countOutbox, postJson, send, signIn, testApp, validForm } from './helpers.js';

const CALLBACKS = '/v1/practices/cabinet-martin/callbacks';

describe('CORS on the public routes', () => {
  it('lets the practice site read an error answer, Retry-After and Vary included', async () => {
    const t = await testApp();
    const res = await postJson(t, '/v1/practices/cabinet-martin/callbacks', { name: '' }, { Origin: ORIGIN });
    expect(res.status).toBe(400);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN);
    expect(res.headers.get('Access-Control-Expose-Headers')).toBe('Retry-After,Idempotent-Replayed');
    expect(res.headers.get('Vary')).toBe('Origin');
  });
});

describe('GET /v1/practices/:slug/widget', () => {
  it('answers the practice, hours, instructions, channels, status and a form token', async () => {
    const t = await testApp();
    const res = await t.app.request('/v1/practices/cabinet-martin/widget', { headers: { Origin: ORIGIN } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN);
    const body = await res.json();
    expect(body.practice).toMatchObject({ slug: 'cabinet-martin', name: 'Cabinet du Dr Martin', timezone: 'Europe/Paris' });
    expect(body.channels).toEqual(['sms', 'email']);
    expect(body.status.open).toBe(true);
    // Wednesday: open 08:30–12:30 only, so the next change is the 12:30 closing (11:30Z).
    expect(body.status.nextChange).toBe('2026-11-25T11:30:00.000Z');
    expect(body.instructions.fr).toBeTruthy();
    expect(body.formToken).toMatch(/^cabinet-martin\./);
  });

  it('answers 404 in the error shape for an unknown practice', async () => {
    const res = await (await testApp()).app.request('/v1/practices/nobody/widget');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  it('refuses a browser on an origin the practice did not allow, in an answer that page can read, naming the origin to add', async () => {
    const res = await (await testApp()).app.request('/v1/practices/cabinet-martin/widget', { headers: { Origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('https://evil.example');
    const body = await res.json();
    expect(body.error.code).toBe('origin_not_allowed');
    expect(body.error.message).toContain('https://evil.example');
  });

  it('still refuses the form from that origin: no preflight allowed, and the request itself answered 403 unreadable', async () => {
    const t = await testApp();
    const preflight = await t.app.request(CALLBACKS, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBeNull();
    const post = await postJson(t, CALLBACKS, validForm(), { Origin: 'https://evil.example' });
    expect(post.status).toBe(403);
    expect(post.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('lets any page read that a practice does not exist, so the widget can say so', async () => {
    const res = await (await testApp()).app.request('/v1/practices/nobody/widget', { headers: { Origin: 'https://www.example.org' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('https://www.example.org');
  });

  it('leaves the console’s own practice routes out of the widget’s origin check', async () => {
    const t = await testApp();
    const headers = await signIn(t, { email: 'admin@example.org', role: 'admin' });
    const res = await t.app.request('/v1/practices/cabinet-martin', { headers: { ...headers, Origin: 'https://permanence.example' } });
    expect(res.status).toBe(200);
  });

  it('answers the CORS preflight of an allowed origin', async () => {
    const res = await (await testApp()).app.request(CALLBACKS, {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,idempotency-key' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN);
    expect(res.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('idempotency-key');
  });
});

describe('POST /v1/practices/:slug/callbacks', () => {
  it('queues a request, due now while open, and writes its confirmation to the outbox in the same commit', async () => {
    const t = await testApp();
    const res = await postJson(t, CALLBACKS, validForm(), { Origin: ORIGIN });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ status: 'queued', dueAt: t.clock.now.toISOString(), redFlag: false, confirmBy: 'email' });
    expect(body.ref).toMatch(/^CB-[A-HJ-NP-Z2-9]{6}$/);
    const stored = (await t.deps.store.getCallback(body.ref))!;
    expect(stored.phone).toBe('+33612345678');
    const [mail] = await t.deps.store.listOutbox('pending');
    expect(mail).toMatchObject({ channel: 'email', recipient: 'camille@example.org', callbackId: stored.id });
    expect(t.woken).toBe(1);
  });

  it('keeps the reason out of the confirmation email and out of the logs', async () => {
    const t = await testApp();
    await postJson(t, CALLBACKS, validForm({ reason: 'Résultats de ma prise de sang VIH' }));
    const [mail] = await t.deps.store.listOutbox('pending');
    expect(JSON.stringify(mail!.payload)).not.toMatch(/VIH|prise de sang/);
    expect(t.log.lines.join('\n')).not.toMatch(/VIH|prise de sang|Camille/);
  });

  it('stores the reason encrypted at rest: the database file and its WAL never hold it in clear', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permanence-sealed-'));
    try {
      const t = await testApp({ dbPath: join(dir, 'p.db') });
      const { ref } = await (await postJson(t, CALLBACKS, validForm({ reason: 'Douleur au genou depuis hier' }))).json();
      expect((await t.deps.store.getCallback(ref))!.reason).toBe('Douleur au genou depuis hier');
      const files = readdirSync(dir).map((name) => readFileSync(join(dir, name)).toString('latin1')).join('');
      expect(files).toContain(ref);
      expect(files).not.toContain('genou');
      await t.deps.store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is due at the next opening when the practice is closed', async () => {
    // Sunday 29 November 2026, 15:00 in Paris → Monday 08:30 (07:30Z).
    const t = await testApp({ at: new Date('2026-11-29T14:00:00Z') });
    const body = await (await postJson(t, CALLBACKS, validForm())).json();
    expect(body.dueAt).toBe('2026-11-30T07:30:00.000Z');
  });

  it.each([
    ['malformed JSON', '{"name": "Camille",', { 'Content-Type': 'application/json' }, 400, 'invalid_json'],
    ['a JSON array', '[1,2]', { 'Content-Type': 'application/json' }, 400, 'invalid_json'],
    ['a wrong content type', 'name=Camille', { 'Content-Type': 'application/x-www-form-urlencoded' }, 415, 'unsupported_media_type'],
    ['no content type', JSON.stringify(validForm()), {}, 415, 'unsupported_media_type'],
  ])('answers %s with the SPEC error shape and stores nothing', async (_what, body, headers, status, code) => {
    const t = await testApp();
    const res = await t.app.request(CALLBACKS, { method: 'POST', headers: headers as Record<string, string>, body });
    expect(res.status).toBe(status);
    expect((await res.json()).error.code).toBe(code);
    expect(await countCallbacks(t)).toBe(0);
    expect(await countOutbox(t)).toBe(0);
  });

  it('answers 404 for an unknown practice and stores nothing', async () => {
    const t = await testApp();
    const res = await postJson(t, '/v1/practices/nobody/callbacks', validForm());
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
    expect(await countCallbacks(t)).toBe(0);
  });

  it.each([
    ['letters', 'abc'],
    ['too few digits', '06 12'],
    ['a French number one digit short', '06 12 34 56 7'],
  ])('answers 400 naming the phone field for %s', async (_what, phone) => {
    const t = await testApp();
    const res = await postJson(t, CALLBACKS, validForm({ phone }));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.fields).toEqual({ phone: 'invalid_phone' });
    expect(await countCallbacks(t)).toBe(0);
  });

  it('names every invalid field at once', async () => {
    const t = await testApp();
    const res = await postJson(t, CALLBACKS, { name: '', phone: '0612345678', reason: 'x', urgency: 'whenever', confirmBy: 'email', consent: false, lang: 'fr', extra: 1 });
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields).toEqual({
      name: 'required',
      urgency: 'invalid',
      consent: 'consent_required',
      extra: 'unknown_field',
      email: 'email_required',
    });
  });

  it('answers 413 for a body over 16 KB', async () => {
    const t = await testApp();
    const res = await postJson(t, CALLBACKS, validForm({ reason: 'x'.repeat(20_000) }));
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });

  it('requires a mobile number for an SMS confirmation', async () => {
    const t = await testApp();
    const res = await postJson(t, CALLBACKS, validForm({ phone: '01 42 00 00 00', confirmBy: 'sms' }));
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields).toEqual({ phone: 'not_mobile' });
  });

  it('gives a bot that filled the honeypot a normal-looking answer but stores and sends nothing', async () => {
    const t = await testApp();
    const res = await postJson(t, CALLBACKS, validForm({ website: 'http://spam.example' }));
    expect(res.status).toBe(201);
    expect((await res.json()).ref).toMatch(/^CB-/);
    expect(await countCallbacks(t)).toBe(0);
    expect(await countOutbox(t)).toBe(0);
  });
});

describe('field error codes', () => {
  it('calls a password of 5 characters too_short on the accounts API, not required', async () => {
    const t = await testApp();
    const admin = await signIn(t, { email: 'admin@example.org', role: 'admin' });
    const account = { email: 'nina@example.org', name: 'Nina', role: 'operator', practices: ['cabinet-martin'] };
    const short = await send(t, 'POST', '/v1/users', admin, { ...account, password: 'abcde' });
    expect(short.status).toBe(400);
    expect(short.body.error.fields).toEqual({ password: 'too_short' });
    const missing = await send(t, 'POST', '/v1/users', admin, account);
    expect(missing.body.error.fields).toEqual({ password: 'required' });
  });

  it('keeps required for a name of spaces and says too_short for a short password change', async () => {
    const t = await testApp();
    const blank = await postJson(t, CALLBACKS, validForm({ name: '   ' }));
    expect((await blank.json()).error.fields).toEqual({ name: 'required' });
    const admin = await signIn(t, { email: 'admin@example.org', role: 'admin' });
    const change = await send(t, 'PUT', '/v1/users/admin@example.org', admin, { password: '1234567' });
    expect(change.body.error.fields).toEqual({ password: 'too_short' });
  });

  it('calls a retention of 0 days invalid, not required', async () => {
    const t = await testApp();
    const admin = await signIn(t, { email: 'admin@example.org', role: 'admin' });
    const practice = (await send(t, 'GET', '/v1/practices/cabinet-martin', admin)).body;
    const res = await send(t, 'PUT', '/v1/practices/cabinet-martin', admin, { ...practice, retentionDays: 0 });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({ retentionDays: 'invalid' });
  });
});

describe('sign-in and the queue', () => {
  it('lets the admin sign in and lists queued requests, red flags first', async () => {
    const t = await testApp();
    await postJson(t, CALLBACKS, validForm({ phone: '06 11 11 11 11' }));
    t.clock.advance(60_000);
    await postJson(t, CALLBACKS, validForm({ phone: '06 22 22 22 22', reason: "J'ai une douleur dans la poitrine" }));
    const headers = await signIn(t, { email: 'admin@example.org', role: 'admin' });
    const res = await t.app.request('/v1/queue', { headers });
    expect(res.status).toBe(200);
    const { items } = await res.json();
    expect(items.map((i: { phone: string; redFlag: boolean }) => [i.phone, i.redFlag])).toEqual([
      ['+33622222222', true],
      ['+33611111111', false],
    ]);
  });

  it('answers the queue a page at a time: 100 rows by default, and says when there are more', async () => {
    const t = await testApp();
    for (let i = 0; i < 101; i++) {
      await t.deps.store.insertCallback({
        ref: `CB-T${String(i).padStart(5, '0')}`, practice: 'cabinet-martin', name: 'P', phone: `+336100${String(i).padStart(5, '0')}`, email: null,
        reason: 'Certificat', urgency: 'routine', redFlag: false, preferredWindow: null, confirmBy: 'none', lang: 'fr',
        dueAt: t.clock.now.toISOString(), createdAt: t.clock.now.toISOString(),
      });
    }
    const headers = await signIn(t, { email: 'admin@example.org', role: 'admin' });
    const first = await (await t.app.request('/v1/queue', { headers })).json();
    expect([first.items.length, first.more]).toEqual([100, true]);
    const all = await (await t.app.request('/v1/queue?limit=200', { headers })).json();
    expect([all.items.length, all.more]).toEqual([101, false]);
    expect((await t.app.request('/v1/queue?limit=0', { headers })).status).toBe(400);
  });

  it('refuses the queue without a session and a wrong password', async () => {
    const t = await testApp();
    expect((await t.app.request('/v1/queue')).status).toBe(401);
    await signIn(t, { email: 'admin@example.org', role: 'admin' });
    const res = await postJson(t, '/v1/session', { email: 'admin@example.org', password: 'wrong' });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('invalid_credentials');
  });

  it('sets an HttpOnly SameSite=Strict session cookie', async () => {
    const t = await testApp();
    await signIn(t, { email: 'admin@example.org', role: 'admin' });
    const res = await postJson(t, '/v1/session', { email: 'admin@example.org', password: 'correct horse battery staple' });
    const cookie = res.headers.get('Set-Cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie.split(';')[0]!.split('=')[1]!.length).toBeGreaterThanOrEqual(43);
  });
});

describe('service basics', () => {
  it('answers /healthz', async () => {
    expect(await (await (await testApp()).app.request('/healthz')).json()).toEqual({ ok: true, database: 'ok' });
  });

  it('answers an unknown path with the JSON error shape, never HTML', async () => {
    const res = await (await testApp()).app.request('/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('Content-Type')).toMatch(/application\/json/);
  });
});
