/**
 * The console's alerts in real Chromium against the whole service: a request arriving makes a console in a background
 * tab count it in its title, beep and show a desktop notification; a red flag does so again every 20 seconds until
 * another operator takes it. The browser's `Notification` is replaced by a recorder and Web Audio's oscillators are
 * watched, so the test reads what fired through the page; a background tab is emulated (hidden, not focused).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { accessibilityViolations, ADMIN, apiSession, closeAll, createAccounts, launchChromium, pageWidth, saveScreenshot, signInThroughConsole, startStack } from './harness.js';

const PASSWORD = 'operator-password-1234';
const PRACTICE = 'cabinet-martin';
const PRACTICE_NAME = 'Cabinet du Dr Martin';

/** What the page's alerts did, as the recorder below writes it. */
interface AlertRecord {
  notifications: { title: string; body: string; tag: string; requireInteraction: boolean; renotify: boolean }[];
  closed: string[];
  permissionRequests: number;
  beeps: number[];
}

/**
 * Runs before the console's script: `Notification` answers with the permission given (or granted since) and records every notification
 * (kept in `__notifications` to be clicked), and every oscillator started is recorded with its frequency. Plain
 * JavaScript in a string, so nothing the test's compiler adds reaches the page.
 */
const recorder = (permission: NotificationPermission) => `
  const record = { notifications: [], closed: [], permissionRequests: 0, beeps: [] };
  window.__alerts = record;
  window.__notifications = [];
  class RecordingNotification {
    // Kept over a reload, as a browser keeps what the user answered.
    static permission = sessionStorage.getItem('test-permission') ?? ${JSON.stringify(permission)};
    static requestPermission() {
      record.permissionRequests++;
      RecordingNotification.permission = 'granted';
      sessionStorage.setItem('test-permission', 'granted');
      return Promise.resolve('granted');
    }
    constructor(title, options = {}) {
      this.tag = options.tag;
      this.onclick = null;
      record.notifications.push({ title, body: options.body, tag: options.tag, requireInteraction: !!options.requireInteraction, renotify: !!options.renotify });
      window.__notifications.push(this);
    }
    close() {
      record.closed.push(this.tag);
    }
  }
  Object.defineProperty(window, 'Notification', { configurable: true, writable: true, value: RecordingNotification });
  const createOscillator = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function () {
    const oscillator = createOscillator.call(this);
    const start = oscillator.start;
    oscillator.start = function (...args) {
      record.beeps.push(oscillator.frequency.value);
      return start.apply(this, args);
    };
    return oscillator;
  };
`;

const alertsOf = (page: Page) => page.evaluate(() => (window as unknown as { __alerts: AlertRecord }).__alerts);

/** What a browser says of a tab left in the background: hidden, and without the focus. */
function sendToBackground(page: Page): Promise<void> {
  return page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.hasFocus = () => false;
    document.dispatchEvent(new Event('visibilitychange'));
  });
}

