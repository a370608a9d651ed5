/** The widget's first screen on a phone and for the webmaster: the call-back action, dated week, folded instructions, whole phone numbers, console messages. */
import '../../widget/index.js';
import { activeElement, assert, deep, equal, fakeService, json, mount, practiceConfig, readyWidget, restoreFetch, settle, unmountAll, waitFor } from './helpers.js';

const LONG_INSTRUCTIONS = [
  'Pour que chacun soit reçu dans de bonnes conditions, merci de respecter ces quelques consignes :',
  '',
  '- **Arrivez à l’heure, pas en avance** : la salle d’attente est petite.',
  '- **Portez un masque** dans la salle d’attente.',
  '- **Vous avez de la fièvre ?** Ne venez pas : appelez le 01 42 86 82 00 ou le 116 117.',
  '- **Venez seul**, sauf si vous avez besoin d’être accompagné.',
  '',
  'Pensez à apporter votre **carte Vitale**. Plan : [le cabinet](https://example.org/plan), ou [appelez-nous](tel:01 42 86 82 00).',
].join('\n');

const errors: unknown[][] = [];
const realError = console.error;

beforeEach(() => {
  errors.length = 0;
  console.error = (...args: unknown[]) => void errors.push(args);
});

afterEach(() => {
  console.error = realError;
  unmountAll();
  restoreFetch();
});

/** A widget in a column `width` px wide, with the practice's instructions given, once its form is drawn. */
async function widgetIn(width: number, lang = 'fr'): Promise<HTMLElement> {
  fakeService({ config: (slug) => json(200, practiceConfig(slug, { instructions: { fr: LONG_INSTRUCTIONS, en: 'Come **alone**.' } })) });
  return readyWidget(`practice="cabinet-martin" lang="${lang}" style="width: ${width}px"`);
}

const instructions = (widget: Element) => deep(widget, 'permanence-instructions')!;
const visible = (element: Element) => element.getClientRects().length > 0;

