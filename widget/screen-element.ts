/**
 * The base of the elements that draw the widget's first screen (the card, the hours, the instructions): lit-html
 * templates in an open shadow root, drawn again once per microtask after a reactive property changes, styles adopted
 * as constructable stylesheets (which a strict CSP allows, where a <style> would be refused). Not LitElement: it,
 * ReactiveElement and Lit's css tag weigh 3 KB gzipped, near a quarter of the 13 KB that may be fetched before the
 * status line shows. The callback form, fetched later, is a LitElement; both draw with the same lit-html.
 */
import { render, type TemplateResult, nothing } from 'lit/html.js';

/**
 * A stylesheet of the first screen (plain CSS, nothing interpolated), made once and shared by every widget on the page;
 * the callback form (LitElement) adopts these as they are. Browsers without constructable stylesheets (Safari before
 * 16.4) stop here and keep the page's fallback content: under the strict CSP of a practice site, a <style> element
 * would be refused anyway.
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
   * when it changes, asks for the element to be drawn again.
   */
  static reactive(defaults: Record<string, unknown>): void {
    for (const name of Object.keys(defaults)) {
      Object.defineProperty(this.prototype, name, {
        get(this: ScreenElement) {
          return this.values.has(name) ? this.values.get(name) : defaults[name];
        },
        set(this: ScreenElement, value: unknown) {
          if (this.values.get(name) === value && this.values.has(name)) return;
          this.values.set(name, value);
          this.requestUpdate();
        },
        configurable: true,
      });
    }
  }

  readonly renderRoot: ShadowRoot;
  /** Resolves once the element is drawn with its latest values, as Lit's `updateComplete` does. */
  updateComplete: Promise<boolean> = Promise.resolve(true);
  private values = new Map<string, unknown>();
  private scheduled = false;

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
    if (this.scheduled) return;
    this.scheduled = true;
    this.updateComplete = Promise.resolve().then(() => {
      this.scheduled = false;
      // Only once on the page: an element not attached yet would be drawn for nothing.
      if (!this.isConnected) return true;
      render(this.render(), this.renderRoot, { host: this });
      this.updated();
      return !this.scheduled;
    });
  }

  protected abstract render(): TemplateResult | typeof nothing;

  /** After each drawing. */
  protected updated(): void {}
}
