// Accounts: created with a hashed password, edited (role, practices, disabled), never leaving the service without an active admin.
import { describe, expect, it } from 'vitest';
import { postJson, send, signIn, testApp } from './helpers.js';

const newUser = (overrides: Record<string, unknown> = {}) => ({
  email: 'Nina@Permanence.example',
  name: 'Nina',
  role: 'operator',
  practices: ['cabinet-martin'],
  password: 'a long enough passphrase',
  ...overrides,
});

describe('users', () => {
  it('creates an account that can sign in, stores only a scrypt hash, and lists it without the hash', async () => {
    const t = await testApp();
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    const res = await send(t, 'POST', '/v1/users', admin, newUser());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email: 'nina@permanence.example', role: 'operator', practices: ['cabinet-martin'], disabled: false });
    expect((await t.deps.store.findUserByEmail('nina@permanence.example'))!.passwordHash).toMatch(/^scrypt\$/);
    const list = await send(t, 'GET', '/v1/users', admin);
    expect(JSON.stringify(list.body)).not.toMatch(/scrypt|passphrase/);
    expect((await postJson(t, '/v1/session', { email: 'nina@permanence.example', password: 'a long enough passphrase' })).status).toBe(204);
  });

  it.each([
    ['a short password', { password: 'short' }, 'password'],
    ['an unknown practice', { practices: ['nowhere'] }, 'practices'],
    ['a practitioner without a practice', { role: 'practitioner', practices: [] }, 'practices'],
    ['an unknown role', { role: 'root' }, 'role'],
  ])('refuses %s', async (_what, overrides, field) => {
    const t = await testApp();
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    const res = await send(t, 'POST', '/v1/users', admin, newUser(overrides));
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toHaveProperty(field);
  });

  it('refuses an email already taken, whatever its case', async () => {
    const t = await testApp();
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    await send(t, 'POST', '/v1/users', admin, newUser());
    expect((await send(t, 'POST', '/v1/users', admin, newUser({ email: 'NINA@permanence.example' }))).status).toBe(409);
  });

  it('changes practices at once, and a new password ends the old sessions', async () => {
    const t = await testApp();
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    const op = await signIn(t, { email: 'op@permanence.example', role: 'operator', practices: ['cabinet-martin'] });
    await send(t, 'PUT', '/v1/users/op@permanence.example', admin, { practices: [] });
    expect((await send(t, 'GET', '/v1/practices/cabinet-martin', op)).status).toBe(404);
    await send(t, 'PUT', '/v1/users/op@permanence.example', admin, { password: 'another long passphrase' });
    expect((await t.app.request('/v1/me', { headers: op })).status).toBe(401);
    const [entry] = await t.deps.store.listAudit({ limit: 1, action: 'user_updated' });
    expect(entry!.details).toMatchObject({ changed: ['password'] });
    expect(JSON.stringify(entry)).not.toContain('another long passphrase');
  });

  it('keeps at least one active admin', async () => {
    const t = await testApp();
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    expect((await send(t, 'PUT', '/v1/users/admin@permanence.example', admin, { disabled: true })).body.error.code).toBe('last_admin');
    expect((await send(t, 'PUT', '/v1/users/admin@permanence.example', admin, { role: 'operator' })).status).toBe(409);
    await signIn(t, { email: 'second@permanence.example', role: 'admin' });
    expect((await send(t, 'PUT', '/v1/users/admin@permanence.example', admin, { disabled: true })).status).toBe(200);
  });

  it('answers 404 for an unknown account', async () => {
    const t = await testApp();
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    expect((await send(t, 'PUT', '/v1/users/ghost@permanence.example', admin, { name: 'x' })).status).toBe(404);
  });
});

