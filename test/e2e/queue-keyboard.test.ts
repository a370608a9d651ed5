/**
 * The queue worked with the keyboard alone in real Chromium: three requests taken from the queue, each outcome
 * recorded by its digit and the next one taken with `n`; a closing outcome undone within 10 seconds comes back;
 * the caller's earlier request shows on the request page; search and filters on the queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ADMIN, apiSession, launchChromium, saveScreenshot, signInThroughConsole, startStack } from './harness.js';

const PASSWORD = 'operator-password-1234';
const PRACTICE = 'cabinet-clavier';
const OPERATOR = 'claire@permanence.test';

describe('the queue worked by keyboard', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  let admin: Record<string, string>;

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    admin = await apiSession(stack.url, ADMIN.email, ADMIN.password);
    // A practice of its own, so the queue holds exactly the requests of this test.
    const demo = (await (await fetch(`${stack.url}/v1/practices/cabinet-martin`, { headers: admin })).json()) as Record<string, unknown>;
    const created = await fetch(`${stack.url}/v1/practices`, {
      method: 'POST',
      headers: { ...admin, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...demo, slug: PRACTICE, name: 'Cabinet Clavier' }),
    });
    expect(created.status, await created.text()).toBe(201);
    const user = await fetch(`${stack.url}/v1/users`, {
      method: 'POST',
      headers: { ...admin, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: OPERATOR, name: 'Claire', role: 'operator', practices: [PRACTICE], password: PASSWORD }),
    });
    expect(user.status, await user.text()).toBe(201);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function ask(name: string, phone: string, reason: string): Promise<string> {
    const res = await fetch(`${stack.url}/v1/practices/${PRACTICE}/callbacks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, phone, reason, urgency: 'routine', confirmBy: 'none', consent: true, lang: 'fr' }),
    });
    expect(res.status, await res.text()).toBe(201);
    return ((await (await fetch(`${stack.url}/v1/queue?q=${encodeURIComponent(name)}`, { headers: admin })).json()) as { items: { ref: string }[] }).items[0]!.ref;
  }

  const stateOf = async (ref: string) => (await (await fetch(`${stack.url}/v1/callbacks/${ref}`, { headers: admin })).json()) as { state: string; outcome: string | null; claimedBy: number | null };

  async function signIn(page: Page): Promise<void> {
    await signInThroughConsole(page, stack.url, OPERATOR, PASSWORD);
  }

  it('takes three requests from the queue to their outcome and on to the next, and undoes one within 10 s', async () => {
    const first = await ask('Anne Keyboard', '06 11 22 33 44', 'Renouvellement d’ordonnance');
    const second = await ask('Bruno Clavier', '06 55 66 77 88', 'Question sur un résultat');
    // The same phone as the first (a family phone): the request page shows that earlier request.
    const third = await ask('Chloé Keyboard', '06 11 22 33 44', 'Certificat de sport');

    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await signIn(page);
    const queue = page.locator('permanence-queue-view');
    await queue.locator(`tr[data-ref="${third}"]`).waitFor();
    // Each row carries the number as the operator reads it.
    expect(await queue.locator(`tr[data-ref="${first}"] .phone`).textContent()).toBe('06 11 22 33 44');

    // The help panel lists the keys; Escape closes it.
    await page.keyboard.press('?');
    const help = page.locator('permanence-console dialog.shortcuts');
    await expect.poll(() => help.evaluate((d: HTMLDialogElement) => d.open)).toBe(true);
    expect(await help.textContent()).toContain('Prendre la demande');
    await page.keyboard.press('Escape');
    await expect.poll(() => help.evaluate((d: HTMLDialogElement) => d.open)).toBe(false);

    // Move to the first row, take it: the request opens, held by this operator.
    await page.keyboard.press('j');
    await page.keyboard.press('c');
    const view = page.locator('permanence-callback-view');
    const outcomes = view.locator('button[data-outcome="reached"]');
    await outcomes.waitFor();
    expect(await view.locator('h1').textContent()).toContain(first);
    await page.keyboard.press('1');
    await expect.poll(async () => (await stateOf(first)).outcome).toBe('reached');
    // The next request is offered; one key takes it.
    await view.locator('.next-offer', { hasText: second }).waitFor();
    await page.keyboard.press('n');
    await expect.poll(() => view.locator('h1').textContent()).toContain(second);
    await outcomes.waitFor();

    // A wrong number recorded by mistake, undone at once: the request is back, held by the same operator.
    await page.keyboard.press('4');
    await view.locator('.toast.undo').waitFor();
    expect(await view.locator('.toast.undo').textContent()).toContain('Annuler');
    await expect.poll(async () => (await stateOf(second)).outcome).toBe('wrong_number');
    await page.keyboard.press('u');
    await expect.poll(async () => (await stateOf(second)).state).toBe('claimed');
    await outcomes.waitFor();
    expect(await view.locator('.notices').textContent()).toContain('Résultat annulé');
    await page.keyboard.press('3');
    await expect.poll(async () => (await stateOf(second)).state).toBe('queued');

    await view.locator('.next-offer', { hasText: third }).waitFor();
    await page.keyboard.press('n');
    await expect.poll(() => view.locator('h1').textContent()).toContain(third);
    // The caller's earlier request, with its outcome in words.
    const history = view.locator('ul.caller-history li');
    await expect.poll(() => history.count()).toBe(1);
    expect(await history.first().textContent()).toContain('Patient joint');
    await outcomes.waitFor();
    await saveScreenshot(page, 'queue-request-history-1280-fr');
    await page.keyboard.press('1');
    await expect.poll(async () => (await stateOf(third)).outcome).toBe('reached');
    expect(errors).toEqual([]);

    for (const [locale, lang, width] of [['fr-FR', 'fr', 390], ['en-GB', 'en', 1280], ['en-GB', 'en', 390]] as const) {
      const other = await browser.newContext({ locale, viewport: { width, height: 900 } });
      const p = await other.newPage();
      await signIn(p);
      await p.locator('permanence-queue-view').waitFor();
      await p.goto(`${stack.url}/console/#/callback/${third}`);
      await p.locator('permanence-callback-view ul.caller-history li').waitFor();
      await saveScreenshot(p, `queue-request-history-${width}-${lang}`);
      await other.close();
    }
    await context.close();
  }, 120_000);

  it('searches by the last four digits and filters by urgency on the queue page', async () => {
    const urgent = await fetch(`${stack.url}/v1/practices/${PRACTICE}/callbacks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Denis Urgent', phone: '06 99 88 77 66', reason: 'Fièvre depuis trois jours', urgency: 'urgent', confirmBy: 'none', consent: true, lang: 'fr' }),
    });
    expect(urgent.status).toBe(201);
    await ask('Eva Routine', '06 12 12 12 12', 'Ordonnance');
    for (const [locale, lang, width] of [['fr-FR', 'fr', 1280], ['fr-FR', 'fr', 390], ['en-GB', 'en', 1280], ['en-GB', 'en', 390]] as const) {
      const context = await browser.newContext({ locale, viewport: { width, height: 900 } });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      await signIn(page);
      const queue = page.locator('permanence-queue-view');
      await queue.locator('tbody tr').first().waitFor();
      await queue.locator('#search').fill('7766');
      await expect.poll(() => queue.locator('tbody tr').count()).toBe(1);
      expect(await queue.locator('tbody tr .who').textContent()).toBe('Denis Urgent');
      await queue.locator('#search').fill('');
      await queue.locator('#urgency').selectOption('routine');
      await expect.poll(() => queue.locator('tbody tr .who').allTextContents()).toContain('Eva Routine');
      expect(await queue.locator('tbody tr .who').allTextContents()).not.toContain('Denis Urgent');
      await queue.locator('#state').selectOption('all');
      await expect.poll(() => queue.locator('tbody tr').count()).toBeGreaterThan(1);
      await queue.locator('#search').fill('keyboard');
      await expect.poll(() => queue.locator('tbody tr').count()).toBe(2);
      await saveScreenshot(page, `queue-search-${width}-${lang}`);
      await context.close();
    }
  }, 120_000);
});