/** Collects what the page reports as errors, CSP refusals among them. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
  page.on('pageerror', (err) => problems.push(err.message));
  return problems;
}

describe('the console’s alerts', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let phones = 0;

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    const admin = await apiSession(stack.url, ADMIN.email, ADMIN.password);
    await createAccounts(
      stack.url,
      admin,
      [
        { email: 'alice@permanence.test', name: 'Alice Opératrice', role: 'operator' },
        { email: 'bob@permanence.test', name: 'Bob Operator', role: 'operator' },
      ],
      [PRACTICE],
      PASSWORD,
    );
  });

  afterAll(async () => {
    await closeAll(contexts, browser, stack);
  });

  /** Alice's console, signed in through the form, the stream open, with the recorder installed. */
  async function aliceConsole(locale: string, permission: NotificationPermission, options: { clock?: boolean } = {}) {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 860 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const problems = watch(page);
    await page.addInitScript({ content: recorder(permission) });
    if (options.clock) await page.clock.install();
    await signInThroughConsole(page, stack.url, 'alice@permanence.test', PASSWORD);
    await page.locator('permanence-queue-view h1').waitFor();
    await expect.poll(() => page.locator('permanence-console header [role=status]').textContent()).toMatch(/direct|Live/);
    return { page, problems };
  }

  /** A request from the practice's website, each from its own phone so that none is taken for a repeat of another. */
  async function request(reason: string): Promise<{ ref: string; answeredAt: number }> {
    const phone = `06 12 00 00 ${String(10 + phones++).padStart(2, '0')}`;
    const res = await fetch(`${stack.url}/v1/practices/${PRACTICE}/callbacks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Jean Petit', phone, reason, urgency: 'routine', confirmBy: 'none', consent: true, lang: 'fr' }),
    });
    const answeredAt = Date.now();
    expect(res.status, await res.clone().text()).toBe(201);
    return { ref: ((await res.json()) as { ref: string }).ref, answeredAt };
  }

  it('makes a background console count a red flag in its title and alert within a second, again every 20 s until another operator takes it', async () => {
    const { page, problems } = await aliceConsole('fr-FR', 'granted', { clock: true });
    expect(await page.title()).toBe('File d’attente · Permanence · console');
    await sendToBackground(page);

    const { ref, answeredAt } = await request('douleur thoracique depuis ce matin');
    const left = 1_000 - (Date.now() - answeredAt);
    await expect
      .poll(async () => ({ title: await page.title(), notifications: (await alertsOf(page)).notifications.length, beeps: (await alertsOf(page)).beeps.length }), { timeout: left, interval: 25 })
      .toEqual({ title: '⚠ (1) File d’attente · Permanence · console', notifications: 1, beeps: 4 });
    console.info(`red flag alerted ${Date.now() - answeredAt} ms after the request was answered`);

    const first = (await alertsOf(page)).notifications[0]!;
    expect(first).toEqual({ title: 'Nouvelle demande urgente', body: `${PRACTICE_NAME} · urgence vitale possible`, tag: `permanence-${ref}`, requireInteraction: true, renotify: true });
    // Nothing of the reason nor of the patient: a notification can show on a locked screen.
    expect(JSON.stringify(first)).not.toMatch(/douleur|thoracique|Jean|Petit/);
    await expect.poll(() => page.locator('permanence-console #announcer').textContent()).toBe(`Nouvelle demande urgente ${ref} · ${PRACTICE_NAME}`);

    // Nobody takes it: it comes back, sound and notification, every 20 seconds.
    for (const times of [2, 3]) {
      await page.clock.fastForward(20_000);
      await expect.poll(async () => (await alertsOf(page)).notifications.length).toBe(times);
      await expect.poll(async () => (await alertsOf(page)).beeps.length).toBe(4 * times);
    }
    expect((await alertsOf(page)).notifications.at(-1)).toEqual({ ...first, title: 'Demande urgente toujours en attente' });

    // Clicking the notification opens the request; the title keeps counting on another page.
    await page.evaluate(() => (window as unknown as { __notifications: { onclick: () => void }[] }).__notifications.at(-1)!.onclick());
    await expect.poll(() => page.url()).toContain(`#/callback/${ref}`);
    await expect.poll(() => page.title()).toBe('⚠ (1) Permanence · console');

    // Bob takes it from his own console: Alice's alerts stop and the notification left on screen closes.
    const bob = await apiSession(stack.url, 'bob@permanence.test', PASSWORD);
    expect((await fetch(`${stack.url}/v1/callbacks/${ref}/claim`, { method: 'POST', headers: bob })).status).toBe(200);
    await expect.poll(() => page.title()).toBe('(1) Permanence · console');
    expect((await alertsOf(page)).closed).toContain(`permanence-${ref}`);
    const before = await alertsOf(page);
    await page.clock.fastForward(20_000);
    await page.clock.fastForward(20_000);
    const after = await alertsOf(page);
    expect([after.notifications.length, after.beeps.length]).toEqual([before.notifications.length, before.beeps.length]);
    expect(problems.filter((p) => /Content Security Policy|Refused|Error/i.test(p))).toEqual([]);
  }, 60_000);

  it('asks for the notification permission only once “Turn on alerts” is clicked, notifies only a console out of sight, and keeps a sound turned off silent', async () => {
    const { page, problems } = await aliceConsole('en-GB', 'default');
    const settings = page.locator('permanence-alert-settings');
    const enable = settings.getByRole('button', { name: 'Turn on alerts' });
    await enable.waitFor();
    expect((await alertsOf(page)).permissionRequests).toBe(0);

    await enable.click();
    await expect.poll(async () => (await alertsOf(page)).permissionRequests).toBe(1);
    await expect.poll(() => enable.count()).toBe(0);
    // The keyboard goes on from the switches that replace the button.
    await expect.poll(() => settings.evaluate((el) => el.shadowRoot?.activeElement?.getAttribute('name'))).toBe('sound');
    expect(await settings.getByRole('checkbox', { name: 'Sound' }).isChecked()).toBe(true);
    expect(await settings.getByRole('checkbox', { name: 'Notifications' }).isChecked()).toBe(true);
    // The operator hears what the alert sounds like.
    await expect.poll(async () => (await alertsOf(page)).beeps).toEqual([660, 880]);

    // In front of the console: the sound and the announcement, no desktop notification.
    await page.evaluate(() => (document.hasFocus = () => true));
    const openBefore = ((await (await fetch(`${stack.url}/v1/queue?state=open`, { headers: await apiSession(stack.url) })).json()) as { items: unknown[] }).items.length;
    const seen = await request('Renouvellement d’ordonnance');
    await expect.poll(() => page.locator('permanence-console #announcer').textContent()).toBe(`New request ${seen.ref} for ${PRACTICE_NAME}`);
    expect((await alertsOf(page)).beeps).toEqual([660, 880, 660, 880]);
    expect((await alertsOf(page)).notifications).toEqual([]);
    await expect.poll(() => page.title()).toBe(`(${openBefore + 1}) Queue · Permanence · console`);

    // Sound off, remembered; the console out of sight gets a notification and stays silent.
    await settings.getByRole('checkbox', { name: 'Sound' }).uncheck();
    expect(await page.evaluate(() => localStorage.getItem('permanence-console-alerts'))).toBe('{"sound":false,"notifications":true}');
    await sendToBackground(page);
    const unseen = await request('Résultats d’analyse');
    await expect.poll(async () => (await alertsOf(page)).notifications).toEqual([
      { title: 'New request', body: `${PRACTICE_NAME} · Routine`, tag: `permanence-${unseen.ref}`, requireInteraction: false, renotify: true },
    ]);
    expect((await alertsOf(page)).beeps).toEqual([660, 880, 660, 880]);
    await expect.poll(() => page.title()).toBe(`(${openBefore + 2}) Queue · Permanence · console`);

    await page.reload();
    await page.locator('permanence-queue-view h1').waitFor();
    expect(await settings.getByRole('checkbox', { name: 'Sound' }).isChecked()).toBe(false);
    expect(await settings.getByRole('checkbox', { name: 'Notifications' }).isChecked()).toBe(true);
    expect((await alertsOf(page)).permissionRequests).toBe(0);
    expect(problems.filter((p) => /Content Security Policy|Refused|Error/i.test(p))).toEqual([]);
  }, 60_000);

  it('shows the alert settings readably in French and English, at 1280 and 390 px, without an accessibility violation', async () => {
    for (const [locale, lang] of [
      ['fr-FR', 'fr'],
      ['en-GB', 'en'],
    ] as const) {
      const { page } = await aliceConsole(locale, 'default');
      const enable = page.locator('permanence-alert-settings button');
      await enable.waitFor();
      for (const state of ['off', 'on'] as const) {
        if (state === 'on') {
          await enable.click();
          await expect.poll(() => enable.count()).toBe(0);
        }
        for (const width of [1280, 390]) {
          await page.setViewportSize({ width, height: 860 });
          await saveScreenshot(page, `alerts-queue-${lang}-${state}-${width}`);
          await expect.poll(() => pageWidth(page), { message: `page width at ${width} px` }).toBeLessThanOrEqual(width);
        }
        expect(await accessibilityViolations(page)).toEqual([]);
        await page.setViewportSize({ width: 1280, height: 860 });
      }
    }
    // Refused in the browser: said in words, the switch greyed out.
    const { page } = await aliceConsole('en-GB', 'denied');
    const settings = page.locator('permanence-alert-settings');
    await expect.poll(() => settings.locator('.hint').textContent()).toBe('The browser blocks the console’s notifications: allow them in the site settings.');
    expect(await settings.getByRole('checkbox', { name: 'Notifications' }).isDisabled()).toBe(true);
    await page.setViewportSize({ width: 390, height: 860 });
    await saveScreenshot(page, 'alerts-queue-en-denied-390');
    expect(await accessibilityViolations(page)).toEqual([]);
  }, 60_000);
});