describe('accounts as a new admin uses them', () => {
  const password = 'a long enough passphrase';

  it('names the email field of an account that already exists', async () => {
    const t = await testApp();
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    await send(t, 'POST', '/v1/users', admin, newUser());
    const res = await send(t, 'POST', '/v1/users', admin, newUser({ email: 'NINA@permanence.example' }));
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'exists', fields: { email: 'taken' } });
  });

  it('renames an account, and the audit says what changed', async () => {
    const t = await testApp();
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    await send(t, 'POST', '/v1/users', admin, newUser());
    const res = await send(t, 'PUT', '/v1/users/nina@permanence.example', admin, { name: '  Nina   Martin ' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Nina Martin', mustChangePassword: false });
    const [entry] = await t.deps.store.listAudit({ limit: 1, action: 'user_updated' });
    expect(entry!.details).toMatchObject({ changed: ['name'] });
  });

  it('makes a password set by an admin temporary: sessions end, only the change is open until it is made', async () => {
    const t = await testApp();
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    const op = await signIn(t, { email: 'op@permanence.example', role: 'operator', practices: ['cabinet-martin'] });
    const temporary = 'temporary passphrase 1';
    const set = await send(t, 'PUT', '/v1/users/op@permanence.example', admin, { password: temporary });
    expect(set.body).toMatchObject({ mustChangePassword: true });
    expect((await t.app.request('/v1/me', { headers: op })).status).toBe(401);

    const login = await postJson(t, '/v1/session', { email: 'op@permanence.example', password: temporary });
    expect(login.status).toBe(204);
    const cookie = login.headers.get('Set-Cookie')!.split(';')[0]!;
    const me = await send(t, 'GET', '/v1/me', { Cookie: cookie });
    expect(me.body).toMatchObject({ email: 'op@permanence.example', mustChangePassword: true });
    const session = { Cookie: cookie, 'X-CSRF-Token': me.body.csrfToken as string };
    for (const path of ['/v1/queue', '/v1/practices', '/v1/messages']) {
      const res = await send(t, 'GET', path, session);
      expect([path, res.status, res.body.error.code]).toEqual([path, 403, 'password_change_required']);
    }

    const wrong = await send(t, 'POST', '/v1/me/password', session, { current: 'not the password at all', next: 'my very own passphrase' });
    expect(wrong).toMatchObject({ status: 400, body: { error: { fields: { current: 'wrong_password' } } } });
    const same = await send(t, 'POST', '/v1/me/password', session, { current: temporary, next: temporary });
    expect(same.body.error.fields).toEqual({ next: 'same_password' });
    const short = await send(t, 'POST', '/v1/me/password', session, { current: temporary, next: 'short' });
    expect(short.body.error.fields).toEqual({ next: 'too_short' });

    const changed = await t.app.request('/v1/me/password', {
      method: 'POST',
      headers: { ...session, 'Content-Type': 'application/json' },
      body: JSON.stringify({ current: temporary, next: 'my very own passphrase' }),
    });
    expect(changed.status).toBe(204);
    // The old session ended with the change; the browser that made it holds a fresh one.
    expect((await t.app.request('/v1/me', { headers: { Cookie: cookie } })).status).toBe(401);
    const fresh = changed.headers.get('Set-Cookie')!.split(';')[0]!;
    expect((await send(t, 'GET', '/v1/me', { Cookie: fresh })).body).toMatchObject({ mustChangePassword: false });
    expect((await t.app.request('/v1/queue', { headers: { Cookie: fresh } })).status).toBe(200);
    expect((await postJson(t, '/v1/session', { email: 'op@permanence.example', password: temporary })).status).toBe(401);
    expect((await postJson(t, '/v1/session', { email: 'op@permanence.example', password: 'my very own passphrase' })).status).toBe(204);
    const [entry] = await t.deps.store.listAudit({ limit: 1, action: 'password_changed' });
    expect(entry).toMatchObject({ actor: 'op@permanence.example', target: 'op@permanence.example' });
    expect(JSON.stringify(entry)).not.toContain('passphrase');
  });

  it('lets a signed-in account without a temporary password change its own too', async () => {
    const t = await testApp();
    const op = await signIn(t, { email: 'op@permanence.example', role: 'operator' });
    const res = await t.app.request('/v1/me/password', {
      method: 'POST',
      headers: { ...op, 'Content-Type': 'application/json' },
      body: JSON.stringify({ current: 'correct horse battery staple', next: password }),
    });
    expect(res.status).toBe(204);
  });
});