describe('the first screen', () => {
  it('dates each row of the week the short way, and says the whole date to screen readers', async () => {
    fakeService();
    const widget = await readyWidget();
    const rows = Array.from(deep(widget, 'permanence-hours-panel')!.shadowRoot!.querySelectorAll('th'));
    equal(rows.length, 7);
    for (const th of rows) assert(/^[a-zéû]{3,4}\. \d{1,2} [a-zéû]{3,5}\.?$/.test(th.textContent!.trim()), `row "${th.textContent}"`);
    assert(/^[a-z]+ \d{1,2} [a-zéû]+ \(aujourd'hui\)$/.test(rows[0]!.getAttribute('aria-label')!), rows[0]!.getAttribute('aria-label')!);
    const english = await readyWidget('practice="cabinet-martin" lang="en"');
    const first = deep(english, 'permanence-hours-panel')!.shadowRoot!.querySelector('th')!;
    assert(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2}$/.test(first.textContent!.trim()), first.textContent!);
  });

  it('folds long instructions on a phone, the rest one tap away, and shows them whole on a wide screen', async () => {
    const phone = await widgetIn(390);
    const root = instructions(phone).shadowRoot!;
    const items = Array.from(root.querySelectorAll('li'));
    const toggle = root.querySelector<HTMLButtonElement>('button[part="instructions-toggle"]')!;
    assert(visible(toggle), 'the toggle shows');
    equal(toggle.getAttribute('aria-expanded'), 'false');
    equal(toggle.textContent!.trim(), 'Lire toutes les consignes');
    assert(visible(root.querySelector('p')!) && visible(items[0]!), 'the first lines show');
    assert(!visible(items.at(-1)!), 'the last item is folded away');
    toggle.click();
    await settle(instructions(phone));
    equal(toggle.getAttribute('aria-expanded'), 'true');
    assert(items.every(visible), 'every item shows once unfolded');
    equal(toggle.textContent!.trim(), 'Réduire les consignes');

    const desk = await widgetIn(640);
    const wide = instructions(desk).shadowRoot!;
    assert(Array.from(wide.querySelectorAll('li, p')).every(visible), 'all of it shows on a wide screen');
    assert(!visible(wide.querySelector('button')!), 'no toggle on a wide screen');
  });

  it('keeps phone numbers in the instructions whole, and dials tel: links without spaces', async () => {
    const widget = await widgetIn(390);
    instructions(widget).shadowRoot!.querySelector<HTMLButtonElement>('button')!.click();
    await settle(instructions(widget));
    const numbers = Array.from(instructions(widget).shadowRoot!.querySelectorAll('.phone'), (span) => span.textContent);
    equal(numbers, ['01 42 86 82 00', '116 117']);
    for (const span of instructions(widget).shadowRoot!.querySelectorAll('.phone')) equal(getComputedStyle(span).whiteSpace, 'nowrap');
    equal(deep<HTMLAnchorElement>(instructions(widget), 'a[href^="tel:"]')!.getAttribute('href'), 'tel:0142868200');
    equal(deep<HTMLAnchorElement>(widget, '.header a')!.getAttribute('href'), 'tel:+33142868200');
  });

  it('takes the patient to the form with "Être rappelé", focus on its title', async () => {
    fakeService();
    const widget = await readyWidget('practice="cabinet-martin" lang="fr" style="width: 390px"');
    const action = deep<HTMLButtonElement>(widget, 'button[part="callback-action"]')!;
    equal(action.textContent!.trim(), 'Être rappelé');
    action.click();
    await waitFor(() => activeElement()?.id === 'form-title', 'focus on the form title');
    const title = activeElement()!;
    assert(title.getBoundingClientRect().top < innerHeight && title.getBoundingClientRect().bottom > 0, 'the form title in view');
  });

  it('says the form is unavailable with the fallback phone, and tells the webmaster which attribute is missing', async () => {
    const calls = fakeService();
    const container = mount('<permanence-widget lang="fr"><a href="tel:+33142868200">01 42 86 82 00</a></permanence-widget>');
    const widget = container.querySelector('permanence-widget')!;
    await waitFor(() => deep(widget, '[part="notice"]'), 'the notice');
    await waitFor(() => errors.length, 'the console message');
    assert(String(errors[0]![0]).includes('practice="cabinet-martin"'), String(errors[0]![0]));
    equal(calls.length, 0, 'nothing asked of the service');
    assert(visible(widget.querySelector('a')!), 'the fallback phone shows');
  });

  it('tells the webmaster the practice is unknown, naming it and the service', async () => {
    fakeService({ config: () => json(404, { error: { code: 'not_found', message: 'No practice' } }) });
    const seen = new Promise<string>((resolve) => document.addEventListener('permanence-error', (e) => resolve(e.detail.code), { once: true }));
    const container = mount('<permanence-widget practice="cabinet-martn" lang="en" api="https://permanence.example"><a href="tel:+33142868200">01 42 86 82 00</a></permanence-widget>');
    equal(await seen, 'not_found');
    await waitFor(() => errors.length, 'the console message');
    const message = String(errors[0]![0]);
    assert(message.includes('"cabinet-martn"') && message.includes('https://permanence.example') && message.includes('practice attribute'), message);
    assert(deep(container.querySelector('permanence-widget')!, '[part="notice"]')!.textContent!.includes('unavailable'), 'the patient is told');
  });

  it('tells the webmaster the exact origin to add when the site is not allowed', async () => {
    fakeService({ config: () => json(403, { error: { code: 'origin_not_allowed', message: 'Not allowed' } }) });
    const seen = new Promise<string>((resolve) => document.addEventListener('permanence-error', (e) => resolve(e.detail.code), { once: true }));
    mount('<permanence-widget practice="cabinet-martin" lang="fr"></permanence-widget>');
    equal(await seen, 'origin_not_allowed');
    await waitFor(() => errors.length, 'the console message');
    const message = String(errors[0]![0]);
    assert(message.includes(`Ajoutez ${location.origin} aux «\u00a0Sites autorisés\u00a0»`), message);
  });
});
