// Delivery reports from the SMS providers, from the send (a local server speaking Twilio's API, SMSFactor's documented
// answer) to the message's deliveries as the console reads them: Twilio's signed status callbacks, SMSFactor's DLR webhook.
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeTwilio } from '../fakes.js';
import { send, signIn, testApp, TEST_PUBLIC_URL, type TestApp } from './helpers.js';
import { createApp } from '../../service/http/app.js';
import { memoryLogger } from '../../service/log.js';
import { newRef } from '../../service/domain/ref.js';
import { createSmsSender, isTwilioSignature, type SmsSender } from '../../service/notify/sms/index.js';
import type { QueueEvent } from '../../service/events.js';
import { demoPractice } from '../../demo/seed.js';
import type { Practice } from '../../service/store/store.js';

const STATUS_URL = `${TEST_PUBLIC_URL}/v1/hooks/twilio/status`;
/** The auth token in the SMS_URL startFakeTwilio gives. */
const AUTH_TOKEN = 'token';
const DOCTOR_PHONE = '+33622222222';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** Dr Leroy, told of routine messages by SMS, with an email to fall back on. */
function practice(): Practice {
  return {
    ...demoPractice(0),
    contacts: [{ key: 'leroy', name: 'Dr Leroy', phone: DOCTOR_PHONE, email: 'leroy@cabinet.example', notifyBy: 'sms' }],
    onCall: { default: 'leroy', slots: [] },
    escalation: [],
  };
}

/** Twilio's signature as its docs describe it, written here independently of the service's. */
function twilioSign(url: string, params: Record<string, string>, token = AUTH_TOKEN): string {
  const signed = url + Object.keys(params).sort().map((name) => name + params[name]).join('');
  return createHmac('sha1', token).update(signed, 'utf8').digest('base64');
}

/**
 * The app as production builds it with `smsUrl` as SMS_URL (Twilio's status callbacks need its auth token), the outbox
 * sending with `sms`, and an operator who has taken a routine message for Dr Leroy.
 */
async function setup(sms: SmsSender, smsUrl?: string) {
  const at = new Date('2026-11-25T19:12:00Z');
  const t = await testApp({ at, practices: [practice()], senders: { sms } });
  const app = smsUrl ? createApp({ ...t.deps, config: { ...t.deps.config, smsUrl } }) : t.app;
  const op = await signIn(t, { email: 'op@permanence.example', role: 'operator', practices: ['cabinet-martin'] });
  const events: QueueEvent[] = [];
  t.deps.events.subscribe((e) => events.push(e));
  const now = t.clock.now.toISOString();
  const request = await t.deps.store.insertCallback({
    ref: newRef(),
    practice: 'cabinet-martin',
    name: 'Camille Durand',
    phone: '+33612345678',
    email: 'camille@example.org',
    reason: 'Renouvellement',
    urgency: 'routine',
    redFlag: false,
    preferredWindow: null,
    confirmBy: 'none',
    lang: 'fr',
    dueAt: now,
    createdAt: now,
  });
  expect((await send(t, 'POST', `/v1/callbacks/${request.ref}/claim`, op)).status).toBe(200);
  const taken = await send(t, 'POST', `/v1/callbacks/${request.ref}/attempts`, op, { outcome: 'reached', message: 'Rappeler pour le résultat', messageUrgent: false });
  expect(taken.status).toBe(200);
  const messageId = taken.body.messages[0].id as number;
  expect(await t.outbox.runOnce()).toBe(1);
  /** The message's deliveries as the console shows them: [channel, state, error]. */
  const deliveries = async () => {
    const detail = await send(t, 'GET', `/v1/callbacks/${request.ref}`, op);
    return (detail.body.messages.find((m: { id: number }) => m.id === messageId).deliveries as { channel: string; state: string; error: string | null }[]).map((d) => [d.channel, d.state, d.error]);
  };
  const smsRow = async () => (await t.deps.store.listDeliveries([messageId])).find((d) => d.channel === 'sms')!;
  return { t, app, op, ref: request.ref, deliveries, smsRow, events };
}

async function twilioSetup() {
  let sids = 0;
  const twilio = await startFakeTwilio(() => ({ status: 201, json: { sid: `SM${String(++sids).padStart(32, '0')}`, status: 'queued' } }));
  closers.push(twilio.close);
  const sender = createSmsSender(twilio.url, memoryLogger(), { publicUrl: TEST_PUBLIC_URL });
  return { twilio, ...(await setup(sender, twilio.url)) };
}

/** Posts a status callback as Twilio does: a form, signed by `signature` (Twilio's own by default). */
function postStatus(app: TestApp['app'], params: Record<string, string>, signature = twilioSign(STATUS_URL, params)) {
  return app.request('/v1/hooks/twilio/status', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature },
    body: new URLSearchParams(params).toString(),
  });
}

