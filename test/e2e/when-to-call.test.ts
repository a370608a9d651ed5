/**
 * When the patient will be called, in real Chromium against the whole service and a real SMTP server: a window chosen for
 * tomorrow afternoon makes the request due at its start and is said in words in the receipt and the email; a closed
 * practice says so at the top of the form, with its reopening and its after-hours guidance, before anything is sent.
 * In French and in English, on a desk screen and on a phone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { accessibilityViolations, apiSession, closeAll, eventually, launchChromium, saveScreenshot, startSmtp, startStack } from './harness.js';
import { WEEKDAYS, weekdayOf, zonedDate, zonedInstants, type TimeRange } from '../../shared/hours.js';

const PRACTICE = 'cabinet-martin';
const PARIS = 'Europe/Paris';
const DAY = 86_400_000;
const parisDate = (ahead: number) => zonedDate(new Date(Date.now() + ahead * DAY), PARIS);

/** Weekly hours by days from today in Paris (`[today, tomorrow, …]`), every other day closed, holidays not closing. */
function hoursFrom(days: TimeRange[][]) {
  const weekly = Object.fromEntries(WEEKDAYS.map((day) => [day, [] as TimeRange[]]));
  days.forEach((ranges, ahead) => (weekly[weekdayOf(parisDate(ahead))] = ranges));
  return { timezone: PARIS, weekly, holidays: { country: 'FR', region: null, closed: false }, exceptions: [] };
}

const WORKDAY: TimeRange[] = [['08:30', '12:30'], ['14:00', '19:00']];
/** Open now whatever the hour the test runs, open as usual tomorrow. */
const OPEN_NOW = hoursFrom([[['00:00', '24:00']], WORKDAY]);
/** Closed today and tomorrow; open the day after. */
const CLOSED_NOW = hoursFrom([[], [], WORKDAY]);

const CASES = [
  { lang: 'fr', locale: 'fr-FR', window: 'Demain entre 14:00 et 19:00', receipt: 'Vous serez rappelé demain entre 14:00 et 19:00.', email: 'Nous vous rappellerons demain entre 14:00 et 19:00 au 06 12 34 56 78.' },
  { lang: 'en', locale: 'en-GB', window: 'Tomorrow between 14:00 and 19:00', receipt: 'You will be called back tomorrow between 14:00 and 19:00.', email: 'We will call you back tomorrow between 14:00 and 19:00 on 06 12 34 56 78.' },
] as const;

