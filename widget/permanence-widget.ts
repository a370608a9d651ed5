/** `<permanence-widget>`: the element a practice pastes into its site; loads the practice and shows hours, instructions and the callback form. */
import { html, nothing } from 'lit/html.js';
import type { Lang } from '../shared/i18n.js';
import type { WidgetConfig } from '../shared/schemas.js';
import { fetchWidgetConfig, type ApiFailure } from './api.js';
import { PermanenceErrorEvent, PermanenceReadyEvent } from './events.js';
import { hasWidgetMessages, loadWidgetMessages, unavailableText, widgetText, type WidgetMessageKey } from './messages.js';
import { displayPhone, telHref } from './phone-link.js';
import { detectLang, scriptOrigin, takePrefetched } from './prefetch.js';
import { ScreenElement } from './screen-element.js';
import { baseStyles } from './base.styles.js';
import { widgetStyles } from './permanence-widget.styles.js';

export { displayPhone } from './phone-link.js';
export { detectLang } from './prefetch.js';

type LoadState = 'loading' | 'ready' | 'unavailable' | 'not_found';
type FormState = 'waiting' | 'loading' | 'ready' | 'failed';

/** Set by scripts/build.js in the built widget; unset when the sources run as they are (the browser tests). */
declare const PERMANENCE_BUNDLE: true | undefined;

/**
 * In the built widget the form's chunk imports what it shares with the first screen from `../widget.js` (scripts/build.js):
 * that is this very module only when the page loaded it at exactly that address. From `widget.js?v=2` the form would
 * bring a second copy of the first screen, without the sentences this one has loaded: it is not fetched at all.
 */
const formCanLoad = typeof PERMANENCE_BUNDLE === 'undefined' || new URL('widget.js', import.meta.url).href === import.meta.url;

let formChunk: (() => Promise<unknown>) | undefined;
let formImport: Promise<unknown> | undefined;

/**
 * How to fetch the form's chunk. The entry says it (index.ts): that chunk imports this module, so naming it here would
 * make the two import each other.
 */
export function setFormChunk(load: () => Promise<unknown>): void {
  formChunk = load;
}

/** The form's chunk, fetched once for every widget on the page; after a failure the next attempt fetches it again. */
function importForm(): Promise<unknown> {
  return (formImport ??= (formChunk?.() ?? Promise.reject(new Error('no form chunk'))).catch((error: unknown) => {
    formImport = undefined;
    throw error;
  }));
}

/** Runs `task` once the browser has nothing better to do, or after `timeout` ms at the latest; Safari has no requestIdleCallback. */
function whenIdle(task: () => void, timeout = 2000): void {
  if ('requestIdleCallback' in window) requestIdleCallback(task, { timeout });
  else setTimeout(task, 200);
}

