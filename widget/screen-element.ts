/**
 * The base of every element of the widget (the card, the hours, the instructions, and in the form's chunk the form,
 * the receipt, the emergency panel): lit-html templates in an open shadow root, drawn again once per microtask after a
 * reactive property changes, styles adopted as constructable stylesheets (which a strict CSP allows, where a <style>
 * would be refused). Not LitElement: it, ReactiveElement, Lit's css tag and the decorators' helpers weigh 4 KB gzipped,
 * near a third of the 13 KB that may be fetched before the status line shows, and a sixth of the widget's 25 KB.
 * What the widget uses of Lit's lifecycle is here, by the same names: `willUpdate(changed)`, `render()`, `updated()`,
 * `updateComplete`, `requestUpdate()`.
 */
import { render, type TemplateResult, nothing } from 'lit/html.js';

/**
 * A stylesheet of the widget (plain CSS, nothing interpolated), made once and shared by every widget on the page.
 * Browsers without constructable stylesheets (Safari before 16.4) stop here and keep the page's fallback content: under
 * the strict CSP of a practice site, a <style> element would be refused anyway.
 */
export function css(strings: TemplateStringsArray, ..._none: never[]): CSSStyleSheet {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(strings[0]!);
  return sheet;
}

export abstract class ScreenElement extends HTMLElement {
  static styles: CSSStyleSheet[] = [];

  /**
   * Makes reactive properties of `defaults`' keys, each reading as its default until set: each stores its value and,
   * when it changes, asks for the element to be drawn again. Properties only, no attributes: the widget's inner
   * elements are given their values by the templates that draw them. A default is shared by every instance: an object
   * or array given as one is never changed in place, only replaced.
   */
  static reactive(defaults: Record<string, unknown>): void {
    for (const name of Object.keys(defaults)) {
      Object.defineProperty(this.prototype, name, {
        get(this: ScreenElement) {
          return this.#values.has(name) ? this.#values.get(name) : defaults[name];
        },
        set(this: ScreenElement, value: unknown) {
          if (this.#values.get(name) === value && this.#values.has(name)) return;
          this.#values.set(name, value);
          this.#changed.add(name);
          this.requestUpdate();
        },
        configurable: true,
      });
    }
  }

  readonly renderRoot: ShadowRoot;
  /** Resolves once the element is drawn with its latest values, as Lit's `updateComplete` does. */
  updateComplete: Promise<boolean> = Promise.resolve(true);
  // `#` names: a subclass's own `values` or `changed` (the form has its `values`) can never collide with these.
  #values = new Map<string, unknown>();
  /** The reactive properties set since the element was last drawn, for `willUpdate`. */
  #changed = new Set<string>();
  #scheduled = false;

  constructor() {
    super();
    // Values set before the element was defined are own properties hiding its accessors: they go through them, so they count.
    const self = this as unknown as Record<string, unknown>;
    for (const name of Object.keys(this)) {
      const value = self[name];
      delete self[name];
      self[name] = value;
    }
    this.renderRoot = this.attachShadow({ mode: 'open' });
    this.renderRoot.adoptedStyleSheets = (this.constructor as typeof ScreenElement).styles;
  }

  connectedCallback(): void {
    this.requestUpdate();
  }

  /** Draws the element again once the running script is done, once however many properties changed. */
  requestUpdate(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.updateComplete = Promise.resolve().then(() => {
      // Only once on the page: an element not attached yet would be drawn for nothing; it keeps what changed till then.
      if (!this.isConnected) {
        this.#scheduled = false;
        return true;
      }
      // Still scheduled while it runs: what willUpdate sets is part of this drawing, as in Lit, not the cause of another.
      this.willUpdate(this.#changed);
      this.#changed = new Set();
      this.#scheduled = false;
      render(this.render(), this.renderRoot, { host: this });
      this.updated();
      return !this.#scheduled;
    });
  }

  /** Before each drawing, with the names of the reactive properties set since the last one: derives values from them. */
  protected willUpdate(_changed: ReadonlySet<string>): void {}

  protected abstract render(): TemplateResult | typeof nothing;

  /** After each drawing. */
  protected updated(): void {}
}
