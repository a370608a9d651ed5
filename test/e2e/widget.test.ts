/**
 * The widget as practice sites get it, in Chromium against the real service: the first screen on a phone with the
 * call-back action in it, the form coming after without a jump, compressed bundles, and what a webmaster is told in
 * the console when the snippet is wrong (no practice, an unknown one, a site not allowed, a chunk that cannot load).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { accessibilityViolations, closeAll, launchChromium, saveScreenshot, startStack } from './harness.js';

const LANGS = [
  { lang: 'fr', locale: 'fr-FR', action: 'Être rappelé' },
  { lang: 'en', locale: 'en-GB', action: 'Ask to be called back' },
] as const;

/**
 * Notes when the status line first shows, and the page's layout shifts (as Chrome's Cumulative Layout Shift counts
 * them, leaving out those after input): `__shiftsAfterFirstScreen` adds up those that came after the first screen's frame.
 */
const WATCH_LAYOUT_SHIFTS = `(() => {
  const shifts = [];
  let statusAt = Infinity;
  new PerformanceObserver((list) => shifts.push(...list.getEntries().filter((e) => !e.hadRecentInput))).observe({ type: 'layout-shift', buffered: true });
  const tick = () => {
    const status = document.querySelector('permanence-widget')?.shadowRoot?.querySelector('permanence-hours-panel')?.shadowRoot?.querySelector('[part=status]');
    // The frame after the one that drew it: the first screen itself moves what the page had below its fallback.
    if (status?.textContent.trim()) requestAnimationFrame(() => (statusAt = performance.now()));
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  window.__shiftsAfterFirstScreen = () => shifts.filter((e) => e.startTime > statusAt).reduce((sum, e) => sum + e.value, 0);
})();`;

