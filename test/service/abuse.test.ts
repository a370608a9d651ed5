// Abuse of the public form: rate limits per address and per phone, the client address behind a proxy, and the SMS-pumping caps.
import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { closeRequest, countCallbacks, countOutbox, postCallback as post, postJson, testApp, validForm, type TestApp } from './helpers.js';
import { createApp } from '../../service/http/app.js';
import { clientIp, NO_SOCKET } from '../../service/http/client-ip.js';
import { rateLimitKey } from '../../service/domain/rate-limit.js';
import { createRateLimiter } from '../../service/domain/rate-limit.js';
import { SMS_CAPS } from '../../service/domain/confirmation-caps.js';
import { numberBlock } from '../../shared/phone.js';
import { INTAKE_LIMITS } from '../../service/domain/intake.js';
import { EMAIL_CAP } from '../../service/domain/confirmation-caps.js';

/** A French mobile per index, all distinct, in different blocks so the block cap stays out of the way. */
const mobile = (i: number) => `+336${String(10 + i).padStart(2, '0')}000000`.slice(0, 12);


/** Closes every open request, so the next one from the same phone is new rather than merged. */
async function closeAll(t: TestApp) {
  for (const open of await t.deps.store.listQueue({ state: 'open' })) await closeRequest(t, open.ref);
}

const smsRows = async (t: TestApp) => (await t.deps.store.listOutbox('pending')).filter((m) => m.channel === 'sms');

describe('rate limits', () => {
  it(`answers 429 with Retry-After once an address has sent ${INTAKE_LIMITS.perIp.limit} requests in 10 minutes, storing nothing`, async () => {
    const t = await testApp();
    for (let i = 0; i < INTAKE_LIMITS.perIp.limit; i++) expect((await post(t, { phone: mobile(i) })).status).toBe(201);
    t.clock.advance(60_000);
    const refused = await post(t, { phone: mobile(50) });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    // The oldest request leaves the 10-minute window 9 minutes from now.
    expect(refused.headers.get('Retry-After')).toBe('540');
    expect(await countCallbacks(t)).toBe(INTAKE_LIMITS.perIp.limit);
    t.clock.advance(540_000);
    expect((await post(t, { phone: mobile(50) })).status).toBe(201);
  });

  it('counts per phone across addresses: the 6th request from one number within an hour is refused', async () => {
    const t = await testApp();
    t.deps.config.trustProxy = true;
    for (let i = 0; i < INTAKE_LIMITS.perPhone.limit; i++) {
      expect((await post(t, {}, { 'X-Forwarded-For': `198.51.100.${i}` })).status).toBe(201);
    }
    const refused = await post(t, {}, { 'X-Forwarded-For': '198.51.100.99' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect((await t.deps.store.listQueue({ state: 'open' }))[0]!.mergedCount).toBe(INTAKE_LIMITS.perPhone.limit - 1);
  });

  it('behind a trusted proxy, keys on the last X-Forwarded-For entry, so a forged first entry does not help', async () => {
    const t = await testApp();
    t.deps.config.trustProxy = true;
    for (let i = 0; i < INTAKE_LIMITS.perIp.limit; i++) {
      await post(t, { phone: mobile(i) }, { 'X-Forwarded-For': `10.0.0.${i}, 203.0.113.7` });
    }
    expect((await post(t, { phone: mobile(60) }, { 'X-Forwarded-For': '10.9.9.9, 203.0.113.7' })).status).toBe(429);
    expect((await post(t, { phone: mobile(61) }, { 'X-Forwarded-For': '203.0.113.8' })).status).toBe(201);
  });

  it('without a trusted proxy, ignores X-Forwarded-For entirely', async () => {
    const t = await testApp();
    for (let i = 0; i < INTAKE_LIMITS.perIp.limit; i++) {
      await post(t, { phone: mobile(i) }, { 'X-Forwarded-For': `203.0.113.${i}` });
    }
    expect((await post(t, { phone: mobile(60) }, { 'X-Forwarded-For': '203.0.113.200' })).status).toBe(429);
  });

  it('counts a whole IPv6 /64 as one client', async () => {
    const t = await testApp();
    t.deps.config.trustProxy = true;
    for (let i = 0; i < INTAKE_LIMITS.perIp.limit; i++) {
      await post(t, { phone: mobile(i) }, { 'X-Forwarded-For': `2001:db8:1:2::${(i + 1).toString(16)}` });
    }
    expect((await post(t, { phone: mobile(60) }, { 'X-Forwarded-For': '2001:db8:1:2:ffff:ffff:ffff:ffff' })).status).toBe(429);
    expect((await post(t, { phone: mobile(61) }, { 'X-Forwarded-For': '2001:db8:1:3::1' })).status).toBe(201);
  });

  it('gives a bot its decoy without spending the rate limit of the address', async () => {
    const t = await testApp();
    for (let i = 0; i < 30; i++) await post(t, { phone: mobile(i), website: 'spam' });
    expect((await post(t)).status).toBe(201);
  });
});

describe('createRateLimiter', () => {
  it('slides: a hit leaving the window frees exactly one place', () => {
    const limiter = createRateLimiter({ limit: 2, windowMs: 1000 });
    const at = (ms: number) => new Date(ms);
    expect(limiter.hit('a', at(0)).ok).toBe(true);
    expect(limiter.hit('a', at(400)).ok).toBe(true);
    expect(limiter.hit('a', at(900))).toEqual({ ok: false, retryAfterS: 1 });
    expect(limiter.hit('b', at(900)).ok).toBe(true);
    expect(limiter.hit('a', at(1001)).ok).toBe(true);
    expect(limiter.hit('a', at(1002)).ok).toBe(false);
  });

  it('forgets the least recently seen key beyond maxKeys, so a spray of addresses cannot grow memory', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, maxKeys: 100 });
    for (let i = 0; i < 1000; i++) limiter.hit(`k${i}`, new Date(0));
    expect(limiter.size).toBe(100);
  });
});

