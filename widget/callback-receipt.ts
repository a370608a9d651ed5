/** `<permanence-callback-receipt>`: what the patient sees once the request is queued — its reference and when they will be called. */
import { html, nothing } from 'lit/html.js';
import type { Lang } from '../shared/i18n.js';
import { widgetText } from './messages.js';
import type { CallbackCreated, ConfirmBy } from '../shared/schemas.js';
import { dueText } from '../shared/due-text.js';
import { css, ScreenElement } from './screen-element.js';
import { sharedStyles } from './shared.styles.js';

/**
 * @csspart receipt - The confirmation block.
 * @csspart reference - The request's reference, e.g. `CB-7K3F9Q`.
 * @fires new-request - (internal, not composed) The patient wants to fill in another request.
 */
export class PermanenceCallbackReceipt extends ScreenElement {
  static override styles = [
    ...sharedStyles,
    css`
      :host {
        display: grid;
        gap: 1.25rem;
      }
      .receipt {
        display: grid;
        gap: 0.75rem;
      }
      .reference {
        display: inline-block;
        font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
        font-size: 1.6em;
        font-weight: 700;
        letter-spacing: 0.12em;
        padding: 0.2em 0.5em;
        border: 2px dashed var(--_accent);
        border-radius: var(--_radius);
      }
      p {
        margin: 0;
      }
    `,
  ];

  static {
    this.reactive({ created: undefined, asked: 'none', timeZone: 'Europe/Paris', now: undefined, language: 'fr' });
  }

  declare created: CallbackCreated | undefined;
  /** How the patient asked to be confirmed: the service may have had to do otherwise (no SMS abroad, a daily cap). */
  declare asked: ConfirmBy;
  /** The practice's zone: the patient is told the time the practice will call, as the practice's clock reads it. */
  declare timeZone: string;
  /** The instant "today" and "tomorrow" are said from; unset, the time it is drawn. */
  declare now: Date | undefined;
  declare language: Lang;

  /**
   * Moves focus to the heading so a screen reader reads the confirmation out; after a red flag, to the emergency
   * numbers above it, which focus on the receipt would scroll out of a phone's screen.
   */
  override async focus(): Promise<void> {
    await this.updateComplete;
    await (this.renderRoot.querySelector('permanence-emergency-panel') ?? this.renderRoot.querySelector('h3'))?.focus();
  }

  private handleNewRequest(): void {
    this.dispatchEvent(new Event('new-request'));
  }

  protected render() {
    const created = this.created;
    if (!created) return nothing;
    const lang = this.language;
    // The words of the confirmation and the cancel page: "dès que possible", "demain entre 14:00 et 19:00", "mardi 1 décembre à partir de 08:30".
    const when = dueText(new Date(created.dueAt), created.preferredWindow, this.now ?? new Date(), this.timeZone, lang);
    const smsRefused = this.asked === 'sms';
    const confirmed =
      created.confirmBy === 'sms' ? 'successConfirmSms' : created.confirmBy === 'email' ? (smsRefused ? 'successSmsAsEmail' : 'successConfirmEmail') : this.asked !== 'none' && 'successUnconfirmed';
    return html`${created.redFlag ? html`<permanence-emergency-panel exportparts="emergency,emergency-link" .language=${lang} .submitted=${true}></permanence-emergency-panel>` : nothing}
      <section part="receipt" class="receipt">
        <h3 id="receipt-title" tabindex="-1">${widgetText(lang, 'successTitle')}</h3>
        <p>${widgetText(lang, 'successRef')}</p>
        <p><span part="reference" class="reference">${created.ref}</span></p>
        <p class="muted">${widgetText(lang, 'successRefHint')}</p>
        <p><strong>${widgetText(lang, 'successWhen', { when })}</strong></p>
        ${created.duplicate ? html`<p>${widgetText(lang, 'successDuplicate')}</p>` : nothing}
        ${confirmed ? html`<p>${widgetText(lang, confirmed)}</p>` : nothing}
        <p><button class="secondary" type="button" @click=${this.handleNewRequest}>${widgetText(lang, 'newRequest')}</button></p>
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'permanence-callback-receipt': PermanenceCallbackReceipt;
  }
}