describe('the widget on a practice’s site', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let demo = '';
  /** Another practice's site, on an origin no practice allows, serving `pages` by path under the strict CSP of SPEC. */
  let elsewhere: Server;
  let elsewhereUrl = '';
  const pages = new Map<string, string>();

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    demo = `http://localhost:${stack.demoPort}`;
    elsewhere = createServer((req, res) => {
      const body = pages.get(req.url ?? '');
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': `default-src 'self'; script-src 'self' ${stack.url}; connect-src ${stack.url}; style-src 'self'`,
      });
      res.end(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Un autre site</title><script type="module" src="${stack.url}/widget.js"></script></head><body><main><h1>Un autre site</h1>${body}</main></body></html>`);
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as { port: number }).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => elsewhere?.close(resolve));
    await closeAll(contexts, browser, stack);
  });

  /** A fresh page at `width` px; with `lang`, the demo page reads as written in it (its `<html lang>` set before the widget loads). */
  async function open(locale: string, width: number, height = width === 390 ? 844 : 900, lang?: string): Promise<{ page: Page; console: string[] }> {
    const context = await browser.newContext({ locale, viewport: { width, height }, timezoneId: 'Europe/Paris' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const console: string[] = [];
    page.on('console', (message) => message.type() === 'error' && console.push(message.text()));
    await page.addInitScript(WATCH_LAYOUT_SHIFTS);
    if (lang) await page.addInitScript((code) => document.addEventListener('readystatechange', () => document.documentElement.setAttribute('lang', code), { once: true }), lang);
    return { page, console };
  }

  for (const { lang, locale, action } of LANGS) {
    it(`shows the call-back action in a phone's first screen and takes the patient to the form (${lang})`, async () => {
      const { page, console } = await open(locale, 390, 844, lang);
      await page.goto(`${demo}/`);
      const button = page.locator('permanence-widget [part=callback-action]');
      await button.waitFor();
      expect((await button.textContent())!.trim()).toBe(action);
      const box = (await button.boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(844);
      await saveScreenshot(page, `widget-${lang}-390-first-screen`);
      await button.click();
      const title = page.locator('permanence-widget permanence-callback-form #form-title');
      await expect.poll(() => title.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true);
      const titleBox = (await title.boundingBox())!;
      expect(titleBox.y).toBeGreaterThanOrEqual(0);
      expect(titleBox.y).toBeLessThan(844);
      expect(console).toEqual([]);
    });

    for (const width of [390, 1280] as const) {
      it(`draws the form after the first screen without anything jumping, and passes axe (${lang}, ${width} px)`, async () => {
        const { page } = await open(locale, width, undefined, lang);
        await page.goto(`${demo}/`);
        await page.locator('permanence-widget input[name=name]').waitFor();
        await page.waitForTimeout(300);
        const shifts = await page.evaluate(() => (window as unknown as { __shiftsAfterFirstScreen(): number }).__shiftsAfterFirstScreen());
        expect(shifts).toBe(0);
        expect(await accessibilityViolations(page)).toEqual([]);
        await saveScreenshot(page, `widget-${lang}-${width}`);
      });
    }
  }

  it('serves widget.js and its chunks compressed as asked, chunks cached for a year', async () => {
    const br = await fetch(`${stack.url}/widget.js`, { headers: { 'Accept-Encoding': 'br' } });
    const gzip = await fetch(`${stack.url}/widget.js`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect([br.headers.get('content-encoding'), gzip.headers.get('content-encoding')]).toEqual(['br', 'gzip']);
    expect(br.headers.get('etag')).not.toBe(gzip.headers.get('etag'));
    const chunk = /import\("\.\/(widget\/form-[A-Z0-9]+\.js)"\)/.exec(await br.text())![1];
    const res = await fetch(`${stack.url}/${chunk}`, { headers: { 'Accept-Encoding': 'br, gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  });

  it('shows the fallback phone and says the form is unavailable when the form’s chunk cannot load', async () => {
    const { page, console } = await open('fr-FR', 390);
    await page.route(/\/widget\/form-[A-Z0-9]+\.js$/, (route) => route.abort());
    const errors: string[] = [];
    await page.exposeFunction('reportWidgetError', (code: string) => errors.push(code));
    await page.addInitScript(() => document.addEventListener('permanence-error', (e) => (window as unknown as { reportWidgetError(c: string): void }).reportWidgetError((e as CustomEvent).detail.code)));
    await page.goto(`${demo}/`);
    const notice = page.locator('permanence-widget [part=notice]');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('indisponible');
    expect(await page.locator('permanence-widget .header a').getAttribute('href')).toBe('tel:+33142000000');
    await expect.poll(() => errors).toContain('form_unavailable');
    await expect.poll(() => console.join('\n')).toContain('Content-Security-Policy');
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('tells the webmaster of a site not allowed which origin to add, the patient seeing the fallback phone', async () => {
    const { page, console } = await open('fr-FR', 1280);
    pages.set('/contact', '<permanence-widget practice="cabinet-martin"><a href="tel:+33142000000">01 42 00 00 00</a></permanence-widget>');
    await page.goto(`${elsewhereUrl}/contact`);
    await page.locator('permanence-widget [part=notice]').waitFor();
    await expect.poll(() => console.join('\n')).toContain(`Ajoutez ${elsewhereUrl} aux «\u00a0Sites autorisés\u00a0»`);
    expect(await page.locator('permanence-widget > a').isVisible()).toBe(true);
    // What the page itself can read of the refusal: the service names the origin too.
    const refusal = await page.evaluate(async (url) => (await fetch(url)).json(), `${stack.url}/v1/practices/cabinet-martin/widget`);
    expect(refusal.error).toMatchObject({ code: 'origin_not_allowed', message: expect.stringContaining(elsewhereUrl) });
  });

  it('tells the webmaster of a missing practice attribute, an unknown practice and a site not allowed, each widget on its own, axe finding nothing', async () => {
    const { page, console } = await open('en-GB', 1280);
    pages.set(
      '/three',
      ['<permanence-widget lang="en">', '<permanence-widget practice="cabinet-martn" lang="en">', '<permanence-widget practice="cabinet-martin" lang="en">']
        .map((tag) => `${tag}<a href="tel:+33142000000">01 42 00 00 00</a></permanence-widget>`)
        .join(''),
    );
    await page.goto(`${elsewhereUrl}/three`);
    await expect.poll(() => page.locator('permanence-widget [part=notice]').count()).toBe(3);
    await expect.poll(() => console.join('\n')).toContain('has no practice attribute');
    await expect.poll(() => console.join('\n')).toContain('has no practice "cabinet-martn"');
    await expect.poll(() => console.join('\n')).toContain(`this website (${elsewhereUrl}) is not allowed`);
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});
