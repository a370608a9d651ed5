/**
 * Intake in a real browser against the real service: the emergency panel before submit,
 * an SMS confirmation reaching a local server that speaks Twilio's API, and a repeated
 * request answered with the same reference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { eventually, launchChromium, startFakeTwilio, startSmtp, startStack } from './harness.js';

describe('a patient’s request, from the widget to an SMS', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let twilio: Awaited<ReturnType<typeof startFakeTwilio>>;
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;

  beforeAll(async () => {
    smtp = await startSmtp();
    twilio = await startFakeTwilio();
    stack = await startStack({ SMTP_URL: smtp.url, SMS_URL: twilio.url });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await twilio?.close();
    await smtp?.close();
  });

  async function fill(page: Page, reason: string) {
    const widget = page.locator('permanence-widget');
    await widget.locator('input[name=name]').fill('Jeanne Moreau');
    await widget.locator('input[name=phone]').fill('06 12 34 56 78');
    await widget.locator('textarea[name=reason]').fill(reason);
    await widget.locator('input[name=confirmBy][value=sms]').check();
    await widget.locator('input[name=consent]').check();
    return widget;
  }

  async function submit(page: Page) {
    const widget = page.locator('permanence-widget');
    // Past the 3 seconds under which the service takes the form for a bot's.
    await page.waitForTimeout(3_100);
    await widget.locator('[part=submit]').click();
    const reference = widget.locator('[part=reference]');
    await reference.waitFor({ timeout: 10_000 });
    return (await reference.textContent())!.trim();
  }

  it('shows the emergency numbers while the reason is typed, before anything is sent', async () => {
    const page = await browser.newPage({ locale: 'fr-FR' });
    await page.goto(`http://localhost:${stack.demoPort}/`);
    const widget = await fill(page, 'Mon père a une douleur dans la poitrine depuis une heure');
    const panel = widget.locator('[part=emergency]');
    await panel.waitFor({ timeout: 5_000 });
    const links = await panel.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(expect.arrayContaining(['tel:15', 'tel:112']));
    expect(twilio.received).toHaveLength(0);
    await page.close();
  });

  it('confirms by SMS in one segment without the reason, and answers a repeat with the same reference', async () => {
    const page = await browser.newPage({ locale: 'fr-FR' });
    await page.goto(`http://localhost:${stack.demoPort}/`);
    await fill(page, 'Renouvellement d’ordonnance');
    const ref = await submit(page);
    expect(ref).toMatch(/^CB-[A-Z0-9]{6}$/);

    const sms = await eventually(() => twilio.received.find((m) => m.body.includes(ref)));
    expect(sms.to).toBe('+33612345678');
    expect(sms.body.length).toBeLessThanOrEqual(160);
    expect(sms.body).not.toMatch(/ordonnance/i);

    // The same patient asks again from a fresh page: the request already waiting is completed, not doubled.
    await page.goto(`http://localhost:${stack.demoPort}/`);
    const widget = await fill(page, 'J’ai oublié : aussi un certificat');
    const again = await submit(page);
    expect(again).toBe(ref);
    await expect.poll(() => widget.locator('text=/déjà/').count()).toBeGreaterThan(0);
    await page.close();
  });
});
