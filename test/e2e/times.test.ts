/**
 * Times that respect the practice, in real Chromium against the whole service: a patient's repeat shows as a dated
 * entry (never the separator line the reason is stored with), and a call without an answer while the practice is about
 * to be closed is set for its reopening, said so in words, in French and in English, on a desk and on a phone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { accessibilityViolations, ADMIN, apiSession, closeAll, createAccounts, deepText, launchChromium, saveScreenshot, signInThroughConsole, startStack } from './harness.js';
import { demoPractice } from '../../demo/seed.js';
import { WEEKDAYS, weekdayOf, zonedDate, type TimeRange } from '../../shared/hours.js';

const PASSWORD = 'operator-password-1234';
const PRACTICE = 'cabinet-lefevre';
const OPERATOR = 'nina@permanence.test';
const DOCTOR = 'dr.lefevre@permanence.test';
const DAY = 86_400_000;

/** Paris dates from today: the practice is closed today and tomorrow, open the usual hours the other days. */
const parisDate = (daysAhead: number) => zonedDate(new Date(Date.now() + daysAhead * DAY), 'Europe/Paris');

describe('times that respect the practice', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const reopening = parisDate(2);

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    const admin = await apiSession(stack.url, ADMIN.email, ADMIN.password);
    const closed = [weekdayOf(parisDate(0)), weekdayOf(parisDate(1))];
    const workday: TimeRange[] = [['08:30', '12:30'], ['14:00', '19:00']];
    const { privacyUrl: _p, ...demo } = demoPractice(0);
    const practice = {
      ...demo,
      slug: PRACTICE,
      name: 'Cabinet du Dr Lefèvre',
      notifyEmail: undefined,
      allowedOrigins: [],
      hours: {
        timezone: 'Europe/Paris',
        weekly: Object.fromEntries(WEEKDAYS.map((day) => [day, closed.includes(day) ? [] : workday])),
        holidays: { country: 'FR', region: null, closed: false },
        exceptions: [],
      },
    };
    const created = await fetch(`${stack.url}/v1/practices`, { method: 'POST', headers: { ...admin, 'Content-Type': 'application/json' }, body: JSON.stringify(practice) });
    expect(created.status, await created.text()).toBe(201);
    await createAccounts(
      stack.url,
      admin,
      [
        { email: OPERATOR, name: 'Nina Opératrice', role: 'operator' },
        { email: DOCTOR, name: 'Dr Lefèvre', role: 'practitioner' },
      ],
      [PRACTICE],
      PASSWORD,
    );
  });

  afterAll(async () => {
    await closeAll(contexts, browser, stack);
  });

  async function signedIn(locale: string, email: string): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 860 }, timezoneId: 'Europe/Paris' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signInThroughConsole(page, stack.url, email, PASSWORD);
    return page;
  }

  /** A request, then the same person asking again: one request holding two texts. */
  async function mergedRequest(patient: { name: string; phone: string; lang: 'fr' | 'en' }, reasons: [string, string]): Promise<string> {
    let ref = '';
    for (const reason of reasons) {
      const res = await fetch(`${stack.url}/v1/practices/${PRACTICE}/callbacks`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...patient, reason, urgency: 'routine', confirmBy: 'none', consent: true }),
      });
      expect(res.status).toBe(201);
      ref = ((await res.json()) as { ref: string }).ref;
    }
    return ref;
  }

  it.each([
    {
      lang: 'fr' as const,
      locale: 'fr-FR',
      patient: { name: 'Camille Durand', phone: '06 12 34 56 78', lang: 'fr' as const },
      reasons: ['Renouvellement d’ordonnance (Levothyrox 75 µg)', 'Et aussi un certificat de sport pour mon fils,\nsi possible avant samedi.'] as [string, string],
      received: /^Reçu le \d{2}\/\d{2} à \d{2}:\d{2}$/,
      hint: 'par défaut, rappel à la réouverture',
      notice: 'Rappel prévu à la réouverture, ',
      history: 'rappel prévu à la réouverture',
      weekday: (date: string) => new Intl.DateTimeFormat('fr-FR', { weekday: 'long', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`)),
      at: 'à 08:30',
    },
    {
      lang: 'en' as const,
      locale: 'en-GB',
      patient: { name: 'Oliver Smith', phone: '+44 7911 123456', lang: 'en' as const },
      reasons: ['Repeat prescription, please', 'Also a sick note for work,\nfrom Monday.'] as [string, string],
      received: /^Received \d{2}\/\d{2} at \d{2}:\d{2}$/,
      hint: 'the retry is set for the reopening',
      notice: 'Retry set for the reopening, ',
      history: 'retry set for the reopening',
      weekday: (date: string) => new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`)),
      at: 'at 08:30',
    },
  ])('shows a repeat as a dated entry and sets a retry for the reopening, in words ($lang)', async ({ lang, locale, patient, reasons, received, hint, notice, history, weekday, at }) => {
    const ref = await mergedRequest(patient, reasons);
    const page = await signedIn(locale, OPERATOR);

    // The queue row: both texts, no separator line.
    const row = page.locator(`permanence-queue-view tr[data-ref="${ref}"]`);
    await row.waitFor();
    await expect.poll(() => row.locator('permanence-reason-entries li').count()).toBe(2);
    expect(await row.textContent()).not.toContain('---');
    await saveScreenshot(page, `times-queue-${lang}-1280`);

    await row.locator('a').click();
    const view = page.locator('permanence-callback-view');
    const entries = view.locator('dd.reason permanence-reason-entries li');
    await expect.poll(() => entries.count()).toBe(2);
    for (const [i, reason] of reasons.entries()) {
      expect((await entries.nth(i).locator('.when').textContent())!.trim()).toMatch(received);
      expect(await entries.nth(i).locator('.text').textContent()).toBe(reason);
    }
    expect(await deepText(page)).not.toMatch(/---/);

    await view.locator('button.claim').click();
    await view.locator('#note').waitFor();
    // Left alone, the time is the reopening, said under the field before anything is recorded.
    const reopens = `${weekday(reopening)} ${at}`;
    expect(await view.locator('#retry').inputValue()).toBe(`${reopening}T08:30`);
    expect(await view.locator('#retry-hint').textContent()).toContain(hint);
    expect(await view.locator('#retry-hint').textContent()).toContain(reopens);
    await saveScreenshot(page, `times-form-${lang}-1280`);

    await view.locator('button[data-outcome=no_answer]').click();
    await expect.poll(() => view.locator('.notice.ok').textContent()).toContain(`${notice}${reopens}`);
    await expect.poll(() => view.locator('.history').textContent()).toContain(history);
    const detail = (await (await fetch(`${stack.url}/v1/callbacks/${ref}`, { headers: await apiSession(stack.url) })).json()) as {
      dueAt: string;
      attempts: { retryAt: string; retryRule: string }[];
    };
    expect(detail.attempts.at(-1)).toMatchObject({ retryRule: 'reopening', retryAt: detail.dueAt });
    expect(zonedDate(new Date(detail.dueAt), 'Europe/Paris')).toBe(reopening);

    expect(await accessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, `times-request-${lang}-1280`);
    await page.setViewportSize({ width: 390, height: 844 });
    await saveScreenshot(page, `times-request-${lang}-390`);
  }, 60_000);

  it('shows the practitioner a merged request’s reason as dated entries, never the separator', async () => {
    const ref = await mergedRequest({ name: 'Léa Moreau', phone: '06 11 22 33 44', lang: 'fr' }, ['Résultats d’analyse', 'Je rappelle : la prise de sang date de lundi.']);
    const operator = await apiSession(stack.url, OPERATOR, PASSWORD);
    await fetch(`${stack.url}/v1/callbacks/${ref}/claim`, { method: 'POST', headers: operator });
    const done = await fetch(`${stack.url}/v1/callbacks/${ref}/attempts`, {
      method: 'POST',
      headers: { ...operator, 'Content-Type': 'application/json' },
      body: JSON.stringify({ outcome: 'reached', message: 'Résultats à commenter par le médecin.' }),
    });
    expect(done.status).toBe(200);

    const page = await signedIn('fr-FR', DOCTOR);
    const message = page.locator(`permanence-messages-view article[data-ref="${ref}"]`);
    await message.waitFor();
    await expect.poll(() => message.locator('permanence-reason-entries li').count()).toBe(2);
    expect(await message.locator('permanence-reason-entries li .when').first().textContent()).toMatch(/^Reçu le \d{2}\/\d{2} à \d{2}:\d{2}$/);
    expect(await deepText(page)).not.toMatch(/---/);
    await saveScreenshot(page, 'times-messages-fr-1280');
  }, 60_000);
});
