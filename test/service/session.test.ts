// Console sessions: cookie attributes, a new id at each login, idle and absolute expiry, logout, disabled accounts, CSRF, login throttling.
import { describe, expect, it } from 'vitest';
import { postJson, signIn, testApp, type TestApp } from './helpers.js';

const PASSWORD = 'correct horse battery staple';

async function login(t: TestApp, email: string, password = PASSWORD, headers: Record<string, string> = {}) {
  return postJson(t, '/v1/session', { email, password }, headers);
}

const me = (t: TestApp, headers: Record<string, string>) => t.app.request('/v1/me', { headers });

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Strict, Secure under https, and carries at least 128 random bits', async () => {
    const t = await testApp();
    await signIn(t, { email: 'op@permanence.example', role: 'operator' });
    const res = await login(t, 'op@permanence.example');
    const cookie = res.headers.get('Set-Cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Secure/);
    const value = /^permanence_session=([^;]+)/.exec(cookie)![1]!;
    expect(Buffer.from(value, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
  });

  it('is new at each login, and the old one keeps working only until logout', async () => {
    const t = await testApp();
    const first = await signIn(t, { email: 'op@permanence.example', role: 'operator' });
    const second = await signIn(t, { email: 'op@permanence.example', role: 'operator' });
    expect(second.Cookie).not.toBe(first.Cookie);
    const out = await t.app.request('/v1/session', { method: 'DELETE', headers: second });
    expect(out.status).toBe(204);
    expect((await me(t, second)).status).toBe(401);
    expect((await me(t, first)).status).toBe(200);
  });
});

describe('expiry', () => {
  it('ends a session idle for more than 30 minutes', async () => {
    const t = await testApp();
    const h = await signIn(t, { email: 'op@permanence.example', role: 'operator' });
    t.clock.advance(29 * 60_000);
    expect((await me(t, h)).status).toBe(200);
    t.clock.advance(29 * 60_000);
    expect((await me(t, h)).status).toBe(200);
    t.clock.advance(31 * 60_000);
    expect((await me(t, h)).status).toBe(401);
  });

  it('ends a session 8 hours after login however active it is', async () => {
    const t = await testApp();
    const h = await signIn(t, { email: 'op@permanence.example', role: 'operator' });
    for (let i = 0; i < 16; i++) {
      t.clock.advance(29 * 60_000);
      expect((await me(t, h)).status).toBe(200);
    }
    t.clock.advance(29 * 60_000);
    expect((await me(t, h)).status).toBe(401);
  });

  it('ends every session of an account as soon as it is disabled', async () => {
    const t = await testApp();
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    const op = await signIn(t, { email: 'op@permanence.example', role: 'operator' });
    const res = await t.app.request('/v1/users/op@permanence.example', { method: 'PUT', headers: { ...admin, 'Content-Type': 'application/json' }, body: JSON.stringify({ disabled: true }) });
    expect(res.status).toBe(200);
    expect((await me(t, op)).status).toBe(401);
    expect((await login(t, 'op@permanence.example')).status).toBe(401);
  });
});

describe('CSRF', () => {
  it('refuses a state-changing request without the session’s token, and with another session’s token', async () => {
    const t = await testApp();
    const a = await signIn(t, { email: 'a@permanence.example', role: 'admin' });
    const b = await signIn(t, { email: 'b@permanence.example', role: 'admin' });
    const missing = await t.app.request('/v1/session', { method: 'DELETE', headers: { Cookie: a.Cookie } });
    expect(missing.status).toBe(403);
    expect(((await missing.json()) as any).error.code).toBe('csrf');
    const crossed = await t.app.request('/v1/session', { method: 'DELETE', headers: { Cookie: a.Cookie, 'X-CSRF-Token': b['X-CSRF-Token'] } });
    expect(crossed.status).toBe(403);
    expect((await me(t, a)).status).toBe(200);
  });
});

