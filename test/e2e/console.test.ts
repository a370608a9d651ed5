/**
 * The operator console in real Chromium against the whole service: two operators see a request
 * from the practice's website arrive live, one claims it, the other is told it is taken, the
 * outcome and a message are recorded, and the practitioner reads the message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zonedDate } from '../../shared/hours.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { accessibilityViolations, ADMIN, apiSession, closeAll, createAccounts, launchChromium, saveScreenshot, signInThroughConsole, startStack, styleSheetRuleCounts } from './harness.js';

const PASSWORD = 'operator-password-1234';
const PRACTICE = 'cabinet-martin';

/** Collects what the page reports as errors, CSP refusals among them. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
  page.on('pageerror', (err) => problems.push(err.message));
  return problems;
}

async function signInThroughForm(page: Page, url: string, email: string): Promise<void> {
  await signInThroughConsole(page, url, email, PASSWORD);
}

describe('the operator console', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    const admin = await apiSession(stack.url, ADMIN.email, ADMIN.password);
    const users = [
      { email: 'alice@permanence.test', name: 'Alice Opératrice', role: 'operator' },
      { email: 'bob@permanence.test', name: 'Bob Operator', role: 'operator' },
      { email: 'dr.martin@permanence.test', name: 'Dr Martin', role: 'practitioner' },
    ];
    await createAccounts(stack.url, admin, users, [PRACTICE], PASSWORD);
  });

  afterAll(async () => {
    await closeAll(contexts, browser, stack);
  });

  async function newPage(locale: string, timezoneId?: string): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 860 }, ...(timezoneId ? { timezoneId } : {}) });
    contexts.push(context);
    const page = await context.newPage();
    // Fail at the step that does not happen, with its locator, rather than at the test's timeout.
    page.setDefaultTimeout(10_000);
    return { page, problems: watch(page) };
  }

  it('serves the shell under a strict CSP with no inline script or style', async () => {
    const res = await fetch(`${stack.url}/console/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'");
    const body = await res.text();
    expect(body).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(body).not.toMatch(/<style|style=/);
    const script = await fetch(`${stack.url}/console/console.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
  });

  it('shows the login form to a visitor without a session and refuses a wrong password', async () => {
    const { page } = await newPage('fr-FR');
    await page.goto(`${stack.url}/console/`);
    await page.locator('permanence-login input[name=email]').fill('alice@permanence.test');
    await page.locator('permanence-login input[name=password]').fill('not the password');
    await page.locator('permanence-login button[type=submit]').click();
    await expect.poll(() => page.locator('permanence-login [role=alert]').textContent()).toContain('mot de passe incorrect');
    await page.close();
  });

  it('lets two operators work one request live, and the practitioner read the message taken', async () => {
    const alice = await newPage('fr-FR');
    const bob = await newPage('en-GB');
    await signInThroughForm(alice.page, stack.url, 'alice@permanence.test');
    await signInThroughForm(bob.page, stack.url, 'bob@permanence.test');
    for (const { page } of [alice, bob]) {
      await page.locator('permanence-queue-view h1').waitFor();
      await expect.poll(() => page.url()).toMatch(/#\/queue$/);
      // The stream is open before the request is made, as it would be for an operator at work.
      await expect.poll(() => page.locator('permanence-console header [role=status]').textContent()).toMatch(/direct|Live/);
    }

    // A patient on the practice's own website.
    const patient = await newPage('fr-FR');
    await patient.page.goto(`http://localhost:${stack.demoPort}/`);
    const widget = patient.page.locator('permanence-widget');
    await widget.locator('input[name=name]').fill('Camille Durand');
    await widget.locator('input[name=phone]').fill('06 12 34 56 78');
    await widget.locator('textarea[name=reason]').fill('Renouvellement d’ordonnance');
    await widget.locator('input[name=confirmBy][value=none]').check();
    await widget.locator('input[name=consent]').check();
    await patient.page.waitForTimeout(3_100);
    await widget.locator('[part=submit]').click();
    const reference = widget.locator('[part=reference]');
    await reference.waitFor({ timeout: 10_000 });
    const submittedAt = Date.now();
    const ref = (await reference.textContent())!.trim();

    const rowOf = (page: Page) => page.locator(`permanence-queue-view tr[data-ref="${ref}"]`);
    await Promise.all([rowOf(alice.page).waitFor({ timeout: 5_000 }), rowOf(bob.page).waitFor({ timeout: 5_000 })]);
    const arrivalMs = Date.now() - submittedAt;
    console.info(`request visible in both consoles ${arrivalMs} ms after the widget showed its reference`);
    expect(arrivalMs).toBeLessThan(1_000);
    expect(await rowOf(alice.page).locator('td.status').textContent()).toContain('Libre');
    expect(await alice.page.locator('permanence-console #announcer').textContent()).toContain(ref);
    await saveScreenshot(alice.page, 'console-queue');

    // Alice, keyboard only: the row's link, then the claim button.
    await rowOf(alice.page).locator('a').focus();
    await alice.page.keyboard.press('Enter');
    await expect.poll(() => alice.page.url()).toContain(`#/callback/${ref}`);
    const claim = alice.page.locator('permanence-callback-view button.claim');
    await claim.focus();
    await alice.page.keyboard.press('Enter');
    await expect.poll(() => alice.page.locator('permanence-callback-view .claim-status').textContent()).toContain('Prise par vous');
    expect(await alice.page.locator('permanence-callback-view .phone a[href^="tel:"]').getAttribute('href')).toBe('tel:+33612345678');

    // Bob's queue says it is taken without a reload; his own claim is refused in words.
    await expect.poll(() => rowOf(bob.page).locator('td.status').textContent()).toMatch(/Taken by/);
    await rowOf(bob.page).locator('a').click();
    await bob.page.locator('permanence-callback-view button.claim').click();
    await expect.poll(() => bob.page.locator('permanence-callback-view [role=alert]').textContent()).toContain('Already taken');
    expect(await bob.page.locator('permanence-callback-view .claim-status').textContent()).toContain('Alice');

    await saveScreenshot(alice.page, 'console-callback');
    const view = alice.page.locator('permanence-callback-view');
    await view.locator('textarea[name=note]').fill('Rappelée, ordonnance à déposer.');
    await view.locator('textarea[name=message]').fill('Mme Durand passera chercher son ordonnance jeudi.');
    await view.locator('button[data-outcome=reached]').click();
    await expect.poll(() => view.locator('.notice.ok').textContent()).toContain('Résultat enregistré');
    await expect.poll(() => view.locator('.history').textContent()).toContain('Patient joint');

    // Closed, it leaves the open queue and shows in the done list.
    await bob.page.goto(`${stack.url}/console/#/queue`);
    await bob.page.locator('permanence-queue-view table, permanence-queue-view .empty').first().waitFor();
    expect(await rowOf(bob.page).count()).toBe(0);
    await alice.page.locator('permanence-console nav a[href="#/done"]').click();
    await rowOf(alice.page).waitFor();
    // From request to closing, a figure that no longer grows, with the closing time.
    expect((await alice.page.locator('permanence-queue-view thead th').nth(3).textContent())!.trim()).toBe('Traitée en');
    expect(await rowOf(alice.page).locator('td').nth(3).textContent()).toMatch(/^\s*0\u00a0min\s*clôture\u00a0: \d{2}:\d{2}/);

    const doctor = await newPage('fr-FR');
    await signInThroughForm(doctor.page, stack.url, 'dr.martin@permanence.test');
    await expect.poll(() => doctor.page.url()).toMatch(/#\/messages$/);
    const message = doctor.page.locator(`permanence-messages-view article[data-ref="${ref}"]`);
    await message.waitFor();
    expect(await message.textContent()).toContain('Mme Durand passera chercher son ordonnance jeudi.');
    expect(await message.textContent()).toContain('Camille Durand');
    expect(await message.locator('h2 a[href^="tel:"]').textContent()).toBe('06 12 34 56 78');
    expect(await message.locator('.practice').textContent()).toBe('Cabinet du Dr Martin');

    // A life-threatening reason arriving later still goes first, marked in words, not only in red.
    const urgent = await fetch(`${stack.url}/v1/practices/${PRACTICE}/callbacks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Jean Petit', phone: '06 98 76 54 32', reason: 'Mon père a une douleur thoracique et du mal à respirer', urgency: 'routine', confirmBy: 'none', consent: true, lang: 'fr' }),
    });
    const { ref: urgentRef } = (await urgent.json()) as { ref: string };
    await alice.page.locator('permanence-console nav a[href="#/queue"]').click();
    const first = alice.page.locator('permanence-queue-view tbody tr').first();
    await expect.poll(() => first.getAttribute('data-ref')).toBe(urgentRef);
    expect(await first.textContent()).toContain('URGENCE VITALE');

    for (const page of [alice.page, doctor.page]) expect(await accessibilityViolations(page)).toEqual([]);
    // Every stylesheet of the built console was read by the browser (none left with no rules).
    expect((await styleSheetRuleCounts(alice.page)).filter((rules) => rules === 0)).toEqual([]);
    for (const { problems } of [alice, bob, doctor]) expect(problems.filter((p) => /Content Security Policy|Refused|Error/i.test(p) && !/40[19]/.test(p))).toEqual([]);
  }, 120_000);

  it('shows an operator abroad the practice’s clock, labelled, and keeps the keyboard in the view', async () => {
    // An operator in Madagascar (UTC+3) works for a Paris practice: times are Paris times, said so.
    const { page, problems } = await newPage('fr-FR', 'Indian/Antananarivo');
    const made = await fetch(`${stack.url}/v1/practices/${PRACTICE}/callbacks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Oliver Smith', phone: '+44 7911 123456', reason: 'Question about a prescription', urgency: 'routine', confirmBy: 'none', consent: true, lang: 'en' }),
    });
    expect(made.status).toBe(201);
    const { ref, dueAt } = (await made.json()) as { ref: string; dueAt: string };
    const parisClock = (iso: string) => new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

    await signInThroughForm(page, stack.url, 'alice@permanence.test');
    const row = page.locator(`permanence-queue-view tr[data-ref="${ref}"]`);
    await row.waitFor();
    // Also proves the practice zone is loaded: without it the label is absent and the hour is Madagascar's.
    await expect.poll(() => row.locator('td').nth(4).textContent()).toContain(`${parisClock(dueAt)} (heure de Paris)`);
    // Due now while open is not late: the report's grace applies.
    expect(await row.locator('.late').count()).toBe(0);
    await saveScreenshot(page, 'console-queue-offshore');

    await row.locator('a').focus();
    await page.keyboard.press('Enter');
    const view = page.locator('permanence-callback-view');
    await view.locator('.patient-lang').waitFor();
    await expect.poll(() => view.evaluate((el) => el.shadowRoot?.activeElement?.tagName)).toBe('H1');
    expect(await view.locator('.patient-lang').textContent()).toBe('anglais');
    expect(await view.locator('p.phone').textContent()).toContain('+44 7911 123456');
    // The practice by its name, not its slug.
    expect(await view.locator('dl').textContent()).not.toContain(PRACTICE);
    const practiceName = (await (await fetch(`${stack.url}/v1/practices/${PRACTICE}`, { headers: await apiSession(stack.url) })).json()) as { name: string };
    expect(await view.locator('dl').textContent()).toContain(practiceName.name);

    await view.locator('button.claim').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => view.evaluate((el) => el.shadowRoot?.activeElement?.id)).toBe('note');
    expect(await view.locator('label[for=retry]').textContent()).toContain('(heure de Paris)');
    await saveScreenshot(page, 'console-callback-offshore');

    // What the operator types is read on the practice's clock: 15:00 in Paris, whatever Madagascar says.
    const tomorrow = new Date(Date.now() + 86_400_000);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(tomorrow);
    await view.locator('#retry').fill(`${day}T15:00`);
    await view.locator('button[data-outcome=no_answer]').click();
    await expect.poll(() => view.locator('.notice.ok').textContent()).toContain('Tentative enregistrée');
    const detail = (await (await fetch(`${stack.url}/v1/callbacks/${ref}`, { headers: await apiSession(stack.url) })).json()) as { attempts: { retryAt: string | null }[] };
    const retryAt = detail.attempts.at(-1)!.retryAt!;
    expect(parisClock(retryAt)).toBe('15:00');
    expect(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(retryAt))).toBe(day);

    expect(problems.filter((p) => /Content Security Policy|Refused|Error/i.test(p) && !/40[19]/.test(p))).toEqual([]);
  }, 60_000);

  it('lets an admin edit a practice with live previews, and open accounts, activity and audit pages', async () => {
    const { page, problems } = await newPage('en-GB');
    await signInThroughConsole(page, stack.url, ADMIN.email, ADMIN.password);
    await page.locator('permanence-queue-view h1').waitFor();

    await page.locator('permanence-console nav a[href="#/practices"]').click();
    await page.locator(`permanence-practices-view a[href="#/practices/${PRACTICE}"]`).click();
    const editor = page.locator('permanence-practice-editor');
    await expect.poll(() => editor.locator('#hours-preview').textContent()).toMatch(/Open|Closed/);
    // From the service's public address, with the practice's phone as the no-JS fallback SPEC "Embed" describes.
    expect(await editor.locator('#snippet').inputValue()).toBe(
      `<script type="module" src="${stack.url}/widget.js"></script>\n<permanence-widget practice="${PRACTICE}">\n  <a href="tel:+33142000000">01 42 00 00 00</a>\n</permanence-widget>`,
    );
    // One zone for the practice: the field and the hours' "timezone" follow each other.
    await editor.locator('#timezone').fill('America/Martinique');
    expect(JSON.parse(await editor.locator('#hours').inputValue()).timezone).toBe('America/Martinique');
    const hours = JSON.parse(await editor.locator('#hours').inputValue()) as { timezone: string };
    // The JSON is the advanced view, behind its disclosure.
    await editor.locator('details.advanced summary').click();
    await editor.locator('#hours').fill(JSON.stringify({ ...hours, timezone: 'Europe/Paris' }, null, 2));
    expect(await editor.locator('#timezone').inputValue()).toBe('Europe/Paris');
    await editor.locator('#timezone').fill('Europe/Nowhere');
    await expect.poll(() => editor.locator('#timezone-problem').textContent()).toContain('“Europe/Nowhere” is not a known time zone');
    await editor.locator('#timezone').fill('Europe/Paris');
    expect(await editor.locator('#timezone-problem').textContent()).toBe('');
    expect(Number(await editor.locator('#instructions-fr').getAttribute('rows'))).toBeGreaterThanOrEqual(12);
    await editor.locator('#instructions-en').fill('Please **wear a mask**.\n\n- Come alone\n- <b>not html</b>');
    await expect.poll(() => editor.locator('#instructions-en ~ permanence-markdown-preview strong').textContent()).toBe('wear a mask');
    expect(await editor.locator('#instructions-en ~ permanence-markdown-preview b').count()).toBe(0);
    await editor.locator('#hours').fill('{"timezone": ');
    await expect.poll(() => editor.locator('#hours-preview').textContent()).toContain('Unreadable hours: this is not valid JSON');
    // The preview draws the link exactly as the widget does: a phone link stays in the page, a web link opens a tab.
    await editor.locator('#instructions-en').fill('[Call us](tel:+33140000000) or read [the site](https://example.org/).');
    const previewLinks = editor.locator('#instructions-en ~ permanence-markdown-preview a');
    await expect.poll(() => previewLinks.count()).toBe(2);
    expect(await previewLinks.nth(0).getAttribute('target')).toBeNull();
    expect(await previewLinks.nth(1).getAttribute('target')).toBe('_blank');

    await page.locator('permanence-console nav a[href="#/users"]').click();
    await page.locator('permanence-users-view tr[data-email="alice@permanence.test"]').waitFor();
    await page.locator('permanence-console nav a[href="#/reports"]').click();
    await page.locator('permanence-reports-view table, permanence-reports-view p.muted').first().waitFor();
    // Both CSV flavours, each named for what opens it.
    expect(await page.locator('permanence-reports-view a[download]').evaluateAll((links) => links.map((a) => [a.textContent, new URL((a as HTMLAnchorElement).href).searchParams.get('format')]))).toEqual([
      ['CSV (French Excel)', 'csv-fr'],
      ['CSV (English, commas)', 'csv'],
    ]);
    await page.locator('permanence-console nav a[href="#/audit"]').click();
    await expect.poll(() => page.locator('permanence-audit-view tbody').textContent()).toContain('Signed in');
    // Details in words, and a filter by action.
    await expect.poll(() => page.locator('permanence-audit-view td[data-action=outcome] + td + td + td').first().textContent()).toMatch(/^outcome: (Reached|No answer) · /);
    await page.locator('permanence-audit-view #action').selectOption('login');
    await expect.poll(async () => new Set(await page.locator('permanence-audit-view tbody td[data-action]').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-action')))).size).toBe(1);
    expect(await page.locator('permanence-audit-view tbody td[data-action]').first().getAttribute('data-action')).toBe('login');

    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems.filter((p) => /Content Security Policy|Refused|Error/i.test(p) && !/40[19]/.test(p))).toEqual([]);

    // The console's own origin must be able to save a practice (the widget routes' CORS check must not catch it).
    await page.goto(`${stack.url}/console/#/practices/${PRACTICE}`);
    await editor.locator('#name').fill('Cabinet du Dr Martin et associés');
    await editor.locator('button[type=submit]').click();
    await expect.poll(() => editor.locator('.notice.ok').textContent()).toContain('Saved');
    const saved = (await (await fetch(`${stack.url}/v1/practices/${PRACTICE}`, { headers: await apiSession(stack.url) })).json()) as { name: string; privacyUrl?: string };
    expect(saved.name).toBe('Cabinet du Dr Martin et associés');

    // Saving keeps what the form does not show.
    expect(saved).toHaveProperty('privacyUrl');
  }, 60_000);

  it('shows a French admin the activity table with named columns and a total, hours problems in sentences, and audit actions in words', async () => {
    const { page, problems } = await newPage('fr-FR');
    const admin = await apiSession(stack.url, ADMIN.email, ADMIN.password);
    // Activity this month whatever ran before: a request handled through the API.
    const made = await fetch(`${stack.url}/v1/practices/${PRACTICE}/callbacks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Léa Moreau', phone: '06 11 22 33 44', reason: 'Résultats d’analyse', urgency: 'routine', confirmBy: 'none', consent: true, lang: 'fr' }),
    });
    expect(made.status).toBe(201);
    // The report counts a request in its month on the practice's clock: around midnight that is not UTC's month.
    const month = zonedDate(new Date(), 'Europe/Paris').slice(0, 7);
    const api = (await (await fetch(`${stack.url}/v1/reports/activity?month=${month}`, { headers: admin })).json()) as { total: { received: number } };

    await signInThroughConsole(page, stack.url, ADMIN.email, ADMIN.password);
    await page.locator('permanence-queue-view h1').waitFor();

    await page.locator('permanence-console nav a[href="#/reports"]').click();
    await page.locator('permanence-reports-view #month').fill(month);
    await page.locator('permanence-reports-view #month').press('Enter');
    const table = page.locator('permanence-reports-view table');
    await table.waitFor();
    const headers = (await table.locator('thead th').allTextContents()).map((h) => h.trim());
    expect(headers).toEqual([
      'Cabinet',
      'Reçues',
      'Traitées',
      'Facturables',
      'Non facturables',
      'En cours',
      'Délai médian du 1er appel (min)',
      'Rappelées à l’heure',
      'Doublons',
      'Indésirables',
      'Mauvais numéros',
      'Annulées',
      'Abandonnées',
    ]);
    const total = table.locator('tfoot tr.total');
    expect(await total.locator('th').textContent()).toBe('Total');
    expect(await total.locator('td').first().textContent()).toBe(String(api.total.received));
    expect(await table.locator(`tbody tr[data-practice="${PRACTICE}"] th`).textContent()).toBeTruthy();
    // One file name per flavour, whichever the browser takes: the link's or the service's.
    const links = page.locator('permanence-reports-view a[download]');
    expect(await links.count()).toBe(2);
    for (const link of await links.all()) {
      const csv = await fetch(new URL((await link.getAttribute('href'))!, stack.url), { headers: admin });
      expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="${await link.getAttribute('download')}"`);
    }
    await saveScreenshot(page, 'console-reports-fr');

    await page.goto(`${stack.url}/console/#/practices/${PRACTICE}`);
    const editor = page.locator('permanence-practice-editor');
    await expect.poll(() => editor.locator('#hours-preview').textContent()).toMatch(/Ouvert|Fermé/);
    const overlapping = { timezone: 'Europe/Paris', weekly: { mon: [['08:00', '12:00'], ['11:00', '13:00']] } };
    await editor.locator('details.advanced summary').click();
    await editor.locator('#hours').fill(JSON.stringify(overlapping, null, 2));
    // Typed in the JSON, said on the form's field: Monday's second range.
    const hoursForm = editor.locator('permanence-hours-editor');
    await expect.poll(() => hoursForm.locator('#err-weekly-mon-1').textContent()).toBe('Cette plage chevauche une autre plage.');
    expect(await hoursForm.locator('.field-error').count()).toBe(1);
    expect(await hoursForm.locator('#wd-mon-1-start').getAttribute('aria-invalid')).toBe('true');
    expect(await editor.locator('#hours').getAttribute('aria-invalid')).toBe('true');
    await saveScreenshot(page, 'console-practice-fr');
    // Refused before it reaches the service; the problems stay listed once, in words.
    await editor.locator('button[type=submit]').click();
    await expect.poll(() => editor.locator('[role=alert]').textContent()).toContain('Certains champs sont invalides');
    expect(await editor.locator('#hours-error').count()).toBe(0);

    await page.locator('permanence-console nav a[href="#/users"]').click();
    const users = page.locator('permanence-users-view');
    await users.locator('#new-email').fill('pas-une-adresse');
    await users.locator('#new-name').fill('Personne');
    await users.locator('#new-password').fill('un-mot-de-passe-assez-long');
    await users.locator('button', { hasText: 'Créer le compte' }).click();
    await expect.poll(() => users.locator('#email-error').textContent()).toBe('Cette adresse e-mail n’est pas valide.');

    await page.locator('permanence-console nav a[href="#/audit"]').click();
    const audit = page.locator('permanence-audit-view tbody');
    await expect.poll(() => audit.locator('td[data-action=report_exported]').first().textContent()).toBe('Rapport d’activité consulté');
    expect(await audit.locator('td[data-action=login]').first().textContent()).toBe('Connexion');

    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems.filter((p) => /Content Security Policy|Refused|Error/i.test(p) && !/40[019]/.test(p))).toEqual([]);
  }, 60_000);

  it('says by its line a link patients could not open, still previews the rest, and the service refuses to save it', async () => {
    const { page, problems } = await newPage('fr-FR');
    const admin = await apiSession(stack.url, ADMIN.email, ADMIN.password);
    const before = ((await (await fetch(`${stack.url}/v1/practices/${PRACTICE}`, { headers: admin })).json()) as { instructions: unknown }).instructions;
    await signInThroughConsole(page, stack.url, ADMIN.email, ADMIN.password);
    await page.locator('permanence-queue-view h1').waitFor();
    await page.goto(`${stack.url}/console/#/practices/${PRACTICE}`);
    const editor = page.locator('permanence-practice-editor');
    await expect.poll(() => editor.locator('#hours-preview').textContent()).toMatch(/Ouvert|Fermé/);

    await editor.locator('#instructions-fr').fill('Bonjour.\n\n[écrire](mailto:%E0%A4%A)\n\n- Venez **seul**');
    await expect.poll(() => editor.locator('#links-fr').textContent()).toContain('Ligne 3\u00a0: ce lien ne peut pas être ouvert');
    const preview = editor.locator('#instructions-fr ~ permanence-markdown-preview');
    expect(await preview.locator('p').allTextContents()).toEqual(['Bonjour.', 'écrire']);
    expect(await preview.locator('li').allTextContents()).toEqual(['Venez seul']);
    expect(await preview.locator('a').count()).toBe(0);
    expect(await editor.locator('#instructions-fr').getAttribute('aria-invalid')).toBe('true');
    expect(await editor.locator('#instructions-fr').getAttribute('aria-describedby')).toContain('links-fr');

    await editor.locator('button[type=submit]').click();
    await expect.poll(() => editor.locator('[role=alert]').textContent()).toContain('Certains champs sont invalides');
    expect(((await (await fetch(`${stack.url}/v1/practices/${PRACTICE}`, { headers: admin })).json()) as { instructions: unknown }).instructions).toEqual(before);

    await editor.locator('#instructions-fr').fill('Bonjour.\n\n[écrire](mailto:accueil@cabinet.fr) ou [voir](/plan) et [là](tel:x)');
    await expect.poll(() => editor.locator('#links-fr').textContent()).toContain('Ligne 3\u00a0: ce lien ne peut pas être ouvert');
    await editor.locator('#instructions-fr').fill('Bonjour.\n\n[écrire](mailto:%E0%A4%A)\n\n[appeler](tel:x)');
    await expect.poll(() => editor.locator('#links-fr').textContent()).toContain('Lignes 3 et 5\u00a0: ces liens ne peuvent pas être ouverts');
    await editor.locator('#instructions-fr').fill('Bonjour.\n\n[écrire](mailto:accueil@cabinet.fr)');
    await expect.poll(() => editor.locator('#links-fr').textContent()).toBe('');
    expect(await editor.locator('#instructions-fr').getAttribute('aria-invalid')).toBe('false');
    expect(problems.filter((p) => /Content Security Policy|Refused|Error/i.test(p) && !/40[019]/.test(p))).toEqual([]);
  }, 60_000);

  it('wraps a 600-character reason and a name without spaces inside the request view, at 390 and 1280 px, phone whole', async () => {
    const reason = 'ordonnance'.repeat(60);
    const made = await fetch(`${stack.url}/v1/practices/${PRACTICE}/callbacks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Jean-' + 'Baptiste'.repeat(8), phone: '06 98 76 54 32', reason, urgency: 'routine', confirmBy: 'none', consent: true, lang: 'fr' }),
    });
    expect(made.status).toBe(201);
    const { ref } = (await made.json()) as { ref: string };
    const { page, problems } = await newPage('fr-FR');
    await signInThroughForm(page, stack.url, 'alice@permanence.test');
    await page.locator(`permanence-queue-view tr[data-ref="${ref}"]`).waitFor();
    await page.goto(`${stack.url}/console/#/callback/${ref}`);
    const view = page.locator('permanence-callback-view');
    await expect.poll(() => view.locator('.reason permanence-reason-entries .text').textContent()).toBe(reason);
    const pageWidth = () => page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: innerWidth }));
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 860 });
      await expect.poll(async () => (await pageWidth()).scroll, { message: `page width at ${width} px` }).toBeLessThanOrEqual(width);
      expect((await view.locator('.reason').boundingBox())!.width).toBeLessThan(width);
      // The text starts where its cell does: no blank line or indent from the markup around it.
      const [cell, text] = [(await view.locator('dd.reason').boundingBox())!, (await view.locator('dd.reason permanence-reason-entries .text').boundingBox())!];
      expect([Math.round(text.x - cell.x), Math.round(text.y - cell.y)]).toEqual([0, 0]);
      // The sentence may wrap, the number does not.
      expect(await view.locator('.phone .nowrap').evaluate((el) => [el.textContent, el.getClientRects().length])).toEqual(['06 98 76 54 32', 1]);
      await saveScreenshot(page, `console-request-long-reason-${width}`);
    }
    expect(problems.filter((p) => /Content Security Policy|Refused|Error/i.test(p) && !/40[19]/.test(p))).toEqual([]);
  }, 60_000);

  it('reads the open request again when the service says changes may have gone unheard (resync)', async () => {
    const made = await fetch(`${stack.url}/v1/practices/${PRACTICE}/callbacks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Rémi Fabre', phone: '06 55 44 33 22', reason: 'Renouvellement', urgency: 'routine', confirmBy: 'none', consent: true, lang: 'fr' }),
    });
    const { ref } = (await made.json()) as { ref: string };
    const { page } = await newPage('fr-FR');
    await signInThroughForm(page, stack.url, 'alice@permanence.test');
    await page.locator(`permanence-queue-view tr[data-ref="${ref}"]`).waitFor();
    await page.goto(`${stack.url}/console/#/callback/${ref}`);
    const badge = page.locator('permanence-callback-view .badge');
    await expect.poll(() => badge.textContent()).toBe('Sans urgence');
    // A change no event told this instance of (one made on another instance while this one's link was down).
    const db = new Database(join(stack.dir, 'permanence.db'));
    try {
      db.pragma('busy_timeout = 5000');
      db.prepare("UPDATE callbacks SET urgency = 'urgent' WHERE ref = ?").run(ref);
    } finally {
      db.close();
    }
    await page.waitForTimeout(300);
    expect(await badge.textContent()).toBe('Sans urgence');
    // What the service's stream sends once it listens again after such a gap.
    await page.evaluate(() => {
      const console = document.querySelector('permanence-console') as unknown as { events: EventTarget };
      console.events.dispatchEvent(new MessageEvent('resync', { data: '{}' }));
    });
    await expect.poll(() => badge.textContent()).toBe('Urgent');
  });
});
