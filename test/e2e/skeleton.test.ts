/**
 * The whole path for real: a patient on the demo practice's website (one origin) submits
 * the widget's form to the service (another origin); the queue lists the request and the
 * SMTP server on loopback receives the confirmation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiSession, eventually, launchChromium, startSmtp, startStack, styleSheetRuleCounts } from './harness.js';

describe('a callback request from the practice website to the queue and the patient’s inbox', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;

  beforeAll(async () => {
    smtp = await startSmtp();
    stack = await startStack({ SMTP_URL: smtp.url });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await smtp?.close();
  });

  it('submits from another origin under a strict CSP, lists it in the queue and delivers the email', async () => {
    const page = await browser.newPage({ locale: 'fr-FR' });
    const problems: string[] = [];
    page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
    page.on('pageerror', (err) => problems.push(err.message));

    await page.goto(`http://localhost:${stack.demoPort}/`);
    const widget = page.locator('permanence-widget');
    await widget.locator('input[name=name]').waitFor();
    // The built bundle styles every part: a stylesheet the browser could not read would have no rules.
    const sheets = await styleSheetRuleCounts(page);
    expect(sheets.length).toBeGreaterThan(3);
    expect(sheets.filter((rules) => rules === 0)).toEqual([]);
    await widget.locator('input[name=name]').fill('Camille Durand');
    await widget.locator('input[name=phone]').fill('06 12 34 56 78');
    await widget.locator('input[name=email]').fill('camille@example.org');
    await widget.locator('textarea[name=reason]').fill('Renouvellement d’ordonnance pour ma tension');
    await widget.locator('input[name=confirmBy][value=email]').check();
    await widget.locator('input[name=consent]').check();
    // A person takes more than the 3 seconds under which the service reads the form as a bot's.
    await page.waitForTimeout(3_100);
    await widget.locator('[part=submit]').click();

    const reference = widget.locator('[part=reference]');
    await reference.waitFor({ timeout: 10_000 });
    const ref = (await reference.textContent())!.trim();
    expect(ref).toMatch(/^CB-[A-Z0-9]{6}$/);

    const headers = await apiSession(stack.url);
    const queue = (await (await fetch(`${stack.url}/v1/queue`, { headers })).json()) as { items: { ref: string; phone: string; practice: string }[] };
    expect(queue.items).toContainEqual(expect.objectContaining({ ref, phone: '+33612345678', practice: 'cabinet-martin' }));

    const mail = await eventually(() => smtp.mails.find((m) => m.subject.includes(ref)));
    expect(mail.to).toEqual(['camille@example.org']);
    expect(mail.text).toContain(ref);
    expect(mail.text).toContain('/c/' + ref);
    // Medical secrecy: the reason is in the queue, never in the email.
    expect(mail.subject + mail.text + mail.html).not.toMatch(/ordonnance|tension/i);

    expect(problems.filter((p) => /Content Security Policy|Refused/i.test(p))).toEqual([]);
    await page.close();
  });

  it('serves widget.js cacheable and loadable from other origins', async () => {
    const res = await fetch(`${stack.url}/widget.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
  });
});
