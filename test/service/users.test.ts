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
