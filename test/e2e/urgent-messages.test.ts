/**
 * An urgent message for the practitioner, end to end: the real service with a real SMTP server and a local server
 * speaking Twilio's API. The contact on call (not the default one) gets it by SMS and email within 5 seconds, with no
 * motif; the signed link confirms receipt once and stops the escalation; the practitioner signs in, reads the message
 * with the call's outcome and replies, and the operator sees the reply on the request page without reloading.
 * Then a kill -9 between the message's commit and its delivery: after restart it goes out, and its escalation still
 * runs from the time it was taken.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { startServiceProcess } from './service-process.js';
import { apiSession, closeAll, createAccounts, eventually, freePort, launchChromium, saveScreenshot, startFakeTwilio, startSmtp, startStack } from './harness.js';

const MOTIF = 'Douleur thoracique, patient très inquiet';
const PASSWORD = 'practitioner-password-for-tests';
const MINUTE = 60_000;

function messaging(now: number, urgentAckMinutes = 10) {
  return {
    contacts: [
      { key: 'martin', name: 'Dr Martin', phone: '+33611111111', email: 'martin@cabinet.test' },
      { key: 'leroy', name: 'Dr Leroy', phone: '+33622222222', email: 'leroy@cabinet.test' },
    ],
    onCall: { default: 'martin', slots: [{ from: new Date(now - 60 * MINUTE).toISOString(), to: new Date(now + 12 * 60 * MINUTE).toISOString(), contact: 'leroy' }] },
    escalation: ['martin'],
    urgentAckMinutes,
  };
}

async function json(url: string, method: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(url, { method, headers: { ...headers, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

/** A patient's request through the public API, then the operator's call and urgent message; answers the request's ref. */
async function urgentMessage(base: string, operator: Record<string, string>, phone = '06 12 34 56 78') {
  const created = await json(`${base}/v1/practices/cabinet-martin/callbacks`, 'POST', {}, {
    name: 'Camille Durand', phone, reason: 'Renouvellement', urgency: 'routine', confirmBy: 'none', consent: true, lang: 'fr',
  });
  expect(created.status).toBe(201);
  const ref = created.body.ref as string;
  expect((await json(`${base}/v1/callbacks/${ref}/claim`, 'POST', operator)).status).toBe(200);
  const done = await json(`${base}/v1/callbacks/${ref}/attempts`, 'POST', operator, { outcome: 'reached', message: MOTIF, messageUrgent: true });
  expect(done.status).toBe(200);
  return { ref, message: done.body.messages[0] as { id: number; createdAt: string; nextEscalationAt: string } };
}

describe('an urgent message, with a real SMTP server and Twilio’s API', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let twilio: Awaited<ReturnType<typeof startFakeTwilio>>;
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    smtp = await startSmtp();
    twilio = await startFakeTwilio();
    stack = await startStack({ SMTP_URL: smtp.url, SMS_URL: twilio.url });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await closeAll(contexts, browser, stack);
    await smtp.close();
    await twilio.close();
  });

  it('reaches the contact on call in seconds, is confirmed once by its link, read, and answered; the operator sees the reply live', async () => {
    const base = stack.url;
    const admin = await apiSession(base);
    const practice = (await json(`${base}/v1/practices/cabinet-martin`, 'GET', admin)).body;
    expect((await json(`${base}/v1/practices/cabinet-martin`, 'PUT', admin, { ...practice, ...messaging(Date.now()) })).status).toBe(200);
    await createAccounts(base, admin, [{ email: 'op@permanence.test', name: 'Olivia Opératrice', role: 'operator' }], ['cabinet-martin'], PASSWORD);
    await createAccounts(base, admin, [{ email: 'leroy@cabinet.test', name: 'Dr Leroy', role: 'practitioner' }], ['cabinet-martin'], PASSWORD);
    const operator = await apiSession(base, 'op@permanence.test', PASSWORD);

    const started = Date.now();
    const { ref, message } = await urgentMessage(base, operator);
    const sms = await eventually(() => twilio.received.find((s) => s.to === '+33622222222'), 5_000);
    const mail = await eventually(() => smtp.mails.find((m) => m.to.includes('leroy@cabinet.test')), 5_000);
    const reachedIn = Date.now() - started;
    expect(reachedIn).toBeLessThan(5_000);
    for (const text of [sms.body, mail.subject, mail.text, mail.html ?? '']) {
      expect(text).not.toMatch(/thoracique|inquiet|Camille|Durand|Renouvellement/i);
    }
    expect(mail.subject).toMatch(/URGENT/);
    // Not the default contact.
    expect(twilio.received.some((s) => s.to === '+33611111111')).toBe(false);
    expect(smtp.mails.some((m) => m.to.includes('martin@cabinet.test'))).toBe(false);

    // The practitioner opens the link from the email and confirms, once.
    const link = /http:\/\/\S+\/m\/\d+\?c=leroy&t=[\w-]+/.exec(mail.text)![0];
    const doctor = await browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 } });
    contexts.push(doctor);
    const page = await doctor.newPage();
    await page.goto(link);
    await expect.poll(() => page.textContent('body')).not.toMatch(/thoracique|Camille/);
    await saveScreenshot(page, 'ack-page-390-fr');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('.notice')).toMatch(/Réception confirmée/);
    await page.goto(link);
    expect(await page.textContent('.notice')).toMatch(/déjà été confirmé/);
    const after = (await json(`${base}/v1/callbacks/${ref}`, 'GET', operator)).body.messages[0];
    expect(after).toMatchObject({ ackVia: 'link', nextEscalationAt: null });

    // The operator keeps the request open on their console.
    const desk = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    contexts.push(desk);
    const console = await desk.newPage();
    await console.goto(`${base}/console/`);
    await console.fill('input[type=email]', 'op@permanence.test');
    await console.fill('input[type=password]', PASSWORD);
    await console.press('input[type=password]', 'Enter');
    await console.waitForSelector('permanence-queue-view');
    await console.goto(`${base}/console/#/callback/${ref}`);
    await expect.poll(() => console.locator('permanence-message-status .acked').first().textContent(), { timeout: 10_000 }).toMatch(/Réception confirmée/);

    // The practitioner signs in, reads the message with the call's outcome, and replies.
    await page.goto(`${base}/console/`);
    await page.fill('input[type=email]', 'leroy@cabinet.test');
    await page.fill('input[type=password]', PASSWORD);
    await page.press('input[type=password]', 'Enter');
    await page.goto(`${base}/console/#/messages`);
    const article = page.locator(`article[data-ref="${ref}"]`);
    await expect.poll(() => article.textContent(), { timeout: 10_000 }).toMatch(/Patient joint/);
    expect(await article.textContent()).toContain(MOTIF);
    await saveScreenshot(page, 'practitioner-message-390-fr');
    await article.locator('textarea').fill('Rappeler le patient : RDV demain 9 h');
    await article.locator('form.reply button[type=submit]').click();
    await expect.poll(() => page.locator('.notice.ok').textContent()).toMatch(/Réponse envoyée/);

    // Live on the operator's page: the reply, and the request back in the queue.
    await expect.poll(() => console.locator('ul.replies').last().textContent(), { timeout: 5_000 }).toMatch(/RDV demain 9 h/);
    await saveScreenshot(console, 'request-reply-1280-fr');
    expect((await json(`${base}/v1/callbacks/${ref}`, 'GET', operator)).body.state).toBe('queued');
    expect(message.id).toBeGreaterThan(0);
  });
});

