/**
 * A practice's opening hours edited as a form in real Chromium against the whole service: an admin changes a weekday and
 * adds a closure without touching the JSON, a mistake is said once, on its own field, and the page reads in French and
 * English at 1280 and 390 px without an accessibility violation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { accessibilityViolations, ADMIN, apiSession, closeAll, focusedId, launchChromium, pageWidth, signInThroughConsole, startStack } from './harness.js';

const PRACTICE = 'cabinet-martin';

/** Saves a screenshot of one element, when `PERMANENCE_SCREENSHOTS` names a folder. */
async function saveElementScreenshot(element: Locator, name: string): Promise<void> {
  const dir = process.env.PERMANENCE_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await element.screenshot({ path: join(dir, `${name}.png`) });
}

interface SavedHours {
  weekly: Record<string, [string, string][]>;
  exceptions: { from: string; to: string; hours: [string, string][]; label?: { fr?: string; en?: string } }[];
  holidays: { closed: boolean; region: string | null };
}

describe('the opening hours form', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await closeAll(contexts, browser, stack);
  });

  async function openEditor(locale: string): Promise<{ page: Page; form: Locator; editor: Locator; problems: string[] }> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    await signInThroughConsole(page, stack.url, ADMIN.email, ADMIN.password);
    await page.locator('permanence-queue-view h1').waitFor();
    await page.goto(`${stack.url}/console/#/practices/${PRACTICE}`);
    const editor = page.locator('permanence-practice-editor');
    const form = editor.locator('permanence-hours-editor');
    await form.locator('#wd-mon-0-start').waitFor();
    return { page, form, editor, problems };
  }

  const savedHours = async () =>
    ((await (await fetch(`${stack.url}/v1/practices/${PRACTICE}`, { headers: await apiSession(stack.url) })).json()) as { hours: SavedHours }).hours;

  it('changes a weekday and adds a closure through the form alone, then shows one mistake on its own field and refuses to save it', async () => {
    const before = await savedHours();
    const { page, form, editor, problems } = await openEditor('fr-FR');

    // Wednesday: morning kept, an afternoon added.
    expect(await form.locator('#wd-wed-0-start').inputValue()).toBe('08:30');
    await form.locator('#wd-wed-0-end').fill('12:30');
    await form.locator('#wd-wed-add').click();
    await expect.poll(() => focusedId(page)).toBe('wd-wed-1-start');
    await form.locator('#wd-wed-1-start').fill('14:00');
    await form.locator('#wd-wed-1-end').fill('18:00');

    // A week of training in May 2027, closed all day, labelled in both languages.
    const closures = before.exceptions.length;
    await form.locator('#exception-add').click();
    await expect.poll(() => focusedId(page)).toBe(`ex-${closures}-from`);
    await form.locator(`#ex-${closures}-from`).fill('2027-05-10');
    await form.locator(`#ex-${closures}-to`).fill('2027-05-14');
    await form.locator(`#ex-${closures}-label-fr`).fill('Formation');
    await form.locator(`#ex-${closures}-label-en`).fill('Training');
    expect(await form.locator(`fieldset.exception[data-index="${closures}"] .closed-day`).textContent()).toBe('Fermé toute la journée');
    expect(await form.locator('.field-error').count()).toBe(0);
    await expect.poll(() => editor.locator('#hours-preview').textContent()).toMatch(/Ouvert|Fermé/);
    // The JSON behind the form follows it.
    expect(JSON.parse(await editor.locator('#hours').inputValue()).weekly.wed).toEqual([
      ['08:30', '12:30'],
      ['14:00', '18:00'],
    ]);

    await editor.locator('button[type=submit]').click();
    await expect.poll(() => editor.locator('.notice.ok').textContent()).toContain('Enregistré');
    const saved = await savedHours();
    expect(saved.weekly.wed).toEqual([
      ['08:30', '12:30'],
      ['14:00', '18:00'],
    ]);
    expect(saved.exceptions.at(-1)).toEqual({ from: '2027-05-10', to: '2027-05-14', hours: [], label: { fr: 'Formation', en: 'Training' } });
    // Nothing else moved.
    expect({ ...saved.weekly, wed: null }).toEqual({ ...before.weekly, wed: null });
    expect(saved.exceptions.slice(0, closures)).toEqual(before.exceptions);
    expect(saved.holidays).toEqual(before.holidays);

    await saveElementScreenshot(editor.locator('section.hours'), 'hours-fr-1280');
    expect(await accessibilityViolations(page)).toEqual([]);

    // A deliberate mistake: Thursday's afternoon starting before the morning ends.
    await form.locator('#wd-thu-1-start').fill('12:00');
    await expect.poll(() => form.locator('.field-error').count()).toBe(1);
    expect(await form.locator('.field-error').textContent()).toBe('Cette plage chevauche une autre plage.');
    expect(await form.locator('.field-error').getAttribute('id')).toBe('err-weekly-thu-1');
    expect(await form.locator('[aria-invalid="true"]').evaluateAll((fields) => fields.map((f) => f.id))).toEqual(['wd-thu-1-start', 'wd-thu-1-end']);
    expect(await form.locator('#wd-thu-1-start').getAttribute('aria-describedby')).toBe('err-weekly-thu-1');
    await saveElementScreenshot(form.locator('[data-day=thu]'), 'hours-fr-error');
    expect(await accessibilityViolations(page)).toEqual([]);

    // Refused before it reaches the service, the field with the mistake focused.
    await editor.locator('#name').focus();
    await editor.locator('button[type=submit]').click();
    await expect.poll(() => editor.locator('[role=alert]').textContent()).toContain('Certains champs sont invalides');
    expect(await focusedId(page)).toBe('wd-thu-1-start');
    expect((await savedHours()).weekly.thu).toEqual(before.weekly.thu);

    // At 390 px nothing is wider than the screen.
    await page.setViewportSize({ width: 390, height: 860 });
    await expect.poll(() => pageWidth(page)).toBeLessThanOrEqual(390);
    await form.locator('#wd-thu-1-start').fill('14:00');
    await expect.poll(() => form.locator('.field-error').count()).toBe(0);
    await saveElementScreenshot(editor.locator('section.hours'), 'hours-fr-390');
    expect(problems).toEqual([]);
  }, 90_000);

  it('reads in English, keeps the JSON view in step both ways, and fits 390 px', async () => {
    const { page, form, editor, problems } = await openEditor('en-GB');
    expect(await form.locator('fieldset > legend').first().textContent()).toBe('Weekly hours');
    expect(await form.locator('[data-day=sun] .closed-day').textContent()).toBe('Closed');
    expect(await page.getByRole('button', { name: 'Remove range 2 on Monday' }).count()).toBe(1);
    expect(await page.getByRole('switch', { name: 'Closed on public holidays (France)' }).isChecked()).toBe(true);
    await saveElementScreenshot(editor.locator('section.hours'), 'hours-en-1280');

    // JSON → form.
    await editor.locator('details.advanced summary').click();
    const json = JSON.parse(await editor.locator('#hours').inputValue()) as SavedHours;
    await editor.locator('#hours').fill(JSON.stringify({ ...json, weekly: { ...json.weekly, sun: [['10:00', '12:00']] } }, null, 2));
    await expect.poll(() => form.locator('#wd-sun-0-start').inputValue()).toBe('10:00');
    // Form → JSON: midnight typed as 00:00 is stored as 24:00.
    await form.locator('#wd-sun-0-end').fill('00:00');
    await expect.poll(async () => JSON.parse(await editor.locator('#hours').inputValue()).weekly.sun).toEqual([['10:00', '24:00']]);
    await form.locator('#wd-sun-0-remove').click();
    await expect.poll(async () => JSON.parse(await editor.locator('#hours').inputValue()).weekly.sun).toEqual([]);
    expect(await focusedId(page)).toBe('wd-sun-add');
    // Overseas lists beside Alsace-Moselle's; choosing one writes its id into the JSON.
    expect(await form.locator('#holidays-region option').allTextContents()).toContain('Réunion (+ 20 December, Abolition of Slavery Day)');
    await form.locator('#holidays-region').selectOption('la-reunion');
    await expect.poll(async () => JSON.parse(await editor.locator('#hours').inputValue()).holidays.region).toBe('la-reunion');
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.setViewportSize({ width: 390, height: 860 });
    await expect.poll(() => pageWidth(page)).toBeLessThanOrEqual(390);
    await saveElementScreenshot(editor.locator('section.hours'), 'hours-en-390');
    expect(problems).toEqual([]);
  }, 60_000);
});
