// Confirmations end to end through the outbox worker: email to a real SMTP server on loopback, SMS to a local server speaking Twilio's API.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startFakeTwilio, startHungSmtp, startSmtp, TWILIO_FROM as FROM, TWILIO_SID as SID } from '../fakes.js';
import { postJson, signIn, testApp, validForm, type TestApp } from './helpers.js';
import { createEmailSender, maskEmail } from '../../service/notify/email.js';
import { memoryLogger } from '../../service/log.js';
import { confirmationEmail } from '../../service/notify/templates.js';
import { createSmsSender } from '../../service/notify/sms/index.js';
import { createOutboxWorker } from '../../service/notify/outbox.js';
import { cancelUrl } from '../../service/domain/links.js';
import { smsSegments } from '../../shared/gsm7.js';

const CALLBACKS = '/v1/practices/cabinet-martin/callbacks';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function setup(options: { twilio?: Parameters<typeof startFakeTwilio>[0]; backoffMs?: number[] } = {}) {
  const t = await testApp();
  const smtp = await startSmtp();
  const twilio = await startFakeTwilio(options.twilio);
  closers.push(smtp.close, twilio.close);
  const worker = createOutboxWorker({
    store: t.deps.store,
    email: createEmailSender(smtp.url, 'Permanence <no-reply@permanence.example>', t.log),
    sms: createSmsSender(twilio.url, t.log),
    log: t.log,
    now: t.deps.now,
    ...(options.backoffMs ? { backoffMs: options.backoffMs } : {}),
  });
  return { t, smtp, twilio, worker };
}

async function request(t: TestApp, overrides: Record<string, unknown> = {}) {
  const res = await postJson(t, CALLBACKS, validForm(overrides));
  expect(res.status).toBe(201);
  return (await res.json()) as { ref: string; confirmBy: string };
}

describe('email confirmation', () => {
  it('arrives at the SMTP server in text and HTML, in the patient’s language, with the cancel link and without the reason', async () => {
    const { t, smtp, worker } = await setup();
    const { ref } = await request(t, { lang: 'en', reason: 'Résultats de dépistage VIH', email: 'Camille@Example.org' });
    expect(await worker.runOnce()).toBe(1);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    const link = cancelUrl(t.deps.config.publicUrl, t.deps.sealer, ref);
    expect(mail.to).toEqual(['camille@example.org']);
    expect(mail.subject).toBe(`Callback request ${ref} received – Cabinet du Dr Martin`);
    expect(mail.text).toContain(`registered under reference ${ref}`);
    expect(mail.text).toContain('as soon as possible on 06 12 34 56 78');
    expect(mail.text).toContain(link);
    expect(mail.html).toContain(`<a href="${link.replace(/&/g, '&amp;')}">`);
    expect(mail.html).toContain('<html lang="en">');
    expect(JSON.stringify(mail)).not.toMatch(/VIH|dépistage/);
    expect(await t.deps.store.listOutbox('sent')).toHaveLength(1);
  });

  it('escapes the patient’s name and the practice name in the HTML part', async () => {
    const { t, smtp, worker } = await setup();
    await t.deps.store.savePractice({ ...(await t.deps.store.getPractice('cabinet-martin'))!, name: 'Martin & <Fils>' }, t.clock.now.toISOString());
    await request(t, { name: '<img src=x onerror=alert(1)>' });
    await worker.runOnce();
    const { html, text } = smtp.mails[0]!;
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('Martin &amp; &lt;Fils&gt;');
    expect(text).toContain('Bonjour <img src=x onerror=alert(1)>,');
  });

  it('tells a patient whose request was merged that it was already waiting, with the same reference', async () => {
    const { t, smtp, worker } = await setup();
    const first = await request(t);
    const second = await request(t, { reason: 'Une autre question' });
    await worker.runOnce();
    expect(second.ref).toBe(first.ref);
    expect(smtp.mails.map((m) => m.subject)).toEqual([expect.stringContaining(first.ref), expect.stringContaining(first.ref)]);
    expect(smtp.mails[1]!.text).toContain('Vous aviez déjà une demande en attente');
  });

  it('dead-letters a message the SMTP server refuses for good, at the first try', async () => {
    const { t, worker } = await setup();
    await request(t, { email: 'nobody@refuse.example' });
    await worker.runOnce();
    const [dead] = await t.deps.store.listOutbox('dead');
    expect(dead).toMatchObject({ channel: 'email', tries: 1 });
    expect(dead!.lastError).toContain('550');
  });
});

