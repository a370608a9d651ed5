/** axe-core over the widget in its form, error and success states: no violation at all. */
import '../../widget/index.js';
import { deep, fakeService, field, fillValidForm, readyWidget, restoreFetch, settle, unmountAll, waitFor } from './helpers.js';

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

afterEach(() => {
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