describe('a kill -9 between the urgent message’s commit and its delivery', () => {
  const dir = mkdtempSync(join(tmpdir(), 'permanence-urgent-'));
  const children = new Set<ChildProcess>();
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(port: number, smtpUrl: string): Promise<ChildProcess> {
    const child = await startServiceProcess(port, dir, {
      PERMANENCE_DB: join(dir, 'permanence.db'),
      SECRET_KEY: 'urgent-test-secret-key-0123456789abcdef',
      SMTP_URL: smtpUrl,
      ADMIN_EMAIL: 'admin@urgent.test',
      ADMIN_PASSWORD: 'urgent-test-admin-password',
    });
    children.add(child);
    return child;
  }

  it('loses nothing: the message goes out after restart, and escalates from the time it was taken', async () => {
    const port = await freePort();
    // Nothing listens here yet: the email waits in the outbox, committed with the message.
    const smtpPort = await freePort();
    const first = await start(port, `smtp://127.0.0.1:${smtpPort}`);
    const base = `http://127.0.0.1:${port}`;
    const admin = await apiSession(base, 'admin@urgent.test', 'urgent-test-admin-password');
    const practice = (await json(`${base}/v1/practices/cabinet-martin`, 'GET', admin)).body;
    const { contacts, escalation } = messaging(Date.now(), 1);
    // Nobody on call by the schedule, the default contact has email only: the outbox holds the one email.
    const settings = { contacts: [{ ...contacts[1]!, phone: undefined }, contacts[0]!], onCall: { default: 'leroy', slots: [] }, escalation, urgentAckMinutes: 1 };
    expect((await json(`${base}/v1/practices/cabinet-martin`, 'PUT', admin, { ...practice, ...settings })).status).toBe(200);
    const { ref, message } = await urgentMessage(base, admin);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    const smtp = await startSmtp();
    try {
      // The same port for the SMTP server would race with the kernel; the restart points at the real one.
      await start(port, smtp.url);
      const mail = await eventually(() => smtp.mails.find((m) => m.to.includes('leroy@cabinet.test')), 30_000);
      expect(mail.text).not.toMatch(/thoracique|inquiet/);
      const admin2 = await apiSession(base, 'admin@urgent.test', 'urgent-test-admin-password');
      const detail = (await json(`${base}/v1/callbacks/${ref}`, 'GET', admin2)).body;
      expect(detail.messages[0].nextEscalationAt ?? null).toBe(new Date(Date.parse(message.createdAt) + MINUTE).toISOString());
      // The ladder's first step runs a minute after the message was taken, not a minute after the restart.
      const escalated = await eventually(async () => {
        const m = (await json(`${base}/v1/callbacks/${ref}`, 'GET', admin2)).body.messages[0];
        return m.escalations.length ? m : undefined;
      }, 90_000);
      expect(Date.parse(escalated.escalations[0].at) - Date.parse(message.createdAt)).toBeLessThan(MINUTE + 10_000);
      const queue = (await json(`${base}/v1/queue?state=open`, 'GET', admin2)).body.items;
      expect(queue[0]).toMatchObject({ kind: 'escalation', name: 'Dr Leroy' });
    } finally {
      await smtp.close();
    }
  }, 150_000);
});