/**
 * A practice's opening hours, visit instructions and callback form, for its patients. The first screen comes with
 * `widget.js`; the form is a chunk fetched once the browser is idle, or sooner when the patient reaches or asks for it.
 * Element content (e.g. `<a href="tel:…">`) is the fallback shown while loading and when the service cannot be reached.
 * What a webmaster got wrong (no `practice`, an unknown one, a site not allowed) is said in the browser console.
 *
 * @fires permanence-ready - The practice loaded; `detail.practice` is its slug.
 * @fires permanence-submitted - A callback request was queued; `detail.ref` is its reference.
 * @fires permanence-error - The practice could not be loaded or a request not sent; `detail.code` says why
 *   (`no_practice`, `not_found`, `origin_not_allowed`, `unreachable`, `form_unavailable`, or the form's own codes).
 *
 * @slot - Fallback content, shown while loading and when the service is unreachable.
 *
 * @csspart base - The card around everything.
 * @csspart header - The practice's name and phone, and the call-back action.
 * @csspart callback-action - The "Être rappelé" button that takes the patient to the form.
 * @csspart notice - The "form unavailable" message.
 * @csspart hours - The opening hours panel. Its own parts: `status`, `week`, `today`, `closures`.
 * @csspart instructions - The visit instructions. Its own part: `instructions-toggle`, the button that unfolds them on a phone.
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
export class PermanenceWidget extends ScreenElement {
  static override styles = [baseStyles, widgetStyles];
  static observedAttributes = ['practice', 'lang', 'api'];
  static {
    this.reactive({ config: undefined, loadState: 'loading', formState: 'waiting', now: undefined });
  }

  /** The practice's slug, e.g. `cabinet-martin`. Required. */
  get practice(): string {
    return this.getAttribute('practice') ?? '';
  }
  set practice(slug: string) {
    this.setAttribute('practice', slug);
  }

  /** Base URL of the service; defaults to the origin this script was loaded from. `lang` is HTMLElement's own. */
  get api(): string {
    return this.getAttribute('api') ?? '';
  }
  set api(url: string) {
    this.setAttribute('api', url);
  }

  private declare config: WidgetConfig | undefined;
  private declare loadState: LoadState;
  private declare formState: FormState;
  private declare now: Date;

  private connected = false;
  private loading: AbortController | undefined;
  /** The service and practice last loaded: another one is loaded afresh. */
  private loaded: string | undefined;
  private clock: ReturnType<typeof setInterval> | undefined;
  private formInView: IntersectionObserver | undefined;
  private formLoad: Promise<void> | undefined;

  attributeChangedCallback(): void {
    // While the element is upgraded these come first, each attribute in turn; connectedCallback loads once all are read.
    if (this.connected) this.reload();
    this.requestUpdate();
  }

  override connectedCallback(): void {
    this.connected = true;
    // Before the first drawing: the configuration is on its way while the fallback shows.
    this.reload();
    super.connectedCallback();
    this.now = new Date();
    // The open/closed line goes stale; a minute is as fine as opening hours get.
    this.clock = setInterval(() => (this.now = new Date()), 60_000);
  }

  disconnectedCallback(): void {
    this.connected = false;
    clearInterval(this.clock);
    this.loading?.abort();
    this.formInView?.disconnect();
    // Put back in the page, it loads again.
    this.loaded = this.formInView = undefined;
  }

  /** Loads the practice when the service or the practice changed since the last time. */
  private reload(): void {
    const source = `${this.api}|${this.practice}`;
    if (source === this.loaded) return;
    this.loaded = source;
    void this.load();
  }

  private get resolvedLang(): Lang {
    return detectLang(this, this.lang);
  }

  protected override updated(): void {
    if (this.loadState !== 'ready') return;
    // A `lang` changed after loading: that language's sentences, the form's too once the form is here.
    const lang = this.resolvedLang;
    const part = this.formState === 'ready' ? 'all' : 'screen';
    if (!hasWidgetMessages(lang, part)) void loadWidgetMessages(lang, part).then(() => this.requestUpdate(), () => {});
    if (this.formState === 'waiting') this.watchForm();
  }

  /** The practice's configuration and the first screen's sentences, fetched side by side: the first screen needs both. */
  private async load(): Promise<void> {
    this.loading?.abort();
    const controller = (this.loading = new AbortController());
    this.loadState = 'loading';
    this.config = undefined;
    const lang = this.resolvedLang;
    const api = this.api || scriptOrigin;
    if (!this.practice) {
      this.fail('unavailable', 'no_practice');
      this.tellWebmaster('dev_noPractice');
      return;
    }
    const [result, messages] = await Promise.all([
      takePrefetched(api, this.practice) ?? fetchWidgetConfig(api, this.practice, controller.signal),
      loadWidgetMessages(lang).then(() => undefined, (error: unknown) => error),
    ]);
    if (controller.signal.aborted) return;
    if (messages) {
      this.fail('unavailable', 'form_unavailable');
      this.tellWebmaster('dev_chunkFailed', { origin: scriptOrigin }, messages);
    } else if (result.ok) {
      this.config = result.value;
      this.now = new Date();
      this.loadState = 'ready';
      await this.updateComplete;
      this.dispatchEvent(new PermanenceReadyEvent({ practice: this.practice }));
    } else {
      this.explain(result.failure, api);
    }
  }

  /** Shows the patient the fallback with "the form is unavailable", and says in the console what the webmaster can fix. */
  private explain(failure: ApiFailure, api: string): void {
    const code = failure.kind === 'http' ? failure.code : failure.kind === 'network' ? 'unreachable' : failure.kind;
    const practice = this.practice;
    if (failure.kind === 'http' && failure.status === 404) {
      this.fail('not_found', 'not_found');
      this.tellWebmaster('dev_unknownPractice', { practice, api });
      return;
    }
    this.fail('unavailable', code);
    // The service names the origin too; this is the page's own, exactly as it is to be added.
    if (code === 'origin_not_allowed') this.tellWebmaster('dev_originNotAllowed', { origin: location.origin, practice });
  }

  private fail(state: LoadState, code: string): void {
    this.loadState = state;
    this.dispatchEvent(new PermanenceErrorEvent({ code }));
  }

  /** One line in the browser console, in the page's language: what is wrong with the snippet, and the fix. */
  private tellWebmaster(key: WidgetMessageKey, vars?: Record<string, string>, error?: unknown): void {
    const lang = this.resolvedLang;
    loadWidgetMessages(lang, 'dev').then(
      () => console.error(widgetText(lang, key, vars), ...(error ? [error] : [])),
      // No sentence could be fetched either: the browser's own error says which file did not come.
      () => console.error(error ?? key),
    );
  }

  /** Fetches the form once the browser is idle, or as soon as the patient scrolls near it, whichever comes first. */
  private watchForm(): void {
    const form = this.renderRoot.querySelector('.form-room');
    if (!form || this.formInView) return;
    this.formInView = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && void this.loadForm(), { rootMargin: '50%' });
    this.formInView.observe(form);
    whenIdle(() => void this.loadForm());
  }

  /** The form and its sentences, fetched once; asked again after a failure (the call-back action), fetched again. */
  private loadForm(): Promise<void> {
    this.formInView?.disconnect();
    return (this.formLoad ??= this.fetchForm());
  }

  private async fetchForm(): Promise<void> {
    this.formState = 'loading';
    try {
      if (!formCanLoad) throw new Error(import.meta.url);
      await Promise.all([importForm(), loadWidgetMessages(this.resolvedLang, 'all')]);
      this.formState = 'ready';
    } catch (error) {
      this.formState = 'failed';
      this.formLoad = undefined;
      this.dispatchEvent(new PermanenceErrorEvent({ code: 'form_unavailable' }));
      this.tellWebmaster(formCanLoad ? 'dev_chunkFailed' : 'dev_widgetAddress', { origin: scriptOrigin }, error);
    }
  }

  /** "Être rappelé": the form, scrolled to the top of the screen with focus on its title, fetched first if need be. */
  private async handleCallbackAction(): Promise<void> {
    await this.loadForm();
    await this.updateComplete;
    const form: (HTMLElement & { updateComplete?: Promise<unknown> }) | null =
      this.renderRoot.querySelector('permanence-callback-form') ?? this.renderRoot.querySelector<HTMLElement>('[part=notice], .form-room');
    if (!form) return;
    await form.updateComplete;
    // At once rather than smoothly: nothing to turn off for those who ask for less motion.
    form.scrollIntoView({ block: 'start' });
    (form.shadowRoot?.querySelector<HTMLElement>('#form-title') ?? form).focus({ preventScroll: true });
  }

  protected render() {
    const lang = this.resolvedLang;
    const config = this.config;
    // While loading, the page's own content (the practice's phone, as the snippet has it) is what shows.
    if (this.loadState !== 'ready' || !config || !hasWidgetMessages(lang)) {
      const failed = this.loadState === 'unavailable' || this.loadState === 'not_found';
      return html`<div part="base" class="base" lang=${lang}>
        ${failed ? html`<p part="notice" class="notice" role="alert">${unavailableText(lang)}</p>` : nothing}
        <slot></slot>
      </div>`;
    }
    const instructions = config.instructions[lang] ?? config.instructions[lang === 'fr' ? 'en' : 'fr'];
    // The sentence may wrap around the number; the number, in its own span, never breaks.
    const [beforePhone, afterPhone] = widgetText(lang, 'callPractice', { phone: '\n' }).split('\n');
    // Not a <header>: a page with two widgets would have two banners. The card is part of the page, not a landmark of its own.
    return html`<div part="base" class="base" lang=${lang}>
      <div part="header" class="header">
        <h2>${config.practice.name}</h2>
        <a href=${telHref(config.practice.phone)}>${beforePhone}<span class="phone">${displayPhone(config.practice.phone)}</span>${afterPhone}</a>
        <button part="callback-action" class="callback-action" type="button" @click=${this.handleCallbackAction}>${widgetText(lang, 'callbackAction')}</button>
      </div>
      <permanence-hours-panel part="hours" exportparts="status,week,today,closures" .hours=${config.hours} .now=${this.now} .language=${lang}></permanence-hours-panel>
      ${instructions
        ? html`<permanence-instructions part="instructions" exportparts="instructions-toggle" .source=${instructions} .language=${lang}></permanence-instructions>`
        : nothing}
      ${this.formState === 'failed'
        ? html`<p part="notice" class="notice" role="alert">${unavailableText(lang)}</p>`
        : this.formState !== 'ready' || !hasWidgetMessages(lang, 'all')
          ? // The form's room, kept while its chunk and sentences come, so that what follows does not jump when it is drawn.
            html`<div class="form-room"></div>`
          : html`<permanence-callback-form
            part="form"
            exportparts="field,label,input,hint,error,submit,alert,emergency,emergency-link,receipt,reference"
            .config=${config}
            .api=${this.api || scriptOrigin}
            .now=${this.now}
            .language=${lang}
          ></permanence-callback-form>`}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-widget': PermanenceWidget;
  }
}