describe('clientIp', () => {
  const probe = (trustProxy: boolean) => new Hono().get('/', (c) => c.text(clientIp(c, trustProxy)));
  const socket = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

  it('reads the socket address, an IPv4-mapped IPv6 one as plain IPv4', async () => {
    expect(await (await probe(false).request('/', {}, socket('::ffff:203.0.113.9'))).text()).toBe('203.0.113.9');
  });

  it(`answers "${NO_SOCKET}" when there is no socket, as under app.request()`, async () => {
    expect(await (await probe(false).request('/')).text()).toBe(NO_SOCKET);
  });

  it('falls back to the socket when a trusted proxy sent no usable X-Forwarded-For', async () => {
    const res = await probe(true).request('/', { headers: { 'X-Forwarded-For': 'not-an-ip' } }, socket('192.0.2.1'));
    expect(await res.text()).toBe('192.0.2.1');
  });

  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('rate-limits %s as %s', (ip, key) => {
    expect(rateLimitKey(ip)).toBe(key);
  });
});

describe('SMS caps (SMS pumping)', () => {
  it(`sends at most ${SMS_CAPS.perNumber} SMS to one number in 10 minutes, then confirms by email and says so`, async () => {
    const t = await testApp();
    for (let i = 0; i < SMS_CAPS.perNumber; i++) {
      expect((await post(t, { confirmBy: 'sms', reason: `Demande ${i}` })).body.confirmBy).toBe('sms');
    }
    const capped = await post(t, { confirmBy: 'sms' });
    expect(capped.status).toBe(201);
    expect(capped.body.confirmBy).toBe('email');
    expect(await smsRows(t)).toHaveLength(SMS_CAPS.perNumber);
    const last = (await t.deps.store.listOutbox('pending')).at(-1)!;
    expect(last).toMatchObject({ channel: 'email', recipient: 'camille@example.org' });
    expect(t.log.lines.some((l) => l.includes('"smsRefused":"number_cap"'))).toBe(true);
  });

  it('queues a capped request without any confirmation when no email was given; nothing is lost', async () => {
    const t = await testApp();
    for (let i = 0; i < SMS_CAPS.perNumber; i++) {
      await closeAll(t);
      await post(t, { confirmBy: 'sms', email: '' });
    }
    await closeAll(t);
    const capped = await post(t, { confirmBy: 'sms', email: '' });
    expect(capped.body.confirmBy).toBe('none');
    expect(await t.deps.store.getCallback(capped.body.ref)).toMatchObject({ state: 'queued', confirmBy: 'none' });
    expect(await countOutbox(t)).toBe(SMS_CAPS.perNumber);
  });

  it('counts the per-number cap across practices and lets SMS through again after 10 minutes', async () => {
    const t = await testApp();
    await t.deps.store.savePractice({ ...(await t.deps.store.getPractice('cabinet-martin'))!, slug: 'kine-dupont', name: 'Kiné Dupont' }, t.clock.now.toISOString());
    for (let i = 0; i < SMS_CAPS.perNumber; i++) {
      await postJson(t, '/v1/practices/kine-dupont/callbacks', validForm({ confirmBy: 'sms', reason: `K${i}` }));
    }
    expect((await post(t, { confirmBy: 'sms' })).body.confirmBy).toBe('email');
    t.clock.advance(SMS_CAPS.perNumberWindowMs);
    await closeAll(t);
    expect((await post(t, { confirmBy: 'sms' })).body.confirmBy).toBe('sms');
  });

  it(`sends at most ${SMS_CAPS.perBlock} SMS an hour to one block of numbers, across practices`, async () => {
    const t = await testApp();
    const block = (i: number) => `+336123456${String(i).padStart(2, '0')}`;
    expect(new Set([block(0), block(10)].map((n) => numberBlock(n))).size).toBe(1);
    for (let i = 0; i < SMS_CAPS.perBlock; i++) expect((await post(t, { phone: block(i), confirmBy: 'sms' })).body.confirmBy).toBe('sms');
    const capped = await post(t, { phone: block(SMS_CAPS.perBlock), confirmBy: 'sms' });
    expect(capped.body.confirmBy).toBe('email');
    expect(await countCallbacks(t)).toBe(SMS_CAPS.perBlock + 1);
    // Another block is not affected.
    expect((await post(t, { phone: '+33698765432', confirmBy: 'sms' })).body.confirmBy).toBe('sms');
    t.clock.advance(SMS_CAPS.perBlockWindowMs);
    expect((await post(t, { phone: block(SMS_CAPS.perBlock + 1), confirmBy: 'sms' })).body.confirmBy).toBe('sms');
  });

  it(`sends at most ${SMS_CAPS.perPracticeDay} SMS a day per practice`, async () => {
    const t = await testApp();
    const at = new Date(t.clock.now.getTime() - 60 * 60_000).toISOString();
    await Promise.all(
      Array.from({ length: SMS_CAPS.perPracticeDay }, (_, i) =>
        t.deps.store.enqueue({ channel: 'sms', recipient: `+3375${String(i).padStart(7, '0')}`, payload: { body: 'x' }, purpose: 'confirmation', practice: 'cabinet-martin' }, at),
      ),
    );
    expect((await post(t, { confirmBy: 'sms' })).body.confirmBy).toBe('email');
    await closeAll(t);
    t.clock.advance(23 * 60 * 60_000 + 1);
    expect((await post(t, { confirmBy: 'sms' })).body.confirmBy).toBe('sms');
  });

  it('keeps counting after a restart, since the caps are read from the outbox table', async () => {
    const t = await testApp();
    for (let i = 0; i < SMS_CAPS.perNumber; i++) await post(t, { confirmBy: 'sms', reason: `R${i}` });
    const restarted = createApp(t.deps);
    expect((await post(t, { confirmBy: 'sms' }, {}, restarted)).body.confirmBy).toBe('email');
  });

  it('sends no SMS to a mobile of a country the practice does not allow, and does once it is allowed', async () => {
    const t = await testApp();
    const german = '+49 1512 3456789';
    expect((await post(t, { phone: german, confirmBy: 'sms' })).body.confirmBy).toBe('email');
    await closeAll(t);
    await t.deps.store.savePractice({ ...(await t.deps.store.getPractice('cabinet-martin'))!, smsCountries: ['FR', 'DE'] }, t.clock.now.toISOString());
    expect((await post(t, { phone: german, confirmBy: 'sms' })).body.confirmBy).toBe('sms');
  });

  it('sends SMS to overseas France by default', async () => {
    const t = await testApp();
    expect((await post(t, { phone: '0692 12 34 56', confirmBy: 'sms' })).body.confirmBy).toBe('sms');
    expect((await smsRows(t))[0]!.recipient).toBe('+262692123456');
  });

  it('confirms by email when the practice has SMS turned off', async () => {
    const t = await testApp();
    await t.deps.store.savePractice({ ...(await t.deps.store.getPractice('cabinet-martin'))!, sms: false }, t.clock.now.toISOString());
    expect((await post(t, { confirmBy: 'sms' })).body.confirmBy).toBe('email');
    expect(await smsRows(t)).toHaveLength(0);
  });
});