describe('a hung SMTP server (accepts the connection, never answers)', () => {
  it('gives up on it after the connection timeout, as a transient failure', async () => {
    const hung = await startHungSmtp();
    closers.push(hung.close);
    const sender = createEmailSender(hung.url, 'Permanence <no-reply@permanence.example>', memoryLogger(), { connectionTimeoutMs: 300, greetingTimeoutMs: 300, socketTimeoutMs: 300 });
    const started = performance.now();
    const err = await sender.send('camille@example.org', { subject: 'Demande reçue', text: 'Bonjour', html: '<p>Bonjour</p>' }).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(err).toMatchObject({ name: 'DeliveryError', permanent: false, providerCode: 'ETIMEDOUT' });
    expect(hung.connections()).toBe(1);
  });

  it('delays no SMS: one leaves within 2 s while 5 email confirmations wait on the server, and the emails are scheduled for a retry, not dead', async () => {
    const t = await testApp();
    const hung = await startHungSmtp();
    const twilio = await startFakeTwilio();
    // Email timeouts longer than the 2 s the SMS is given, so that only independent lanes can pass.
    const timeouts = { connectionTimeoutMs: 2_500, greetingTimeoutMs: 2_500, socketTimeoutMs: 2_500 };
    const worker = createOutboxWorker({
      store: t.deps.store,
      email: createEmailSender(hung.url, 'Permanence <no-reply@permanence.example>', t.log, timeouts),
      sms: createSmsSender(twilio.url, t.log),
      log: t.log,
      now: t.deps.now,
    });
    closers.push(hung.close, twilio.close, () => worker.stop());
    for (let i = 0; i < 5; i++) await request(t, { name: `Patient ${i}`, phone: `06 12 34 56 7${i}`, email: `patient${i}@example.org` });
    void worker.runOnce();
    await vi.waitFor(() => expect(hung.connections()).toBeGreaterThan(0));

    await request(t, { confirmBy: 'sms', name: 'Sam Petit', phone: '06 98 76 54 32' });
    const queued = performance.now();
    worker.wake();
    await vi.waitFor(() => expect(twilio.received).toHaveLength(1), { timeout: 2_000, interval: 10 });
    expect(performance.now() - queued).toBeLessThan(2_000);
    expect(twilio.received[0]!.to).toBe('+33698765432');

    // 4 emails time out together, then the 5th takes a freed slot: each is tried once, then waits for its next try.
    await vi.waitFor(async () => expect((await t.deps.store.listOutbox('pending')).filter((m) => m.tries === 1)).toHaveLength(5), { timeout: 10_000, interval: 50 });
    expect(hung.connections()).toBe(5);
    const pending = await t.deps.store.listOutbox('pending');
    for (const email of pending) {
      expect(email).toMatchObject({ channel: 'email', lastError: expect.stringContaining('ETIMEDOUT') });
      expect(Date.parse(email.nextAttemptAt)).toBeGreaterThan(t.clock.now.getTime());
    }
    expect(await t.deps.store.listOutbox('dead')).toEqual([]);
    expect(await t.deps.store.listOutbox('sent')).toEqual([expect.objectContaining({ channel: 'sms' })]);
    expect(t.log.lines.join('\n')).not.toMatch(/patient\d@example\.org|98765432/);
  });
});

describe('email without SMTP_URL', () => {
  it('logs the masked recipient, the subject and the purpose, never the name, the phone or the cancel link', async () => {
    const log = memoryLogger();
    const url = 'https://permanence.example/c/AB12CD?t=secret-token';
    const now = new Date('2025-03-03T09:00:00Z');
    const message = confirmationEmail({
      lang: 'fr',
      ref: 'AB12CD',
      name: 'Camille Durand',
      phone: '06 12 34 56 78',
      practice: { name: 'Cabinet du Dr Martin', phone: '01 23 45 67 89', timezone: 'Europe/Paris' },
      dueAt: now,
      now,
      cancelUrl: url,
    });
    await createEmailSender(undefined, 'Permanence <no-reply@localhost>', log).send('camille.durand@example.org', message, 'confirmation');
    expect(log.lines).toHaveLength(1);
    const line = JSON.parse(log.lines[0]!);
    expect(line).toEqual({ time: expect.any(String), level: 'info', event: 'email_logged', to: 'c***@example.org', subject: message.subject, purpose: 'confirmation' });
    for (const secret of ['Camille', 'Durand', '06 12', 'secret-token']) expect(log.lines[0]).not.toContain(secret);
  });

  it('masks an address down to its first letter and its domain', () => {
    expect(maskEmail('dr.martin@cabinet-martin.fr')).toBe('d***@cabinet-martin.fr');
    expect(maskEmail('élodie@example.org')).toBe('é***@example.org');
    expect(maskEmail('not-an-address')).toBe('***');
  });
});

