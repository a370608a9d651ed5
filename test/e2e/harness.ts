/** Real parts for end-to-end tests: free loopback ports, an SMTP server, the whole service, Chromium. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type REQUEST_TIMEOUTS, type RunningService } from '../../service/server.js';
import { loadConfig } from '../../service/env.js';
import { createLogger } from '../../service/log.js';
import { fastPasswords } from '../service/helpers.js';
import { freePort } from '../free-port.js';

export { freePort };
export { startSmtp, startFakeTwilio, type ReceivedMail } from '../fakes.js';

export const ADMIN = { email: 'admin@permanence.test', password: 'admin-password-for-tests' };

/** The service with its demo site, as `npm start` runs it, on free ports and a fresh database file. */
export async function startStack(
  env: Record<string, string> = {},
  options: { timeouts?: typeof REQUEST_TIMEOUTS } = {},
): Promise<RunningService & { dir: string; port: number; demoPort: number }> {
  // The tests drive the bundles `npm test` builds first; they do not write into the repository themselves.
  if (!existsSync('dist/widget.js') || !existsSync('dist/console.js')) throw new Error('Build the browser bundles first: node scripts/build.js (npm test does)');
  const dir = mkdtempSync(join(tmpdir(), 'permanence-e2e-'));
  const [port, demoPort] = [await freePort(), await freePort()];
  const config = loadConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    PERMANENCE_DB: join(dir, 'permanence.db'),
    DEMO_PORT: String(demoPort),
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    ...env,
  });
  const running = await startServer(config, { log: createLogger(() => {}), passwords: fastPasswords(), ...options });
  return {
    ...running,
    dir,
    port,
    demoPort,
    async stop() {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Signs in through the API and returns the headers of an authenticated session. */
export async function apiSession(baseUrl: string, email = ADMIN.email, password = ADMIN.password): Promise<Record<string, string>> {
  const res = await fetch(`${baseUrl}/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (res.status !== 204) throw new Error(`sign-in failed: ${res.status}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const me = (await (await fetch(`${baseUrl}/v1/me`, { headers: { Cookie: cookie } })).json()) as { csrfToken: string };
  return { Cookie: cookie, 'X-CSRF-Token': me.csrfToken };
}

/** Polls `check` until it returns a value, for things that happen asynchronously (mail delivery). */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Saves a full-page screenshot as `<name>.png` in the folder `PERMANENCE_SCREENSHOTS` names, for a person to look at;
 * without it, nothing is written: a test writes only into its own temporary folder.
 */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.PERMANENCE_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** Opens the console at `baseUrl` and signs in through its form, as a person does; the caller waits for what follows. */
export async function signInThroughConsole(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/console/`);
  const form = page.locator('permanence-login');
  await form.locator('input[name=email]').fill(email);
  await form.locator('input[name=password]').fill(password);
  await form.locator('input[name=password]').press('Enter');
}

/** How wide the page's content is, in CSS pixels: wider than the viewport means a sideways scroll. */
export const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/** The id of the element focused, through shadow roots (the console's views live in them). */
export const focusedId = (page: Page) =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el?.id ?? '';
  });

/** Every text of the page, shadow roots included (the widget's and the console's texts live in them). */
export function deepText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [];
    const walk = (root: Document | ShadowRoot) => {
      parts.push((root instanceof Document ? root.body : root).textContent ?? '');
      root.querySelectorAll('*').forEach((el) => el.shadowRoot && walk(el.shadowRoot));
    };
    walk(document);
    return parts.join('\n');
  });
}

/** The number of rules of every stylesheet adopted by the page's shadow roots: 0 means the browser could not read one. */
export function styleSheetRuleCounts(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const counts: number[] = [];
    const walk = (root: Document | ShadowRoot) =>
      root.querySelectorAll('*').forEach((el) => {
        if (!el.shadowRoot) return;
        counts.push(...el.shadowRoot.adoptedStyleSheets.map((sheet) => sheet.cssRules.length));
        walk(el.shadowRoot);
      });
    walk(document);
    return counts;
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core run inside the page (WCAG 2 A and AA rules); `evaluate` is not subject to the page's CSP, a script tag would be. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] });
    return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
  });
}

/** Creates these accounts through the admin API, each holding `practices` and signing in with `password`. */
export async function createAccounts(
  baseUrl: string,
  admin: Record<string, string>,
  users: { email: string; name: string; role: string }[],
  practices: string[],
  password: string,
): Promise<void> {
  for (const user of users) {
    const res = await fetch(`${baseUrl}/v1/users`, {
      method: 'POST',
      headers: { ...admin, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...user, practices, password }),
    });
    if (res.status !== 201) throw new Error(`creating ${user.email} answered ${res.status}: ${await res.text()}`);
  }
}

/** Closes what a browser test opened: its contexts, the browser, the service. */
export async function closeAll(contexts: BrowserContext[], browser: Browser | undefined, stack: { stop(): Promise<void> } | undefined): Promise<void> {
  for (const context of contexts) await context.close();
  await browser?.close();
  await stack?.stop();
}
