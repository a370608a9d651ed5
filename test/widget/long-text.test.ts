/** Text the practice typed, however long or broken, in a real Chromium: it wraps inside the card and never takes the rest down with it. */
import '../../widget/index.js';
import { assert, deep, equal, fakeService, json, mount, practiceConfig, restoreFetch, unmountAll, waitFor } from './helpers.js';

afterEach(() => {
  unmountAll();
  restoreFetch();
});

/** A widget inside a column as wide as a phone's screen (390 px), once its form is drawn. */
async function widgetIn(width: number, overrides: Parameters<typeof practiceConfig>[1]): Promise<{ container: HTMLElement; widget: HTMLElement }> {
  fakeService({ config: (slug) => json(200, practiceConfig(slug, overrides)) });
  const container = mount(`<div style="width: ${width}px"><permanence-widget practice="cabinet-martin" lang="fr"></permanence-widget></div>`).firstElementChild as HTMLElement;
  const widget = container.querySelector('permanence-widget')!;
  await waitFor(() => deep(widget, 'permanence-callback-form', 'form'), 'the form');
  return { container, widget };
}

describe('long and broken text from the practice', () => {
  it('wraps a 60-character name and a 4,000-character word within a 390 px column, phone number whole', async () => {
    const name = 'Cabinet' + 'M'.repeat(53);
    const word = 'x'.repeat(4000);
    const { container, widget } = await widgetIn(390, { practice: { ...practiceConfig().practice, name }, instructions: { fr: `Avant.\n\n${word}\n\nAprès.` } });
    const base = deep(widget, '.base')!;
    assert(widget.getBoundingClientRect().width <= 390, `host ${widget.getBoundingClientRect().width} px wide`);
    assert(container.scrollWidth <= 390, `content ${container.scrollWidth} px wide in a 390 px column`);
    assert(base.scrollWidth <= base.clientWidth, `card ${base.scrollWidth} px wide inside ${base.clientWidth} px`);
    const form = deep(widget, 'permanence-callback-form')!;
    assert(form.getBoundingClientRect().right <= base.getBoundingClientRect().right, 'the form stays in its card');
    // The name breaks inside the word only because it cannot fit on a line.
    const title = deep(widget, 'h2')!;
    equal(title.textContent, name);
    assert(title.getBoundingClientRect().width <= base.clientWidth, 'the name wraps');
    const paragraphs = deep(widget, 'permanence-instructions')!.shadowRoot!.querySelectorAll('p');
    equal(Array.from(paragraphs, (p) => p.textContent!.length), [6, 4000, 6], 'every paragraph drawn');
    const phone = deep(widget, '.header a .phone')!;
    equal(phone.textContent, '01 42 86 82 00');
    equal(phone.getClientRects().length, 1, 'the phone number on one line');
  });

  it('keeps a phone number whole on a line of its own when the column is too narrow for the sentence', async () => {
    const { widget } = await widgetIn(200, {});
    const phone = deep(widget, '.header a .phone')!;
    equal(phone.getClientRects().length, 1, 'the phone number on one line');
    assert(deep(widget, '.header a')!.getClientRects().length > 1, 'the sentence around it wraps');
  });

  it('draws the other paragraphs of instructions holding a link that cannot be decoded, the link as its text', async () => {
    const { widget } = await widgetIn(390, { instructions: { fr: 'Bonjour.\n\n[écrire](mailto:%E0%A4%A)\n\n- Venez **seul**\n- [le plan](https://example.org/plan)' } });
    const instructions = await waitFor(() => deep(widget, 'permanence-instructions'), 'the instructions');
    const root = instructions.shadowRoot!;
    equal(Array.from(root.querySelectorAll('p'), (p) => p.textContent), ['Bonjour.', 'écrire']);
    equal(Array.from(root.querySelectorAll('li'), (li) => li.textContent), ['Venez seul', 'le plan']);
    equal(Array.from(root.querySelectorAll('a'), (a) => a.getAttribute('href')), ['https://example.org/plan'], 'only the link that opens');
  });
});