describe('SMS confirmation', () => {
  it('reaches the Twilio API in one GSM-7 segment with the reference, the practice, when and a short cancel link, never the reason', async () => {
    const { t, twilio, worker } = await setup();
    const { ref, confirmBy } = await request(t, { confirmBy: 'sms', reason: 'Renouvellement de ma pilule contraceptive' });
    expect(confirmBy).toBe('sms');
    await worker.runOnce();
    expect(twilio.received).toHaveLength(1);
    const sms = twilio.received[0]!;
    expect(sms).toMatchObject({ path: `/2010-04-01/Accounts/${SID}/Messages.json`, to: '+33612345678', from: FROM });
    expect(smsSegments(sms.body)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(sms.body.length).toBeLessThanOrEqual(160);
    expect(sms.body).toContain(ref);
    expect(sms.body).toContain('Cabinet du Dr');
    expect(sms.body).toContain('dès que possible');
    expect(sms.body).toContain(cancelUrl(t.deps.config.publicUrl, t.deps.sealer, ref));
    expect(sms.body).not.toMatch(/pilule|contracept/i);
    expect(await t.deps.store.listOutbox('sent')).toHaveLength(1);
  });

  it('stays in one segment, in English, with a long practice name and a due time tomorrow', async () => {
    const { t, twilio, worker } = await setup();
    await t.deps.store.savePractice(
      { ...(await t.deps.store.getPractice('cabinet-martin'))!, name: 'Maison de santé pluriprofessionnelle des Hauts-de-Seine Nord — site Épône' },
      t.clock.now.toISOString(),
    );
    // Wednesday 13:00 in Paris: closed until Thursday 08:30.
    t.clock.advance(3 * 60 * 60_000);
    const { ref } = await request(t, { confirmBy: 'sms', lang: 'en' });
    await worker.runOnce();
    const { body } = twilio.received[0]!;
    expect(smsSegments(body)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(body).toContain(ref);
    expect(body).toContain('callback tomorrow from 08:30');
    // The name was shortened to fit, not the link.
    expect(body).toMatch(/^Maison de sant.*\.: request/);
    expect(body).toContain(cancelUrl(t.deps.config.publicUrl, t.deps.sealer, ref));
  });

  it('retries a transient provider failure after the backoff delay, then delivers', async () => {
    let failures = 1;
    const { t, twilio, worker } = await setup({
      twilio: () => (failures-- > 0 ? { status: 503, json: { code: 20503, message: 'Service unavailable' } } : { status: 201, json: { sid: 'SM2' } }),
      backoffMs: [10_000, 60_000],
    });
    await request(t, { confirmBy: 'sms' });
    await worker.runOnce();
    const [pending] = await t.deps.store.listOutbox('pending');
    expect(pending).toMatchObject({ tries: 1, nextAttemptAt: new Date(t.clock.now.getTime() + 10_000).toISOString() });
    await worker.runOnce();
    expect(twilio.received).toHaveLength(1);
    t.clock.advance(10_000);
    await worker.runOnce();
    expect(twilio.received).toHaveLength(2);
    expect(await t.deps.store.listOutbox('sent')).toHaveLength(1);
  });

  it('dead-letters after the last retry and shows it to admins only, at GET /v1/outbox?state=dead', async () => {
    const { t, twilio, worker } = await setup({ twilio: () => ({ status: 500, json: { code: 20500, message: 'Internal error' } }), backoffMs: [1_000, 2_000] });
    const { ref } = await request(t, { confirmBy: 'sms' });
    for (const wait of [0, 1_000, 2_000]) {
      t.clock.advance(wait);
      await worker.runOnce();
    }
    expect(twilio.received).toHaveLength(3);
    const callback = (await t.deps.store.getCallback(ref))!;

    const admin = await signIn(t, { email: 'admin@example.org', role: 'admin' });
    const res = await t.app.request('/v1/outbox?state=dead', { headers: admin });
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: Record<string, unknown>[] };
    expect(items).toEqual([
      expect.objectContaining({ channel: 'sms', recipient: '+33612345678', purpose: 'confirmation', practice: 'cabinet-martin', callbackId: callback.id, state: 'dead', tries: 3 }),
    ]);
    expect(String(items[0]!.lastError)).toContain('20500');
    expect(items[0]).not.toHaveProperty('payload');

    const operator = await signIn(t, { email: 'op@example.org', role: 'operator', practices: ['cabinet-martin'] });
    expect((await t.app.request('/v1/outbox?state=dead', { headers: operator })).status).toBe(403);
    expect((await t.app.request('/v1/outbox?state=dead')).status).toBe(401);
    expect((await t.app.request('/v1/outbox?state=everything', { headers: admin })).status).toBe(400);
  });

  it('dead-letters at once a number the provider says is invalid', async () => {
    const { t, worker } = await setup({ twilio: () => ({ status: 400, json: { code: 21211, message: "The 'To' number is not a valid phone number." } }) });
    await request(t, { confirmBy: 'sms' });
    await worker.runOnce();
    expect(await t.deps.store.listOutbox('dead')).toEqual([expect.objectContaining({ tries: 1, lastError: expect.stringContaining('21211') })]);
  });
});
