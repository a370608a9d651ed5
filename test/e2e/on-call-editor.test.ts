/**
 * A practice's contacts and on-call schedule edited in real Chromium against the whole service and a local SMTP server:
 * an admin adds two contacts (and the practitioner account of one, with a password shown once), builds a four-week
 * rotation from its preview, saves, reloads and finds the slots and who is on call, sends a test alert and reads the
 * outcome, then meets the SMS cap; the warning that the schedule runs out reads in English. French and English, at 1280
 * and 390 px, without an accessibility violation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { accessibilityViolations, ADMIN, apiSession, closeAll, eventually, focusedId, launchChromium, pageWidth, saveScreenshot, signInThroughConsole, startSmtp, startStack } from './harness.js';

const PRACTICE = 'cabinet-martin';
const DAY = 86_400_000;
const ZONE = 'Europe/Paris';

/** `YYYY-MM-DD` on the practice's clock, `days` from now. */
const parisDate = (days: number) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date(Date.now() + days * DAY));

/** The whole page and, to read it closely, the on-call part alone, when `PERMANENCE_SCREENSHOTS` names a folder. */
async function screenshots(page: Page, editor: Locator, name: string): Promise<void> {
  await saveScreenshot(page, name);
  const dir = process.env.PERMANENCE_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await editor.screenshot({ path: join(dir, `${name}-part.png`) });
}

interface SavedPractice {
  contacts?: { key: string; name: string; phone?: string; email?: string }[];
  onCall?: { default: string | null; slots: { from: string; to: string; contact: string }[] };
  escalation?: string[];
  urgentAckMinutes?: number;
  digestAt?: string | null;
  operators?: string[];
  [field: string]: unknown;
}