describe('when the patient will be called, from the widget to the email', () => {
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

  /** The demo practice with these hours, as the console's practice editor saves it. */
  async function setHours(hours: ReturnType<typeof hoursFrom>) {
    const practice = await (await fetch(`${stack.url}/v1/practices/${PRACTICE}`, { headers: admin })).json();
    const { operators: _o, ...record } = practice as Record<string, unknown>;
    const res = await fetch(`${stack.url}/v1/practices/${PRACTICE}`, { method: 'PUT', headers: { ...admin, 'Content-Type': 'application/json' }, body: JSON.stringify({ ...record, hours }) });
    expect(res.status, await res.text()).toBe(200);
  }

  /** The demo site in `lang`, on a screen `width` px wide; the widget's form once it is there. */
  async function openDemo(lang: 'fr' | 'en', locale: string, width: number): Promise<{ page: Page; widget: Locator }> {
    const context = await browser.newContext({ locale, viewport: { width, height: 900 }, timezoneId: PARIS });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`http://localhost:${stack.demoPort}/`);
    const widget = page.locator('permanence-widget');
    // The demo site is French; an English page says so on the element.
    if (lang === 'en') await widget.evaluate((el) => el.setAttribute('lang', 'en'));
    await widget.locator('#form-title').waitFor();
    return { page, widget };
  }

  async function fill(widget: Locator, name: string, reason: string) {
    await widget.locator('input[name=name]').fill(name);
    await widget.locator('input[name=phone]').fill('06 12 34 56 78');
    await widget.locator('input[name=email]').fill(`${name.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase()}@example.org`);
    await widget.locator('textarea[name=reason]').fill(reason);
    await widget.locator('input[name=confirmBy][value=email]').check();
    await widget.locator('input[name=consent]').check();
  }

  async function submit(page: Page, widget: Locator): Promise<string> {
    // Past the 3 seconds under which the service takes the form for a bot's.
    await page.waitForTimeout(3_100);
    await widget.locator('[part=submit]').click();
    const reference = widget.locator('[part=reference]');
    await reference.waitFor();
    return (await reference.textContent())!.trim();
  }

  it.each(CASES)('a window chosen for tomorrow afternoon makes the request due at its start, said in the receipt and the email ($lang)', async ({ lang, locale, window, receipt, email }) => {
    await setHours(OPEN_NOW);
    const { page, widget } = await openDemo(lang, locale, 1280);
    await fill(widget, lang === 'fr' ? 'Camille Durand' : 'Oliver Smith', lang === 'fr' ? 'Renouvellement d’ordonnance' : 'Repeat prescription');
    // One question: the window is an answer to "how soon", under "not urgent".
    await widget.locator('label.choice.slot', { hasText: window }).locator('input').check();
    await saveScreenshot(page, `when-open-${lang}-1280`);
    await page.setViewportSize({ width: 390, height: 844 });
    await saveScreenshot(page, `when-open-${lang}-390`);
    expect(await accessibilityViolations(page)).toEqual([]);
    const ref = await submit(page, widget);

    expect((await widget.locator('[part=receipt]').textContent())!.replace(/\s+/g, ' ')).toContain(receipt);
    await saveScreenshot(page, `when-receipt-${lang}-390`);

    const detail = (await (await fetch(`${stack.url}/v1/callbacks/${ref}`, { headers: admin })).json()) as { dueAt: string; urgency: string };
    const start = zonedInstants(`${parisDate(1)}T14:00`, PARIS)[0]!;
    expect(detail).toMatchObject({ dueAt: start.toISOString(), urgency: 'routine' });

    const mail = await eventually(() => smtp.mails.find((m) => m.subject.includes(ref)));
    expect(mail.text.replace(/\s+/g, ' ')).toContain(email);
  }, 60_000);

  it.each(CASES)('a closed practice says so with its reopening and its after-hours guidance before sending ($lang)', async ({ lang, locale }) => {
    await setHours(CLOSED_NOW);
    const reopening = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(`${parisDate(2)}T12:00:00Z`));
    const queued = async () => ((await (await fetch(`${stack.url}/v1/queue?state=all`, { headers: admin })).json()) as { items: unknown[] }).items.length;
    const before = await queued();
    for (const width of [1280, 390]) {
      const { page, widget } = await openDemo(lang, locale, width);
      const notice = (await widget.locator('[part=closed]').textContent())!.replace(/\s+/g, ' ').trim();
      expect(notice).toBe(
        lang === 'fr'
          ? `Le cabinet est fermé. Votre demande sera traitée à la réouverture, ${reopening} à 08:30.`
          : `The practice is closed. Your request will be handled when it reopens, ${reopening} at 08:30.`,
      );
      // "Today" and "urgent" give way to the practice's own guidance and the emergency numbers.
      expect(await widget.locator('input[name=urgency][value=soon], input[name=urgency][value=urgent]').count()).toBe(0);
      const guidance = widget.locator('[part=after-hours]');
      expect(await guidance.locator('a.call').getAttribute('href')).toBe('tel:116117');
      expect(await guidance.textContent()).toContain(lang === 'fr' ? 'médecin de garde' : 'doctor on duty');
      expect(await guidance.locator('a:not(.call)').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(['tel:15', 'tel:112', 'sms:114']);
      const slots = await widget.locator('label.choice.slot .label').allTextContents();
      expect(slots.length).toBeGreaterThan(0);
      for (const slot of slots) expect(slot.toLowerCase().startsWith(reopening.toLowerCase())).toBe(true);
      expect(await accessibilityViolations(page)).toEqual([]);
      await saveScreenshot(page, `when-closed-${lang}-${width}`);
    }
    // All of it shown before anything was sent.
    expect(await queued()).toBe(before);
  }, 60_000);

  it('puts the guidance beside a reason that needs a doctor tonight, and still takes the request for the reopening', async () => {
    await setHours(CLOSED_NOW);
    const { page, widget } = await openDemo('fr', 'fr-FR', 390);
    await fill(widget, 'Léa Moreau', 'Ma fille de 2 ans a 39,5 de fièvre depuis ce soir');
    const guidance = widget.locator('[part=after-hours]');
    await expect.poll(() => guidance.count()).toBe(1);
    await saveScreenshot(page, 'when-closed-tonight-fr-390');
    const ref = await submit(page, widget);
    const receipt = (await widget.locator('[part=receipt]').textContent())!.replace(/\s+/g, ' ');
    const day = new Intl.DateTimeFormat('fr-FR', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${parisDate(2)}T12:00:00Z`));
    expect(receipt).toContain(`Vous serez rappelé ${day} à partir de 08:30.`);
    const detail = (await (await fetch(`${stack.url}/v1/callbacks/${ref}`, { headers: admin })).json()) as { dueAt: string };
    expect(detail.dueAt).toBe(zonedInstants(`${parisDate(2)}T08:30`, PARIS)[0]!.toISOString());
  }, 60_000);
});