/** What Twilio posts for an outbound SMS, `MessageStatus` and `ErrorCode` aside. */
const callback = (sid: string, status: string, extra: Record<string, string> = {}) => ({
  AccountSid: 'AC0123456789abcdef0123456789abcdef',
  ApiVersion: '2010-04-01',
  From: '+33700000000',
  MessageSid: sid,
  MessageStatus: status,
  SmsSid: sid,
  SmsStatus: status,
  To: DOCTOR_PHONE,
  ...extra,
});

describe('Twilio status callbacks', () => {
  it('are asked for with each SMS, at the public URL', async () => {
    const { twilio } = await twilioSetup();
    expect(twilio.received).toHaveLength(1);
    expect(twilio.received[0]!.statusCallback).toBe('https://permanence.example/v1/hooks/twilio/status');
  });

  it('marks the SMS delivered on a correctly signed "delivered", refreshes consoles, and logs no number', async () => {
    const { t, app, ref, deliveries, smsRow, events } = await twilioSetup();
    const sid = (await smsRow()).providerRef!;
    expect(await deliveries()).toEqual([['sms', 'sent', null]]);
    expect((await postStatus(app, callback(sid, 'delivered'))).status).toBe(204);
    expect(await deliveries()).toEqual([['sms', 'delivered', null]]);
    expect((await smsRow()).deliveredAt).toBe(t.clock.now.toISOString());
    expect(events).toContainEqual({ type: 'callback.updated', practice: 'cabinet-martin', ref });
    const logged = t.log.lines.filter((l) => l.includes('sms_delivery_report'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(`"outbox":${(await smsRow()).id}`);
    expect(logged[0]).toContain('"status":"delivered"');
    expect(t.log.lines.join('\n')).not.toMatch(/22222222|Rappeler/);
  });

  it('answers 403 to a signature that is missing, forged, or made for other parameters, and changes nothing', async () => {
    const { app, deliveries, smsRow } = await twilioSetup();
    const sid = (await smsRow()).providerRef!;
    const params = callback(sid, 'undelivered', { ErrorCode: '30003' });
    const forgeries = [
      '',
      twilioSign(STATUS_URL, params, 'another-token'),
      twilioSign(STATUS_URL, callback(sid, 'delivered')),
      twilioSign('https://proxy.internal:3000/v1/hooks/twilio/status', params),
    ];
    for (const signature of forgeries) {
      const res = await postStatus(app, params, signature);
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('invalid_signature');
    }
    expect(await deliveries()).toEqual([['sms', 'sent', null]]);
  });

  it('accepts the signature made over the URL with its default port, as Twilio sometimes signs it', async () => {
    const { app, deliveries, smsRow } = await twilioSetup();
    const params = callback((await smsRow()).providerRef!, 'delivered');
    expect((await postStatus(app, params, twilioSign('https://permanence.example:443/v1/hooks/twilio/status', params))).status).toBe(204);
    expect(await deliveries()).toEqual([['sms', 'delivered', null]]);
  });

  it('sends a routine notice by email when its SMS is reported undelivered, and a late "delivered" leaves the failure', async () => {
    const { t, app, deliveries, smsRow } = await twilioSetup();
    const sid = (await smsRow()).providerRef!;
    const woken = t.woken;
    expect((await postStatus(app, callback(sid, 'undelivered', { ErrorCode: '30003' }))).status).toBe(204);
    expect(await deliveries()).toEqual([
      ['sms', 'failed', 'twilio: undelivered 30003'],
      ['email', 'queued', null],
    ]);
    expect(t.woken).toBeGreaterThan(woken);
    expect(await t.deps.store.listAudit({ limit: 5, action: 'message_fallback' })).toHaveLength(1);
    // A report repeated changes nothing, and the notice goes by email only once.
    expect((await postStatus(app, callback(sid, 'delivered'))).status).toBe(204);
    expect((await postStatus(app, callback(sid, 'undelivered', { ErrorCode: '30003' }))).status).toBe(204);
    expect((await deliveries())[0]).toEqual(['sms', 'failed', 'twilio: undelivered 30003']);
    expect(await t.deps.store.listAudit({ limit: 5, action: 'message_fallback' })).toHaveLength(1);
  });

  it('answers 204 and records nothing for the steps before delivery, or a message it does not know', async () => {
    const { t, app, deliveries, smsRow } = await twilioSetup();
    const sid = (await smsRow()).providerRef!;
    for (const status of ['queued', 'sending', 'sent']) expect((await postStatus(app, callback(sid, status))).status).toBe(204);
    expect((await postStatus(app, callback('SM' + 'f'.repeat(32), 'delivered'))).status).toBe(204);
    expect(await deliveries()).toEqual([['sms', 'sent', null]]);
    expect(t.log.lines.filter((l) => l.includes('sms_delivery_report'))).toEqual([expect.stringContaining('"outbox":null')]);
  });

  it('answers 404 when SMS_URL does not name Twilio, having no auth token to check the signature with', async () => {
    const { t, smsRow } = await twilioSetup();
    const params = callback((await smsRow()).providerRef!, 'delivered');
    expect((await postStatus(t.app, params)).status).toBe(404);
  });

  it('checks signatures as twilio-node does, on its own test vector', () => {
    const params = new URLSearchParams({ CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' });
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    expect(isTwilioSignature('12345', url, params, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=')).toBe(true);
    expect(isTwilioSignature('12345', url, params, 'RSOYDt4T1cUTdK1PDd93/VVr8B8')).toBe(false);
    expect(isTwilioSignature('12345', 'https://mycompany.com:443/myapp.php?foo=1&bar=2', params, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=')).toBe(true);
    params.set('Digits', '1235');
    expect(isTwilioSignature('12345', url, params, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=')).toBe(false);
  });
});

describe('SMSFactor delivery reports', () => {
  const TICKET = '14672468';

  /** SMSFactor's send, answered as its docs show: the campaign's `ticket` is what the reports name. */
  async function smsFactorSetup() {
    const fetch = (async () =>
      new Response(JSON.stringify({ status: 1, message: 'OK', ticket: TICKET, cost: 1, credits: 642, total: 1, sent: 1, blacklisted: 0, duplicated: 0, invalid: 0, npai: 0 }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      })) as typeof globalThis.fetch;
    const s = await setup(createSmsSender('smsfactor://tok@?sender=CABINET', memoryLogger(), { fetch }), 'smsfactor://tok@?sender=CABINET');
    const admin = await signIn(s.t, { email: 'admin@permanence.example', role: 'admin' });
    const urls = await send(s.t, 'GET', '/v1/hooks', admin);
    expect(urls.status).toBe(200);
    return { ...s, admin, reportUrl: new URL(urls.body.smsfactor as string) };
  }

  /** A report as SMSFactor posts it: JSON in the body. */
  const report = (app: TestApp['app'], path: string, status: number, campaign = TICKET) =>
    app.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ date: '2026-11-25T20:12:40+01:00', status, destination: '33622222222', message_id: '', campaign_id: campaign, country_code: 'FR' }),
    });

  it('are received at the secret URL admins are given, and mark the SMS delivered', async () => {
    const { t, app, smsRow, deliveries, reportUrl } = await smsFactorSetup();
    expect((await smsRow()).providerRef).toBe(TICKET);
    expect(reportUrl.origin + reportUrl.pathname.replace(/[^/]+$/, '')).toBe('https://permanence.example/v1/hooks/smsfactor/dlr/');
    expect((await report(app, reportUrl.pathname, 1)).status).toBe(204);
    expect(await deliveries()).toEqual([['sms', 'sent', null]]);
    expect((await report(app, reportUrl.pathname, 3)).status).toBe(204);
    expect(await deliveries()).toEqual([['sms', 'delivered', null]]);
    expect(t.log.lines.join('\n')).not.toMatch(/22222222/);
  });

  it('fall back to email when the SMS expired undelivered', async () => {
    const { app, deliveries, reportUrl } = await smsFactorSetup();
    expect((await report(app, reportUrl.pathname, 12)).status).toBe(204);
    expect(await deliveries()).toEqual([
      ['sms', 'failed', 'smsfactor: expired (12)'],
      ['email', 'queued', null],
    ]);
  });

  it('answer 404 at any other token and change nothing', async () => {
    const { app, deliveries, reportUrl } = await smsFactorSetup();
    const token = reportUrl.pathname.split('/').at(-1)!;
    const wrong = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    for (const path of [`/v1/hooks/smsfactor/dlr/${wrong}`, '/v1/hooks/smsfactor/dlr/x', '/v1/hooks/smsfactor/dlr/']) {
      expect((await report(app, path, 3)).status).toBe(404);
    }
    expect(await deliveries()).toEqual([['sms', 'sent', null]]);
  });

  it('are read as a form too, whatever the content type says', async () => {
    const { app, deliveries, reportUrl } = await smsFactorSetup();
    const res = await app.request(reportUrl.pathname, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `status=3&campaign_id=${TICKET}` });
    expect(res.status).toBe(204);
    expect(await deliveries()).toEqual([['sms', 'delivered', null]]);
  });

  it('have their URL shown to admins only', async () => {
    const { t, op } = await smsFactorSetup();
    expect((await send(t, 'GET', '/v1/hooks', op)).status).toBe(403);
  });
});