describe('the contacts and on-call form', () => {
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
    // The demo practice comes with two contacts: these tests start from a practice that has none.
    const practice = await (await fetch(`${stack.url}/v1/practices/${PRACTICE}`, { headers: admin })).json();
    const cleared = { ...practice, contacts: [], onCall: { default: null, slots: [] }, escalation: [] };
    const res = await fetch(`${stack.url}/v1/practices/${PRACTICE}`, { method: 'PUT', headers: { ...admin, 'Content-Type': 'application/json' }, body: JSON.stringify(cleared) });
    if (res.status !== 200) throw new Error(`clearing the demo contacts answered ${res.status}`);
  });

  afterAll(async () => {
    await closeAll(contexts, browser, stack);
    await smtp?.close();
  });

  const saved = async () => (await (await fetch(`${stack.url}/v1/practices/${PRACTICE}`, { headers: admin })).json()) as SavedPractice;

  async function openPractice(locale: string): Promise<{ page: Page; editor: Locator; problems: string[] }> {
    const context = await browser.newContext({ locale, timezoneId: ZONE, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    await signInThroughConsole(page, stack.url, ADMIN.email, ADMIN.password);
    await page.locator('permanence-queue-view h1').waitFor();
    // Signed in: from here an error in the console is a problem, but for the refusals these tests ask for (400, 429).
    page.on('console', (msg) => msg.type() === 'error' && !/status of (400|429)\b/.test(msg.text()) && problems.push(msg.text()));
    await page.goto(`${stack.url}/console/#/practices/${PRACTICE}`);
    const editor = page.locator('permanence-on-call-editor');
    await editor.locator('#contact-add').waitFor();
    return { page, editor, problems };
  }

  it('adds two contacts and an account, builds a 4-week rotation from its preview, saves, and after a reload shows the slots, who is on call, and a test alert’s outcome', async () => {
    const before = await saved();
    const { page, editor, problems } = await openPractice('fr-FR');
    expect(await editor.locator('h2').first().textContent()).toBe('Messages au cabinet et astreinte');
    expect(await editor.locator('.contacts .muted').textContent()).toContain('Aucun contact');

    // Two contacts: the practitioner with both channels, a stand-in reachable by email only.
    await editor.locator('#contact-add').click();
    await expect.poll(() => focusedId(page)).toBe('contact-0-name');
    await editor.locator('#contact-0-name').fill('Dr Élise Martin');
    await editor.locator('#contact-0-phone').fill('06 12 34 56 78');
    await editor.locator('#contact-0-email').fill('elise.martin@cabinet.test');
    await editor.locator('#contact-add').click();
    await expect.poll(() => focusedId(page)).toBe('contact-1-name');
    await editor.locator('#contact-1-name').fill('Dr Paul Renaud');
    await editor.locator('#contact-1-email').fill('paul.renaud@cabinet.test');
    expect(await editor.locator('fieldset.contact legend').allTextContents()).toEqual(['Dr Élise Martin', 'Dr Paul Renaud']);
    // A test alert goes to a contact as saved: not before.
    expect(await editor.locator('#contact-0-test').isDisabled()).toBe(true);
    expect(await editor.locator('#contact-0-test-hint').textContent()).toContain('Enregistrez d’abord');

    // Neither has an account yet: the form offers it, and shows the password it made once.
    expect(await editor.locator('fieldset.contact .account').first().textContent()).toContain('Pas encore de compte');
    await editor.getByRole('button', { name: 'Créer son compte praticien (Dr Élise Martin)' }).click();
    const password = await editor.locator('#contact-0-account-result code.password').textContent();
    expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect(await editor.locator('#contact-0-account-result').textContent()).toContain('Compte créé pour elise.martin@cabinet.test');
    await expect.poll(() => editor.locator('fieldset.contact').first().locator('.account').textContent()).toContain('Compte praticien');
    const users = (await (await fetch(`${stack.url}/v1/users`, { headers: admin })).json()) as { items: { email: string; role: string; practices: string[]; mustChangePassword: boolean }[] };
    expect(users.items.find((u) => u.email === 'elise.martin@cabinet.test')).toMatchObject({ role: 'practitioner', practices: [PRACTICE], mustChangePassword: true });
    // The password works, once, to choose one's own.
    const signIn = await fetch(`${stack.url}/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'elise.martin@cabinet.test', password }) });
    expect(signIn.status).toBe(204);

    // The default contact, and the escalation with the stand-in first.
    await editor.locator('#default-contact').selectOption('dr-elise-martin');
    await editor.locator('#escalation-add').selectOption('dr-elise-martin');
    await editor.locator('#escalation-add-button').click();
    await editor.locator('#escalation-add-button').click();
    expect(await editor.locator('#escalation li .who').allTextContents()).toEqual(['1.Dr Élise Martin', '2.Dr Paul Renaud']);
    await editor.locator('#escalation-1-up').click();
    expect(await editor.locator('#escalation li .who').allTextContents()).toEqual(['1.Dr Paul Renaud', '2.Dr Élise Martin']);
    // The button follows the contact; at the top, it is the other way that is left.
    await expect.poll(() => focusedId(page)).toBe('escalation-0-down');
    await editor.locator('#ack-minutes').fill('15');
    await editor.locator('#digest-at').fill('19:00');

    // A four-week rotation whose first week began three days ago, previewed before it is added.
    await editor.locator('#rotation-add').selectOption('dr-elise-martin');
    await editor.locator('#rotation-add-button').click();
    await editor.locator('#rotation-add-button').click();
    await editor.locator('#rotation-from').fill(parisDate(-3));
    await editor.locator('#rotation-at').fill('08:00');
    await editor.locator('#rotation-weeks').fill('4');
    const preview = editor.locator('#rotation-preview li');
    await expect.poll(() => preview.count()).toBe(4);
    expect(await preview.nth(0).textContent()).toContain('Dr Élise Martin');
    expect(await preview.nth(1).textContent()).toContain('Dr Paul Renaud');
    expect(await preview.nth(0).textContent()).toMatch(/Du \S+\s\d\d\/\d\d\sà\s08:00 au \S+\s\d\d\/\d\d\sà\s08:00/);
    expect(await editor.locator('#rotation-apply').textContent()).toContain('Ajouter ces 4 gardes');
    await editor.locator('#rotation-apply').click();
    await expect.poll(() => editor.locator('ul.slots li').count()).toBe(4);
    // Added once: the preview empties rather than offer the same weeks again.
    expect(await preview.count()).toBe(0);
    expect(await editor.locator('.save-bar').textContent()).toContain('Modifications non enregistrées');
    await screenshots(page, editor, 'on-call-fr-1280-draft');

    await editor.locator('#on-call-save').click();
    await expect.poll(() => editor.locator('#on-call-saved').textContent()).toContain('Contacts et astreinte enregistrés');
    const after = await saved();
    expect(after.contacts).toEqual([
      { key: 'dr-elise-martin', name: 'Dr Élise Martin', phone: '+33612345678', email: 'elise.martin@cabinet.test' },
      { key: 'dr-paul-renaud', name: 'Dr Paul Renaud', email: 'paul.renaud@cabinet.test' },
    ]);
    expect(after.onCall?.default).toBe('dr-elise-martin');
    expect(after.onCall?.slots.map((s) => s.contact)).toEqual(['dr-elise-martin', 'dr-paul-renaud', 'dr-elise-martin', 'dr-paul-renaud']);
    // Each handover at 08:00 on the practice's clock, a week apart.
    for (const [i, slot] of after.onCall!.slots.entries()) {
      expect(new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, dateStyle: 'short', timeStyle: 'short', hourCycle: 'h23' }).format(new Date(slot.from))).toBe(`${parisDate(-3 + 7 * i)}, 08:00`);
      expect(slot.to).toBe(after.onCall!.slots[i + 1]?.from ?? slot.to);
    }
    expect(after.escalation).toEqual(['dr-paul-renaud', 'dr-elise-martin']);
    expect(after.urgentAckMinutes).toBe(15);
    expect(after.digestAt).toBe('19:00');
    // The rest of the practice did not move.
    const rest = ({ contacts: _c, onCall: _o, escalation: _e, urgentAckMinutes: _u, digestAt: _d, ...others }: SavedPractice) => others;
    expect(rest(after)).toEqual(rest(before));

    // After a reload: the slots, who is on call now, no warning (the schedule reaches four weeks ahead).
    await page.reload();
    await editor.locator('#contact-add').waitFor();
    await expect.poll(() => editor.locator('#on-call-now').textContent()).toMatch(/^De garde maintenant\s: Dr Élise Martin, jusqu’au \S+\s\d\d\/\d\d à 08:00\.$/);
    expect(await editor.locator('ul.slots li').count()).toBe(4);
    expect(await editor.locator('ul.slots li .who').allTextContents()).toEqual(['Dr Élise Martin', 'Dr Paul Renaud', 'Dr Élise Martin', 'Dr Paul Renaud']);
    expect(await editor.locator('#on-call-runs-out').count()).toBe(0);
    expect(await editor.locator('fieldset.contact').nth(1).locator('.account').textContent()).toContain('Pas encore de compte');

    // A test alert to the practitioner: by SMS and email, said where the button is, and the email arrives.
    expect(await editor.locator('#contact-0-phone').inputValue()).toBe('06 12 34 56 78');
    expect(await editor.locator('#contact-0-test').isDisabled()).toBe(false);
    await editor.getByRole('button', { name: 'Envoyer une alerte de test à Dr Élise Martin' }).click();
    await expect.poll(() => editor.locator('#contact-0-result').textContent()).toContain('Alerte de test envoyée à Dr Élise Martin par SMS et e-mail.');
    expect(await editor.locator('#contact-0-result').getAttribute('role')).toBe('status');
    await eventually(() => smtp.mails.find((m) => m.to.includes('elise.martin@cabinet.test')));

    await screenshots(page, editor, 'on-call-fr-1280');
    expect(await accessibilityViolations(page)).toEqual([]);

    // The contacts' SMS budget spent (30 an hour), the next test alert says so instead of going.
    for (let i = 1; i < 30; i++) {
      const res = await fetch(`${stack.url}/v1/practices/${PRACTICE}/contacts/dr-elise-martin/test-alert`, { method: 'POST', headers: admin });
      expect(res.status).toBe(200);
    }
    await editor.locator('#contact-0-test').click();
    await expect.poll(() => editor.locator('#contact-0-result').textContent()).toContain('trop de SMS');

    // At 390 px nothing is wider than the screen.
    await page.setViewportSize({ width: 390, height: 860 });
    await expect.poll(() => pageWidth(page)).toBeLessThanOrEqual(390);
    await screenshots(page, editor, 'on-call-fr-390');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);

  it('warns in English when the slots run out within two weeks, and says who gets the messages then', async () => {
    // Two contacts and two slots, the last ending in five days.
    const current = await saved();
    const contacts = [
      { key: 'dr-elise-martin', name: 'Dr Élise Martin', phone: '+33612345678', email: 'elise.martin@cabinet.test' },
      { key: 'dr-paul-renaud', name: 'Dr Paul Renaud', email: 'paul.renaud@cabinet.test' },
    ];
    const { operators: _operators, ...record } = current;
    const start = Date.now() - DAY;
    const slots = [
      { from: new Date(start).toISOString(), to: new Date(start + 3 * DAY).toISOString(), contact: 'dr-paul-renaud' },
      { from: new Date(start + 3 * DAY).toISOString(), to: new Date(start + 6 * DAY).toISOString(), contact: 'dr-elise-martin' },
    ];
    const res = await fetch(`${stack.url}/v1/practices/${PRACTICE}`, {
      method: 'PUT',
      headers: { ...admin, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...record, contacts, onCall: { default: 'dr-elise-martin', slots }, escalation: [] }),
    });
    expect(res.status, await res.clone().text()).toBe(200);

    const { page, editor, problems } = await openPractice('en-GB');
    const warning = editor.locator('#on-call-runs-out');
    await expect.poll(() => warning.textContent()).toMatch(/^The on-call schedule stops on \S+\s\d\d\/\d\d at \d\d:\d\d\. After that, messages go to the default contact, Dr Élise Martin\.$/);
    expect(await editor.locator('#on-call-now').textContent()).toMatch(/^On call now: Dr Paul Renaud, until /);
    expect(await editor.locator('fieldset.rotation > legend').textContent()).toBe('Weekly rotation');
    // The rotation starts where the schedule stops.
    expect(await editor.locator('#rotation-from').inputValue()).toBe(new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date(start + 6 * DAY)));
    expect(await page.getByRole('button', { name: 'Send a test alert to Dr Paul Renaud' }).count()).toBe(1);
    // A contact still on call ahead cannot be removed from under the schedule.
    await editor.locator('#contact-1-remove').click();
    await expect.poll(() => editor.locator('#contact-1-result').textContent()).toContain('Dr Paul Renaud still has slots ahead (1): remove them first.');
    // A contact nobody can reach is refused by the service, said on its fields, the first one focused.
    await editor.locator('#contact-add').click();
    await editor.locator('#contact-2-name').fill('Dr Temp');
    await editor.locator('#on-call-save').click();
    await expect.poll(() => editor.locator('[role=alert]').textContent()).toContain('Some fields are invalid.');
    expect(await editor.locator('#contact-2-error').textContent()).toBe('Give a phone number or an email.');
    expect(await editor.locator('#contact-2-email').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => focusedId(page)).toBe('contact-2-phone');
    await editor.locator('#contact-2-remove').click();
    await expect.poll(() => focusedId(page)).toBe('contact-add');

    // Each form saves its own part: the practice form, saved after this one, does not send back the settings it read before.
    await editor.locator('#ack-minutes').fill('20');
    await editor.locator('#on-call-save').click();
    await expect.poll(() => editor.locator('#on-call-saved').textContent()).toContain('Contacts and on-call saved.');
    const practiceForm = page.locator('permanence-practice-editor');
    await practiceForm.locator('button[type=submit]').click();
    await expect.poll(() => practiceForm.locator('.notice.ok').textContent()).toContain('Saved');
    expect((await saved()).urgentAckMinutes).toBe(20);
    await screenshots(page, editor, 'on-call-en-1280');
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.setViewportSize({ width: 390, height: 860 });
    await expect.poll(() => pageWidth(page)).toBeLessThanOrEqual(390);
    await screenshots(page, editor, 'on-call-en-390');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  }, 90_000);
});
