/** Under a host page's strict CSP (no 'unsafe-inline' styles) the widget is styled and trips no violation. */
import '../../widget/index.js';
import { assert, deep, equal, fakeService, field, fillValidForm, readyWidget, restoreFetch, unmountAll, waitFor } from './helpers.js';

const violations: string[] = [];

/** Every element under `root`, through shadow roots. */
function allElements(root: Element | ShadowRoot): Element[] {
  return Array.from(root.querySelectorAll('*')).flatMap((el) => [el, ...(el.shadowRoot ? allElements(el.shadowRoot) : [])]);
}

describe('under a strict Content-Security-Policy', () => {
  before(() => {
    // A meta policy inserted now is enforced from now on: this file runs in its own page, so no other test is affected.
    const meta = document.createElement('meta');
    meta.httpEquiv = 'Content-Security-Policy';
    meta.content = "style-src 'self'";
    document.head.append(meta);
    document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.sourceFile}:${e.lineNumber}`));
  });

  afterEach(() => {
    unmountAll();
    restoreFetch();
  });

  it('applies its styles and reports no violation, through the form and the receipt', async () => {
    fakeService();
    const widget = await readyWidget();
    const base = deep(widget, '.base')!;
    equal(getComputedStyle(base).display, 'grid', 'the stylesheet applied');
    fillValidForm(widget);
    field<HTMLButtonElement>(widget, 'button[type="submit"]').click();
    await waitFor(() => deep(widget, 'permanence-callback-form', 'permanence-callback-receipt'), 'the receipt');
    await new Promise((resolve) => setTimeout(resolve, 50));
    equal(violations, []);
    const styled = allElements(widget.shadowRoot!).filter((el) => el.hasAttribute('style'));
    assert(styled.length === 0, `style attributes found on ${styled.map((el) => el.tagName).join(', ')}`);
  });
});
