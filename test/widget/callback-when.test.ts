/** When the patient will be called: one question (how soon, or which window), the window said back in the receipt, and a closed practice said so before sending, with its after-hours guidance. */
import '../../widget/index.js';
import { weekdayOf, zonedDate, WEEKDAYS, type Hours, type TimeRange } from '../../shared/hours.js';
import type { WidgetConfig } from '../../shared/schemas.js';
import { assert, created, deep, equal, fakeService, field, fillValidForm, form, json, practiceConfig, readyWidget, restoreFetch, settle, type, unmountAll, waitFor } from './helpers.js';

const DAY = 86_400_000;
const parisDay = (ahead: number) => weekdayOf(zonedDate(new Date(Date.now() + ahead * DAY), 'Europe/Paris'));

/** Hours by days from today (Paris): `[today, tomorrow, the day after, …]`, the rest of the week closed. */
function hoursFrom(days: TimeRange[][]): Hours {
  const weekly = Object.fromEntries(WEEKDAYS.map((day) => [day, [] as TimeRange[]]));
  days.forEach((ranges, ahead) => (weekly[parisDay(ahead)] = ranges));
  return { timezone: 'Europe/Paris', weekly };
}

/** Open all today, whatever the time the test runs; tomorrow 08:30–12:30 and 14:00–19:00. */
const OPEN_TODAY = hoursFrom([[['00:00', '24:00']], [['08:30', '12:30'], ['14:00', '19:00']]]);
/** Closed today and tomorrow, open the day after. */
const CLOSED = hoursFrom([[], [], [['08:30', '12:30'], ['14:00', '19:00']]]);

const AFTER_HOURS: WidgetConfig['afterHours'] = {
  phone: '01 47 07 77 77',
  text: { fr: 'Le soir, appelez le **médecin de garde**.', en: 'In the evening, call the **doctor on duty**.' },
};

function withHours(hours: Hours, overrides: Partial<WidgetConfig> = {}) {
  return fakeService({ config: (slug) => json(200, practiceConfig(slug, { hours, status: { open: true, nextChange: null }, ...overrides })) });
}

const radios = (widget: Element) => Array.from(form(widget).shadowRoot!.querySelectorAll<HTMLInputElement>('input[name="urgency"]'));
const choiceLabels = (widget: Element) => radios(widget).map((r) => r.closest('label')!.querySelector('.label')!.textContent!.trim());
const text = (element: Element | null) => element?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

interface Axe {
  run(context: Element, options?: object): Promise<{ violations: { id: string; help: string }[] }>;
}

/** axe-core, loaded once (test/widget/a11y.test.ts does the same for the other states of the widget). */
async function loadAxe(): Promise<Axe> {
  const page = window as unknown as { axe?: Axe };
  if (!page.axe) {
    const script = document.createElement('script');
    script.src = '/node_modules/axe-core/axe.min.js';
    document.head.append(script);
    await new Promise((resolve, reject) => ((script.onload = resolve), (script.onerror = reject)));
  }
  return page.axe!;
}

afterEach(() => {
  unmountAll();
  restoreFetch();
});

describe('when to call: one question', () => {
  it('offers the windows as "not urgent" answers of the urgency question, in the receipt’s words', async () => {
    withHours(OPEN_TODAY);
    const widget = await readyWidget();
    equal(form(widget).shadowRoot!.querySelectorAll('fieldset legend')[0]?.textContent, 'Quand souhaitez-vous être rappelé\u00a0?');
    const labels = choiceLabels(widget);
    equal(labels[0], 'Sans urgence');
    assert(labels.includes('Demain entre 08:30 et 12:30') && labels.includes('Demain entre 14:00 et 19:00'), labels.join(' | '));
    equal(labels.slice(-2), ['Dans la journée', 'Urgent']);
    assert(!deep(widget, 'permanence-callback-form', 'select'), 'no second question in a select');
    assert(!deep(widget, 'permanence-callback-form', '[part="closed"]'), 'no closed notice while open');
  });

  it('sends a chosen window as a routine request, and says it back in the receipt', async () => {
    let sent: Record<string, any> = {};
    fakeService({
      config: (slug) => json(200, practiceConfig(slug, { hours: OPEN_TODAY })),
      callback: (_slug, body) => {
        sent = body;
        return json(201, created({ dueAt: new Date(body.preferredWindow.from).toISOString(), preferredWindow: body.preferredWindow }));
      },
    });
    const widget = await readyWidget();
    fillValidForm(widget);
    const afternoon = radios(widget).find((r) => r.closest('label')!.textContent!.includes('Demain entre 14:00 et 19:00'))!;
    afternoon.click();
    await settle(form(widget));
    equal(field(widget, 'input[name="urgency"]:checked').value, afternoon.value);
    field<HTMLButtonElement>(widget, 'button[type="submit"]').click();
    const receipt = await waitFor(() => deep(widget, 'permanence-callback-form', 'permanence-callback-receipt'), 'the receipt');
    await settle(receipt);
    equal(sent.urgency, 'routine');
    assert(/T14:00:00\+0[12]:00$/.test(sent.preferredWindow.from) && /T19:00:00\+0[12]:00$/.test(sent.preferredWindow.to), JSON.stringify(sent.preferredWindow));
    assert(text(deep(receipt, '.receipt')).includes('Vous serez rappelé demain entre 14:00 et 19:00.'), text(deep(receipt, '.receipt')));
  });

  it('leaves the window when the patient picks "urgent" instead', async () => {
    let sent: Record<string, any> = {};
    fakeService({ config: (slug) => json(200, practiceConfig(slug, { hours: OPEN_TODAY })), callback: (_s, body) => ((sent = body), json(201, created())) });
    const widget = await readyWidget();
    fillValidForm(widget);
    radios(widget).find((r) => r.closest('label')!.textContent!.includes('Demain entre 14:00'))!.click();
    field(widget, 'input[name="urgency"][value="urgent"]').click();
    field<HTMLButtonElement>(widget, 'button[type="submit"]').click();
    await waitFor(() => deep(widget, 'permanence-callback-form', 'permanence-callback-receipt'), 'the receipt');
    equal([sent.urgency, 'preferredWindow' in sent], ['urgent', false]);
  });

  it('asks for a call today when the reason reads as needing a doctor tonight, unless the patient chose', async () => {
    withHours(OPEN_TODAY);
    const widget = await readyWidget();
    type(field<HTMLTextAreaElement>(widget, '#reason'), 'Mon bébé de 8 mois a 39 de fièvre');
    await settle(form(widget));
    equal(field(widget, 'input[name="urgency"]:checked').value, 'soon');
    assert(!deep(widget, 'permanence-callback-form', '[part="after-hours"]'), 'no after-hours guidance while open');
  });
});

