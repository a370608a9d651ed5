/**
 * Every console page, for every role, in French and English, on a phone (390 px) and on a desk screen (1280 px):
 * no page wider than the screen (practitioners read their messages on a phone), and axe finds nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { accessibilityViolations, ADMIN, apiSession, closeAll, createAccounts, launchChromium, saveScreenshot, signInThroughConsole, startStack } from './harness.js';

const PASSWORD = 'layout-password-1234';
const PRACTICE = 'cabinet-martin';
const OPERATOR = 'operatrice.layout@permanence.test';
const DOCTOR = 'dr.layout@permanence.test';
/** The account an admin renames and gives a temporary password. */
const NEWCOMER = 'dr.nouveau@permanence.test';
/** A name as long as a real one can be, with no space to break it on. */
const LONG_NAME = 'Marie-Bernadette-Clémentine-Hortense de La Rochefoucauld-Montmorency-Saint-Exupéry';
const LANGS = [
  { lang: 'fr', locale: 'fr-FR' },
  { lang: 'en', locale: 'en-GB' },
] as const;
const WIDTHS = [390, 1280] as const;

/** The pages each role can open, as hash routes; `{ref}` is a request of the seeded practice. */
const PAGES: Record<'admin' | 'operator' | 'practitioner', string[]> = {
  admin: ['queue', 'done', 'callback/{ref}', 'messages', 'practices', `practices/${PRACTICE}`, 'users', 'reports', 'outbox', 'patients', 'audit'],
  operator: ['queue', 'done', 'callback/{ref}'],
  practitioner: ['messages'],
};

