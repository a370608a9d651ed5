/** axe-core over the widget in its form, error and success states, alone and two on a page: no violation at all. */
import '../../widget/index.js';
import { deep, fakeService, field, fillValidForm, json, mount, practiceConfig, readyWidget, restoreFetch, settle, type, unmountAll, waitFor } from './helpers.js';

interface AxeResults {
  violations: { id: string; help: string; nodes: { target: unknown[] }[] }[];
}
declare global {
  interface Window {
    axe?: { run(context: Element, options?: object): Promise<AxeResults> };
  }
}

async function loadAxe(): Promise<NonNullable<Window['axe']>> {
  if (!window.axe) {
    const script = document.createElement('script');
    script.src = '/node_modules/axe-core/axe.min.js';
    document.head.append(script);
    await new Promise((resolve, reject) => ((script.onload = resolve), (script.onerror = reject)));
  }
  return window.axe!;
}

async function expectNoViolation(element: Element): Promise<void> {
  const results = await (await loadAxe()).run(element, { resultTypes: ['violations'] });
  if (results.violations.length) {
    throw new Error(results.violations.map((v) => `${v.id}: ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`).join('\n'));
  }
}

const realError = console.error;
afterEach(() => {
  console.error = realError;
  unmountAll();
  restoreFetch();
});

describe('accessibility (axe-core)', () => {
  it('finds no violation in the blank form', async () => {
    fakeService();
    await expectNoViolation(await readyWidget());
  });

  it('finds no violation with field errors and the emergency panel shown', async () => {
    fakeService();
    const widget = await readyWidget('practice="cabinet-martin" lang="en"');
    const reason = field<HTMLTextAreaElement>(widget, '#reason');
    reason.value = 'chest pain, cannot breathe';
    reason.dispatchEvent(new Event('input'));
    field<HTMLButtonElement>(widget, 'button[type="submit"]').click();
    await waitFor(() => deep(widget, 'permanence-callback-form', '#name-error'), 'the errors');
    await expectNoViolation(widget);
  });

  it('finds no violation on the success view', async () => {
    fakeService();
    const widget = await readyWidget();
    fillValidForm(widget);
    field<HTMLButtonElement>(widget, 'button[type="submit"]').click();
    const receipt = await waitFor(() => deep(widget, 'permanence-callback-form', 'permanence-callback-receipt'), 'the receipt');
    await settle(receipt);
    await expectNoViolation(widget);
  });
});

describe('accessibility of a page with two widgets (axe-core, every rule: no landmark of theirs, no id twice)', () => {
  /** Two practices side by side, in a page of its own with a main landmark, as a practice's site would have. */
  function twoWidgets(content = '<a href="tel:+33142868200">01 42 86 82 00</a>'): { page: HTMLElement; widgets: HTMLElement[] } {
    const page = mount(`<main><h1>Nos cabinets</h1>
      <permanence-widget practice="cabinet-martin" lang="fr">${content}</permanence-widget>
      <permanence-widget practice="kine-durand" lang="fr">${content}</permanence-widget></main>`);
    return { page, widgets: Array.from(page.querySelectorAll('permanence-widget')) };
  }
  const formsOf = (widgets: HTMLElement[]) => waitFor(() => widgets.every((w) => deep(w, 'permanence-callback-form', 'form')), 'both forms');

  it('finds none while loading, and once both forms are drawn', async () => {
    let answer: (response: Response) => void = () => {};
    const later = new Promise<Response>((resolve) => (answer = resolve));
    fakeService({ config: () => later as unknown as Response });
    const { page, widgets } = twoWidgets();
    await settle(widgets[0]!);
    await expectNoViolation(page);
    answer(json(200, practiceConfig()));
    restoreFetch();
    fakeService();
    unmountAll();
    const ready = twoWidgets();
    await formsOf(ready.widgets);
    await expectNoViolation(ready.page);
  });

  it('finds none with field errors and the emergency panel in one, the other untouched', async () => {
    fakeService();
    const { page, widgets } = twoWidgets();
    await formsOf(widgets);
    type(field<HTMLTextAreaElement>(widgets[0]!, '#reason'), 'douleur dans la poitrine, je n’arrive plus à respirer');
    field<HTMLButtonElement>(widgets[0]!, 'button[type="submit"]').click();
    await waitFor(() => deep(widgets[0]!, 'permanence-callback-form', '#name-error'), 'the errors');
    await expectNoViolation(page);
  });

  it('finds none with both receipts shown', async () => {
    fakeService();
    const { page, widgets } = twoWidgets();
    await formsOf(widgets);
    for (const widget of widgets) {
      fillValidForm(widget);
      field<HTMLButtonElement>(widget, 'button[type="submit"]').click();
    }
    for (const widget of widgets) await settle(await waitFor(() => deep(widget, 'permanence-callback-form', 'permanence-callback-receipt'), 'a receipt'));
    await expectNoViolation(page);
  });

  it('finds none when the service cannot be reached, an unknown practice, or a site not allowed: the fallback and the notice', async () => {
    console.error = () => {};
    for (const reply of ['network', json(404, { error: { code: 'not_found', message: '' } }), json(403, { error: { code: 'origin_not_allowed', message: '' } })] as const) {
      fakeService({ config: () => (reply === 'network' ? 'network' : reply.clone()) });
      const { page, widgets } = twoWidgets();
      await waitFor(() => widgets.every((w) => deep(w, '[part="notice"]')), 'both notices');
      await expectNoViolation(page);
      unmountAll();
      restoreFetch();
    }
  });
});