describe('email cap (mail relay)', () => {
  const emailsTo = async (t: TestApp, address: string) => (await t.deps.store.listOutbox('pending')).filter((m) => m.channel === 'email' && m.recipient === address);

  it(`confirms at most ${EMAIL_CAP.limit} requests an hour to one address, then queues without confirming and says so`, async () => {
    const t = await testApp();
    const target = 'someone@example.org';
    for (let i = 0; i < EMAIL_CAP.limit; i++) {
      expect((await post(t, { phone: mobile(i), name: `Personne ${i}`, email: target })).body.confirmBy).toBe('email');
    }
    const capped = await post(t, { phone: mobile(EMAIL_CAP.limit), email: target.toUpperCase() });
    expect(capped.status).toBe(201);
    expect(capped.body.confirmBy).toBe('none');
    expect(await t.deps.store.getCallback(capped.body.ref)).toMatchObject({ state: 'queued', confirmBy: 'none' });
    expect(await emailsTo(t, target)).toHaveLength(EMAIL_CAP.limit);
    expect(t.log.lines.some((l) => l.includes('"emailRefused":"email_cap"'))).toBe(true);
    // Another address is not affected, and the capped one is confirmed again once the hour has passed.
    expect((await post(t, { phone: mobile(10), email: 'other@example.org' })).body.confirmBy).toBe('email');
    t.clock.advance(EMAIL_CAP.windowMs);
    expect((await post(t, { phone: mobile(11), email: target })).body.confirmBy).toBe('email');
  });

  it('counts the email an SMS falls back to', async () => {
    const t = await testApp();
    await t.deps.store.savePractice({ ...(await t.deps.store.getPractice('cabinet-martin'))!, sms: false }, t.clock.now.toISOString());
    for (let i = 0; i < EMAIL_CAP.limit; i++) await post(t, { phone: mobile(i), confirmBy: 'sms' });
    expect((await post(t, { phone: mobile(EMAIL_CAP.limit), confirmBy: 'sms' })).body.confirmBy).toBe('none');
    expect(await emailsTo(t, 'camille@example.org')).toHaveLength(EMAIL_CAP.limit);
  });
});