/** Elements that reach past the right edge of the screen without a scrolling box of their own to hold them, shadow roots included. */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const found: string[] = [];
    const parentOf = (el: Element): Element | null => el.parentElement ?? ((el.getRootNode() as ShadowRoot).host || null);
    const heldByScroller = (el: Element) => {
      for (let up = parentOf(el); up; up = parentOf(up)) {
        const overflowX = getComputedStyle(up).overflowX;
        if (overflowX !== 'visible' && overflowX !== 'clip') return up.getBoundingClientRect().right <= width + 1;
      }
      return false;
    };
    const walk = (root: Document | ShadowRoot) =>
      root.querySelectorAll('*').forEach((el) => {
        const rect = el.getBoundingClientRect();
        if (rect.width > 0 && rect.right > width + 1 && !heldByScroller(el)) {
          found.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} right=${Math.round(rect.right)}`);
        }
        if (el.shadowRoot) walk(el.shadowRoot);
      });
    walk(document);
    return found;
  });
}

/** Boxes that scroll sideways inside the page (a wide table in its scroller), shadow roots included. */
function scrollingSideways(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const walk = (root: Document | ShadowRoot) =>
      root.querySelectorAll('*').forEach((el) => {
        const overflowX = getComputedStyle(el).overflowX;
        if ((overflowX === 'auto' || overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1) found.push(`${el.tagName.toLowerCase()}.${el.className} ${el.scrollWidth}>${el.clientWidth}`);
        if (el.shadowRoot) walk(el.shadowRoot);
      });
    walk(document);
    return found;
  });
}

/** The text of the page, shadow roots included. */
function deepText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [];
    const walk = (root: Document | ShadowRoot) =>
      root.querySelectorAll('*').forEach((el) => {
        if (el.shadowRoot) walk(el.shadowRoot);
        else if (!el.children.length) parts.push(el.textContent ?? '');
      });
    walk(document);
    return parts.join(' ');
  });
}

describe('the console on a phone and on a desk screen', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let ref = '';

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    const admin = await apiSession(stack.url, ADMIN.email, ADMIN.password);
    await createAccounts(
      stack.url,
      admin,
      [
        { email: OPERATOR, name: 'Opératrice Layout', role: 'operator' },
        { email: DOCTOR, name: 'Dr Layout', role: 'practitioner' },
      ],
      [PRACTICE],
      PASSWORD,
    );
    const patients = [
      { name: LONG_NAME, phone: '06 12 34 56 78', reason: `Renouvellement d’ordonnance : https://www.example.org/${'ordonnance-'.repeat(12)}`, urgency: 'routine' },
      { name: 'Camille Durand', phone: '06 98 76 54 32', reason: 'Fièvre depuis hier soir', urgency: 'soon' },
      { name: 'Léa Moreau', phone: '06 11 22 33 44', reason: 'Résultats d’analyse', urgency: 'routine' },
    ];
    const refs: string[] = [];
    for (const patient of patients) {
      const res = await fetch(`${stack.url}/v1/practices/${PRACTICE}/callbacks`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...patient, lang: 'fr', confirmBy: 'none', consent: true }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      refs.push(((await res.json()) as { ref: string }).ref);
    }
    ref = refs[0]!;
    // A message taken for the practitioner, about the request with the long name, so the messages page has one.
    const operator = await apiSession(stack.url, OPERATOR, PASSWORD);
    expect((await fetch(`${stack.url}/v1/callbacks/${refs[2]}/claim`, { method: 'POST', headers: operator })).status).toBe(200);
    const done = await fetch(`${stack.url}/v1/callbacks/${refs[2]}/attempts`, {
      method: 'POST',
      headers: { ...operator, 'Content-Type': 'application/json' },
      body: JSON.stringify({ outcome: 'reached', message: `Rappeler la patiente au sujet de ses résultats ; lien : https://labo.example.org/${'resultats-'.repeat(10)}` }),
    });
    expect(done.status, await done.text()).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await closeAll(contexts, browser, stack);
  });

  async function signedIn(locale: string, email?: string): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 860 }, timezoneId: 'Europe/Paris' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    if (!email) {
      await page.goto(`${stack.url}/console/`);
      return page;
    }
    await signInThroughConsole(page, stack.url, email, email === ADMIN.email ? ADMIN.password : PASSWORD);
    await page.locator('permanence-console nav').waitFor();
    return page;
  }

  /** Opens `route`, waits for its heading and for nothing to be loading any more. */
  async function open(page: Page, route: string): Promise<void> {
    await page.evaluate((hash) => (location.hash = hash), `#/${route}`);
    await page.locator('permanence-console main h1').first().waitFor();
    await expect.poll(() => deepText(page), { timeout: 10_000 }).not.toMatch(/Chargement…|Loading…/);
    // Layout settles after the last answer is drawn (fonts, lists filled in).
    await page.waitForTimeout(150);
  }

  async function check(page: Page, name: string): Promise<void> {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 860 });
      await page.waitForTimeout(100);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect({ page: name, width, scrollWidth, overflowing: await overflowing(page) }).toEqual({ page: name, width, scrollWidth: expect.toSatisfy((w: number) => w <= width), overflowing: [] });
      expect({ page: name, width, violations: await accessibilityViolations(page) }).toEqual({ page: name, width, violations: [] });
      // At a desk, nothing scrolls sideways even inside its own box: the activity report's fourteen columns fit.
      if (width === 1280) expect({ page: name, scrolling: await scrollingSideways(page) }).toEqual({ page: name, scrolling: [] });
      await saveScreenshot(page, `layout-${name}-${width}`);
    }
  }

  it('lets an admin rename an account and set a temporary password, which its holder must replace before anything else', async () => {
    const created = await fetch(`${stack.url}/v1/users`, {
      method: 'POST',
      headers: { ...(await apiSession(stack.url)), 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: NEWCOMER, name: 'Dr Nouveau', role: 'practitioner', practices: [PRACTICE], password: PASSWORD }),
    });
    expect(created.status).toBe(201);
    const admin = await signedIn('fr-FR', ADMIN.email);
    await open(admin, 'users');
    const users = admin.locator('permanence-users-view');
    await users.locator(`tr[data-email="${NEWCOMER}"] button`).click();
    await users.locator('#edit-name').fill('Dr Layout-Martin');
    await users.locator('form button[type=submit]').first().click();
    await expect.poll(() => users.locator(`tr[data-email="${NEWCOMER}"]`).textContent()).toContain('Dr Layout-Martin');

    await users.locator(`tr[data-email="${NEWCOMER}"] button`).click();
    await users.locator('#edit-password').fill('temporaire-1234');
    for (const width of WIDTHS) {
      await admin.setViewportSize({ width, height: 860 });
      expect(await overflowing(admin)).toEqual([]);
      expect(await accessibilityViolations(admin)).toEqual([]);
      await saveScreenshot(admin, `misc-users-temporary-password-${width}`);
    }
    await users.locator('form.temporary-password button[type=submit]').click();
    await expect.poll(() => users.locator('.notice.ok').textContent()).toContain('Mot de passe temporaire enregistré');
    expect(await users.locator(`tr[data-email="${NEWCOMER}"]`).textContent()).toContain('mot de passe temporaire');

    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 } });
    contexts.push(context);
    const doctor = await context.newPage();
    doctor.setDefaultTimeout(10_000);
    await signInThroughConsole(doctor, stack.url, NEWCOMER, 'temporaire-1234');
    const change = doctor.locator('permanence-password-change');
    await change.locator('h1').waitFor();
    expect(await doctor.locator('permanence-console nav').count()).toBe(0);
    expect(await overflowing(doctor)).toEqual([]);
    expect(await accessibilityViolations(doctor)).toEqual([]);
    await saveScreenshot(doctor, 'misc-password-change-390');
    await change.locator('#current').fill('temporaire-1234');
    await change.locator('#next').fill('temporaire-1234');
    await change.locator('button[type=submit]').click();
    await expect.poll(() => change.locator('#next-error').textContent()).toContain('différent');
    await change.locator('#next').fill('mon-propre-mot-de-passe');
    await change.locator('button[type=submit]').click();
    await doctor.locator('permanence-messages-view article').first().waitFor();
    // The date, not only the time, on the practice's clock.
    expect(await doctor.locator('permanence-messages-view article time').first().textContent()).toMatch(/^[a-z]{3}\.\u00a0\d{2}\/\d{2} à \d{2}:\d{2}/);
    await saveScreenshot(doctor, 'misc-messages-390');
  }, 60_000);

  for (const { lang, locale } of LANGS) {
    it(`fits the sign-in page in ${lang}`, async () => {
      const page = await signedIn(locale);
      await page.locator('permanence-login h1').waitFor();
      await check(page, `login-${lang}`);
    }, 60_000);

    for (const role of ['admin', 'operator', 'practitioner'] as const) {
      it(`fits every page an ${role} opens, in ${lang}`, async () => {
        const page = await signedIn(locale, role === 'admin' ? ADMIN.email : role === 'operator' ? OPERATOR : DOCTOR);
        for (const route of PAGES[role]) {
          await page.setViewportSize({ width: 1280, height: 860 });
          await open(page, route.replace('{ref}', ref));
          await check(page, `${role}-${lang}-${route.split('/')[0]}`);
        }
      }, 240_000);
    }
  }
});