describe('a closed practice, said before sending', () => {
  it('says it is closed and when it reopens, offers the reopening and its windows, and the after-hours guidance instead of "today" and "urgent"', async () => {
    withHours(CLOSED, { afterHours: AFTER_HOURS });
    const widget = await readyWidget();
    const reopening = new Intl.DateTimeFormat('fr-FR', { weekday: 'long', timeZone: 'Europe/Paris' }).format(new Date(Date.now() + 2 * DAY));
    equal(text(deep(widget, 'permanence-callback-form', '[part="closed"]')), `Le cabinet est fermé. Votre demande sera traitée à la réouverture, ${reopening} à 08:30.`);
    const labels = choiceLabels(widget);
    equal(labels[0], 'À la réouverture');
    assert(labels.length === 3 && labels.slice(1).every((label) => label.startsWith(reopening[0]!.toUpperCase() + reopening.slice(1))), labels.join(' | '));
    assert(!deep(widget, 'permanence-callback-form', 'input[value="soon"]') && !deep(widget, 'permanence-callback-form', 'input[value="urgent"]'), 'no "today", no "urgent"');
    const guidance = deep(widget, 'permanence-callback-form', '[part="after-hours"]')!;
    assert(text(guidance).includes('Le soir, appelez le médecin de garde.'), text(guidance));
    equal(deep<HTMLAnchorElement>(widget, 'permanence-callback-form', '[part="after-hours"] a.call')?.getAttribute('href'), 'tel:0147077777');
    const numbers = Array.from(guidance.querySelectorAll('a:not(.call)')).map((a) => a.getAttribute('href'));
    equal(numbers, ['tel:15', 'tel:112', 'sms:114']);
    // The guidance comes right after the question it answers, before the confirmation and the send button.
    assert(guidance.previousElementSibling?.tagName === 'FIELDSET', 'after the question');
  });

  it('moves the guidance beside a reason that needs a doctor tonight, once', async () => {
    withHours(CLOSED, { afterHours: AFTER_HOURS });
    const widget = await readyWidget('practice="cabinet-martin" lang="en"');
    type(field<HTMLTextAreaElement>(widget, '#reason'), 'My daughter is 2 and has had a high fever since tonight');
    await settle(form(widget));
    const all = form(widget).shadowRoot!.querySelectorAll('[part="after-hours"]');
    equal(all.length, 1, 'shown once');
    assert(all[0]!.previousElementSibling?.querySelector('#reason'), 'right after the reason');
    assert(text(all[0]!).includes('In the evening, call the doctor on duty.'), text(all[0]!));
    equal(field(widget, 'input[name="urgency"]:checked').value, 'routine', 'still a request for the reopening');
  });

  it('points to 116 117 and the 15 when the practice gave no guidance', async () => {
    withHours(CLOSED);
    const widget = await readyWidget('practice="cabinet-martin" lang="en"');
    const guidance = deep(widget, 'permanence-callback-form', '[part="after-hours"]')!;
    assert(text(guidance).includes('116 117') && text(guidance).includes('call 15'), text(guidance));
    equal(deep<HTMLAnchorElement>(widget, 'permanence-callback-form', '[part="after-hours"] a.call')?.getAttribute('href'), 'tel:116117');
    equal(text(deep(widget, 'permanence-callback-form', '[part="after-hours"] a.call')), 'Call 116 117');
  });

  it('passes axe-core with the closed notice, the reopening windows and the guidance beside the reason', async () => {
    withHours(CLOSED, { afterHours: AFTER_HOURS });
    const widget = await readyWidget();
    type(field<HTMLTextAreaElement>(widget, '#reason'), 'Mon fils a de la fièvre et la douleur augmente');
    await settle(form(widget));
    const axe = await loadAxe();
    const { violations } = await axe.run(widget, { resultTypes: ['violations'] });
    equal(violations.map((v) => `${v.id}: ${v.help}`), []);
  });

  it('lets the patient leave a request for the reopening', async () => {
    let sent: Record<string, any> = {};
    fakeService({ config: (slug) => json(200, practiceConfig(slug, { hours: CLOSED })), callback: (_s, body) => ((sent = body), json(201, created())) });
    const widget = await readyWidget();
    fillValidForm(widget);
    field<HTMLButtonElement>(widget, 'button[type="submit"]').click();
    await waitFor(() => deep(widget, 'permanence-callback-form', 'permanence-callback-receipt'), 'the receipt');
    equal([sent.urgency, 'preferredWindow' in sent], ['routine', false]);
  });
});
