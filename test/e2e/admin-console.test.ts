/**
 * The admins' console pages for what went wrong and for patients' rights, in real Chromium against the whole service
 * and a local SMTP server: a confirmation the server refused for good is retried from the console, fails again, then
 * goes once the server accepts it; a patient's data is exported as a JSON file, then erased after the confirmation step.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { accessibilityViolations, ADMIN, apiSession, closeAll, eventually, launchChromium, pageWidth, saveScreenshot, signInThroughConsole, startSmtp, startStack } from './harness.js';

const PRACTICE = 'cabinet-martin';

/** Collects what the page reports as errors, CSP refusals among them. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
  page.on('pageerror', (err) => problems.push(err.message));
  return problems;
}

/** The element focused inside a view's shadow root, by id. */
const focusedId = (view: Locator) => view.evaluate((el) => el.shadowRoot?.activeElement?.id ?? '');

describe('the admins’ console pages', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  let admin: Record<string, string>;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    smtp = await startSmtp();
    stack = await startStack({ SMTP_URL: smtp.url });
    browser = await launchChromium();
    admin = await apiSession(stack.url);
  });

  afterAll(async () => {
    await closeAll(contexts, browser, stack);
    await smtp?.close();
  });

  async function signedIn(locale: string): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 860 }, acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const problems = watch(page);
    await signInThroughConsole(page, stack.url, ADMIN.email, ADMIN.password);
    await page.locator('permanence-queue-view h1').waitFor();
    return { page, problems };
  }

  async function request(body: Record<string, unknown>): Promise<string> {
    const res = await fetch(`${stack.url}/v1/practices/${PRACTICE}/callbacks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ reason: 'Renouvellement d’ordonnance', urgency: 'routine', consent: true, lang: 'fr', ...body }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { ref: string }).ref;
  }

  const exportOf = async (body: Record<string, string>) =>
    (await (await fetch(`${stack.url}/v1/patients/export`, { method: 'POST', headers: { ...admin, 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json()) as {
      requests: { ref: string; name: string }[];
    };

  it('lets an admin retry a message the mail server refused: it fails again, then goes once the server accepts it', async () => {
    await request({ name: 'Camille Durand', phone: '06 12 34 56 78', email: 'camille@refuse.example', confirmBy: 'email' });
    // Refused for good (550): dead at the first try.
    const dead = await eventually(async () => {
      const list = (await (await fetch(`${stack.url}/v1/outbox?state=dead`, { headers: admin })).json()) as { items: { id: number; recipient: string }[] };
      return list.items.find((m) => m.recipient === 'camille@refuse.example');
    });

    const { page, problems } = await signedIn('fr-FR');
    await page.locator('permanence-console nav a[href="#/outbox"]').click();
    const view = page.locator('permanence-outbox-view');
    const row = view.locator(`tr[data-id="${dead.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('confirmation au patient');
    expect(await row.locator('td.error-text').textContent()).toContain('550');
    await saveScreenshot(page, 'outbox-fr-1280');

    // The button is unavailable while the try is under way (held here until the test lets it go).
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let continued: Promise<void> | undefined;
    await page.route('**/v1/outbox/*/retry', (route) => (continued = held.then(() => route.continue())));
    const retry = row.locator('button.retry');
    expect(await retry.getAttribute('aria-label')).toBe('Réessayer maintenant\u00a0: E-mail à camille@refuse.example');
    await retry.click();
    await expect.poll(() => retry.getAttribute('aria-disabled')).toBe('true');
    expect((await retry.textContent())!.trim()).toBe('Envoi…');
    release();
    await continued;
    await page.unroute('**/v1/outbox/*/retry');
    const outcome = view.locator('#retry-outcome');
    await expect.poll(() => outcome.textContent()).toContain('Nouvel échec de l’envoi à camille@refuse.example\u00a0: smtp: EENVELOPE 550. Le message reste non remis.');
    expect(await outcome.getAttribute('aria-live')).toBe('polite');
    await expect.poll(() => retry.getAttribute('aria-disabled')).toBe('false');
    await expect.poll(() => row.locator('td').nth(3).textContent()).toBe('2');
    await page.setViewportSize({ width: 390, height: 860 });
    await expect.poll(() => pageWidth(page)).toBeLessThanOrEqual(390);
    await saveScreenshot(page, 'outbox-failed-fr-390');
    await page.setViewportSize({ width: 1280, height: 860 });

    // The server now takes it: sent, and gone from the list.
    smtp.refusedDomains.delete('refuse.example');
    await retry.click();
    await expect.poll(() => outcome.textContent()).toContain('Message envoyé à camille@refuse.example.');
    await expect.poll(() => row.count()).toBe(0);
    await expect.poll(() => view.evaluate((el) => el.shadowRoot?.activeElement?.tagName)).toBe('H1');
    expect(smtp.mails.map((m) => m.to)).toContainEqual(['camille@refuse.example']);
    await saveScreenshot(page, 'outbox-sent-fr-1280');
    await page.setViewportSize({ width: 390, height: 860 });
    await expect.poll(() => pageWidth(page)).toBeLessThanOrEqual(390);
    await saveScreenshot(page, 'outbox-sent-fr-390');

    // Audited with the message's id and what came of each try; the address stays out of the log.
    const audit = (await (await fetch(`${stack.url}/v1/audit?action=outbox_retry`, { headers: admin })).json()) as { items: { target: string; details: object }[] };
    expect(audit.items.map((e) => [e.target, e.details])).toEqual([
      [String(dead.id), { delivery: 'sent', messageState: 'sent' }],
      [String(dead.id), { delivery: 'failed', messageState: 'dead' }],
    ]);
    expect(JSON.stringify(audit)).not.toContain('refuse.example');

    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems.filter((p) => /Content Security Policy|Refused|Error/i.test(p) && !/40[19]/.test(p))).toEqual([]);
  }, 60_000);

  it('lets an admin export a patient’s data as a JSON file, then erase it after typing the number again', async () => {
    const camille = await request({ name: 'Camille Martin', phone: '06 55 44 33 22', confirmBy: 'none' });
    // Another person on the same family phone is the same patient for erasure: the number is what was asked for.
    const jules = await request({ name: 'Jules Martin', phone: '06 55 44 33 22', confirmBy: 'none' });
    const other = await request({ name: 'Léa Moreau', phone: '06 11 22 33 44', confirmBy: 'none' });

    const { page, problems } = await signedIn('fr-FR');
    await page.locator('permanence-console nav a[href="#/patients"]').click();
    const view = page.locator('permanence-patients-view');
    await expect.poll(() => view.locator('h1').textContent()).toBe('Données d’un patient');
    // After the count of open requests the console keeps in every page's title.
    await expect.poll(() => page.title()).toMatch(/^\(\d+\) Données patient · Permanence · console$/);
    await view.locator('#patient').fill('06 55 44 33 22');
    await saveScreenshot(page, 'patient-fr-1280');

    // Export: a file named for the day, holding both requests.
    const exportButton = view.locator('form.lookup button[type=submit]');
    expect((await exportButton.textContent())!.trim()).toBe('Exporter (JSON)');
    const [download] = await Promise.all([page.waitForEvent('download'), exportButton.click()]);
    expect(download.suggestedFilename()).toMatch(/^patient-\d{4}-\d{2}-\d{2}\.json$/);
    const record = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { requests: { ref: string; name: string; phone: string }[] };
    expect(record.requests.map((r) => [r.ref, r.name, r.phone]).sort()).toEqual(
      [
        [camille, 'Camille Martin', '+33655443322'],
        [jules, 'Jules Martin', '+33655443322'],
      ].sort(),
    );
    await expect.poll(() => view.locator('#patient-outcome').textContent()).toContain(`Fichier ${download.suggestedFilename()} téléchargé\u00a0: 2 demandes.`);

    // The confirmation step says what goes, takes the focus, and Escape leaves everything as it was.
    const eraseButton = view.locator('#erase-open');
    await eraseButton.click();
    const dialog = view.locator('dialog');
    await expect.poll(() => dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
    expect(await dialog.locator('#erase-what').textContent()).toBe(
      'Toutes les demandes de ce patient, dans tous les cabinets, leurs appels et messages, et ce qui lui a été envoyé. Irréversible.',
    );
    expect(await focusedId(view)).toBe('confirm');
    await saveScreenshot(page, 'patient-confirm-fr-1280');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);
    expect(await focusedId(view)).toBe('erase-open');
    expect((await exportOf({ phone: '06 55 44 33 22' })).requests).toHaveLength(2);

    // Another number typed in the confirmation: refused, nothing erased.
    await eraseButton.click();
    await view.locator('#confirm').fill('06 55 44 33 23');
    await view.locator('#confirm').press('Enter');
    await expect.poll(() => view.locator('#confirm-error').textContent()).toBe('Ce n’est pas le même numéro ou la même adresse\u00a0: rien n’a été effacé.');
    expect(await view.locator('#confirm').getAttribute('aria-invalid')).toBe('true');
    expect((await exportOf({ phone: '06 55 44 33 22' })).requests).toHaveLength(2);

    // The same number, written another way: erased.
    await view.locator('#confirm').fill('+33 6 55 44 33 22');
    await view.locator('button', { hasText: 'Effacer définitivement' }).click();
    await expect.poll(() => view.locator('#patient-outcome').textContent()).toContain('2 demandes effacées.');
    expect(await dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);
    expect(await focusedId(view)).toBe('erase-open');
    expect((await exportOf({ phone: '06 55 44 33 22' })).requests).toEqual([]);
    expect((await exportOf({ phone: '06 11 22 33 44' })).requests.map((r) => r.ref)).toEqual([other]);
    await saveScreenshot(page, 'patient-erased-fr-1280');

    // A number that is none: said under the field, in words.
    await view.locator('#patient').fill('06 12');
    await exportButton.click();
    await expect.poll(() => view.locator('#patient-error').textContent()).toBe('Ce numéro de téléphone n’est pas valide.');
    expect(await focusedId(view)).toBe('patient');

    expect(await accessibilityViolations(page)).toEqual([]);

    // A phone's width: nothing wider than the screen, the form or its confirmation.
    await page.setViewportSize({ width: 390, height: 860 });
    await view.locator('#patient').fill('06 11 22 33 44');
    await expect.poll(() => pageWidth(page)).toBeLessThanOrEqual(390);
    await saveScreenshot(page, 'patient-fr-390');
    await eraseButton.click();
    await expect.poll(() => focusedId(view)).toBe('confirm');
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    const box = (await dialog.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await saveScreenshot(page, 'patient-confirm-fr-390');
    expect(await accessibilityViolations(page)).toEqual([]);
    await view.locator('button', { hasText: 'Annuler' }).click();
    expect((await exportOf({ phone: '06 11 22 33 44' })).requests).toHaveLength(1);

    // Each erasure and export audited, never with whose data.
    const audit = (await (await fetch(`${stack.url}/v1/audit?limit=50`, { headers: admin })).json()) as { items: { action: string }[] };
    expect(audit.items.filter((e) => e.action === 'erase')).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toMatch(/655443322|Camille Martin/);
    expect(problems.filter((p) => /Content Security Policy|Refused|Error/i.test(p) && !/40[019]/.test(p))).toEqual([]);
  }, 60_000);

  it('reads the same in English, at 1280 and 390 px, by email address', async () => {
    await request({ name: 'Nina Weber', phone: '06 77 88 99 00', email: 'nina.weber@example.org', confirmBy: 'email' });
    const { page, problems } = await signedIn('en-GB');
    await page.locator('permanence-console nav a[href="#/patients"]').click();
    const view = page.locator('permanence-patients-view');
    await expect.poll(() => view.locator('h1').textContent()).toBe('A patient’s data');
    await view.locator('input[name=by][value=email]').check();
    expect(await view.locator('label[for=patient]').textContent()).toBe('Email address');
    await view.locator('#patient').fill('Nina.Weber@example.org');
    const [download] = await Promise.all([page.waitForEvent('download'), view.locator('form.lookup button[type=submit]').click()]);
    const record = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { requests: unknown[]; messagesSent: { purpose: string }[] };
    expect([record.requests.length, record.messagesSent.map((m) => m.purpose)]).toEqual([1, ['confirmation']]);
    await expect.poll(() => view.locator('#patient-outcome').textContent()).toContain(`File ${download.suggestedFilename()} downloaded: 1 request.`);
    await saveScreenshot(page, 'patient-en-1280');
    await view.locator('#erase-open').click();
    expect(await view.locator('label[for=confirm]').textContent()).toBe('Type the address again to confirm');
    await saveScreenshot(page, 'patient-confirm-en-1280');
    await view.locator('#confirm').fill('nina.weber@example.org');
    await view.locator('#confirm').press('Enter');
    await expect.poll(() => view.locator('#patient-outcome').textContent()).toContain('1 request erased.');

    await page.setViewportSize({ width: 390, height: 860 });
    await view.locator('#patient').fill('nina.weber@example.org');
    await expect.poll(() => pageWidth(page)).toBeLessThanOrEqual(390);
    await saveScreenshot(page, 'patient-en-390');
    await view.locator('#erase-open').click();
    await expect.poll(() => focusedId(view)).toBe('confirm');
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await saveScreenshot(page, 'patient-confirm-en-390');
    await page.keyboard.press('Escape');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems.filter((p) => /Content Security Policy|Refused|Error/i.test(p) && !/40[019]/.test(p))).toEqual([]);
  }, 60_000);
});
