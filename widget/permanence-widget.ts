/** `<permanence-widget>`: the element a practice pastes into its site; loads the practice and shows hours, instructions and the callback form. */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { toLang, type Lang } from '../shared/i18n.js';
import { widgetText } from '../shared/messages/widget.js';
import type { WidgetConfig } from '../shared/schemas.js';
import { fetchWidgetConfig } from './api.js';
import { PermanenceErrorEvent, PermanenceReadyEvent } from './events.js';
import { sharedStyles } from './shared.styles.js';
import { widgetStyles } from './permanence-widget.styles.js';

/** Where `widget.js` was served from: the service, unless the page says otherwise with `api`. */
const scriptOrigin = new URL(import.meta.url).origin;

type LoadState = 'loading' | 'ready' | 'unavailable' | 'not_found';

/** The patient's language: the element's `lang`, else the page's nearest `lang`, else the browser's, else French. */
export function detectLang(element: Element, explicit: string | null | undefined): Lang {
  const fromPage = element.parentElement?.closest('[lang]')?.getAttribute('lang');
  return toLang(explicit) ?? toLang(fromPage) ?? navigator.languages.map((tag) => toLang(tag)).find(Boolean) ?? 'fr';
}

/** `+33142868200` → `01 42 86 82 00`, the way French patients read and dial a number; anything else as given. */
export function displayPhone(phone: string): string {
  const french = /^\+33(\d{9})$/.exec(phone.replace(/[\s.]/g, ''));
  return french ? `0${french[1]}`.replace(/(\d{2})(?=\d)/g, '$1 ') : phone;
}

/**
 * A practice's opening hours, visit instructions and callback form, for its patients.
 * Element content (e.g. `<a href="tel:…">`) is the fallback shown while loading and when the service cannot be reached.
 *
 * @fires permanence-ready - The practice loaded; `detail.practice` is its slug.
 * @fires permanence-submitted - A callback request was queued; `detail.ref` is its reference.
 * @fires permanence-error - The practice could not be loaded or a request not sent; `detail.code` says why.
 *
 * @slot - Fallback content, shown while loading and when the service is unreachable.
 *
 * @csspart base - The card around everything.
 * @csspart header - The practice's name and phone.
 * @csspart notice - The "form unavailable" message.
 * @csspart hours - The opening hours panel. Its own parts: `status`, `week`, `today`, `closures`.
 * @csspart instructions - The visit instructions.
 * @csspart form - The callback form. Its own parts: `field`, `label`, `input`, `hint`, `error`, `submit`, `alert`.
 * @csspart emergency - The emergency numbers panel (parts `emergency-link`).
 * @csspart receipt - The confirmation shown once the request is queued (part `reference`).
 *
 * @cssproperty --permanence-accent - Buttons, selected choices and headings' accent. Default `#0b5cad`.
 * @cssproperty --permanence-on-accent - Text on the accent colour. Default `#ffffff`.
 * @cssproperty --permanence-font - Font family. Default: the system font.
 * @cssproperty --permanence-radius - Corner radius of the card, fields and buttons. Default `10px`.
 * @cssproperty --permanence-surface - Card background. Default `#ffffff`.
 * @cssproperty --permanence-text - Text colour. Default `#1b1f24`.
 * @cssproperty --permanence-muted - Secondary text colour. Default `#4a5260`.
 * @cssproperty --permanence-border - Borders of the card and fields. Default `#8a94a3`.
 * @cssproperty --permanence-danger - Error messages. Default `#b42318`.
 * @cssproperty --permanence-emergency - The emergency panel. Default `#a3120b`.
 * @cssproperty --permanence-link - Links. Default `#0b5cad`.
 * @cssproperty --permanence-focus - The keyboard focus ring. Default `#d97706`.
 */
export class PermanenceWidget extends LitElement {
  static override styles = [sharedStyles, widgetStyles];

  /** The practice's slug, e.g. `cabinet-martin`. Required. */
  @property({ reflect: true }) accessor practice = '';

  /** `fr` or `en`; when absent, the page's and then the browser's language. */
  @property() override accessor lang = '';

  /** Base URL of the service; defaults to the origin this script was loaded from. */
  @property() accessor api = '';

  @state() private accessor config: WidgetConfig | undefined = undefined;
  @state() private accessor loadState: LoadState = 'loading';
  @state() private accessor now = new Date();

  private loading: AbortController | undefined;
  private clock: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    // The open/closed line goes stale; a minute is as fine as opening hours get.
    this.clock = setInterval(() => (this.now = new Date()), 60_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.clock);
    this.loading?.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('practice') || changed.has('api')) void this.load();
  }

  private get resolvedLang(): Lang {
    return detectLang(this, this.lang);
  }

  private async load(): Promise<void> {
    this.loading?.abort();
    const controller = (this.loading = new AbortController());
    this.loadState = 'loading';
    this.config = undefined;
    if (!this.practice) return;
    const result = await fetchWidgetConfig(this.api || scriptOrigin, this.practice, controller.signal);
    if (controller.signal.aborted) return;
    if (result.ok) {
      this.config = result.value;
      this.now = new Date();
      this.loadState = 'ready';
      await this.updateComplete;
      this.dispatchEvent(new PermanenceReadyEvent({ practice: this.practice }));
      return;
    }
    const notFound = result.failure.kind === 'http' && result.failure.status === 404;
    this.loadState = notFound ? 'not_found' : 'unavailable';
    const code = notFound ? 'not_found' : result.failure.kind === 'network' ? 'unreachable' : result.failure.kind === 'http' ? result.failure.code : result.failure.kind;
    this.dispatchEvent(new PermanenceErrorEvent({ code }));
  }

  protected override render() {
    const lang = this.resolvedLang;
    const config = this.config;
    if (this.loadState !== 'ready' || !config) {
      const message = this.loadState === 'loading' ? null : widgetText(lang, 'unavailable');
      return html`<div part="base" class="base" lang=${lang}>
        ${message ? html`<p part="notice" class="notice" role="alert">${message}</p>` : html`<p class="muted" role="status">${widgetText(lang, 'loading')}</p>`}
        <slot></slot>
      </div>`;
    }
    const instructions = config.instructions[lang] ?? config.instructions[lang === 'fr' ? 'en' : 'fr'];
    // The sentence may wrap around the number; the number, in its own span, never breaks.
    const [beforePhone, afterPhone] = widgetText(lang, 'callPractice', { phone: '\n' }).split('\n');
    return html`<div part="base" class="base" lang=${lang}>
      <header part="header">
        <h2>${config.practice.name}</h2>
        <a href="tel:${config.practice.phone}">${beforePhone}<span class="phone">${displayPhone(config.practice.phone)}</span>${afterPhone}</a>
      </header>
      <permanence-hours-panel part="hours" exportparts="status,week,today,closures" .hours=${config.hours} .now=${this.now} .language=${lang}></permanence-hours-panel>
      ${instructions ? html`<permanence-instructions part="instructions" .source=${instructions} .language=${lang}></permanence-instructions>` : nothing}
      <permanence-callback-form
        part="form"
        exportparts="field,label,input,hint,error,submit,alert,emergency,emergency-link,receipt,reference"
        .config=${config}
        .api=${this.api || scriptOrigin}
        .now=${this.now}
        .language=${lang}
      ></permanence-callback-form>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-widget': PermanenceWidget;
  }
}