describe('signing in', () => {
  it('answers the same 401 for a wrong password and an unknown account, and audits both without naming an unknown one', async () => {
    const t = await testApp();
    await signIn(t, { email: 'op@permanence.example', role: 'operator' });
    const wrong = await login(t, 'op@permanence.example', 'not the password');
    const unknown = await login(t, 'nobody@permanence.example', 'not the password');
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(await wrong.json()).toEqual(await unknown.json());
    const actions = (await t.deps.store.listAudit({ limit: 100 }))
      .filter((entry) => entry.action.startsWith('login'))
      .reverse()
      .map(({ action, actor }) => ({ action, actor }));
    expect(actions).toEqual([
      { action: 'login', actor: 'op@permanence.example' },
      { action: 'login_failed', actor: 'op@permanence.example' },
      // What was typed for an unknown account may be a password pasted in the wrong box: not kept.
      { action: 'login_failed', actor: null },
    ]);
  });

  it('does not let a stranger’s wrong guesses from another address lock the owner out', async () => {
    const t = await testApp();
    t.deps.config.trustProxy = true;
    await signIn(t, { email: 'op@permanence.example', role: 'operator' });
    for (let i = 0; i < 5; i++) expect((await login(t, 'op@permanence.example', 'guess ' + i, { 'X-Forwarded-For': '203.0.113.9' })).status).toBe(401);
    expect((await login(t, 'op@permanence.example', 'guess 6', { 'X-Forwarded-For': '203.0.113.9' })).status).toBe(429);
    expect((await login(t, 'op@permanence.example', PASSWORD, { 'X-Forwarded-For': '198.51.100.7' })).status).toBe(204);
  });

  it('answers 429 with Retry-After after 5 failures for one account, even with the right password, until 15 minutes pass', async () => {
    const t = await testApp();
    await signIn(t, { email: 'op@permanence.example', role: 'operator' });
    for (let i = 0; i < 5; i++) expect((await login(t, 'op@permanence.example', 'guess ' + i)).status).toBe(401);
    const blocked = await login(t, 'op@permanence.example');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(Number(blocked.headers.get('Retry-After'))).toBeLessThanOrEqual(15 * 60);
    // Another account from the same address is not locked out by these 5.
    await signIn(t, { email: 'other@permanence.example', role: 'operator' });
    t.clock.advance(15 * 60_000 + 1000);
    expect((await login(t, 'op@permanence.example')).status).toBe(204);
  });

  it('answers 429 after 20 failures from one address across many accounts', async () => {
    const t = await testApp({});
    for (let i = 0; i < 20; i++) expect((await login(t, `user${i}@permanence.example`, 'guess')).status).toBe(401);
    expect((await login(t, 'user99@permanence.example', 'guess')).status).toBe(429);
  });

  it('does not lock out someone who signs in successfully many times', async () => {
    const t = await testApp();
    for (let i = 0; i < 8; i++) await signIn(t, { email: 'op@permanence.example', role: 'operator' });
    expect((await login(t, 'op@permanence.example')).status).toBe(204);
  });
});

describe('a guessing run spread over many addresses', () => {
  const from = (address: string, cookie?: string) => ({ 'X-Forwarded-For': address, ...(cookie ? { Cookie: cookie } : {}) });
  const deviceOf = (res: Response) => /permanence_device=[^;]+/.exec(res.headers.get('Set-Cookie') ?? '')?.[0];

  async function attacked() {
    const t = await testApp();
    t.deps.config.trustProxy = true;
    await signIn(t, { email: 'owner@permanence.example', role: 'admin' });
    const usual = await login(t, 'owner@permanence.example', PASSWORD, from('203.0.113.7'));
    expect(usual.status).toBe(204);
    const device = deviceOf(usual);
    for (let i = 0; i < 100; i++) expect((await login(t, 'owner@permanence.example', `guess ${i}`, from(`198.51.100.${i + 1}`))).status).toBe(401);
    return { t, device: device! };
  }

  it('does not lock the owner out: after 100 failures from 100 addresses, the owner signs in at once from an address used before', async () => {
    const { t } = await attacked();
    // A stranger with the right password, from a new address, is braked…
    const stranger = await login(t, 'owner@permanence.example', PASSWORD, from('192.0.2.50'));
    expect(stranger.status).toBe(429);
    // …the owner, from their usual address, is not.
    expect((await login(t, 'owner@permanence.example', PASSWORD, from('203.0.113.7'))).status).toBe(204);
    const [entry] = await t.deps.store.listAudit({ limit: 1, action: 'login' });
    expect(entry).toMatchObject({ actor: 'owner@permanence.example', details: { knownPlace: true } });
  });

  it('lets the owner in from a new network with the device of an earlier sign-in', async () => {
    const { t, device } = await attacked();
    expect(device).toMatch(/^permanence_device=/);
    expect((await login(t, 'owner@permanence.example', PASSWORD, from('192.0.2.99', device))).status).toBe(204);
    // The new network is known from now on; another one, with a made-up device, is not.
    expect((await login(t, 'owner@permanence.example', PASSWORD, from('192.0.2.100', 'permanence_device=forged'))).status).toBe(429);
  });

  it('tells the owner once an hour by email, without the guessed passwords', async () => {
    const { t } = await attacked();
    for (let i = 0; i < 5; i++) await login(t, 'owner@permanence.example', `more ${i}`, from(`198.51.100.${200 + i}`));
    const alerts = (await t.deps.store.listOutbox('pending')).filter((m) => m.purpose === 'signin_alert');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ channel: 'email', recipient: 'owner@permanence.example' });
    const mail = alerts[0]!.payload as { subject: string; text: string };
    expect(mail.subject).toBe('Connexions refusées sur votre compte / Sign-ins refused on your account');
    expect(mail.text).toContain('You can still sign in from your usual devices');
    expect(mail.text).not.toMatch(/guess|more \d/);
    t.clock.advance(61 * 60_000);
    for (let i = 0; i < 101; i++) await login(t, 'owner@permanence.example', `later ${i}`, from(`198.51.100.${i + 1}`));
    expect((await t.deps.store.listOutbox('pending')).filter((m) => m.purpose === 'signin_alert')).toHaveLength(2);
  });
});
