/**
 * A practice's consignes for operators, in real Chromium against the whole service: an admin edits them with a live
 * preview, an operator sees them beside the request with the practice's status and today's hours and takes a message,
 * and the practitioner sees on that message the consignes in force when it was taken. The patient's widget never shows them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { accessibilityViolations, ADMIN, apiSession, closeAll, createAccounts, deepText, launchChromium, saveScreenshot, signInThroughConsole, startStack } from './harness.js';
import { demoPractice } from '../../demo/seed.js';

const PASSWORD = 'operator-password-1234';
const PRACTICE = 'cabinet-martin';
const OPERATOR = 'olive@permanence.test';
const DOCTOR = 'dr.martin@permanence.test';
/** What the admin writes; found again beside the request and on the message, never in the widget. */
const CONSIGNE = 'Renouvellement : prendre un message, jamais de rendez-vous (consigne 4417).';

/** Saves a screenshot of one element, when `PERMANENCE_SCREENSHOTS` names a folder (as saveScreenshot does for pages). */
async function saveElementScreenshot(element: Locator, name: string): Promise<void> {
  const dir = process.env.PERMANENCE_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await element.screenshot({ path: join(dir, `${name}.png`) });
}

describe('operator instructions (consignes)', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    const admin = await apiSession(stack.url, ADMIN.email, ADMIN.password);
    await createAccounts(
      stack.url,
      admin,
      [
        { email: OPERATOR, name: 'Olive Opératrice', role: 'operator' },
        { email: DOCTOR, name: 'Dr Martin', role: 'practitioner' },
      ],
      [PRACTICE],
      PASSWORD,
    );
  });

  afterAll(async () => {
    await closeAll(contexts, browser, stack);
  });

  async function newPage(locale: string, width = 1280, timezoneId?: string): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ locale, viewport: { width, height: width < 600 ? 844 : 860 }, ...(timezoneId ? { timezoneId } : {}) });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const problems: string[] = [];
    page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
    page.on('pageerror', (err) => problems.push(err.message));
    return { page, problems };
  }

  async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
    await signInThroughConsole(page, stack.url, email, password);
    await page.locator('permanence-console nav').waitFor();
  }

  async function newRequest(name: string, phone: string): Promise<string> {
    const res = await fetch(`${stack.url}/v1/practices/${PRACTICE}/callbacks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, phone, reason: 'Renouvellement d’ordonnance de Ventoline', urgency: 'routine', confirmBy: 'none', consent: true, lang: 'fr' }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { ref: string }).ref;
  }

  /** Replaces the practice's consignes through the API, as an admin would. */
  async function putConsignes(operatorInstructions: { fr?: string; en?: string }): Promise<void> {
    const admin = await apiSession(stack.url);
    const { operators: _operators, ...record } = (await (await fetch(`${stack.url}/v1/practices/${PRACTICE}`, { headers: admin })).json()) as Record<string, unknown>;
    const res = await fetch(`${stack.url}/v1/practices/${PRACTICE}`, {
      method: 'PUT',
      headers: { ...admin, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...record, operatorInstructions }),
    });
    expect(res.status, await res.text()).toBe(200);
  }

  const serious = (problems: string[]) => problems.filter((p) => /Content Security Policy|Refused|Error/i.test(p) && !/40[19]/.test(p));

  it('lets an admin write them with a preview, shows them beside the request, and keeps them with the message taken', async () => {
    // The admin, in English: the consignes section, its preview, a refused link named by its line, then saved.
    const admin = await newPage('en-GB');
    await signIn(admin.page, ADMIN.email, ADMIN.password);
    await admin.page.goto(`${stack.url}/console/#/practices/${PRACTICE}`);
    const editor = admin.page.locator('permanence-practice-editor');
    const section = editor.locator('section.operator-instructions');
    await section.locator('#operator-instructions-fr').waitFor();
    expect(await section.locator('h2').textContent()).toBe('Instructions for operators');
    // The demo practice's own consignes are loaded into the form.
    expect(await section.locator('#operator-instructions-fr').inputValue()).toContain('Renouvellement d’ordonnance');
    await saveElementScreenshot(section, 'consignes-editor-en-1280');

    await section.locator('#operator-instructions-fr').fill(`**${CONSIGNE}**\n\nEnfant fiévreux : rappeler dans l’heure.\nVoir [le protocole](protocole.pdf).`);
    await expect.poll(() => section.locator('#operator-instructions-fr-links').textContent()).toContain('Line 4: this link cannot be opened; operators would see only its text.');
    expect(await section.locator('#operator-instructions-fr').getAttribute('aria-invalid')).toBe('true');
    await section.locator('#operator-instructions-fr').fill(`**${CONSIGNE}**\n\nEnfant fiévreux : rappeler dans l’heure.\nDouleur thoracique : faire appeler le [15](tel:15).`);
    await expect.poll(() => section.locator('permanence-markdown-preview[lang=fr] strong').textContent()).toBe(CONSIGNE);
    expect(await section.locator('permanence-markdown-preview[lang=fr] a').getAttribute('href')).toBe('tel:15');
    expect(await section.locator('#operator-instructions-fr-links').textContent()).toBe('');
    await section.locator('#operator-instructions-en').fill('');
    expect(await accessibilityViolations(admin.page)).toEqual([]);
    await editor.locator('button[type=submit]').click();
    await expect.poll(() => editor.locator('.notice.ok').textContent()).toContain('Saved');
    const saved = (await (await fetch(`${stack.url}/v1/practices/${PRACTICE}`, { headers: await apiSession(stack.url) })).json()) as { operatorInstructions: unknown };
    expect(saved.operatorInstructions).toEqual({ fr: `**${CONSIGNE}**\n\nEnfant fiévreux : rappeler dans l’heure.\nDouleur thoracique : faire appeler le [15](tel:15).` });

    // The patient's widget on the practice's site shows the visit instructions, never the consignes.
    const patient = await newPage('fr-FR');
    await patient.page.goto(`http://localhost:${stack.demoPort}/`);
    await patient.page.locator('permanence-widget permanence-instructions').waitFor();
    await expect.poll(() => deepText(patient.page)).toContain('carte Vitale');
    expect(await deepText(patient.page)).not.toContain('4417');

    // The operator, in French: the practice's panel beside the request, seen without scrolling.
    const ref = await newRequest('Camille Durand', '06 12 34 56 78');
    const operator = await newPage('fr-FR', 1280, 'Indian/Antananarivo');
    await signIn(operator.page, OPERATOR);
    await operator.page.goto(`${stack.url}/console/#/callback/${ref}`);
    const view = operator.page.locator('permanence-callback-view');
    const panel = view.locator('permanence-practice-panel');
    await panel.locator('.status').waitFor();
    expect(await panel.locator('h2').textContent()).toBe('Cabinet du Dr Martin');
    expect(await panel.locator('.status').textContent()).toMatch(/^(Ouvert|Fermé)/);
    // An operator in Madagascar reads it on the practice's clock, labelled like every time of the page.
    expect(await panel.locator('.status').textContent()).toMatch(/\(heure de Paris\)$/);
    expect(await panel.locator('.today').textContent()).toMatch(/^Aujourd’hui\u00a0: (\d\d:\d\d\u2060–\u2060\d\d:\d\d|fermé)/);
    expect(await panel.locator('details').getAttribute('open')).not.toBeNull();
    expect(await panel.locator('permanence-operator-instructions strong').textContent()).toBe(CONSIGNE);
    // French only: shown as written, marked as French for a screen reader.
    expect(await panel.locator('permanence-operator-instructions [lang=fr]').count()).toBe(1);
    const box = (await panel.boundingBox())!;
    const request = (await view.locator('section.request').boundingBox())!;
    expect(box.y + 200).toBeLessThan(860);
    expect(box.x).toBeGreaterThan(request.x + request.width);

    await view.locator('button.claim').click();
    await view.locator('textarea[name=message]').waitFor();
    await saveScreenshot(operator.page, 'consignes-request-fr-1280');
    expect(await accessibilityViolations(operator.page)).toEqual([]);
    // Collapsible, and back open.
    await panel.locator('summary').click();
    expect(await panel.locator('details').getAttribute('open')).toBeNull();
    await panel.locator('summary').click();
    await view.locator('textarea[name=message]').fill('Ventoline à renouveler, pharmacie du marché.');
    await view.locator('button[data-outcome=reached]').click();
    await expect.poll(() => view.locator('.notice.ok').textContent()).toContain('Résultat enregistré');

    // The practice changes its consignes afterwards: the message keeps the ones it was taken under.
    await putConsignes({ fr: 'Nouvelles consignes : tout en téléconsultation.' });

    const doctor = await newPage('fr-FR');
    await signIn(doctor.page, DOCTOR);
    const message = doctor.page.locator(`permanence-messages-view article[data-ref="${ref}"]`);
    await message.waitFor();
    const inForce = message.locator('details.instructions-in-force');
    expect(await inForce.locator('summary').textContent()).toBe('Consignes en vigueur lors de la prise du message');
    expect(await inForce.getAttribute('open')).toBeNull();
    await inForce.locator('summary').click();
    await expect.poll(() => inForce.locator('permanence-operator-instructions strong').textContent()).toBe(CONSIGNE);
    expect(await inForce.textContent()).not.toContain('téléconsultation');
    await saveScreenshot(doctor.page, 'consignes-message-fr-1280');
    expect(await accessibilityViolations(doctor.page)).toEqual([]);

    for (const { problems } of [admin, operator, doctor, patient]) expect(serious(problems)).toEqual([]);
  }, 120_000);

  it('puts the panel above the outcome form on a phone, reads well in both languages, and falls back to the language written', async () => {
    const ref = await newRequest('Jean Petit', '06 98 76 54 32');
    // Claimed through the API by the same operator: the page opens with the form to fill in.
    const claim = await fetch(`${stack.url}/v1/callbacks/${ref}/claim`, { method: 'POST', headers: await apiSession(stack.url, OPERATOR, PASSWORD) });
    expect(claim.status).toBe(200);

    // Written in French only: the English console shows them in French, and says so.
    await putConsignes({ fr: 'Renouvellement : **message** au Dr Martin.' });
    const english = await newPage('en-GB');
    await signIn(english.page, OPERATOR);
    await english.page.goto(`${stack.url}/console/#/callback/${ref}`);
    const instructions = english.page.locator('permanence-callback-view permanence-practice-panel permanence-operator-instructions');
    await expect.poll(() => instructions.locator('.note').textContent()).toBe('Written in French only:');
    expect(await instructions.locator('[lang=fr] strong').textContent()).toBe('message');
    expect(await english.page.locator('permanence-callback-view permanence-practice-panel .today').textContent()).toMatch(/^Today: /);
    await english.page.context().close();

    // The demo practice's consignes, in both languages, as `npm start` shows them.
    await putConsignes(demoPractice(0).operatorInstructions!);
    for (const [locale, lang] of [
      ['fr-FR', 'fr'],
      ['en-GB', 'en'],
    ] as const) {
      for (const width of [1280, 390]) {
        const { page, problems } = await newPage(locale, width);
        await signIn(page, OPERATOR);
        await page.goto(`${stack.url}/console/#/callback/${ref}`);
        const view = page.locator('permanence-callback-view');
        const panel = view.locator('permanence-practice-panel');
        await panel.locator('.status').waitFor();
        await view.locator('textarea[name=message]').waitFor();
        expect(await panel.locator('summary').textContent()).toBe(lang === 'fr' ? 'Consignes pour les opérateurs' : 'Instructions for operators');
        expect(await panel.locator(`permanence-operator-instructions [lang=${lang}]`).textContent()).toContain(lang === 'fr' ? 'Renouvellement d’ordonnance' : 'Prescription renewal');
        if (width === 390) {
          const form = (await view.locator('section.work').boundingBox())!;
          const box = (await panel.boundingBox())!;
          expect(box.y + box.height).toBeLessThanOrEqual(form.y);
          // Nothing wider than the phone's screen.
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        }
        await saveScreenshot(page, `consignes-request-${lang}-${width}`);
        expect(await accessibilityViolations(page)).toEqual([]);
        expect(serious(problems)).toEqual([]);
        await page.context().close();
      }
    }

    // The editor section in both languages and both widths, for a person to look at.
    for (const [locale, lang] of [
      ['fr-FR', 'fr'],
      ['en-GB', 'en'],
    ] as const) {
      for (const width of [1280, 390]) {
        const { page } = await newPage(locale, width);
        await signIn(page, ADMIN.email, ADMIN.password);
        await page.goto(`${stack.url}/console/#/practices/${PRACTICE}`);
        const section = page.locator('permanence-practice-editor section.operator-instructions');
        await section.locator('#operator-instructions-fr').waitFor();
        await saveElementScreenshot(section, `consignes-editor-${lang}-${width}`);
        if (width === 390) expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        await page.context().close();
      }
    }
  }, 120_000);
});
